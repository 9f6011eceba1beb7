import type { IDataObject } from 'n8n-workflow';

import type { AcceptedDelivery, RecentDeliveries } from './recentDeliveries';

/** The property of a node's static data that holds its accepted deliveries. */
export const STORED_DELIVERIES_PROPERTY = 'acceptedDeliveries';

/**
 * The only shape this package writes there; anything else is read as
 * nothing. One string rather than a list: n8n parses a workflow's static
 * data for every request to its webhooks, and one string of 29 KB parses
 * several times faster than a list of 2,000 short values.
 */
export interface StoredDeliveries {
	version: 1;
	/**
	 * Each accepted delivery, oldest first, in ENTRY_LENGTH characters: its
	 * fingerprint (deliveryFingerprint, 22 characters), then when it was
	 * accepted, in epoch seconds, base 36, 7 characters.
	 */
	entries: string;
}

export interface StoredDeliveriesLimits {
	/** How long an accepted delivery is kept. */
	maxAgeMs: number;
	/** How many are kept at most; the oldest are dropped first. */
	maxIds: number;
}

/**
 * A day, and the newest 1,000. Botisimo retries a message it got no quick 2xx
 * for but does not say for how long, so the store must outlive what breaks
 * the in-memory one: an n8n restart, update or package update, which take
 * minutes to hours, not days. n8n reads a workflow's whole static data with
 * the workflow for every request to its webhooks, selected or not, and writes
 * all of it back for every accepted delivery, so its size is paid on each
 * request: 1,000 entries are 29 KB, well under the 256 KB n8n workflows are
 * kept under.
 */
export const DEFAULT_STORED_DELIVERIES_LIMITS: StoredDeliveriesLimits = {
	maxAgeMs: 24 * 60 * 60 * 1000,
	maxIds: 1000,
};

const PRINT_LENGTH = 22;
const TIME_LENGTH = 7;
const ENTRY_LENGTH = PRINT_LENGTH + TIME_LENGTH;

/** The characters of fingerprints (base64url) and of times (base 36) alike. */
const ENTRY_CHARACTERS = /^[A-Za-z0-9_-]*$/;

/** Times further ahead than this are not this package's (or a clock gone wrong): dropped. */
const MAX_CLOCK_SKEW_MS = 60 * 60 * 1000;

/**
 * The deliveries a static-data value holds that can still be used: within
 * the limits, oldest first. A value this package did not write (missing,
 * from another version, corrupted, too large, edited by hand) gives what
 * can be read of it, or nothing; it never throws.
 */
export function readStoredDeliveries(
	value: unknown,
	now: number,
	limits: StoredDeliveriesLimits = DEFAULT_STORED_DELIVERIES_LIMITS,
): AcceptedDelivery[] {
	if (typeof value !== 'object' || value === null) return [];
	const { version, entries } = value as Partial<Record<keyof StoredDeliveries, unknown>>;
	if (
		version !== 1 ||
		typeof entries !== 'string' ||
		entries.length % ENTRY_LENGTH !== 0 ||
		!ENTRY_CHARACTERS.test(entries)
	) {
		return [];
	}
	const oldest = now - limits.maxAgeMs;
	const newest = now + MAX_CLOCK_SKEW_MS;
	const kept: AcceptedDelivery[] = [];
	// Newest first, so that an oversized value costs no more than maxIds entries.
	for (let end = entries.length; end > 0 && kept.length < limits.maxIds; end -= ENTRY_LENGTH) {
		const at = parseInt(entries.slice(end - TIME_LENGTH, end), 36) * 1000;
		if (at > oldest && at <= newest) {
			kept.push({ print: entries.slice(end - ENTRY_LENGTH, end - TIME_LENGTH), at });
		}
	}
	return kept.reverse();
}

/**
 * The newest `maxIds` distinct deliveries of both lists (each oldest first),
 * oldest first. A fingerprint in both keeps its newer time.
 */
export function mergeDeliveries(
	stored: AcceptedDelivery[],
	remembered: AcceptedDelivery[],
	maxIds: number,
): AcceptedDelivery[] {
	const seen = new Set<string>();
	const merged: AcceptedDelivery[] = [];
	let s = stored.length - 1;
	let r = remembered.length - 1;
	while ((s >= 0 || r >= 0) && merged.length < maxIds) {
		const next =
			r < 0 || (s >= 0 && stored[s].at > remembered[r].at) ? stored[s--] : remembered[r--];
		if (seen.has(next.print)) continue;
		seen.add(next.print);
		merged.push(next);
	}
	return merged.reverse();
}

export function storedDeliveriesValue(deliveries: AcceptedDelivery[]): StoredDeliveries {
	let entries = '';
	for (const { print, at } of deliveries) {
		entries +=
			print +
			Math.floor(at / 1000)
				.toString(36)
				.padStart(TIME_LENGTH, '0');
	}
	return { version: 1, entries };
}

/**
 * Whether a delivery is new to this node, by what the workflow's static data
 * holds; if it is, records it there, together with every delivery this
 * process remembers accepting (so that, of two deliveries whose writes
 * crossed, the one saved last still carries the other: n8n saves a
 * workflow's whole static data, last writer wins), for n8n to save.
 *
 * `nodeData` is `getWorkflowStaticData('node')`; `memory` has already
 * recorded this delivery (see RecentDeliveries.seenBefore).
 */
export function isNewToStoredDeliveries(
	nodeData: IDataObject,
	memory: RecentDeliveries,
	print: string,
	now: number,
	limits: StoredDeliveriesLimits = DEFAULT_STORED_DELIVERIES_LIMITS,
): boolean {
	const stored = readStoredDeliveries(nodeData[STORED_DELIVERIES_PROPERTY], now, limits);
	if (stored.some((delivery) => delivery.print === print)) return false;
	const kept = mergeDeliveries(stored, memory.newest(limits.maxIds), limits.maxIds);
	// Assigned whole to the object n8n loaded: n8n's change tracking
	// (n8n-workflow's ObservableObject) sees assignments to the objects it
	// loaded, not edits inside a value assigned since.
	nodeData[STORED_DELIVERIES_PROPERTY] = storedDeliveriesValue(kept) as unknown as IDataObject;
	return true;
}
