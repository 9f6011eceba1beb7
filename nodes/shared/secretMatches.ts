import * as crypto from 'crypto';

/** The fixed-length fingerprint secrets are compared by. */
export function secretDigest(value: string): Buffer {
	// crypto.hash (Node.js 20.12+) is a one-shot hash several times cheaper than
	// a Hash object, and this runs on every delivery.
	return typeof crypto.hash === 'function'
		? crypto.hash('sha256', value, 'buffer')
		: crypto.createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Compares a caller's secret with a configured one, both given as digests, in
 * constant time. Comparing digests takes the same time whatever the secrets'
 * lengths are: timingSafeEqual alone would throw on (and so reveal) a length mismatch.
 */
export function digestsMatch(presentedDigest: Buffer, expectedDigest: Buffer): boolean {
	return crypto.timingSafeEqual(presentedDigest, expectedDigest);
}
