import type { IDataObject } from 'n8n-workflow';

/** A parsed JSON object; n8n's own type for item data, which JSON values always fit. */
export type JsonObject = IDataObject;

/** A plain object as JSON.parse makes it: not an array, null, Buffer or class instance. */
export function isJsonObject(value: unknown): value is JsonObject {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
	// Object.prototype of any realm: a parser running in another context (a vm,
	// a worker's structured clone) makes plain objects with its own prototype.
	const prototype = Object.getPrototypeOf(value);
	return prototype === null || Object.getPrototypeOf(prototype) === null;
}

const PROTOTYPE_KEY = '__proto__';

type Container = Record<string, unknown> | unknown[];

function isContainer(value: unknown): value is Container {
	return typeof value === 'object' && value !== null;
}

/** Far deeper than any real event; deeper bodies cannot be stored by n8n (JSON.stringify recurses). */
export const MAX_JSON_DEPTH = 64;

export interface JsonShape {
	tooDeep: boolean;
	hasPrototypeKey: boolean;
}

// The walks use an explicit stack: a body nested a hundred thousand levels
// deep is small enough to arrive, and must not overflow the call stack.

/** One walk over a parsed body for what makes it unsafe to emit as it is. */
export function inspectJson(root: unknown): JsonShape {
	const shape: JsonShape = { tooDeep: false, hasPrototypeKey: false };
	const pending: Array<[unknown, number]> = [[root, 0]];
	while (pending.length > 0) {
		const [value, depth] = pending.pop() as [unknown, number];
		if (!isContainer(value)) continue;
		if (depth >= MAX_JSON_DEPTH) {
			shape.tooDeep = true;
			return shape;
		}
		for (const key of Object.keys(value)) {
			if (key === PROTOTYPE_KEY) shape.hasPrototypeKey = true;
			pending.push([(value as Record<string, unknown>)[key], depth + 1]);
		}
	}
	return shape;
}
function emptyLike(value: Container): Container {
	return Array.isArray(value) ? [] : {};
}

function copyContainerWithoutPrototypeKeys(root: Container): Container {
	const rootCopy = emptyLike(root);
	const pending: Array<[Container, Container]> = [[root, rootCopy]];
	while (pending.length > 0) {
		const [source, target] = pending.pop() as [Record<string, unknown>, Record<string, unknown>];
		for (const key of Object.keys(source)) {
			if (key === PROTOTYPE_KEY) continue;
			const value = source[key];
			if (isContainer(value)) {
				const copy = emptyLike(value);
				target[key] = copy;
				pending.push([value, copy]);
			} else {
				target[key] = value;
			}
		}
	}
	return rootCopy;
}

/**
 * JSON.parse keeps a `"__proto__"` key as an ordinary own property, but code
 * further down a workflow that copies objects by assignment would turn it into
 * a prototype, so such keys are left out of a copy.
 */
export function copyWithoutPrototypeKeys<T extends JsonObject>(root: T): T {
	return copyContainerWithoutPrototypeKeys(root) as T;
}
