import type { IDataObject } from 'n8n-workflow';

import { RecentDeliveries, deliveryFingerprint } from '../../nodes/shared/recentDeliveries';
import {
	DEFAULT_STORED_DELIVERIES_LIMITS,
	STORED_DELIVERIES_PROPERTY,
	isNewToStoredDeliveries,
	mergeDeliveries,
	readStoredDeliveries,
	storedDeliveriesValue,
} from '../../nodes/shared/storedDeliveries';

const HOUR = 60 * 60 * 1000;
const NOW = Date.UTC(2026, 11, 2, 12);
const print = (n: number) => deliveryFingerprint(`message-${n}`);
const stored = (n: number, at: number) => ({ print: print(n), at });

describe('readStoredDeliveries', () => {
	it('reads back what it wrote, to the second', () => {
		const value = storedDeliveriesValue([stored(1, NOW - HOUR), stored(2, NOW - 1500)]);
		expect(readStoredDeliveries(JSON.parse(JSON.stringify(value)), NOW)).toEqual([
			stored(1, NOW - HOUR),
			stored(2, NOW - 2000),
		]);
	});

	const entry = (n: number, at: number) =>
		print(n) +
		Math.floor(at / 1000)
			.toString(36)
			.padStart(7, '0');

	it.each([
		['missing', undefined],
		['null', null],
		['a string', 'acceptedDeliveries'],
		['a number', 42],
		['a list', [print(1)]],
		['an object of another shape', { ids: [print(1)], at: [NOW / 1000] }],
		['another version', { version: 2, entries: entry(1, NOW) }],
		['entries that are not text', { version: 1, entries: [entry(1, NOW)] }],
		['entries cut short', { version: 1, entries: entry(1, NOW).slice(1) }],
		['entries with other characters', { version: 1, entries: entry(1, NOW).replace(/.$/, '!') }],
	])('reads nothing from a value that is %s', (_label, value) => {
		expect(readStoredDeliveries(value, NOW)).toEqual([]);
	});

	it('skips the entries whose time it cannot use and keeps the rest', () => {
		const entries = [
			entry(1, NOW - 60_000),
			print(2) + '-------', // not a time
			entry(3, NOW + 24 * HOUR), // from a clock far ahead
			entry(4, NOW - 25 * HOUR), // older than a day
			entry(5, NOW - 1000),
		].join('');
		expect(readStoredDeliveries({ version: 1, entries }, NOW)).toEqual([
			stored(1, NOW - 60_000),
			stored(5, NOW - 1000),
		]);
	});

	it('keeps only the newest entries of a value too large, reading no more than it keeps', () => {
		const count = 200_000;
		const entries = Array.from({ length: count }, (_, i) => entry(i, NOW)).join('');
		const read = readStoredDeliveries({ version: 1, entries }, NOW, { maxAgeMs: HOUR, maxIds: 3 });
		expect(read.map((d) => d.print)).toEqual([
			print(count - 3),
			print(count - 2),
			print(count - 1),
		]);
	});

	it('does not take an own __proto__ key for anything', () => {
		const value = JSON.parse(`{"__proto__":{"version":1},"entries":"${entry(1, NOW)}"}`);
		expect(readStoredDeliveries(value, NOW)).toEqual([]);
	});
});

describe('mergeDeliveries', () => {
	it('keeps the newest distinct deliveries of both lists, oldest first', () => {
		const fromDatabase = [stored(1, 10), stored(2, 20), stored(3, 40)];
		const fromMemory = [stored(2, 30), stored(4, 35), stored(5, 50)];
		expect(mergeDeliveries(fromDatabase, fromMemory, 10)).toEqual([
			stored(1, 10),
			stored(2, 30),
			stored(4, 35),
			stored(3, 40),
			stored(5, 50),
		]);
		expect(mergeDeliveries(fromDatabase, fromMemory, 2)).toEqual([stored(3, 40), stored(5, 50)]);
	});
});

describe('isNewToStoredDeliveries', () => {
	function process(now: () => number) {
		return new RecentDeliveries({ ttlMs: 10 * 60_000, maxIds: 10_000 }, now);
	}

	/** Delivers message n as the trigger does: the memory first, then the static data. */
	function accept(nodeData: IDataObject, memory: RecentDeliveries, n: number, now: number) {
		if (memory.seenBefore(print(n))) return false;
		return isNewToStoredDeliveries(nodeData, memory, print(n), now);
	}

	/** Delivers message n at `now` to a process that has just started (nothing in memory). */
	function acceptInNewProcess(nodeData: IDataObject, n: number, now: number) {
		const memory = process(() => now);
		return accept(nodeData, memory, n, now);
	}

	it('answers a delivery the static data holds as not new, whatever this process remembers', () => {
		const nodeData: IDataObject = {};
		expect(acceptInNewProcess(nodeData, 1, NOW)).toBe(true);
		// a restarted process: nothing in memory, the static data as n8n saved it
		const saved = JSON.parse(JSON.stringify(nodeData));
		expect(acceptInNewProcess(saved, 1, NOW + HOUR)).toBe(false);
		expect(acceptInNewProcess(saved, 1, NOW + 25 * HOUR)).toBe(true);
	});

	it('holds only fingerprints and times', () => {
		const nodeData: IDataObject = { other: 'kept' };
		acceptInNewProcess(nodeData, 1, NOW);
		expect(nodeData).toEqual({
			other: 'kept',
			[STORED_DELIVERIES_PROPERTY]: {
				version: 1,
				entries: print(1) + (NOW / 1000).toString(36).padStart(7, '0'),
			},
		});
		expect(JSON.stringify(nodeData)).not.toContain('message-1');
	});

	it.each([
		['corrupted', '{"version":1,"ids":'],
		['from elsewhere', { version: 1, ids: ['not-a-fingerprint'], at: ['yesterday'] }],
		['oversized', { version: 1, entries: `${print(2)}0000000`.repeat(300_000) }],
	])('replaces a %s value by one it can read', (_label, value) => {
		const nodeData: IDataObject = { [STORED_DELIVERIES_PROPERTY]: value as IDataObject };
		expect(acceptInNewProcess(nodeData, 1, NOW)).toBe(true);
		expect(readStoredDeliveries(nodeData[STORED_DELIVERIES_PROPERTY], NOW)).toEqual([
			stored(1, NOW),
		]);
	});

	it('writes what this process accepted too, so that crossed writes lose nothing it knows', () => {
		const memory = process(() => NOW);
		// two deliveries read the same saved value; the second one's write is saved last
		const loadedFirst: IDataObject = {};
		const loadedSecond: IDataObject = {};
		accept(loadedFirst, memory, 1, NOW);
		accept(loadedSecond, memory, 2, NOW);
		const saved = readStoredDeliveries(loadedSecond[STORED_DELIVERIES_PROPERTY], NOW);
		expect(saved.map((d) => d.print)).toEqual([print(1), print(2)]);
	});

	it('stays under 30 KB (1,000 entries) however many deliveries, and keeps the newest', () => {
		let now = NOW;
		const memory = process(() => now);
		let nodeData: IDataObject = {};
		for (let n = 0; n < 5_000; n++) {
			now += 1000;
			expect(accept(nodeData, memory, n, now)).toBe(true);
			// n8n reads the saved JSON again for the next request
			if (n % 997 === 0) nodeData = JSON.parse(JSON.stringify(nodeData));
		}
		const value = nodeData[STORED_DELIVERIES_PROPERTY] as { entries: string };
		expect(value.entries).toHaveLength(DEFAULT_STORED_DELIVERIES_LIMITS.maxIds * 29);
		expect(JSON.stringify(nodeData).length).toBeLessThan(30 * 1024);
		const restarted = process(() => now);
		expect(accept(JSON.parse(JSON.stringify(nodeData)), restarted, 4_999, now)).toBe(false);
		expect(accept(JSON.parse(JSON.stringify(nodeData)), restarted, 4_000, now)).toBe(false);
		expect(accept(JSON.parse(JSON.stringify(nodeData)), restarted, 3_999, now)).toBe(true);
	});
});
