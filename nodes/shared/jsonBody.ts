import type { IDataObject } from 'n8n-workflow';

/** A parsed JSON object; n8n's own type for item data, which JSON values always fit. */
export type JsonObject = IDataObject;

/** A plain object as JSON.parse makes it: not an array, null, Buffer or class instance. */
export function isJsonObject(value: unknown): value is JsonObject {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
	const prototype = Object.getPrototypeOf(value);
	return prototype === Object.prototype || prototype === null;
}

const PROTOTYPE_KEY = '__proto__';

function hasPrototypeKey(value: unknown): boolean {
	if (Array.isArray(value)) return value.some(hasPrototypeKey);
	if (typeof value !== 'object' || value === null) return false;
	for (const key of Object.keys(value)) {
		if (key === PROTOTYPE_KEY || hasPrototypeKey((value as JsonObject)[key])) return true;
	}
	return false;
}

function copyWithoutPrototypeKeys(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(copyWithoutPrototypeKeys);
	if (typeof value !== 'object' || value === null) return value;
	const copy: Record<string, unknown> = {};
	for (const key of Object.keys(value)) {
		if (key !== PROTOTYPE_KEY) copy[key] = copyWithoutPrototypeKeys((value as JsonObject)[key]);
	}
	return copy;
}

/**
 * JSON.parse keeps a `"__proto__"` key as an ordinary own property, but code
 * further down a workflow that copies objects by assignment would turn it into
 * a prototype. Such keys are dropped from what the triggers emit; bodies
 * without them (all real ones) are returned as they are, without copying.
 */
export function withoutPrototypeKeys<T>(value: T): T {
	return hasPrototypeKey(value) ? (copyWithoutPrototypeKeys(value) as T) : value;
}
