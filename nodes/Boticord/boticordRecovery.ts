import type { IDataObject, Logger } from 'n8n-workflow';

import { isEventSelected } from '../shared/eventSelection';
import { isJsonObject, toIsoString, type JsonObject } from '../shared/jsonBody';
import { pause } from '../shared/rateLimit';
import { request, type CallScope } from './boticordApi';
import { epochMsOf, type BoticordUpsMissedItem, upsMissedItem } from './boticordItems';
import { resourceFilter, searchHits } from './boticordSearch';

/**
 * Recovery of what Boticord sent while the gateway trigger was away (a
 * gateway outage, a network cut, n8n restarting). Boticord keeps no queue,
 * but its search indexes every review, so the reviews of the listed bots and
 * servers created during the gap can be read back and emitted as
 * `comment_added` items marked `recovered`. Ups cannot be read back, but a
 * page's `ups` list (each up's expiry, 14 days after it was given) tells how
 * many arrived during the gap, where Boticord sends it.
 *
 * What was emitted is kept in the workflow's static data, which n8n saves
 * when the trigger emits and after activation (not when the trigger writes
 * it otherwise): so everything is written before an emit, and the window
 * searched may be longer than the gap (its start is only saved with an
 * emit), which the memory of emitted reviews makes harmless.
 */

/** The furthest back a recovery looks. */
export const MAX_LOOKBACK_MS = 24 * 60 * 60_000;

/** The most reviews recovered per resource and pass (the newest of the gap, when there are more). */
export const MAX_RECOVERED_PER_RESOURCE = 100;

/** Reviews remembered at most (the oldest are forgotten first). */
export const MAX_REMEMBERED_REVIEWS = 500;

/** Reviews older than this are forgotten: no recovery looks that far back. */
const REMEMBER_FOR_MS = MAX_LOOKBACK_MS + 60 * 60_000;

/**
 * A live notification's `happened` and the indexed review's `created` may
 * not be the same millisecond: one author's review of one resource within
 * this much of a remembered one is that one.
 */
export const SAME_REVIEW_WITHIN_MS = 10 * 60_000;

/**
 * How much earlier than the gap a recovery looks: Boticord's clock and this
 * one differ, and a drop is noticed a moment after it happens. What was
 * received live in that margin is remembered, so nothing comes twice.
 */
export const GAP_MARGIN_MS = 5 * 60_000;

/** Boticord takes an up off a resource's count this long after it was given. */
export const UP_LIFETIME_MS = 14 * 24 * 60 * 60_000;

/** Live ups remembered at most, to tell ups missed from ups received. */
const MAX_REMEMBERED_UPS = 1000;

/** The wait between a connection and its recovery, so that a connection that drops at once costs no search. */
export const RECOVERY_DELAY_MS = 1_000;

/** A review remembered as emitted: resource, author, creation (epoch ms), and the review's id when known. */
type RememberedReview = [string, string, number, string?];

/** What the trigger keeps in the workflow's static data, under `boticordRecovery`. */
export interface RecoveryMemory {
	/** When the trigger first ran: nothing before it is recovered. */
	since?: number;
	/** The start of a gap not recovered yet, or the last time the trigger knew itself connected. */
	coveredUntil?: number;
	reviews: RememberedReview[];
	/** Live ups: resource and when. */
	ups: Array<[string, number]>;
	/** Per resource, until when ups have been counted. */
	upsCountedUntil: Record<string, number>;
}

/** The node's static data, as n8n gives it (an object n8n watches for changes). */
export type StaticData = IDataObject;

const MEMORY_KEY = 'boticordRecovery';

/** The memory in static data, or a fresh one when there is none or it is not this shape. */
export function readMemory(staticData: StaticData): RecoveryMemory {
	const stored = staticData[MEMORY_KEY];
	const memory: RecoveryMemory = { reviews: [], ups: [], upsCountedUntil: {} };
	if (!isJsonObject(stored)) return memory;
	if (typeof stored.since === 'number') memory.since = stored.since;
	if (typeof stored.coveredUntil === 'number') memory.coveredUntil = stored.coveredUntil;
	if (Array.isArray(stored.reviews)) {
		memory.reviews = stored.reviews.filter(
			(entry): entry is RememberedReview =>
				Array.isArray(entry) &&
				typeof entry[0] === 'string' &&
				typeof entry[1] === 'string' &&
				typeof entry[2] === 'number',
		);
	}
	if (Array.isArray(stored.ups)) {
		memory.ups = stored.ups.filter(
			(entry): entry is [string, number] =>
				Array.isArray(entry) && typeof entry[0] === 'string' && typeof entry[1] === 'number',
		);
	}
	if (isJsonObject(stored.upsCountedUntil)) {
		for (const [id, until] of Object.entries(stored.upsCountedUntil)) {
			if (typeof until === 'number') memory.upsCountedUntil[id] = until;
		}
	}
	return memory;
}

/**
 * Writes the memory, bounded, as a new object: n8n notices a change only
 * when a property of the static data is set, not when an array in it grows.
 */
function writeMemory(staticData: StaticData, memory: RecoveryMemory, now: number): void {
	const reviews = memory.reviews
		.filter(([, , created]) => created > now - REMEMBER_FOR_MS)
		.slice(-MAX_REMEMBERED_REVIEWS);
	const ups = memory.ups.filter(([, at]) => at > now - REMEMBER_FOR_MS).slice(-MAX_REMEMBERED_UPS);
	const upsCountedUntil = Object.fromEntries(
		Object.entries(memory.upsCountedUntil).filter(([, until]) => until > now - REMEMBER_FOR_MS),
	);
	staticData[MEMORY_KEY] = {
		...(memory.since === undefined ? {} : { since: memory.since }),
		...(memory.coveredUntil === undefined ? {} : { coveredUntil: memory.coveredUntil }),
		reviews: reviews.map((entry) => [...entry]),
		ups: ups.map((entry) => [...entry]),
		upsCountedUntil,
	};
	Object.assign(memory, { reviews, ups, upsCountedUntil });
}

function remembered(memory: RecoveryMemory, [resource, author, created, id]: RememberedReview) {
	return memory.reviews.some(
		([otherResource, otherAuthor, otherCreated, otherId]) =>
			(id !== undefined && otherId === id) ||
			(otherResource === resource &&
				otherAuthor === author &&
				Math.abs(otherCreated - created) <= SAME_REVIEW_WITHIN_MS),
	);
}

/** What a pass found: a review to emit, or a resource's ups counted up to `to`. */
type Found =
	| { kind: 'review'; hit: JsonObject; entry: RememberedReview }
	| { kind: 'ups'; item: BoticordUpsMissedItem; to: number };

/** A resource whose reviews and ups are recovered. */
export interface RecoveredResource {
	id: string;
	target: 'bot' | 'server';
}

export interface RecoveryOptions {
	/** Boticord's API for the trigger's credential: its signal ends with the trigger. */
	scope: CallScope;
	resources: RecoveredResource[];
	/** The node's Events. */
	events: string[];
	/** The node's static data. */
	staticData: StaticData;
	logger: Logger;
	/**
	 * Emits a recovered review, given as the notification Boticord would have
	 * sent (it goes through the same checks and item building as a live one,
	 * then is marked recovered); false when it was not emitted.
	 */
	emitReview(notification: JsonObject): boolean;
	emitUpsMissed(item: BoticordUpsMissedItem): void;
}

/** What a recovery looks for, given the node's Events (see ReviewRecovery's `wanted`). */
export function wantedRecovery(events: string[]): { reviews: boolean; ups: boolean } {
	return {
		reviews: isEventSelected(events, 'comment_added'),
		ups: isEventSelected(events, 'ups_missed') && isEventSelected(events, 'up_added'),
	};
}

/**
 * The trigger's recovery: told of every connection (`connected`) and of
 * every live notification before it is emitted (`received`). A pass runs in
 * the background after each connection, one at a time (a connection during a
 * pass starts one more pass after it), never in the way of live
 * notifications; a pass that fails is logged and the gap is recovered at the
 * next connection.
 */
export class ReviewRecovery {
	private readonly memory: RecoveryMemory;

	/** Since when nothing is known to have been received (a gap not recovered yet), while there is one. */
	private gapFrom: number | undefined;

	private running: Promise<void> | undefined;

	private again = false;

	constructor(private readonly options: RecoveryOptions) {
		this.memory = readMemory(options.staticData);
		// A trigger that has never recorded a connection has no gap to recover: it starts now.
		this.gapFrom = this.memory.coveredUntil;
		if (this.memory.coveredUntil === undefined) {
			this.memory.since = Date.now();
			this.mark();
		}
	}

	/** An error's words for the log, with the account's secrets kept out whatever raised it. */
	private said(error: unknown): string {
		return this.options.scope.account.redact.text(
			error instanceof Error ? error.message : String(error),
		);
	}

	private get signal(): AbortSignal | undefined {
		return this.options.scope.signal;
	}

	/** What is saved with the next emit: until when nothing is missing. */
	private mark(): void {
		const now = Date.now();
		this.memory.coveredUntil = this.gapFrom ?? now;
		writeMemory(this.options.staticData, this.memory, now);
	}

	/**
	 * Whether recovery has anything to do with the node's Events. Ups are
	 * counted only beside Up Added: the ups received live are known across a
	 * restart only when they were emitted (n8n saves a trigger's static data
	 * when it emits), and an up received but not known would be counted as
	 * missed.
	 */
	private get wanted(): { reviews: boolean; ups: boolean } {
		return wantedRecovery(this.options.events);
	}

	/** A connection was accepted; `ended` aborts when it ends. */
	connected(ended: AbortSignal): void {
		ended.addEventListener(
			'abort',
			() => {
				if (!this.signal?.aborted) this.gapFrom ??= Date.now();
			},
			{ once: true },
		);
		if (this.gapFrom === undefined) return;
		if (this.running) {
			this.again = true;
			return;
		}
		this.running = this.passes()
			// Nothing of a recovery may throw into the gateway client or stop the trigger.
			.catch((error: unknown) =>
				this.options.logger.error(
					"Boticord Gateway Trigger's recovery stopped on an unexpected error; it tries again at the next reconnection",
					{ error: this.said(error) },
				),
			)
			.finally(() => (this.running = undefined));
	}

	/**
	 * A live notification (selected or not), before it is emitted: remembered,
	 * so that no pass emits it again nor counts its up as missed.
	 */
	received(notification: JsonObject): void {
		const { type, id, user, happened } = notification;
		if (typeof id !== 'string' || typeof happened !== 'number') return;
		if (type === 'comment_added' && typeof user === 'string') {
			this.memory.reviews.push([id, user, happened]);
		} else if (type === 'up_added') {
			this.memory.ups.push([id, happened]);
		} else {
			return;
		}
		this.mark();
	}

	private async passes(): Promise<void> {
		do {
			this.again = false;
			await pause(RECOVERY_DELAY_MS, this.signal);
			if (this.signal?.aborted) return;
			const from = this.gapFrom;
			if (from === undefined) return;
			const to = Date.now();
			const since = Math.max(from - GAP_MARGIN_MS, this.memory.since ?? 0, to - MAX_LOOKBACK_MS);
			let found: Found[];
			try {
				found = await this.pass(since, to);
			} catch (error) {
				if (this.signal?.aborted) return;
				this.options.logger.warn(
					`Boticord Gateway Trigger could not recover what Boticord sent while it was disconnected: ${this.said(error)}. It tries again at the next reconnection.`,
				);
				continue;
			}
			if (this.signal?.aborted) return;
			// Recovered: the emits below save the gap's end with them, so the next start looks from
			// here. A gap that opened during the pass is for the pass after it.
			if (this.gapFrom === from) this.gapFrom = undefined;
			const recovered = this.emitFound(found);
			this.mark();
			this.options.logger.info(
				`Boticord Gateway Trigger looked for what it missed since ${toIsoString(since)}: ${recovered} review${recovered === 1 ? '' : 's'} recovered`,
			);
		} while (this.again && !this.signal?.aborted);
	}

	/** Everything a pass found, searched first, so that a pass that fails emits nothing. */
	private async pass(from: number, to: number): Promise<Found[]> {
		const wanted = this.wanted;
		const found: Found[] = [];
		for (const resource of this.options.resources) {
			if (wanted.reviews) found.push(...(await this.reviewsSince(resource, from)));
			if (this.signal?.aborted) return [];
		}
		for (const resource of this.options.resources) {
			const count = wanted.ups ? await this.countUps(resource, from, to) : undefined;
			if (count) found.push(count);
			if (this.signal?.aborted) return [];
		}
		return found;
	}

	/**
	 * Emits what a pass found, each remembered just before its emit (whose
	 * save holds it): reviews not remembered yet (a live one may have arrived
	 * during the search), then the ups counts. Returns how many reviews.
	 */
	private emitFound(found: Found[]): number {
		let reviews = 0;
		for (const each of found) {
			if (each.kind === 'ups') {
				this.memory.upsCountedUntil = {
					...this.memory.upsCountedUntil,
					[each.item.resourceId]: each.to,
				};
				this.mark();
				if (each.item.missed > 0) this.options.emitUpsMissed(each.item);
				continue;
			}
			const { hit, entry } = each;
			if (remembered(this.memory, entry)) continue;
			this.memory.reviews.push(entry);
			this.mark();
			const [id, author, created, reviewId] = entry;
			const { content, rating } = hit;
			const emitted = this.options.emitReview({
				type: 'comment_added',
				id,
				user: author,
				happened: created,
				payload: { content, rating },
				reviewId: reviewId ?? null,
				...(hit.modReply === undefined ? {} : { modReply: hit.modReply }),
				recovered: true,
			});
			if (emitted) reviews++;
		}
		return reviews;
	}

	/** The reviews of one resource created since `from`, oldest first. */
	private async reviewsSince({ id }: RecoveredResource, from: number): Promise<Found[]> {
		const { scope, logger } = this.options;
		const isOlder = (hit: JsonObject) => {
			const created = epochMsOf(hit.created);
			return created !== undefined && created < from;
		};
		const hits = await searchHits(
			scope,
			'comments',
			{ q: '', filter: [resourceFilter(id)], sort: ['created:desc'] },
			MAX_RECOVERED_PER_RESOURCE,
			0,
			(page) => page.some(isOlder),
		);
		const found: Array<Found & { kind: 'review' }> = [];
		let unreadable = 0;
		for (const hit of hits) {
			const created = epochMsOf(hit.created);
			const reviewId = typeof hit.id === 'string' && hit.id !== '' ? hit.id : undefined;
			if (
				created === undefined ||
				reviewId === undefined ||
				typeof hit.author !== 'string' ||
				hit.author === '' ||
				(hit.resource !== undefined && hit.resource !== id)
			) {
				unreadable++;
				continue;
			}
			if (created >= from)
				found.push({ kind: 'review', hit, entry: [id, hit.author, created, reviewId] });
		}
		if (unreadable > 0) {
			logger.warn(
				`Boticord Gateway Trigger skipped ${unreadable} review${unreadable === 1 ? '' : 's'} of ${id} from Boticord's search without an id, an author, a readable creation date or with another resource`,
			);
		}
		if (hits.length >= MAX_RECOVERED_PER_RESOURCE && !hits.some(isOlder)) {
			logger.warn(
				`Boticord Gateway Trigger found more than ${MAX_RECOVERED_PER_RESOURCE} reviews of ${id} since ${toIsoString(from)}: it recovers the newest ${MAX_RECOVERED_PER_RESOURCE}`,
			);
		}
		return found.sort((a, b) => a.entry[2] - b.entry[2]);
	}

	/**
	 * Counts the ups given during the gap from the page's `ups` (each expires
	 * UP_LIFETIME_MS after it was given), less those received live, and emits
	 * their number when there are any. A page without `ups`, or whose expiries
	 * cannot be 14 days after an up given so far, gives no count: no guess.
	 */
	private async countUps(
		{ id, target }: RecoveredResource,
		from: number,
		to: number,
	): Promise<Found | undefined> {
		const { scope, logger } = this.options;
		const since = Math.max(from, this.memory.upsCountedUntil[id] ?? 0);
		if (since >= to) return undefined;
		const page = await request(scope, 0, 'GET', `/${target}s/${id}`);
		const { ups } = page;
		if (!Array.isArray(ups)) {
			logger.debug(
				`Boticord Gateway Trigger cannot count the ups ${id} missed: its page has no ups list`,
			);
			return undefined;
		}
		const given: number[] = [];
		for (const up of ups) {
			const expires = epochMsOf(isJsonObject(up) ? up.expires : undefined);
			const at = expires === undefined ? undefined : expires - UP_LIFETIME_MS;
			// An up given in the future, or one that should have expired, is not what the field was taken for.
			if (
				at === undefined ||
				at > to + SAME_REVIEW_WITHIN_MS ||
				at < to - UP_LIFETIME_MS - SAME_REVIEW_WITHIN_MS
			) {
				logger.debug(
					`Boticord Gateway Trigger cannot count the ups ${id} missed: its ups list holds an entry whose expiry is not 14 days after an up`,
				);
				return undefined;
			}
			given.push(at);
		}
		const inGap = given.filter((at) => at > since && at <= to).length;
		const live = this.memory.ups.filter(
			([resource, at]) => resource === id && at > since && at <= to,
		).length;
		return {
			kind: 'ups',
			to,
			item: upsMissedItem(id, target, Math.max(inGap - live, 0), since, to),
		};
	}
}
