import { NodeApiError, type IDataObject, type INode, type JsonObject } from 'n8n-workflow';

/**
 * How secrets are kept out of what this package says: errors, items and log
 * lines. A provider may repeat the secret a request carried (an error quoting
 * the token, a proxy page echoing the request's headers), and n8n keeps what a
 * node says for weeks, shows it to every user of the project and ships it to
 * log streaming. So anything a provider or a connection says goes through a
 * redaction made from the request's secrets before it reaches any of them,
 * and is bounded, since a proxy's multi-megabyte page would otherwise be
 * stored with every failed execution.
 */

/** What stands where a secret was. */
export const REDACTED = '[redacted]';

/** How much of a provider's answer is kept, in characters. */
export const MAX_KEPT_TEXT = 2048;

/**
 * Fields and headers that hold a secret whatever their value (a wrong token is
 * still someone's token), compared lower-case without `-`, `_` or spaces.
 */
const SECRET_NAMES = [
	'authorization',
	'proxyauthorization',
	'clientid',
	'xboticordtoken',
	'token',
	'accesstoken',
	'xhookkey',
	'hookkey',
	'apikey',
	'xapikey',
	'cookie',
	'setcookie',
	'secret',
	'password',
];

/** A name as SECRET_NAMES lists it. */
const nameKey = (name: string) => name.toLowerCase().replace(/[-_\s]/g, '');

/** Whether a field or header of this name holds a secret. */
export function isSecretName(name: string): boolean {
	return SECRET_NAMES.includes(nameKey(name));
}

/**
 * "name: value" and "name=value" of a secret name in text (a header list, a
 * query string, JSON that stayed text, a debug page), quoted or not: the
 * value runs to its closing quote, or is one word, after an authorization
 * scheme if there is one (`Bearer …`).
 */
const NAMED_VALUE = new RegExp(
	String.raw`(^|[^a-z0-9])((?:proxy[-_]?)?authorization|client[-_]?id|x[-_]boticord[-_]token|(?:access[-_]?)?token|x[-_]hook[-_]key|hook[-_]?key|(?:x[-_])?api[-_]?key|(?:set[-_])?cookie|secret|password)(["']?[ \t]*[:=][ \t]*)(?:"(?:[^"\\\r\n]|\\.)*"|'[^'\r\n]*'|(?:(?:bearer|basic|bot|token|digest)[ \t]+)?[^\s<>&,;"'()]*)`,
	'gi',
);

/**
 * Base64's characters that depend only on `secret`, for each of the three
 * places it may start within base64's groups of three bytes (as in
 * `Basic base64(user:token)`): the characters shared with what comes
 * before or after are left out.
 */
function base64Cores(secret: Buffer): string[] {
	const cores: string[] = [];
	for (const offset of [0, 1, 2]) {
		const encoded = Buffer.concat([Buffer.alloc(offset), secret]).toString('base64');
		const total = offset + secret.length;
		const whole = Math.floor(total / 3) * 4;
		const end = whole + (total % 3);
		cores.push(encoded.slice([0, 2, 3][offset], end));
	}
	return cores;
}

/** Too short an encoded piece would blank out ordinary text that happens to match it. */
const MIN_ENCODED_LENGTH = 8;

/** The forms a secret may take in what a provider says. */
function formsOf(secret: string): string[] {
	const forms = new Set<string>([secret]);
	const encodedForms = new Set<string>();
	const uri = encodeURIComponent(secret);
	encodedForms.add(uri);
	encodedForms.add(uri.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()));
	encodedForms.add(uri.replace(/%20/g, '+'));
	encodedForms.add(encodeURI(secret));
	encodedForms.add(JSON.stringify(secret).slice(1, -1));
	encodedForms.add(
		secret.replace(
			/[&<>"']/g,
			(character) =>
				({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[character]!,
		),
	);
	for (const core of base64Cores(Buffer.from(secret, 'utf8'))) {
		encodedForms.add(core);
		encodedForms.add(core.replace(/\+/g, '-').replace(/\//g, '_'));
	}
	for (const form of encodedForms) {
		if (form === secret || form.length >= MIN_ENCODED_LENGTH) forms.add(form);
	}
	// The longest first: a form that contains another is blanked whole.
	return [...forms].filter((form) => form !== '').sort((a, b) => b.length - a.length);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The size of a text, as a message says it. */
function size(characters: number): string {
	return characters < 100_000
		? `${characters.toLocaleString('en-US')} characters`
		: `${Math.round(characters / 1024).toLocaleString('en-US')} KB`;
}

export interface Redaction {
	/**
	 * `value` as text with every secret blanked out, at most `max` characters
	 * (saying how long it was when cut); strings and numbers only, anything
	 * else is ''.
	 */
	text(value: unknown, max?: number): string;
	/**
	 * A copy of any JSON value with every secret blanked out of its keys and
	 * values, the value of any secret-named field blanked whatever it is, and
	 * at most about `max` characters of JSON in all: what does not fit is
	 * left out, saying so.
	 */
	json(value: unknown, max?: number): unknown;
}

/** How deep json() goes: deeper values are left out, as are cycles. */
const MAX_DEPTH = 8;

/**
 * The redaction for a request that carried `secrets` (the credential's
 * values: a token, a Client ID): empty and non-string values are ignored.
 */
export function redaction(secrets: readonly unknown[]): Redaction {
	const values = new Set<string>();
	for (const secret of secrets) {
		if (typeof secret !== 'string') continue;
		for (const value of [secret, secret.trim()]) if (value !== '') values.add(value);
	}
	const forms = [...new Set([...values].flatMap(formsOf))].sort((a, b) => b.length - a.length);
	const pattern =
		forms.length === 0 ? undefined : new RegExp(forms.map(escapeRegExp).join('|'), 'g');
	// A secret's form that a cut might split is at most this long.
	const overlap = Math.max(64, ...forms.map((form) => form.length));

	function blank(text: string): string {
		const known = pattern === undefined ? text : text.replace(pattern, REDACTED);
		return known.replace(
			NAMED_VALUE,
			(_match, before: string, name: string, separator: string) =>
				`${before}${name}${separator}${REDACTED}`,
		);
	}

	function text(value: unknown, max = MAX_KEPT_TEXT): string {
		if (typeof value !== 'string' && typeof value !== 'number') return '';
		const whole = String(value);
		if (whole.length <= max) {
			const blanked = blank(whole);
			if (blanked.length <= max) return blanked;
		}
		// Only the start is read, with room for a secret that starts before the cut; a secret
		// that runs past the part read could leave its beginning at the end, which is dropped.
		const read = whole.slice(0, max + overlap);
		let kept = blank(read);
		if (read.length < whole.length) kept = kept.slice(0, Math.max(0, kept.length - overlap));
		return `${kept.slice(0, max)}… (cut: ${size(whole.length)} in all)`;
	}

	function json(value: unknown, max = MAX_KEPT_TEXT): unknown {
		let budget = max;
		const seen = new Set<object>();
		const cut = (what: string) => `… (cut: ${what})`;
		const copy = (item: unknown, depth: number): unknown => {
			if (budget <= 0) return undefined;
			if (item === null || typeof item === 'boolean') {
				budget -= 5;
				return item;
			}
			if (typeof item === 'number') {
				const number = Number.isFinite(item) ? item : null;
				budget -= String(number).length;
				return number;
			}
			if (typeof item === 'string') {
				const kept = text(item, Math.max(16, budget));
				budget -= kept.length + 3;
				return kept;
			}
			if (typeof item !== 'object' || seen.has(item)) return undefined;
			if (depth >= MAX_DEPTH) {
				budget -= 20;
				return cut('nested too deep');
			}
			seen.add(item);
			budget -= 2;
			try {
				if (Array.isArray(item)) {
					const items: unknown[] = [];
					for (const [index, element] of item.entries()) {
						if (budget <= 0) {
							items.push(cut(`${item.length - index} more`));
							break;
						}
						const kept = copy(element, depth + 1);
						items.push(kept === undefined ? null : kept);
					}
					return items;
				}
				const fields: Record<string, unknown> = {};
				const entries = Object.entries(item);
				for (const [index, [key, field]] of entries.entries()) {
					if (budget <= 0) {
						fields['…'] = cut(`${entries.length - index} more fields`);
						break;
					}
					const name = text(key, 200);
					budget -= name.length + 4;
					if (isSecretName(key)) budget -= REDACTED.length + 3;
					const kept = isSecretName(key) ? REDACTED : copy(field, depth + 1);
					if (kept !== undefined) fields[name] = kept;
				}
				return fields;
			} finally {
				seen.delete(item);
			}
		};
		return copy(value, 0) ?? null;
	}

	return { text, json };
}

/** What an error built from a provider's answer says, before redaction. */
export interface ProviderErrorParts {
	message: string;
	description?: string;
	httpCode?: string;
	itemIndex: number;
	/** What is kept of the provider's answer with the error (n8n stores it with the execution). */
	kept?: IDataObject;
}

/**
 * A NodeApiError of which every part went through `redact`: n8n copies the
 * response it is given into the error (its message into `messages`, and a
 * description found in it when none is given) and stores the error with the
 * execution, so it is given only `kept`, redacted and bounded, never the
 * provider's answer itself, nor an error of the transport as its cause.
 */
export function redactedApiError(
	node: INode,
	redact: Redaction,
	{ message, description, httpCode, itemIndex, kept = {} }: ProviderErrorParts,
): NodeApiError {
	return new NodeApiError(node, redact.json(kept) as JsonObject, {
		message: redact.text(message),
		description: description === undefined ? undefined : redact.text(description),
		httpCode,
		itemIndex,
	});
}

/**
 * n8n's own error for a request that got no answer, as a NodeApiError that
 * says the same with nothing raw: n8n's error keeps the transport's error,
 * and with it the request and its headers, as its cause.
 */
export function redactedCopy(
	node: INode,
	redact: Redaction,
	error: unknown,
	itemIndex: number,
): NodeApiError {
	const { message, description, httpCode } = (
		typeof error === 'object' && error !== null ? error : { message: error }
	) as { message?: unknown; description?: unknown; httpCode?: unknown };
	return redactedApiError(node, redact, {
		message: redact.text(message) || 'The request failed',
		description: typeof description === 'string' ? description : undefined,
		httpCode: typeof httpCode === 'string' ? httpCode : undefined,
		itemIndex,
	});
}
