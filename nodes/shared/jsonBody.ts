import type { IDataObject } from 'n8n-workflow';
import { z, type ZodError, type ZodIssue } from 'zod';

/** A parsed JSON object; n8n's own type for item data, which JSON values always fit. */
export type JsonObject = IDataObject;

/** Either a value or a problem described for the person who sent the request. */
export type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };

/** A plain object as JSON.parse makes it: not an array, null, Buffer or class instance. */
export function isJsonObject(value: unknown): value is JsonObject {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
	// Object.prototype of any realm: a parser running in another context (a vm,
	// a worker's structured clone) makes plain objects with its own prototype.
	const prototype = Object.getPrototypeOf(value);
	return prototype === null || Object.getPrototypeOf(prototype) === null;
}

/** Far deeper than any real event; deeper bodies cannot be stored by n8n (JSON.stringify recurses). */
export const MAX_JSON_DEPTH = 64;

/**
 * Fields a copy leaves out: `true` drops the field, a nested tree drops fields
 * inside it (where the value there is an object).
 */
export interface LeftOut {
	readonly [key: string]: true | LeftOut;
}

const PROTOTYPE_KEY = '__proto__';

type Container = Record<string, unknown> | unknown[];

function isContainer(value: unknown): value is Container {
	return typeof value === 'object' && value !== null;
}

function emptyLike(value: Container): Container {
	return Array.isArray(value) ? [] : {};
}

/**
 * The body as it may be emitted, in one walk: a private copy without
 * `__proto__` keys (JSON.parse keeps them as ordinary properties, but code
 * further down a workflow that copies objects by assignment would turn them
 * into prototypes) and without the fields `leftOut` names, or a problem when
 * it is nested deeper than n8n can store.
 *
 * The walk uses an explicit stack: a body nested a hundred thousand levels
 * deep is small enough to arrive, and must not overflow the call stack.
 */
export function copyForItem(root: JsonObject, leftOut: LeftOut): Checked<JsonObject> {
	const rootCopy: JsonObject = {};
	const pending: Array<[Container, Container, number, LeftOut | undefined]> = [
		[root, rootCopy, 1, leftOut],
	];
	while (pending.length > 0) {
		const [source, target, depth, skip] = pending.pop() as (typeof pending)[number];
		for (const key of Object.keys(source)) {
			if (key === PROTOTYPE_KEY) continue;
			const rule = skip?.[key];
			if (rule === true) continue;
			const value = (source as Record<string, unknown>)[key];
			if (isContainer(value)) {
				if (depth >= MAX_JSON_DEPTH) {
					return { ok: false, problem: `nested more than ${MAX_JSON_DEPTH} levels deep` };
				}
				const copy = emptyLike(value);
				(target as Record<string, unknown>)[key] = copy;
				pending.push([value, copy, depth + 1, Array.isArray(value) ? undefined : rule]);
			} else {
				(target as Record<string, unknown>)[key] = value;
			}
		}
	}
	return { ok: true, value: rootCopy };
}

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

/** Whether a value is a time `toIsoString` accepts, for fields read without a schema. */
export function isEpochMilliseconds(value: unknown): value is number {
	return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= MAX_DATE_MS;
}

/** A required, non-empty string field, with messages that say what was expected. */
export function requiredString(what: string) {
	return z
		.string({
			required_error: `is required (${what})`,
			invalid_type_error: `must be a string (${what})`,
		})
		.min(1, 'must not be empty');
}

/** How much of a caller's value a message quotes: enough to recognise it, never the whole of a huge one. */
const MAX_QUOTED_CHARACTERS = 64;

/** A caller's text for a message: whole when short, else its start and its length. */
export function quoted(text: string): string {
	if (text.length <= MAX_QUOTED_CHARACTERS) return `"${text}"`;
	return `"${text.slice(0, MAX_QUOTED_CHARACTERS)}…" (${text.length} characters)`;
}

/** How many problems one message lists: enough to fix a payload, short enough to read. */
const MAX_LISTED_ISSUES = 3;

/** Longer issue messages quote a caller's value (zod does for enums and literals). */
const MAX_ISSUE_MESSAGE = 200;

function describeIssue(issue: ZodIssue): string {
	const path = issue.path.length > 0 ? issue.path.join('.') : '(body)';
	const message =
		issue.message.length > MAX_ISSUE_MESSAGE
			? `${issue.message.slice(0, MAX_ISSUE_MESSAGE)}… (${issue.message.length} characters)`
			: issue.message;
	return `${path}: ${message}`;
}

/** Turns a zod error into one sentence that names each failing field path, e.g. `data.at`. */
export function describeValidationProblem(error: ZodError): string {
	const listed = error.issues.slice(0, MAX_LISTED_ISSUES).map(describeIssue);
	const more = error.issues.length - listed.length;
	return more > 0 ? `${listed.join('; ')}; and ${more} more` : listed.join('; ');
}

/** Checks a value against a schema, the problem described as `describeValidationProblem` does. */
export function check<Schema extends z.ZodTypeAny>(
	schema: Schema,
	value: unknown,
): Checked<z.infer<Schema>> {
	const parsed = schema.safeParse(value);
	return parsed.success
		? { ok: true, value: parsed.data }
		: { ok: false, problem: describeValidationProblem(parsed.error) };
}
