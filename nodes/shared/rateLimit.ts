import * as workflow from 'n8n-workflow';

/**
 * Waiting, and keeping within a provider's rate limit, for code that runs
 * inside n8n: timers come from n8n-workflow, as n8n asks of community nodes.
 */

/**
 * n8n-workflow's sleep, ended early by `signal` if given: its 1.x has
 * sleepWithAbort, its 2.x a sleep that takes a signal.
 */
export async function pause(ms: number, signal?: AbortSignal): Promise<void> {
	if (!signal) return workflow.sleep(ms);
	const { sleepWithAbort } = workflow as { sleepWithAbort?: typeof workflow.sleep };
	await (sleepWithAbort ?? workflow.sleep)(ms, signal).catch(() => undefined);
}

/**
 * Starts are counted when they leave and providers count them when they
 * arrive, so the window kept is this much longer than the provider's.
 */
const ARRIVAL_MARGIN_MS = 500;

/**
 * At most `limit` starts in any `windowMs` (a provider's limit), for everything
 * in this n8n process that shares the limiter: `take()` resolves when one more
 * start keeps within it, and counts it.
 */
export function windowLimiter(providerLimit: { limit: number; windowMs: number }) {
	const { limit } = providerLimit;
	const windowMs = providerLimit.windowMs + ARRIVAL_MARGIN_MS;
	/** The times of recent starts, oldest first. */
	const starts: number[] = [];
	return async function take(signal?: AbortSignal): Promise<void> {
		for (;;) {
			const now = Date.now();
			while (starts.length > 0 && starts[0] <= now - windowMs) starts.shift();
			if (starts.length < limit) {
				starts.push(now);
				return;
			}
			await pause(starts[0] + windowMs - now, signal);
			if (signal?.aborted) return;
		}
	};
}
