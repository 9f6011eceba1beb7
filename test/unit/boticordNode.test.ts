import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestOptions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { BoticordWebhookApi } from '../../credentials/BoticordWebhookApi.credentials';
import { Boticord } from '../../nodes/Boticord/Boticord.node';
import { boticordErrorCodes, RATE_LIMIT_RETRIES } from '../../nodes/Boticord/boticordApi';
import { BOT_ID, SERVER_ID, USER } from '../fixtures/deliveries';
import { startFakeBoticordApi } from '../harness/fakeBoticordApi';

const TOKEN = 'api-token-3Wq8Zr5Kd1';

type FakeApi = Awaited<ReturnType<typeof startFakeBoticordApi>>;

/**
 * Calls the node's execute() the way n8n does: with its parameters for each
 * item, and n8n's authenticated request helper, which sends what the
 * credential's `authenticate` says (the token in the Authorization header).
 */
async function run(
	api: FakeApi,
	parameters: IDataObject,
	{
		items = 1,
		token = TOKEN,
		continueOnFail = false,
		baseUrl = api.baseUrl,
	}: { items?: number; token?: string; continueOnFail?: boolean; baseUrl?: string } = {},
): Promise<INodeExecutionData[]> {
	const credentials = { hookKey: token, baseUrl };
	const { headers: authHeaders } = new BoticordWebhookApi().authenticate.properties as {
		headers: Record<string, string>;
	};
	expect(authHeaders).toEqual({ Authorization: '={{$credentials.hookKey}}' });
	const context = {
		getInputData: () => Array.from({ length: items }, () => ({ json: {} })),
		getNodeParameter: (name: string, _item: number, fallback?: unknown) =>
			parameters[name] ?? fallback,
		getCredentials: async () => credentials,
		getNode: () => ({ name: 'Boticord', type: 'n8n-nodes-boticord-botisimo.boticord' }),
		continueOnFail: () => continueOnFail,
		helpers: {
			async httpRequestWithAuthentication(type: string, options: IHttpRequestOptions) {
				expect(type).toBe('boticordWebhookApi');
				const response = await fetch(options.url, {
					method: options.method,
					headers: { ...(options.headers as Record<string, string>), Authorization: token },
					body: options.body === undefined ? undefined : JSON.stringify(options.body),
				});
				const text = await response.text();
				return {
					statusCode: response.status,
					headers: Object.fromEntries(response.headers),
					body: text ? JSON.parse(text) : undefined,
				};
			},
		},
	} as unknown as IExecuteFunctions;
	const [output] = await new Boticord().execute.call(context);
	return output;
}

describe('Boticord node, against a stand-in for Boticord API v3', () => {
	let api: FakeApi;

	beforeEach(async () => {
		api = await startFakeBoticordApi({ token: TOKEN });
	});

	afterEach(async () => {
		await api.close();
	});

	it.each([
		['bot', { resource: 'bot', operation: 'get', botId: BOT_ID }, `/bots/${BOT_ID}`, 'Demo Bot'],
		[
			'server',
			{ resource: 'server', operation: 'get', serverId: SERVER_ID },
			`/servers/${SERVER_ID}`,
			'Demo Server',
		],
	])('gets a %s', async (_label, parameters, path, name) => {
		const [item] = await run(api, parameters);
		expect(item).toEqual({ json: expect.objectContaining({ name }), pairedItem: { item: 0 } });
		expect(api.requests).toEqual([expect.objectContaining({ method: 'GET', path })]);
	});

	it('gets a user', async () => {
		const [item] = await run(api, { resource: 'user', operation: 'get', userId: USER });
		expect(item.json).toMatchObject({ id: USER, username: 'demo-user' });
	});

	it("updates a bot's stats with the counts given, as JSON, with the token", async () => {
		const [item] = await run(api, {
			resource: 'bot',
			operation: 'updateStats',
			botId: BOT_ID,
			statistics: { servers: 120, shards: 2 },
		});
		expect(item.json).toMatchObject({ id: BOT_ID, guilds: 120, shards: 2, members: 1000 });
		expect(api.requests).toEqual([
			{
				method: 'POST',
				path: `/bots/${BOT_ID}/stats`,
				authorization: TOKEN,
				body: JSON.stringify({ servers: 120, shards: 2 }),
			},
		]);
	});

	it('refuses to post no statistics at all', async () => {
		await expect(
			run(api, { resource: 'bot', operation: 'updateStats', botId: BOT_ID, statistics: {} }),
		).rejects.toThrow(NodeOperationError);
		expect(api.requests).toEqual([]);
	});

	it.each([
		[
			'an unknown bot',
			{ resource: 'bot', operation: 'get', botId: '1' },
			{
				message: 'Unknown bot (UnknownBot, code 19)',
				httpCode: '404',
				description: 'Check the bot ID.',
			},
			TOKEN,
		],
		[
			'an unknown user',
			{ resource: 'user', operation: 'get', userId: '1' },
			{ message: 'Unknown user (UnknownUser, code 10)', httpCode: '404' },
			TOKEN,
		],
		[
			'a wrong token',
			{ resource: 'bot', operation: 'updateStats', botId: BOT_ID, statistics: { servers: 1 } },
			{ message: 'Invalid API token (TokenInvalid, code 14)', httpCode: '401' },
			'not-the-token',
		],
	])(
		'turns Boticord refusing %s into an error that names the code',
		async (_label, parameters, expected, token) => {
			const failure = run(api, parameters, { token });
			await expect(failure).rejects.toBeInstanceOf(NodeApiError);
			await expect(failure).rejects.toMatchObject(expected);
		},
	);

	it('reports a bot the token does not own', async () => {
		api.data.bots[BOT_ID].owner = '1';
		await expect(
			run(api, {
				resource: 'bot',
				operation: 'updateStats',
				botId: BOT_ID,
				statistics: { servers: 1 },
			}),
		).rejects.toMatchObject({
			message: expect.stringMatching(/^The bot or server is not owned by the API token's account/),
			httpCode: '403',
		});
	});

	it("keeps to Boticord's 25 requests in 10 seconds itself, so many items never meet a 429", async () => {
		const output = await run(
			api,
			{ resource: 'bot', operation: 'get', botId: BOT_ID },
			{ items: 30 },
		);
		expect(output).toHaveLength(30);
		expect(output.every((item) => item.json.id === BOT_ID)).toBe(true);
		// The stand-in answers the 26th request of any 10 seconds 429, which would be retried.
		expect(api.requests).toHaveLength(30);
	}, 30_000);

	it('waits and sends again when Boticord answers 429, so a schedule does not fail', async () => {
		api.rateLimitNext(2);
		const [item] = await run(api, { resource: 'bot', operation: 'get', botId: BOT_ID });
		expect(item.json).toMatchObject({ id: BOT_ID });
		expect(api.requests).toHaveLength(3);
	});

	it(`fails with the rate limit's meaning after ${RATE_LIMIT_RETRIES} retries`, async () => {
		api.rateLimitNext(RATE_LIMIT_RETRIES + 1);
		await expect(
			run(api, { resource: 'bot', operation: 'get', botId: BOT_ID }),
		).rejects.toMatchObject({
			message: expect.stringMatching(/^Rate limited: Boticord takes 25 requests in 10 seconds/),
			httpCode: '429',
		});
		expect(api.requests).toHaveLength(RATE_LIMIT_RETRIES + 1);
	}, 15_000);

	it('keeps going with an error item per failed item when the node continues on fail', async () => {
		const output = await run(
			api,
			{ resource: 'server', operation: 'get', serverId: '1' },
			{ items: 2, continueOnFail: true },
		);
		expect(output).toEqual([
			{ json: { error: expect.stringMatching(/^Unknown server/) }, pairedItem: { item: 0 } },
			{ json: { error: expect.stringMatching(/^Unknown server/) }, pairedItem: { item: 1 } },
		]);
	});

	it('takes the base URL from the credential, with or without a trailing slash', async () => {
		await run(
			api,
			{ resource: 'bot', operation: 'get', botId: BOT_ID },
			{ baseUrl: `${api.baseUrl}/` },
		);
		expect(api.requests).toHaveLength(1);
	});

	it('knows the meaning of every error code Boticord documents', () => {
		for (let code = 0; code <= 59; code++) expect(boticordErrorCodes[code]).toMatch(/\w/);
	});
});
