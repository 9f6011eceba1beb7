import { z } from 'zod';

/** The largest time a JavaScript Date can hold (±100,000,000 days around 1970). */
const MAX_DATE_MS = 8.64e15;

/**
 * A Unix time in milliseconds that can be turned into an ISO 8601 string.
 * Absurd values (1e308, negative infinity) are a validation error, never a crash
 * in `toISOString()`.
 */
export const epochMilliseconds = z
	.number({
		required_error: 'is required (Unix time in milliseconds)',
		invalid_type_error: 'must be a number (Unix time in milliseconds)',
	})
	.finite('must be a finite number (Unix time in milliseconds)')
	.min(0, 'must not be before 1970 (Unix time in milliseconds)')
	.max(MAX_DATE_MS, 'is too large to be a date (Unix time in milliseconds)');

export function toIsoString(epochMs: number): string {
	return new Date(epochMs).toISOString();
}
