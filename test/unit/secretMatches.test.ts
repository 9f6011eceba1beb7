import * as crypto from 'crypto';

import { digestsMatch, secretDigest } from '../../nodes/shared/secretMatches';

const secretMatches = (presented: string, expected: string) =>
	digestsMatch(secretDigest(presented), secretDigest(expected));

jest.mock('crypto', () => {
	const actual = jest.requireActual<typeof import('crypto')>('crypto');
	return { ...actual, timingSafeEqual: jest.fn(actual.timingSafeEqual) };
});

const timingSafeEqual = crypto.timingSafeEqual as jest.MockedFunction<
	typeof crypto.timingSafeEqual
>;

describe('comparing secrets by their digests', () => {
	beforeEach(() => timingSafeEqual.mockClear());

	it('matches only the identical secret', () => {
		expect(secretMatches('s3cret', 's3cret')).toBe(true);
		expect(secretMatches('s3cret', 'S3cret')).toBe(false);
		expect(secretMatches('s3cret', 's3cret ')).toBe(false);
		expect(secretMatches('', 's3cret')).toBe(false);
		expect(secretMatches('ключ', 'ключ')).toBe(true);
	});

	it.each([
		['shorter', 'a'],
		['longer', 'a'.repeat(10_000)],
		['same length', 'x'.repeat(6)],
	])(
		'compares a %s secret with crypto.timingSafeEqual on equal-length digests',
		(_label, presented) => {
			expect(secretMatches(presented, 's3cret')).toBe(false);
			expect(timingSafeEqual).toHaveBeenCalledTimes(1);
			const [a, b] = timingSafeEqual.mock.calls[0] as [Buffer, Buffer];
			expect(a.length).toBe(32);
			expect(b.length).toBe(32);
		},
	);
});
