import { NodeApiError } from 'n8n-workflow';

import {
	MAX_KEPT_TEXT,
	REDACTED,
	isSecretName,
	redactedApiError,
	redactedCopy,
	redaction,
} from '../../nodes/shared/redaction';

const TOKEN = 'tok/en+Secret=9Kd2Lq7Wx4?&é';
const CLIENT_ID = 'k3x9q-7hw2m-p4t8z-r1v6c';
const node = { name: 'Boticord', type: 'n8n-nodes-boticord-botisimo.boticord' } as never;

const redact = redaction([TOKEN, CLIENT_ID]);

/** No form of either secret: raw, URL-encoded, base64 at any alignment. */
function expectClean(text: string) {
	expect(text).not.toContain(TOKEN);
	expect(text).not.toContain(CLIENT_ID);
	expect(text).not.toContain(encodeURIComponent(TOKEN));
	expect(text).not.toContain(Buffer.from(TOKEN).toString('base64').slice(0, 20));
}

describe('redaction of text', () => {
	it.each([
		['as it is', (secret: string) => `Invalid token ${secret}!`],
		['URL-encoded', (secret: string) => `GET /v3/bots?key=${encodeURIComponent(secret)} 401`],
		[
			'URL-encoded in lower case',
			(secret: string) =>
				`?x=${encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase())}`,
		],
		['form-encoded', (secret: string) => `body: a=1&b=${encodeURIComponent(` ${secret}`)}`],
		['in base64', (secret: string) => `seen ${Buffer.from(secret).toString('base64')} here`],
		[
			'in base64 after a user name (Basic)',
			(secret: string) => `Basic ${Buffer.from(`user:${secret}`).toString('base64')}`,
		],
		['in base64 after one byte', (secret: string) => Buffer.from(`u${secret}`).toString('base64')],
		[
			'in base64 after two bytes',
			(secret: string) => Buffer.from(`us${secret}tail`).toString('base64'),
		],
		['in URL-safe base64', (secret: string) => Buffer.from(`:${secret}`).toString('base64url')],
		['escaped for JSON', (secret: string) => JSON.stringify({ said: `"${secret}"` })],
		['escaped for HTML', (secret: string) => `<p>${secret.replace(/&/g, '&amp;')}</p>`],
		['twice, back to back', (secret: string) => `${secret}${secret}`],
	])('blanks a secret %s out', (_how, form) => {
		for (const secret of [TOKEN, CLIENT_ID]) {
			const said = form(secret);
			const kept = redact.text(said);
			expect(kept).toContain(REDACTED);
			expect(kept).not.toContain(secret);
			// What carried the secret is gone as well, in any of its encodings.
			expect(kept).not.toContain(said.length > 12 ? said : '\u0000');
			const encodedCore = Buffer.from(secret).toString('base64').slice(4, 16);
			expect(kept).not.toContain(encodedCore);
		}
	});

	it('keeps what is not a secret as it is', () => {
		const said = 'Unknown bot (UnknownBot, code 19): check the bot ID 724663360934772797.';
		expect(redact.text(said)).toBe(said);
		expect(redact.text(42)).toBe('42');
		expect(redact.text({ message: TOKEN })).toBe('');
		expect(redact.text(undefined)).toBe('');
	});

	it.each([
		[
			'Authorization: Bearer some-other-token\r\nAccept: */*',
			'Authorization: [redacted]\r\nAccept: */*',
		],
		['<li>client-id: another-client</li>', '<li>client-id: [redacted]</li>'],
		['X-Boticord-Token=abc&page=2', 'X-Boticord-Token=[redacted]&page=2'],
		['{"token": "not-the-credential\'s"}', '{"token": [redacted]}'],
		["Invalid token: 'wrong'", 'Invalid token: [redacted]'],
		['Invalid token: wrong (request 42)', 'Invalid token: [redacted] (request 42)'],
		['the token is missing', 'the token is missing'],
	])('blanks any value of a secret header or field in text: %j', (said, kept) => {
		expect(redaction([]).text(said)).toBe(kept);
	});

	it(`keeps at most ${MAX_KEPT_TEXT} characters of a long text, and says it was cut`, () => {
		const page = `<html>${'<p>proxy error</p>'.repeat(300_000)}</html>`;
		const started = Date.now();
		const kept = redact.text(page);
		expect(Date.now() - started).toBeLessThan(200);
		expect(kept.startsWith('<html><p>proxy error</p>')).toBe(true);
		expect(kept).toMatch(/… \(cut: 5,273 KB in all\)$/);
		expect(kept.length).toBeLessThan(MAX_KEPT_TEXT + 40);
	});

	it('leaves no piece of a secret that a cut would split', () => {
		// A secret at every place around the cut: none of it may be kept, whole or in part.
		for (let at = MAX_KEPT_TEXT - TOKEN.length; at <= MAX_KEPT_TEXT + 70; at++) {
			const said = `${'a'.repeat(at)}${TOKEN}${'b'.repeat(10_000)}`;
			const kept = redact.text(said);
			expect(kept).not.toContain(TOKEN.slice(0, 6));
		}
		// Secrets that shrink what is read leave no tail of one unread either.
		const many = `${`${TOKEN} `.repeat(200)}${'c'.repeat(5_000)}`;
		expect(redact.text(many)).not.toMatch(/tok\/|9Kd2/);
	});

	it('ignores empty secrets and values that are not text', () => {
		const none = redaction(['', undefined, 42, null, '   ']);
		expect(none.text('a b c')).toBe('a b c');
	});
});

describe('redaction of JSON', () => {
	it('blanks secrets out of keys and values, at any depth, and secret-named fields whatever they hold', () => {
		const answer = {
			ok: false,
			errors: [{ code: 4, message: `Invalid token: ${TOKEN}` }],
			request: {
				headers: {
					Authorization: 'Bearer anything',
					'client-id': { nested: 'anything' },
					'X-Boticord-Token': 12345,
					'user-agent': 'n8n',
				},
				[TOKEN]: 'a key that is the token',
				deep: [[[{ said: `base64 ${Buffer.from(CLIENT_ID).toString('base64')}` }]]],
			},
			control: 'kept-as-it-is',
		};
		const kept = redact.json(answer);
		const text = JSON.stringify(kept);
		expectClean(text);
		expect(text).not.toContain('anything');
		expect(text).not.toContain('12345');
		expect(kept).toMatchObject({
			ok: false,
			errors: [{ code: 4, message: 'Invalid token: [redacted]' }],
			request: {
				headers: {
					Authorization: REDACTED,
					'client-id': REDACTED,
					'X-Boticord-Token': REDACTED,
					'user-agent': 'n8n',
				},
				[REDACTED]: 'a key that is the token',
			},
			control: 'kept-as-it-is',
		});
		expect(isSecretName('X_BOTICORD_TOKEN')).toBe(true);
		expect(isSecretName('message')).toBe(false);
	});

	it(`keeps about ${MAX_KEPT_TEXT} characters of a large answer, saying what was left out`, () => {
		const huge = {
			message: `first ${TOKEN}`,
			items: Array.from({ length: 100_000 }, (_, index) => ({ index, token: TOKEN })),
			long: 'x'.repeat(3_000_000),
		};
		const kept = redact.json(huge) as { items: unknown[] };
		const text = JSON.stringify(kept);
		expectClean(text);
		expect(text.length).toBeLessThan(MAX_KEPT_TEXT * 1.5);
		expect(text).toContain('first [redacted]');
		expect(kept.items.at(-1)).toMatch(/^… \(cut: \d+ more\)$/);
	});

	it('cuts what is nested too deep, and cycles, and what JSON cannot hold', () => {
		let deep: Record<string, unknown> = { bottom: TOKEN };
		for (let level = 0; level < 50; level++) deep = { level: deep };
		const text = JSON.stringify(redact.json(deep));
		expect(text).toContain('nested too deep');
		expectClean(text);
		const cycle: Record<string, unknown> = { name: 'cycle' };
		cycle.self = cycle;
		expect(redact.json(cycle)).toEqual({ name: 'cycle' });
		expect(redact.json({ a: () => TOKEN, b: Number.NaN, c: undefined })).toEqual({ b: null });
		expect(redact.json(undefined)).toBeNull();
	});
});

describe('errors built from what a provider said', () => {
	it('hold only redacted text: message, description, what is kept of the answer, messages, stack', () => {
		const error = redactedApiError(node, redact, {
			message: `Invalid API token (Invalid token ${TOKEN}, code 14)`,
			description: `Your Client ID ${CLIENT_ID} is wrong`,
			httpCode: '401',
			itemIndex: 2,
			kept: { code: 14, message: `Invalid token ${TOKEN}` },
		});
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Invalid API token (Invalid token [redacted], code 14)');
		expect(error.description).toBe('Your Client ID [redacted] is wrong');
		expect(error.errorResponse).toEqual({ code: 14, message: 'Invalid token [redacted]' });
		expect(error.httpCode).toBe('401');
		expect(error.context.itemIndex).toBe(2);
		expect(error.cause).toBeUndefined();
		const everything = JSON.stringify({
			...error,
			stack: error.stack,
			json: error.toJSON?.(),
			messages: error.messages,
		});
		expectClean(everything);
		expect(everything).toContain('Invalid token [redacted]');
	});

	it("copy n8n's error of a request with its words, without the request it carries", () => {
		const transport = Object.assign(new Error(`connect ECONNREFUSED for ${TOKEN}`), {
			code: 'ECONNREFUSED',
			config: { headers: { Authorization: TOKEN } },
		});
		const n8nError = new NodeApiError(node, transport as never);
		// What n8n's error holds, and no copy may.
		expect(JSON.stringify(n8nError.cause)).toContain(TOKEN);
		const copy = redactedCopy(node, redact, n8nError, 0);
		expect(copy.cause).toBeUndefined();
		expect(copy.httpCode).toBe('ECONNREFUSED');
		expect(copy.message).toBe(n8nError.message);
		expectClean(JSON.stringify({ ...copy, stack: copy.stack, json: copy.toJSON?.() }));
		expect(redactedCopy(node, redact, `thrown ${TOKEN}`, 0).message).toBe('thrown [redacted]');
		expect(redactedCopy(node, redact, null, 0).message).toBe('The request failed');
	});
});
