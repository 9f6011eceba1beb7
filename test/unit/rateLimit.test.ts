import {
	keyedWindowLimiter,
	MAX_TIMER_MS,
	pause,
	retryAfterMs,
	takeWithin,
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

	it('lets no one start before a hold ends, and never shortens a hold', async () => {
		const take = windowLimiter({ limit: 10, windowMs: 100 });
		const started = Date.now();
		take.holdUntil(started + 300);
		take.holdUntil(started + 100);
		expect(take.heldUntil()).toBe(started + 300);
		expect(take.idle()).toBe(false);
		await take();
		expect(Date.now()).toBeGreaterThanOrEqual(started + 300);
		// Once it has passed, starts go at once again.
		expect(await within(take(), 50)).toBeUndefined();
	});

	it('ends a wait for a hold at once when the signal aborts', async () => {
		const take = windowLimiter({ limit: 1, windowMs: 100 });
		take.holdUntil(Date.now() + 60_000);
		const stop = new AbortController();
		const waiting = take(stop.signal);
		expect(await within(waiting, 50)).toBe('pending');
		stop.abort();
		expect(await within(waiting, 50)).toBeUndefined();
	});
});

describe('takeWithin', () => {
	it('takes a free start at once', async () => {
		const take = windowLimiter({ limit: 1, windowMs: 60_000 });
		expect(await within(takeWithin(take, 1_000), 50)).toBe('taken');
		expect(take.idle()).toBe(false);
	});

	it('gives up after the time given, leaving the line without counting a start', async () => {
		const take = windowLimiter({ limit: 1, windowMs: 200 });
		await take();
		const started = Date.now();
		expect(await takeWithin(take, 100)).toBe('late');
		const late = Date.now() - started;
		expect(late).toBeGreaterThanOrEqual(95);
		expect(late).toBeLessThan(100 + 150);
		// The late caller took nothing: the next start is the one after the first, not after two.
		await take();
		expect(Date.now() - started).toBeLessThan(200 + MARGIN_MS + 150);
		expect(await within(takeWithin(take, 50), 100)).toBe('late');
	});

	it('ends at once when the signal aborts, and does not wait when it already has', async () => {
		const take = windowLimiter({ limit: 1, windowMs: 60_000 });
		await take();
		const stop = new AbortController();
		const waiting = takeWithin(take, 30_000, stop.signal);
		expect(await within(waiting, 50)).toBe('pending');
		stop.abort();
		expect(await within(waiting, 50)).toBe('cancelled');
		expect(await within(takeWithin(take, 30_000, stop.signal), 20)).toBe('cancelled');
		const free = windowLimiter({ limit: 1, windowMs: 60_000 });
		expect(await takeWithin(free, 30_000, stop.signal)).toBe('cancelled');
		expect(free.idle()).toBe(true);
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

	it('holds one key without holding another', async () => {
		const take = keyedWindowLimiter({ limit: 5, windowMs: 100 });
		const until = Date.now() + 60_000;
		take.holdUntil('account A', until);
		expect(take.heldUntil('account A')).toBe(until);
		expect(take.heldUntil('account B')).toBe(0);
		expect(await within(take('account B'), 50)).toBeUndefined();
		const stop = new AbortController();
		expect(await within(take('account A', stop.signal), 50)).toBe('pending');
		stop.abort();
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

describe('retryAfterMs', () => {
	const now = Date.parse('2026-12-01T18:00:00Z');

	it.each([
		['30', 30_000],
		[' 2 ', 2_000],
		['0', 0],
		['1.5', 1_500],
		['86400', 86_400_000],
		// Beyond a timer's limit: the caller decides, it is not cut down here.
		['3000000', 3_000_000_000],
		[['5'], 5_000],
	])('reads %p seconds as %p ms', (header, ms) => {
		expect(retryAfterMs(header, now)).toBe(ms);
	});

	it.each([
		['Tue, 01 Dec 2026 18:00:30 GMT', 30_000],
		['Tuesday, 01-Dec-26 18:00:30 GMT', 30_000],
		['Tue Dec  1 18:00:30 2026', 30_000],
		['Wed, 02 Dec 2026 18:00:00 GMT', 86_400_000],
		// A time that has passed asks for no wait.
		['Tue, 01 Dec 2026 17:59:00 GMT', 0],
	])('reads the HTTP-date %p as %p ms from now', (header, ms) => {
		expect(retryAfterMs(header, now)).toBe(ms);
	});

	it.each([
		undefined,
		null,
		'',
		'soon',
		'-5',
		'1e3',
		'0x10',
		'x 2026',
		'Tue, 01 Dec 2026 18:00:30 GMT and more',
		'Tue, 41 Dec 2026 18:00:30 GMT',
		30,
		[],
	])('finds no wait in %p', (header) => {
		expect(retryAfterMs(header, now)).toBeUndefined();
	});
});
