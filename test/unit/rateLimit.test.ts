import {
	keyedWindowLimiter,
	MAX_TIMER_MS,
	pause,
	windowLimiter,
} from '../../nodes/shared/rateLimit';

/** The margin the limiter adds to a provider's window (see rateLimit.ts). */
const MARGIN_MS = 500;

/** Resolves with what `promise` gave, or with 'pending' if it has not settled within `ms`. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | 'pending'> {
	let timer: NodeJS.Timeout | undefined;
	const late = new Promise<'pending'>(
		(resolve) => (timer = setTimeout(() => resolve('pending'), ms)),
	);
	try {
		return await Promise.race([promise, late]);
	} finally {
		clearTimeout(timer);
	}
}

describe('pause', () => {
	it('never hands a timer a delay beyond its limit, where it would fire at once', async () => {
		const stop = new AbortController();
		for (const ms of [MAX_TIMER_MS + 1, 3_000_000_000, Infinity, Number.NaN]) {
			expect(await within(pause(ms, stop.signal), 50)).toBe('pending');
		}
		stop.abort();
	});

	it('ends at once, without an error, when its signal aborts, and does not start when it already has', async () => {
		const stop = new AbortController();
		const waiting = pause(60_000, stop.signal);
		stop.abort();
		expect(await within(waiting, 50)).toBeUndefined();
		expect(await within(pause(60_000, stop.signal), 50)).toBeUndefined();
	});
});

describe('windowLimiter', () => {
	it('keeps within the limit, plus the arrival margin, in any window', async () => {
		const take = windowLimiter({ limit: 2, windowMs: 100 });
		const times: number[] = [];
		await Promise.all(
			Array.from({ length: 5 }, async () => {
				await take();
				times.push(Date.now());
			}),
		);
		for (let i = 0; i + 2 < times.length; i++) {
			expect(times[i + 2] - times[i]).toBeGreaterThanOrEqual(100 + MARGIN_MS - 5);
		}
	});

	it('serves callers in the order they asked: one who keeps asking cannot overtake a newcomer', async () => {
		const take = windowLimiter({ limit: 1, windowMs: 50 });
		const order: string[] = [];
		let newcomerServed = false;
		const busy = (async () => {
			// A caller that asks again as soon as it is served, like a reconnect loop.
			while (!newcomerServed) {
				await take();
				order.push('busy');
			}
		})();
		await take();
		order.push('first');
		const newcomer = take().then(() => {
			order.push('newcomer');
			newcomerServed = true;
		});
		await newcomer;
		await busy;
		// The newcomer asked while the busy caller was waiting for its second turn at most.
		const before = order.slice(0, order.indexOf('newcomer'));
		expect(before.filter((who) => who === 'busy').length).toBeLessThanOrEqual(2);
	}, 10_000);

	it('lets a caller who gives up leave the line at once, counting nothing, and moves the next one up', async () => {
		const take = windowLimiter({ limit: 1, windowMs: 100 });
		await take();
		const quitter = new AbortController();
		const gaveUp = take(quitter.signal);
		const next = take();
		quitter.abort();
		expect(await within(gaveUp, 50)).toBeUndefined();
		// The next caller gets the slot the quitter would have had, not the one after.
		const started = Date.now();
		await next;
		expect(Date.now() - started).toBeLessThan(100 + MARGIN_MS + 200);
		const third = Date.now();
		await take();
		expect(Date.now() - third).toBeGreaterThanOrEqual(100 + MARGIN_MS - 200);
	});

	it('says when it holds nothing', async () => {
		const take = windowLimiter({ limit: 1, windowMs: 10 });
		expect(take.idle()).toBe(true);
		await take();
		expect(take.idle()).toBe(false);
		await pause(10 + MARGIN_MS + 20);
		expect(take.idle()).toBe(true);
	});
});

describe('keyedWindowLimiter', () => {
	it('keeps each key within the limit without one key waiting for another', async () => {
		const take = keyedWindowLimiter({ limit: 1, windowMs: 100 });
		await take('account A');
		// A's window is full; B's is not.
		expect(await within(take('account B'), 50)).toBeUndefined();
		expect(await within(take('account A'), 50)).toBe('pending');
	});

	it('gives up a wait when the signal aborts', async () => {
		const take = keyedWindowLimiter({ limit: 1, windowMs: 60_000 });
		await take('account');
		const stop = new AbortController();
		const waiting = take('account', stop.signal);
		stop.abort();
		expect(await within(waiting, 50)).toBeUndefined();
	});
});
