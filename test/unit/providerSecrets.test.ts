import crypto from 'node:crypto';

import {
	NodeApiError,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestOptions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { Boticord } from '../../nodes/Boticord/Boticord.node';
import { Botisimo } from '../../nodes/Botisimo/Botisimo.node';
import { BOT_ID } from '../fixtures/deliveries';
import { startFakeBoticordApi } from '../harness/fakeBoticordApi';
import { startFakeBotisimoApi } from '../harness/fakeBotisimoApi';

/**
 * Both action nodes against stand-in APIs that repeat the request's secret:
 * in their error message, and in 401/403/429/500 answers that echo the
 * request's headers as JSON, as HTML, and in a page megabytes long. What n8n
 * keeps of a failed item (the error, all of it, as n8n stores it; the Continue
 * On Fail item) must hold no form of the secret, and must hold the control
 * value the stand-in put beside it, so that the search is known to read what
 * was kept.
 */

type Leak = 'quote' | 'json' | 'html' | 'huge';

interface Case {
	node: 'Boticord' | 'Botisimo';
	status: number;
	as: Leak;
}

/** The forms of `secret` that must appear nowhere. */
function formsOf(secret: string): string[] {
	return [
		secret,
		encodeURIComponent(secret),
		Buffer.from(secret).toString('base64').slice(0, 16),
		// After `n8n:` (Basic), the characters that depend on the secret alone.
		Buffer.from(`n8n:${secret}`).toString('base64').slice(8, 24),
	];
}

/** Everything of an error that n8n keeps with an execution, as text. */
function storedForm(error: NodeApiError): string {
	return JSON.stringify({
		// What n8n's WorkflowExecute stores: the error's own fields, its message and stack.
		...error,
		message: error.message,
		stack: error.stack,
		cause: error.cause,
		json: error.toJSON?.(),
	});
}

/**
 * Runs `node` for one item, its request sent to `baseUrl` with `header` set
 * to `secret` as the credential's `authenticate` says; a body that is not
 * JSON is handed over as text, as n8n does.
 */
async function execute(
	node: Case['node'],
	baseUrl: string,
	secret: string,
	continueOnFail: boolean,
	/** Stands in for n8n's request helper failing before any answer, as it would. */
	failRequest?: () => Error,
): Promise<INodeExecutionData[]> {
	const parameters: IDataObject =
		node === 'Boticord'
			? { resource: 'bot', operation: 'get', botId: BOT_ID }
			: { resource: 'loyaltyUser', operation: 'getOrCreate', ssoId: 'voter-1' };
	const header = node === 'Boticord' ? 'Authorization' : 'client-id';
	const context = {
		getInputData: () => [{ json: {} }],
		getNodeParameter: (name: string, _item: number, fallback?: unknown) =>
			name in parameters ? parameters[name] : fallback,
		getCredentials: async () =>
			node === 'Boticord' ? { hookKey: secret, baseUrl } : { clientId: secret, baseUrl },
		getNode: () => ({ name: node, type: `n8n-nodes-boticord-botisimo.${node.toLowerCase()}` }),
		getExecutionId: () => 'execution-1',
		continueOnFail: () => continueOnFail,
		helpers: {
			async httpRequestWithAuthentication(_type: string, options: IHttpRequestOptions) {
				if (failRequest) throw failRequest();
				const url = new URL(options.url);
				for (const [name, value] of Object.entries(options.qs ?? {})) {
					url.searchParams.set(name, String(value));
				}
				const response = await fetch(url, {
					method: options.method,
					headers: { ...(options.headers as Record<string, string>), [header]: secret },
				});
				const text = await response.text();
				let body: unknown = text;
				try {
					body = JSON.parse(text);
				} catch {
					// n8n hands a body that is not JSON over as text.
				}
				return { statusCode: response.status, headers: Object.fromEntries(response.headers), body };
			},
		},
	} as unknown as IExecuteFunctions;
	const type = node === 'Boticord' ? new Boticord() : new Botisimo();
	const [output] = await type.execute.call(context);
	return output;
}

const cases: Case[] = (['Boticord', 'Botisimo'] as const).flatMap((node) =>
	[401, 403, 429, 500].flatMap((status) =>
		(['quote', 'json', 'html', 'huge'] as const).map((as) => ({ node, status, as })),
	),
);

describe.each(cases)('$node answered $status with a $as answer that repeats the secret', (leak) => {
	let boticord: Awaited<ReturnType<typeof startFakeBoticordApi>>;
	let botisimo: Awaited<ReturnType<typeof startFakeBotisimoApi>>;

	beforeAll(async () => {
		boticord = await startFakeBoticordApi({ token: 'unused' });
		botisimo = await startFakeBotisimoApi({ clientId: 'unused' });
	});

	afterAll(async () => {
		await boticord.close();
		await botisimo.close();
	});

	/** A fresh secret and control value, and the next request answered as `leak` says. */
	function arrange() {
		// A token of its own: a 429 holds its account's requests in this process.
		const secret =
			leak.node === 'Boticord'
				? `bc/${crypto.randomUUID()}+t=`
				: `${crypto.randomBytes(4).toString('hex')}-${crypto.randomBytes(4).toString('hex')}`;
		const control = `control-${crypto.randomUUID()}`;
		const options = { as: leak.as, control, size: 4 * 1024 * 1024 };
		if (leak.node === 'Boticord') {
			// Boticord asks for a day: the node fails at once, keeping the answer.
			boticord.leakNext(leak.status, { ...options, retryAfter: '86400' });
		} else {
			botisimo.leakNext(leak.status, options);
		}
		const baseUrl = leak.node === 'Boticord' ? boticord.baseUrl : botisimo.baseUrl;
		return { secret, control, baseUrl };
	}

	it('fails with an error that holds no form of the secret, bounded, and keeps the control', async () => {
		const { secret, control, baseUrl } = arrange();
		const error = await execute(leak.node, baseUrl, secret, false).then(
			() => {
				throw new Error('the node did not fail');
			},
			(thrown: NodeApiError) => thrown,
		);
		const stored = storedForm(error);
		for (const form of formsOf(secret)) expect(stored).not.toContain(form);
		expect(stored).toContain(control);
		expect(stored).toContain('[redacted]');
		expect(error.cause).toBeUndefined();
		expect(stored.length).toBeLessThan(12_000);
		expect(error.httpCode).toBe(String(leak.status));
		if (leak.as === 'huge') expect(stored).toMatch(/cut: [\d,]+ KB in all/);
	});

	it('continues on fail with an error item that holds no form of the secret', async () => {
		const { secret, control, baseUrl } = arrange();
		const output = await execute(leak.node, baseUrl, secret, true);
		expect(output).toHaveLength(1);
		const item = JSON.stringify(output);
		for (const form of formsOf(secret)) expect(item).not.toContain(form);
		expect(output[0].json.error).toEqual(expect.any(String));
		// The provider's message is quoted in the error's message (but for the wait Boticord asks
		// for, which the message says instead); an echoed page is not.
		const quoted = leak.as === 'quote' && !(leak.node === 'Boticord' && leak.status === 429);
		expect(item.includes(control)).toBe(quoted);
	});
});

describe.each(['Boticord', 'Botisimo'] as const)(
	"%s: n8n's error for a request that got no answer",
	(node) => {
		/**
		 * n8n's error as its request helper throws it: the transport's error as
		 * its cause, with the request and its headers; its message may repeat
		 * what the connection said.
		 */
		function transportFailure(secret: string, code: string | undefined) {
			const cause = Object.assign(new Error(`socket closed after sending ${secret}`), {
				code,
				config: { headers: { Authorization: secret, 'client-id': secret } },
			});
			return new NodeApiError({ name: node } as never, cause as never);
		}

		it.each([['ECONNREFUSED'], ['ECONNRESET'], [undefined]])(
			'keeps no form of the secret, nor the request, for %s',
			async (code) => {
				const secret = `secret-${crypto.randomUUID()}`;
				const raw = transportFailure(secret, code);
				expect(JSON.stringify(raw.cause)).toContain(secret);
				const error = await execute(node, 'http://127.0.0.1:1', secret, false, () => raw).then(
					() => {
						throw new Error('the node did not fail');
					},
					(thrown: NodeApiError) => thrown,
				);
				expect(error).toBeInstanceOf(NodeApiError);
				expect(error.cause).toBeUndefined();
				const stored = storedForm(error);
				for (const form of formsOf(secret)) expect(stored).not.toContain(form);
				const [item] = await execute(node, 'http://127.0.0.1:1', secret, true, () => raw);
				for (const form of formsOf(secret)) expect(JSON.stringify(item)).not.toContain(form);
			},
		);
	},
);
