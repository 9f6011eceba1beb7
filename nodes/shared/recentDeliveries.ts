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
 * process. A Map keeps insertion order, so the oldest entries are at the front
 * and both expiry and the size bound are handled by trimming from there.
 */
export class RecentDeliveries {
	private readonly expiries = new Map<string, number>();

	/** When the oldest remembered id expires (Infinity while none is remembered). */
	private oldestExpiry = Infinity;

	constructor(
		private readonly limits: RecentDeliveriesLimits = DEFAULT_RECENT_DELIVERIES_LIMITS,
		private readonly now: () => number = Date.now,
	) {}

	get size(): number {
		return this.expiries.size;
	}

	/** Remembers the id and answers whether it was already remembered and not yet expired. */
	seenBefore(id: string): boolean {
		const now = this.now();
		this.forgetExpired(now);
		if (this.expiries.has(id)) return true;
		const expiry = now + this.limits.ttlMs;
		this.expiries.set(id, expiry);
		if (this.expiries.size === 1) this.oldestExpiry = expiry;
		if (this.expiries.size > this.limits.maxIds) {
			const oldest = this.expiries.keys().next().value as string;
			this.expiries.delete(oldest);
			this.oldestExpiry = this.expiries.values().next().value as number;
		}
		return false;
	}

	private forgetExpired(now: number): void {
		// Entries expire in insertion order, so nothing has expired while the
		// oldest has not: that check alone runs on almost every delivery.
		if (this.oldestExpiry > now) return;
		for (const [id, expiry] of this.expiries) {
			if (expiry > now) {
				this.oldestExpiry = expiry;
				return;
			}
			this.expiries.delete(id);
		}
		this.oldestExpiry = Infinity;
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
