import {
	ManualExecutionCancelledError,
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { Boticord } from '../../nodes/Boticord/Boticord.node';
import { MAX_SEARCH_HITS, SEARCH_PAGE_SIZE } from '../../nodes/Boticord/boticordSearch';
import { BOT_ID, SERVER_ID, USER } from '../fixtures/deliveries';
import { startFakeBoticordApi } from '../harness/fakeBoticordApi';
import { boticordHelpers, type SentLog } from '../helpers/boticordHttp';

type FakeApi = Awaited<ReturnType<typeof startFakeBoticordApi>>;

/** A fresh token per test, so that each test's requests count against a rate limit of their own. */
let TOKEN = '';

interface RunOptions {
	signal?: AbortSignal;
	continueOnFail?: boolean;
	sent?: SentLog;
	baseUrl?: string;
}

/** The Boticord node's execute(), as n8n calls it, against the stand-in API over HTTP. */
async function run(
	api: FakeApi,
	parameters: IDataObject,
	{ signal, continueOnFail = false, sent = [], baseUrl = api.baseUrl }: RunOptions = {},
): Promise<INodeExecutionData[]> {
	const context = {
		getInputData: () => [{ json: {} }],
		getNodeParameter: (name: string, _item: number, fallback?: unknown) =>
			name in parameters ? parameters[name] : fallback,
		getCredentials: async () => ({ hookKey: TOKEN, baseUrl }),
		getNode: () => ({ name: 'Boticord', type: 'n8n-nodes-boticord-botisimo.boticord' }),
		getExecutionCancelSignal: () => signal,
		getExecutionId: () => 'execution-1',
		continueOnFail: () => continueOnFail,
		helpers: boticordHelpers(TOKEN, sent),
	} as unknown as IExecuteFunctions;
	const [output] = await new Boticord().execute.call(context);
	return output;
}

const searches = (api: FakeApi) => api.requests.filter(({ path }) => path.startsWith('/search/'));
const keyRequests = (api: FakeApi) => api.requests.filter(({ path }) => path === '/search-key');
const bodyOf = (request: { body?: string }) => JSON.parse(request.body ?? '{}') as IDataObject;

const HOUR = 3_600_000;

describe("Boticord node: Boticord's search, against the stand-in API", () => {
	let api: FakeApi;

	beforeEach(async () => {
		TOKEN = `api-token-search-${Math.random().toString(36).slice(2)}`;
		api = await startFakeBoticordApi({ token: TOKEN });
	});

	afterEach(async () => {
		await api.close();
	});

	it('searches bots by text, with a search key fetched with the token and sent as Bearer', async () => {
		const sent: SentLog = [];
		const output = await run(
			api,
			{ resource: 'bot', operation: 'search', query: 'demo' },
			{ sent },
		);
		expect(output).toEqual([
			{
				json: expect.objectContaining({ id: BOT_ID, name: 'Demo Bot', ups: 42 }),
				pairedItem: { item: 0 },
			},
		]);
		expect(keyRequests(api)).toEqual([
			expect.objectContaining({ method: 'GET', authorization: TOKEN }),
		]);
		const [search] = searches(api);
		expect(search).toMatchObject({ method: 'POST', path: '/search/indexes/bots/search' });
		expect(search.authorization).toMatch(/^Bearer meili-1-/);
		expect(bodyOf(search)).toEqual({ q: 'demo', limit: 50, offset: 0 });
		// The token goes only to the API, never to the search.
		expect(
			JSON.stringify(sent.filter((options) => options.url.includes('/search/'))),
		).not.toContain(TOKEN);
	});

	it('searches servers by text, and finds nothing for words no server has', async () => {
		const [item] = await run(api, { resource: 'server', operation: 'search', query: 'Demo' });
		expect(item.json).toMatchObject({ id: SERVER_ID, name: 'Demo Server', members: 77 });
		expect(
			await run(api, { resource: 'server', operation: 'search', query: 'nothing like it' }),
		).toEqual([]);
	});

	it("gets a bot's reviews newest first, as Boticord sent them, with who, which resource and when", async () => {
		const now = Date.now();
		api.addReview({ id: 'r1', author: '111111111111111111', created: now - 3 * HOUR });
		api.addReview({ id: 'r2', author: '222222222222222222', created: String(now - HOUR) });
		api.addReview({
			id: 'r3',
			author: '333333333333333333',
			created: new Date(now - 2 * HOUR).toISOString(),
		});
		api.addReview({ id: 'other', resource: SERVER_ID, created: now });
		const output = await run(api, { resource: 'bot', operation: 'getReviews', botId: BOT_ID });
		expect(output.map(({ json }) => json.id)).toEqual(['r2', 'r3', 'r1']);
		expect(output[0].json).toEqual({
			id: 'r2',
			author: '222222222222222222',
			content: 'Great bot',
			rating: 5,
			resource: BOT_ID,
			created: String(now - HOUR),
			modReply: null,
			userId: '222222222222222222',
			at: new Date(now - HOUR).toISOString(),
			resourceId: BOT_ID,
			target: 'bot',
		});
		expect(output[1].json.at).toBe(new Date(now - 2 * HOUR).toISOString());
		expect(bodyOf(searches(api)[0])).toEqual({
			q: '',
			filter: [`resource = "${BOT_ID}"`],
			sort: ['created:desc'],
			limit: 50,
			offset: 0,
		});
	});

	it("gets a server's reviews, and gives a review whose date cannot be read at: null", async () => {
		api.addReview({ id: 's1', resource: SERVER_ID, created: 'not a date' });
		const [item] = await run(api, {
			resource: 'server',
			operation: 'getReviews',
			serverId: SERVER_ID,
		});
		expect(item.json).toMatchObject({
			id: 's1',
			at: null,
			target: 'server',
			resourceId: SERVER_ID,
			userId: USER,
		});
	});

	it(`pages through Return All ${SEARCH_PAGE_SIZE} at a time, and keeps to a Limit`, async () => {
		const now = Date.now();
		for (let index = 0; index < 250; index++) api.addReview({ created: now - index * 1000 });
		const all = await run(api, {
			resource: 'bot',
			operation: 'getReviews',
			botId: BOT_ID,
			returnAll: true,
		});
		expect(all).toHaveLength(250);
		expect(new Set(all.map(({ json }) => json.id)).size).toBe(250);
		expect(searches(api).map((request) => [bodyOf(request).offset, bodyOf(request).limit])).toEqual(
			[
				[0, 100],
				[100, 100],
				[200, 100],
			],
		);
		const some = await run(api, {
			resource: 'bot',
			operation: 'getReviews',
			botId: BOT_ID,
			limit: 30,
		});
		expect(some).toHaveLength(30);
		expect(some[0].json.id).toBe(all[0].json.id);
		// One key for the token, kept between executions.
		expect(keyRequests(api)).toHaveLength(1);
	});

	it(`stops Return All at ${MAX_SEARCH_HITS}, what Meilisearch returns at most`, async () => {
		for (let index = 0; index < MAX_SEARCH_HITS + 20; index++)
			api.addReview({ created: 1_700_000_000_000 + index });
		const all = await run(api, {
			resource: 'bot',
			operation: 'getReviews',
			botId: BOT_ID,
			returnAll: true,
		});
		expect(all).toHaveLength(MAX_SEARCH_HITS);
	});

	it('adds a raw Filter to the resource filter, and takes a raw Sort', async () => {
		api.addReview({ id: 'low', rating: 2, created: 1_700_000_000_000 });
		api.addReview({ id: 'high-old', rating: 5, created: 1_700_000_000_001 });
		api.addReview({ id: 'high-new', rating: 4, created: 1_700_000_000_002 });
		const output = await run(api, {
			resource: 'bot',
			operation: 'getReviews',
			botId: BOT_ID,
			searchOptions: { filter: 'rating >= 4', sort: 'created:asc' },
		});
		expect(output.map(({ json }) => json.id)).toEqual(['high-old', 'high-new']);
		expect(bodyOf(searches(api)[0])).toMatchObject({
			filter: [`resource = "${BOT_ID}"`, 'rating >= 4'],
			sort: ['created:asc'],
		});
	});

	it.each([
		[
			'a sort that is not field:asc',
			{
				resource: 'bot',
				operation: 'getReviews',
				botId: BOT_ID,
				searchOptions: { sort: 'created' },
			},
			/^Sort must be Meilisearch sort rules/,
		],
		[
			'a limit of 0',
			{ resource: 'bot', operation: 'search', query: 'x', limit: 0 },
			/^Limit must be a whole number from 1 to 1000/,
		],
		[
			'a limit beyond what the search returns',
			{ resource: 'server', operation: 'getReviews', serverId: SERVER_ID, limit: 5000 },
			/^Limit must be a whole number from 1 to 1000/,
		],
		[
			'an ID that is not a Discord ID',
			{ resource: 'bot', operation: 'getReviews', botId: 'my bot' },
			/^Bot ID must be a Discord ID/,
		],
		[
			'a filter that is not text',
			{ resource: 'bot', operation: 'search', query: 'x', searchOptions: { filter: { a: 1 } } },
			/^Filter must be a Meilisearch filter as text/,
		],
	])('refuses %s before any request', async (_label, parameters, message) => {
		await expect(run(api, parameters)).rejects.toThrow(message);
		expect(api.requests).toEqual([]);
	});

	it('fetches a new key once when the search refuses an expired one, and goes on with it', async () => {
		await run(api, { resource: 'bot', operation: 'search', query: '' });
		api.expireSearchKeys();
		const output = await run(api, { resource: 'bot', operation: 'search', query: '' });
		expect(output).toHaveLength(1);
		expect(keyRequests(api)).toHaveLength(2);
		expect(searches(api).map(({ authorization }) => authorization?.slice(0, 13))).toEqual([
			'Bearer meili-',
			'Bearer meili-',
			'Bearer meili-',
		]);
		await run(api, { resource: 'bot', operation: 'search', query: '' });
		expect(keyRequests(api)).toHaveLength(2);
	});

	it('fails with what to do, after one new key, when the search keeps refusing keys; never naming a key or the token', async () => {
		api.searchMode({ refuseKeys: true });
		const failure = run(api, { resource: 'bot', operation: 'getReviews', botId: BOT_ID });
		await expect(failure).rejects.toBeInstanceOf(NodeApiError);
		const error = (await failure.catch((caught: unknown) => caught)) as NodeApiError;
		expect(error.message).toBe('Boticord answered HTTP 403');
		expect(error.description).toMatch(
			/refused a search key just given for this API token\. Check the token/,
		);
		expect(keyRequests(api)).toHaveLength(2);
		expect(searches(api)).toHaveLength(2);
		const shown = JSON.stringify({
			message: error.message,
			description: error.description,
			cause: error.cause,
			context: error.context,
		});
		expect(shown).not.toContain(TOKEN);
		expect(shown).not.toMatch(/meili-\d/);
	});

	it('says so when the search answers something that is not a search result', async () => {
		api.searchMode({ answer: { results: [] } });
		await expect(run(api, { resource: 'bot', operation: 'search', query: 'x' })).rejects.toThrow(
			"Boticord's search answered with something that is not a search result (no list of hits)",
		);
	});

	it('keeps to the limit asked even when the search answers a larger page', async () => {
		const hits = Array.from({ length: 500 }, (_, index) => ({ id: `b${index}` }));
		api.searchMode({ answer: { hits, estimatedTotalHits: 500 } });
		expect(
			await run(api, { resource: 'bot', operation: 'search', query: 'x', limit: 7 }),
		).toHaveLength(7);
	});

	it('fails with where it tried, and no key, when the search cannot be reached', async () => {
		await run(api, { resource: 'bot', operation: 'search', query: '' });
		const { baseUrl } = api;
		await api.close();
		// The first attempt may meet the connection kept alive from before, closed under it.
		await run(api, { resource: 'bot', operation: 'search', query: '' }, { baseUrl }).catch(
			() => undefined,
		);
		const failure = run(api, { resource: 'bot', operation: 'search', query: '' }, { baseUrl });
		await expect(failure).rejects.toBeInstanceOf(NodeOperationError);
		const error = (await failure.catch((caught: unknown) => caught)) as NodeOperationError;
		expect(error.message).toBe(
			`Could not reach Boticord at ${baseUrl}/search/indexes/bots/search (connection refused)`,
		);
		expect(JSON.stringify({ message: error.message, description: error.description })).not.toMatch(
			/meili-/,
		);
		api = await startFakeBoticordApi({ token: TOKEN });
	});

	it('ends a slow search at once when the execution is stopped, as a cancellation', async () => {
		api.searchMode({ delayMs: 10_000 });
		const stop = new AbortController();
		const started = Date.now();
		const running = run(
			api,
			{ resource: 'bot', operation: 'search', query: '' },
			{ signal: stop.signal },
		);
		setTimeout(() => stop.abort(), 300);
		await expect(running).rejects.toBeInstanceOf(ManualExecutionCancelledError);
		expect(Date.now() - started).toBeLessThan(3_000);
	});

	it('gives the error as the item when the node continues on fail', async () => {
		api.searchMode({ refuseKeys: true });
		const [item] = await run(
			api,
			{ resource: 'bot', operation: 'search', query: '' },
			{ continueOnFail: true },
		);
		expect(item).toEqual({
			json: { error: 'Boticord answered HTTP 403' },
			pairedItem: { item: 0 },
		});
	});
});
