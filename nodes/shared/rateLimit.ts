import * as workflow from 'n8n-workflow';

/**
 * Waiting, and keeping within a provider's rate limit, for code that runs
 * inside n8n: timers come from n8n-workflow, as n8n asks of community nodes.
 */

/**
 * The longest delay a Node.js timer takes: a longer one overflows and fires
 * after 1 ms, so no wait here asks for more.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * n8n-workflow's sleep, for at most MAX_TIMER_MS, ended early (without an
 * error) when `signal` aborts: its 1.x has sleepWithAbort, its 2.x a sleep
 * that takes a signal.
 */
export async function pause(ms: number, signal?: AbortSignal): Promise<void> {
	const delay = Math.min(Math.max(Number.isFinite(ms) ? ms : MAX_TIMER_MS, 0), MAX_TIMER_MS);
	if (!signal) return workflow.sleep(delay);
	if (signal.aborted) return;
	const { sleepWithAbort } = workflow as { sleepWithAbort?: typeof workflow.sleep };
	await (sleepWithAbort ?? workflow.sleep)(delay, signal).catch(() => undefined);
}

/** Resolves when `promise` does, or at once when `signal` aborts. */
async function unlessAborted(promise: Promise<void>, signal?: AbortSignal): Promise<void> {
	if (!signal) return promise;
	if (signal.aborted) return;
	let stop = () => undefined as void;
	const aborted = new Promise<void>((resolve) => {
		stop = resolve;
		signal.addEventListener('abort', stop, { once: true });
	});
	try {
		await Promise.race([promise, aborted]);
	} finally {
		signal.removeEventListener('abort', stop);
	}
}

/**
 * Starts are counted when they leave and providers count them when they
 * arrive, so the window kept is this much longer than the provider's.
 */
const ARRIVAL_MARGIN_MS = 500;

export interface ProviderLimit {
	/** Starts the provider takes in any window… */
	limit: number;
	/** …of this many milliseconds. */
	windowMs: number;
}

/**
 * Takes one start within a provider's limit: resolves once one more start
 * keeps within it, and counts it; or resolves without counting anything as
 * soon as `signal` aborts (the caller checks `signal.aborted`).
 */
export type TakeStart = (signal?: AbortSignal) => Promise<void>;

/** A limiter's controls beside taking a start. */
export interface WindowLimiter {
	/** Whether the limiter holds nothing: no one waits, no start is recent, no hold is on. */
	idle(): boolean;
	/**
	 * No start before `time` (epoch ms), as when the provider answered that
	 * everyone sharing the limit must wait (a 429 with Retry-After): those in
	 * line wait it out too. A hold never shortens an earlier, longer one.
	 */
	holdUntil(time: number): void;
	/** The time the current hold ends (0 or a past time when there is none). */
	heldUntil(): number;
}

/**
 * At most `limit` starts in any `windowMs`, for everything that shares the
 * limiter, first come first served: a caller is never overtaken by one who
 * asked later, so a busy caller cannot starve another. A caller who gives up
 * (its signal aborts) leaves the line at once, and those behind it move up.
 */
export function windowLimiter(providerLimit: ProviderLimit): TakeStart & WindowLimiter {
	const { limit } = providerLimit;
	const windowMs = providerLimit.windowMs + ARRIVAL_MARGIN_MS;
	/** The times of recent starts, oldest first. */
	const starts: number[] = [];
	/** Settles when the last caller in line has had its turn. */
	let lineEnd: Promise<void> = Promise.resolve();
	let waiting = 0;
	let hold = 0;

	function forgetOldStarts(now: number) {
		while (starts.length > 0 && starts[0] <= now - windowMs) starts.shift();
	}

	async function take(signal?: AbortSignal): Promise<void> {
		const ahead = lineEnd;
		let done = () => undefined as void;
		lineEnd = new Promise<void>((resolve) => (done = resolve));
		waiting++;
		try {
			await unlessAborted(ahead, signal);
			for (;;) {
				if (signal?.aborted) return;
				const now = Date.now();
				if (now < hold) {
					await pause(hold - now, signal);
					continue;
				}
				forgetOldStarts(now);
				if (starts.length < limit) {
					starts.push(now);
					return;
				}
				await pause(starts[0] + windowMs - now, signal);
			}
		} finally {
			waiting--;
			// The next in line goes once everyone ahead of this caller has gone too.
			void ahead.then(done);
		}
	}

	return Object.assign(take, {
		idle() {
			const now = Date.now();
			forgetOldStarts(now);
			return waiting === 0 && starts.length === 0 && now >= hold;
		},
		holdUntil(time: number) {
			hold = Math.max(hold, time);
		},
		heldUntil: () => hold,
	});
}

/** How a wait for a start within a time ended. */
export type Turn = 'taken' | 'late' | 'cancelled';

/**
 * Waits for a start for at most `ms`, since a line can be longer than a
 * caller may wait: 'taken' once one is counted; 'late' when none came in
 * time, and 'cancelled' when `signal` aborted, both leaving the line at once
 * and counting nothing.
 */
export async function takeWithin(take: TakeStart, ms: number, signal?: AbortSignal): Promise<Turn> {
	if (signal?.aborted) return 'cancelled';
	const leave = new AbortController();
	const stop = () => leave.abort();
	signal?.addEventListener('abort', stop, { once: true });
	let late = false;
	// Timers run one at a time, so either the start is counted before this
	// fires, or the line is left before one can be.
	const deadline = pause(ms, leave.signal).then(() => {
		late = !leave.signal.aborted;
		stop();
	});
	try {
		await take(leave.signal);
	} finally {
		stop();
		signal?.removeEventListener('abort', stop);
		await deadline;
	}
	if (signal?.aborted) return 'cancelled';
	return late ? 'late' : 'taken';
}

/**
 * One `windowLimiter` per key (a provider that counts per account, by its
 * token's digest, say), so that keys do not slow each other, nor a hold on
 * one key another; a key's limiter is dropped once it is idle, so memory
 * follows the keys in use.
 */
export function keyedWindowLimiter(providerLimit: ProviderLimit) {
	const limiters = new Map<string, ReturnType<typeof windowLimiter>>();
	function limiterOf(key: string) {
		for (const [other, limiter] of limiters) if (limiter.idle()) limiters.delete(other);
		let limiter = limiters.get(key);
		if (!limiter) {
			limiter = windowLimiter(providerLimit);
			limiters.set(key, limiter);
		}
		return limiter;
	}
	const take = async (key: string, signal?: AbortSignal): Promise<void> => limiterOf(key)(signal);
	return Object.assign(take, {
		/** Holds one key's starts until `time` (see WindowLimiter.holdUntil). */
		holdUntil: (key: string, time: number) => limiterOf(key).holdUntil(time),
		/** When the hold on a key ends (0 or a past time when there is none). */
		heldUntil: (key: string) => limiters.get(key)?.heldUntil() ?? 0,
	});
}

/**
 * Retry-After's three HTTP-date forms (RFC 9110): IMF-fixdate, RFC 850, and
 * asctime, which is in GMT without saying so.
 */
const HTTP_DATES: readonly [RegExp, string][] = [
	[/^[a-z]{3}, \d{2} [a-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/i, ''],
	[/^[a-z]{6,9}, \d{2}-[a-z]{3}-\d{2} \d{2}:\d{2}:\d{2} GMT$/i, ''],
	[/^[a-z]{3} [a-z]{3} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/i, ' GMT'],
];

/**
 * How long a Retry-After header asks to wait, in milliseconds, rounded up:
 * its seconds, or the time until its HTTP-date (0 once that has passed); or
 * undefined when there is no header or it is neither.
 */
export function retryAfterMs(header: unknown, now = Date.now()): number | undefined {
	const value = Array.isArray(header) ? header[0] : header;
	if (typeof value !== 'string') return undefined;
	const text = value.trim();
	if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
	const form = HTTP_DATES.find(([pattern]) => pattern.test(text));
	const at = form ? Date.parse(text + form[1]) : Number.NaN;
	return Number.isFinite(at) ? Math.max(at - now, 0) : undefined;
}
