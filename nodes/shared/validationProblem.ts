import type { ZodError, ZodIssue } from 'zod';

/** How many problems one message lists: enough to fix a payload, short enough to read. */
const MAX_LISTED_ISSUES = 3;

function describeIssue(issue: ZodIssue): string {
	const path = issue.path.length > 0 ? issue.path.join('.') : '(body)';
	return `${path}: ${issue.message}`;
}

/** Turns a zod error into one sentence that names each failing field path, e.g. `data.at`. */
export function describeValidationProblem(error: ZodError): string {
	const listed = error.issues.slice(0, MAX_LISTED_ISSUES).map(describeIssue);
	const more = error.issues.length - listed.length;
	return more > 0 ? `${listed.join('; ')}; and ${more} more` : listed.join('; ');
}
