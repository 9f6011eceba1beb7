import fc from 'fast-check';
import * as v8 from 'v8';
import * as vm from 'vm';

import { RecentDeliveries, deliveryFingerprint } from '../../nodes/shared/recentDeliveries';

/** The rule, stated plainly: remembered while younger than ttl, and among the newest maxIds. */
class NaiveRecentDeliveries {
	private accepted: Array<{ id: string; at: number }> = [];

	constructor(
		private readonly ttlMs: number,
		private readonly maxIds: number,
	) {}

	seenBefore(id: string, now: number): boolean {
		this.accepted = this.accepted.filter((entry) => now - entry.at < this.ttlMs);
		if (this.accepted.some((entry) => entry.id === id)) return true;
		this.accepted.push({ id, at: now });
		this.accepted = this.accepted.slice(-this.maxIds);
		return false;
	}
}

describe('RecentDeliveries', () => {
	it('remembers an id for the whole window and forgets it after', () => {
		let now = 0;
		const recent = new RecentDeliveries({ ttlMs: 600_000, maxIds: 10 }, () => now);
		expect(recent.seenBefore('a')).toBe(false);
		now = 599_999;
		expect(recent.seenBefore('a')).toBe(true);
		now = 600_000;
		expect(recent.seenBefore('a')).toBe(false);
	});

	it('forgets ids one by one as the window of each ends', () => {
		let now = 0;
		const recent = new RecentDeliveries({ ttlMs: 100, maxIds: 10 }, () => now);
		recent.seenBefore('first');
		now = 50;
		recent.seenBefore('second');
		now = 100;
		expect(recent.seenBefore('second')).toBe(true);
		expect(recent.size).toBe(1);
		now = 149;
		expect(recent.seenBefore('second')).toBe(true);
		now = 150;
		expect(recent.seenBefore('second')).toBe(false);
		expect(recent.seenBefore('first')).toBe(false);
		expect(recent.size).toBe(2);
	});

	it('keeps at most maxIds ids, forgetting the oldest first', () => {
		const recent = new RecentDeliveries({ ttlMs: 600_000, maxIds: 10_000 }, () => 0);
		for (let i = 0; i < 10_001; i++) expect(recent.seenBefore(`id-${i}`)).toBe(false);
		expect(recent.size).toBe(10_000);
		expect(recent.seenBefore('id-10000')).toBe(true);
		expect(recent.seenBefore('id-1')).toBe(true);
		expect(recent.seenBefore('id-0')).toBe(false);
	});

	it('holds ids in a bounded number of bytes, whatever their length', () => {
		v8.setFlagsFromString('--expose-gc');
		const gc = vm.runInNewContext('gc') as () => void;
		const recent = new RecentDeliveries({ ttlMs: 600_000, maxIds: 10_000 }, () => 0);
		const megabyte = 'i'.repeat(1024 * 1024);
		gc();
		const before = process.memoryUsage().heapUsed;
		for (let i = 0; i < 100; i++) recent.seenBefore(deliveryFingerprint(`${i}:${megabyte}`));
		gc();
		const grown = process.memoryUsage().heapUsed - before;
		expect(recent.size).toBe(100);
		// Keeping the ids themselves would hold 100 MB.
		expect(grown).toBeLessThan(5 * 1024 * 1024);
		expect(recent.seenBefore(deliveryFingerprint(`42:${megabyte}`))).toBe(true);
	});

	it('fingerprints any id in 22 URL-safe characters, the same for the same id', () => {
		const long = deliveryFingerprint('m'.repeat(1024 * 1024));
		expect(long).toMatch(/^[A-Za-z0-9_-]{22}$/);
		expect(deliveryFingerprint('20612112-0305-46a9-a67a-e3ffc5bb7a18')).toBe(
			deliveryFingerprint('20612112-0305-46a9-a67a-e3ffc5bb7a18'),
		);
		expect(deliveryFingerprint('a')).not.toBe(deliveryFingerprint('b'));
	});

	it('lists the newest deliveries not yet expired, oldest first, with when each was accepted', () => {
		let now = 1_000;
		const recent = new RecentDeliveries({ ttlMs: 100, maxIds: 10 }, () => now);
		recent.seenBefore('a');
		now = 1_050;
		recent.seenBefore('b');
		recent.seenBefore('c');
		expect(recent.newest(10)).toEqual([
			{ print: 'a', at: 1_000 },
			{ print: 'b', at: 1_050 },
			{ print: 'c', at: 1_050 },
		]);
		expect(recent.newest(2).map(({ print }) => print)).toEqual(['b', 'c']);
		now = 1_100;
		expect(recent.newest(10).map(({ print }) => print)).toEqual(['b', 'c']);
	});

	it('by default remembers 10,000 ids for 10 minutes', () => {
		let now = 0;
		const recent = new RecentDeliveries(undefined, () => now);
		for (let i = 0; i < 10_000; i++) recent.seenBefore(`id-${i}`);
		now = 9 * 60_000;
		expect(recent.seenBefore('id-0')).toBe(true);
		expect(recent.size).toBe(10_000);
		now = 10 * 60_000 + 1;
		expect(recent.seenBefore('id-0')).toBe(false);
		expect(recent.size).toBe(1);
	});

	it('answers like the plain rule for any sequence of deliveries, across many trims of its queue', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 1, max: 200 }),
				fc.integer({ min: 1, max: 300 }),
				fc.array(
					fc.tuple(
						fc.integer({ min: 0, max: 20 }),
						// mostly new ids, so the queue is trimmed thousands of times
						fc.oneof(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 1e6 })),
					),
					{
						// long enough that the queue drops its forgotten front several times
						minLength: 2000,
						maxLength: 6000,
						size: 'max',
					},
				),
				(ttlMs, maxIds, deliveries) => {
					let now = 0;
					const recent = new RecentDeliveries({ ttlMs, maxIds }, () => now);
					const naive = new NaiveRecentDeliveries(ttlMs, maxIds);
					return deliveries.every(([elapsed, id]) => {
						now += elapsed;
						return recent.seenBefore(`id-${id}`) === naive.seenBefore(`id-${id}`, now);
					});
				},
			),
			{ numRuns: 50, endOnFailure: true },
		);
	});
});
