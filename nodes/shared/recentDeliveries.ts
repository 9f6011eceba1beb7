import * as crypto from 'crypto';

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
 * What is remembered of a delivery id, in memory and in the workflow's static
 * data alike: the first 22 characters (132 bits) of its SHA-256 in base64url,
 * whatever the id's length, so both memories are bounded in bytes and not only
 * in count (an id can be as long as a body, and gzip makes a long id a short
 * upload), and no id is stored as it was sent.
 */
export function deliveryFingerprint(id: string): string {
	const digest =
		typeof crypto.hash === 'function'
			? crypto.hash('sha256', id, 'base64url')
			: crypto.createHash('sha256').update(id, 'utf8').digest('base64url');
	return digest.slice(0, 22);
}

/** One accepted delivery: its fingerprint, and when it was accepted (epoch ms). */
export interface AcceptedDelivery {
	print: string;
	at: number;
}

/**
 * Delivery fingerprints accepted recently by one trigger node, in memory of
 * this n8n process: the fast path, answering a retry without reading the
 * workflow's static data. Ids expire in the order they were accepted, so a queue (oldest at
 * `head`) handles both expiry and the size bound by trimming from the front.
 * Not a Map's insertion order: reaching a Map's oldest entry walks over every
 * entry deleted since the Map last compacted, which made a full store slow.
 */
export class RecentDeliveries {
	private readonly remembered = new Set<string>();

	private ids: string[] = [];

	private acceptedAt: number[] = [];

	private head = 0;

	constructor(
		private readonly limits: RecentDeliveriesLimits = DEFAULT_RECENT_DELIVERIES_LIMITS,
		private readonly now: () => number = Date.now,
	) {}

	get size(): number {
		return this.remembered.size;
	}

	/** Whether every id this store remembered has expired by `now`. */
	isIdleAt(now: number): boolean {
		const last = this.acceptedAt.length - 1;
		return last < 0 || this.acceptedAt[last] + this.limits.ttlMs <= now;
	}

	/**
	 * Remembers a fingerprint (see deliveryFingerprint) and answers whether it
	 * was already remembered and not yet expired.
	 */
	seenBefore(print: string): boolean {
		const now = this.now();
		const expired = now - this.limits.ttlMs;
		while (this.head < this.ids.length && this.acceptedAt[this.head] <= expired) {
			this.forgetOldest();
		}
		if (this.remembered.has(print)) return true;
		this.remembered.add(print);
		this.ids.push(print);
		this.acceptedAt.push(now);
		if (this.remembered.size > this.limits.maxIds) this.forgetOldest();
		return false;
	}

	/** The newest `max` deliveries remembered and not yet expired, oldest first. */
	newest(max: number): AcceptedDelivery[] {
		const expired = this.now() - this.limits.ttlMs;
		const newest: AcceptedDelivery[] = [];
		for (let i = this.ids.length - 1; i >= this.head && newest.length < max; i--) {
			if (this.acceptedAt[i] <= expired) break;
			newest.push({ print: this.ids[i], at: this.acceptedAt[i] });
		}
		return newest.reverse();
	}

	private forgetOldest(): void {
		this.remembered.delete(this.ids[this.head]);
		this.head++;
		// Drop the forgotten front once it is most of the queue: each id is
		// copied a bounded number of times, so trimming stays constant time on average.
		if (this.head >= 1024 && this.head * 2 >= this.ids.length) {
			this.ids = this.ids.slice(this.head);
			this.acceptedAt = this.acceptedAt.slice(this.head);
			this.head = 0;
		}
	}
}

const registry = new Map<string, RecentDeliveries>();

/** How often stores whose ids have all expired are dropped. */
const SWEEP_INTERVAL_MS = 60_000;

let lastSweep = 0;

/**
 * Nodes' stores are never dropped when a webhook is removed: n8n removes it
 * both when a workflow is deactivated and when it is saved again or a test
 * listen ends, and forgetting then would run a retried delivery twice. A store
 * whose ids have all expired is dropped instead, so deactivated workflows
 * leave nothing behind for long.
 */
function sweepIdleStores(now: number): void {
	if (now - lastSweep < SWEEP_INTERVAL_MS) return;
	lastSweep = now;
	for (const [nodeKey, store] of registry) if (store.isIdleAt(now)) registry.delete(nodeKey);
}

/** The store of one trigger node in one workflow; two workflows never share ids. */
export function recentDeliveriesOf(nodeKey: string): RecentDeliveries {
	sweepIdleStores(Date.now());
	let store = registry.get(nodeKey);
	if (!store) {
		store = new RecentDeliveries();
		registry.set(nodeKey, store);
	}
	return store;
}
