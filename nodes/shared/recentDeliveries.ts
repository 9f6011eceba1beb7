export interface RecentDeliveriesLimits {
	/** How long an accepted delivery id is remembered. */
	ttlMs: number;
	/** How many ids are remembered at most; the oldest are forgotten first. */
	maxIds: number;
}

/** At least ten minutes or ten thousand deliveries, whichever is reached first. */
export const DEFAULT_RECENT_DELIVERIES_LIMITS: RecentDeliveriesLimits = {
	ttlMs: 10 * 60 * 1000,
	maxIds: 10_000,
};

/**
 * Delivery ids accepted recently by one trigger node, in memory of this n8n
 * process. Ids expire in the order they were accepted, so a queue (oldest at
 * `head`) handles both expiry and the size bound by trimming from the front.
 * Not a Map's insertion order: reaching a Map's oldest entry walks over every
 * entry deleted since the Map last compacted, which made a full store slow.
 */
export class RecentDeliveries {
	private readonly remembered = new Set<string>();

	private ids: string[] = [];

	private expiries: number[] = [];

	private head = 0;

	constructor(
		private readonly limits: RecentDeliveriesLimits = DEFAULT_RECENT_DELIVERIES_LIMITS,
		private readonly now: () => number = Date.now,
	) {}

	get size(): number {
		return this.remembered.size;
	}

	/** Remembers the id and answers whether it was already remembered and not yet expired. */
	seenBefore(id: string): boolean {
		const now = this.now();
		while (this.head < this.ids.length && this.expiries[this.head] <= now) this.forgetOldest();
		if (this.remembered.has(id)) return true;
		this.remembered.add(id);
		this.ids.push(id);
		this.expiries.push(now + this.limits.ttlMs);
		if (this.remembered.size > this.limits.maxIds) this.forgetOldest();
		return false;
	}

	private forgetOldest(): void {
		this.remembered.delete(this.ids[this.head]);
		this.head++;
		// Drop the forgotten front once it is most of the queue: each id is
		// copied a bounded number of times, so trimming stays constant time on average.
		if (this.head >= 1024 && this.head * 2 >= this.ids.length) {
			this.ids = this.ids.slice(this.head);
			this.expiries = this.expiries.slice(this.head);
			this.head = 0;
		}
	}
}

const registry = new Map<string, RecentDeliveries>();

/** The store of one trigger node in one workflow; two workflows never share ids. */
export function recentDeliveriesOf(nodeKey: string): RecentDeliveries {
	let store = registry.get(nodeKey);
	if (!store) {
		store = new RecentDeliveries();
		registry.set(nodeKey, store);
	}
	return store;
}

/** Forgets a node's ids, e.g. when its workflow is deactivated. */
export function forgetRecentDeliveries(nodeKey: string): void {
	registry.delete(nodeKey);
}
