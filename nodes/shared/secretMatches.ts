import { createHash, timingSafeEqual } from 'crypto';

function digest(value: string): Buffer {
	return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Compares a caller's secret with the configured one in constant time.
 * Both sides are hashed first so that the comparison takes the same time
 * whatever the lengths are: timingSafeEqual alone would throw on (and so
 * reveal) a length mismatch.
 */
export function secretMatches(presented: string, expected: string): boolean {
	return timingSafeEqual(digest(presented), digest(expected));
}
