export type PresentedSecret =
	{ state: 'present'; value: string } | { state: 'missing' } | { state: 'repeated' };

/**
 * Reads the caller's secret from a header or query value. Node.js joins a
 * repeated custom header into one comma-separated string (which then simply
 * fails to match), while a repeated query parameter arrives as an array: both
 * are refused rather than guessing which copy counts.
 */
export function readPresentedSecret(raw: unknown): PresentedSecret {
	if (Array.isArray(raw))
		return raw.length > 1 ? { state: 'repeated' } : readPresentedSecret(raw[0]);
	if (typeof raw !== 'string' || raw.length === 0) return { state: 'missing' };
	return { state: 'present', value: raw };
}
