import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import { DISCORD_ID_EXAMPLE, isDiscordId } from './discordId';
import { quoted } from './jsonBody';

/**
 * Checks of what a user, an expression or an AI agent put into an action
 * node's fields, before any request goes out: a value that does not fit is
 * refused with a message naming the field and the value (its start, when
 * long), so that nothing unchecked reaches a provider's API.
 */

/** A value as a message shows it: text quoted and truncated, anything else by its JSON form. */
function shown(value: unknown): string {
	if (typeof value === 'string') return quoted(value);
	if (value === undefined) return 'nothing';
	if (typeof value === 'number' || typeof value === 'boolean' || value === null) {
		return String(value);
	}
	let json: string | undefined;
	try {
		json = JSON.stringify(value);
	} catch {
		json = undefined;
	}
	return json === undefined ? `a ${typeof value}` : quoted(json);
}

/** The error for a field whose value does not fit: which field, what it holds, what it must hold. */
export function refusedInput(
	context: IExecuteFunctions,
	itemIndex: number,
	field: string,
	value: unknown,
	expected: string,
): NodeOperationError {
	return new NodeOperationError(
		context.getNode(),
		`${field} must be ${expected}, not ${shown(value)}.`,
		{ itemIndex, description: `Check the ${field} field, or the expression that fills it.` },
	);
}

/**
 * A field's value as text, as expressions give it: strings with the spaces
 * around them trimmed, and safe integers as their digits.
 */
export function inputText(value: unknown): string | undefined {
	if (typeof value === 'string') return value.trim();
	if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
	return undefined;
}

function boundsOf(min: number, max: number): string {
	const low = min > Number.MIN_SAFE_INTEGER;
	const high = max < Number.MAX_SAFE_INTEGER;
	if (low && high) return ` from ${min} to ${max}`;
	if (low) return `, ${min} or more`;
	return high ? `, ${max} or less` : '';
}

/**
 * A whole number within bounds, from a number or a numeric string (what
 * expressions give); anything else, fractions and numbers beyond what a
 * JavaScript number holds exactly included, is refused.
 */
export function integerInput(
	context: IExecuteFunctions,
	itemIndex: number,
	field: string,
	value: unknown,
	{ min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = {},
): number {
	const text = inputText(value);
	const number = text !== undefined && /^[-+]?\d+$/.test(text) ? Number(text) : Number.NaN;
	if (!Number.isSafeInteger(number) || number < min || number > max) {
		throw refusedInput(context, itemIndex, field, value, `a whole number${boundsOf(min, max)}`);
	}
	return number;
}

/**
 * A Discord id, from text (spaces around it trimmed) or a number an
 * expression gave. A number beyond 2^53 has already lost its last digits, so
 * it is refused with a word on giving the id as text.
 */
export function discordIdInput(
	context: IExecuteFunctions,
	itemIndex: number,
	field: string,
	value: unknown,
): string {
	const text = inputText(value);
	if (text !== undefined && isDiscordId(text)) return text;
	throw refusedInput(
		context,
		itemIndex,
		field,
		value,
		typeof value === 'number' && Number.isInteger(value) && value > 0
			? 'a Discord ID given as text (a number beyond 2^53 has lost its last digits)'
			: `a Discord ID (its digits, e.g. ${DISCORD_ID_EXAMPLE})`,
	);
}

/** Whether a field was left empty: nothing, null, or text that is only spaces. */
function isBlank(value: unknown): boolean {
	return value === undefined || value === null || inputText(value) === '';
}

/** Nothing for a field left empty (see isBlank), otherwise what `check` makes of its value. */
export function unlessBlank<T>(value: unknown, check: (value: unknown) => T): T | undefined {
	return isBlank(value) ? undefined : check(value);
}

/**
 * Text of 1 to `maxLength` characters, spaces around it trimmed, from a
 * string or a safe integer (what expressions give): anything else, a number
 * too large to be exact among them, is refused.
 */
export function textInput(
	context: IExecuteFunctions,
	itemIndex: number,
	field: string,
	value: unknown,
	{ maxLength }: { maxLength: number },
): string {
	const text = inputText(value);
	if (text === undefined || text.length === 0 || text.length > maxLength) {
		throw refusedInput(context, itemIndex, field, value, `text of 1 to ${maxLength} characters`);
	}
	return text;
}

/** The longest address SMTP carries (RFC 5321's path limit, less its angle brackets). */
const MAX_EMAIL_LENGTH = 254;

/**
 * An email address as people write one: something, one @, and a domain with
 * a dot, without spaces; not a full RFC 5322 parse, which would accept
 * addresses no provider delivers to.
 */
export function emailInput(
	context: IExecuteFunctions,
	itemIndex: number,
	field: string,
	value: unknown,
): string {
	const text = inputText(value);
	if (
		text === undefined ||
		text.length > MAX_EMAIL_LENGTH ||
		!/^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(text)
	) {
		throw refusedInput(
			context,
			itemIndex,
			field,
			value,
			`an email address such as name@example.com, at most ${MAX_EMAIL_LENGTH} characters`,
		);
	}
	return text;
}

/**
 * Whole numbers within bounds, from a list (of numbers or numeric strings)
 * or from text that separates them with commas, as people type lists of ids.
 */
export function integerListInput(
	context: IExecuteFunctions,
	itemIndex: number,
	field: string,
	value: unknown,
	bounds: { min?: number; max?: number } = {},
): number[] {
	const entries = Array.isArray(value)
		? value
		: (inputText(value)
				?.split(',')
				.map((entry) => entry.trim())
				.filter((entry) => entry !== '') ?? [value]);
	try {
		return entries.map((entry) => integerInput(context, itemIndex, field, entry, bounds));
	} catch {
		// The whole value, not the one entry, is what the user sees in the field.
		throw refusedInput(
			context,
			itemIndex,
			field,
			value,
			`whole numbers${boundsOf(bounds.min ?? Number.MIN_SAFE_INTEGER, bounds.max ?? Number.MAX_SAFE_INTEGER)}, separated by commas`,
		);
	}
}
