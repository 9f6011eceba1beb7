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

/**
 * At most `limit` starts in any `windowMs`, for everything that shares the
 * limiter, first come first served: a caller is never overtaken by one who
 * asked later, so a busy caller cannot starve another. A caller who gives up
 * (its signal aborts) leaves the line at once, and those behind it move up.
 */
export function windowLimiter(providerLimit: ProviderLimit): TakeStart & { idle(): boolean } {
	const { limit } = providerLimit;
	const windowMs = providerLimit.windowMs + ARRIVAL_MARGIN_MS;
	/** The times of recent starts, oldest first. */
	const starts: number[] = [];
	/** Settles when the last caller in line has had its turn. */
	let lineEnd: Promise<void> = Promise.resolve();
	let waiting = 0;

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
		/** Whether the limiter holds nothing: no one waits and no start is recent. */
		idle() {
			forgetOldStarts(Date.now());
			return waiting === 0 && starts.length === 0;
		},
	});
}

/**
 * One `windowLimiter` per key (a provider that counts per account, by its
 * token's digest, say), so that keys do not slow each other; a key's limiter
 * is dropped once it is idle, so memory follows the keys in use.
 */
export function keyedWindowLimiter(
	providerLimit: ProviderLimit,
): (key: string, signal?: AbortSignal) => Promise<void> {
	const limiters = new Map<string, ReturnType<typeof windowLimiter>>();
	return async (key, signal) => {
		for (const [other, limiter] of limiters) if (limiter.idle()) limiters.delete(other);
		let limiter = limiters.get(key);
		if (!limiter) {
			limiter = windowLimiter(providerLimit);
			limiters.set(key, limiter);
		}
		await limiter(signal);
	};
}
