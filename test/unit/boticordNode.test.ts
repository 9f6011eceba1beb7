import {
	ManualExecutionCancelledError,
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestOptions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { BoticordWebhookApi } from '../../credentials/BoticordWebhookApi.credentials';
import { Boticord } from '../../nodes/Boticord/Boticord.node';
import {
	MAX_REQUEST_WAIT_MS,
	MAX_WAIT_MS,
	RATE_LIMIT_RETRIES,
} from '../../nodes/Boticord/boticordApi';
import { boticordErrorCodes } from '../../nodes/Boticord/boticordErrors';
import { MAX_TIMER_MS } from '../../nodes/shared/rateLimit';
import { BOT_ID, SERVER_ID, USER } from '../fixtures/deliveries';
import { startFakeBoticordApi } from '../harness/fakeBoticordApi';

const TOKEN = 'api-token-3Wq8Zr5Kd1';

type FakeApi = Awaited<ReturnType<typeof startFakeBoticordApi>>;

/** What the request helper answers: n8n's full response. */
type Answer = { statusCode: number; headers: IDataObject; body: unknown };

/** Sends one request, as n8n's authenticated request helper would. */
type Transport = (options: IHttpRequestOptions) => Promise<Answer>;

interface RunOptions {
	items?: number;
	token?: string;
	continueOnFail?: boolean;
	baseUrl?: string;
	/** The execution's cancel signal, as n8n gives it. */
	signal?: AbortSignal;
}

/** A fresh API token, so that a test's requests count against a limit of their own. */
function newToken(): string {
	return `api-token-${Math.random().toString(36).slice(2)}`;
}

/**
 * Calls the node's execute() the way n8n does: with its parameters for each
 * item, the execution's cancel signal, and n8n's authenticated request helper,
 * which sends what the credential's `authenticate` says (the token in the
 * Authorization header) through `transport`.
 */
async function execute(
	transport: Transport,
	parameters: IDataObject,
	{ items = 1, token = TOKEN, continueOnFail = false, baseUrl, signal }: RunOptions = {},
): Promise<INodeExecutionData[]> {
	const credentials = { hookKey: token, baseUrl };
	const context = {
		getInputData: () => Array.from({ length: items }, () => ({ json: {} })),
		getNodeParameter: (name: string, _item: number, fallback?: unknown) =>
			name in parameters ? parameters[name] : fallback,
		getCredentials: async () => credentials,
		getNode: () => ({ name: 'Boticord', type: 'n8n-nodes-boticord-botisimo.boticord' }),
		getExecutionCancelSignal: () => signal,
		getExecutionId: () => 'execution-1',
		continueOnFail: () => continueOnFail,
		helpers: {
			async httpRequestWithAuthentication(type: string, options: IHttpRequestOptions) {
				expect(type).toBe('boticordWebhookApi');
				return transport(options);
			},
		},
	} as unknown as IExecuteFunctions;
	const [output] = await new Boticord().execute.call(context);
	return output;
}

/** The node against the stand-in API, over HTTP. */
async function run(api: FakeApi, parameters: IDataObject, options: RunOptions = {}) {
	const token = options.token ?? TOKEN;
	const { headers: authHeaders } = new BoticordWebhookApi().authenticate.properties as {
		headers: Record<string, string>;
	};
	expect(authHeaders).toEqual({ Authorization: '={{$credentials.hookKey}}' });
	return execute(
		async (options) => {
			const response = await fetch(options.url, {
				method: options.method,
				headers: { ...(options.headers as Record<string, string>), Authorization: token },
				body: options.body === undefined ? undefined : JSON.stringify(options.body),
				signal: options.abortSignal as AbortSignal | undefined,
			});
			const text = await response.text();
			return {
				statusCode: response.status,
				headers: Object.fromEntries(response.headers),
				body: text ? JSON.parse(text) : undefined,
			};
		},
		parameters,
		{ baseUrl: api.baseUrl, ...options },
	);
}

/** Resolves with what `promise` gave (or the error it threw), or 'pending' if it has not settled within `ms`. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | unknown | 'pending'> {
	let timer: NodeJS.Timeout | undefined;
	const late = new Promise<'pending'>(
		(resolve) => (timer = setTimeout(() => resolve('pending'), ms)),
	);
	try {
		return await Promise.race([promise.catch((error: unknown) => error), late]);
	} finally {
		clearTimeout(timer);
	}
}

const getBot = { resource: 'bot', operation: 'get', botId: BOT_ID };

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

	describe('inputs taken', () => {
		it('takes an ID with spaces around it, or as a number, and puts only its digits in the path', async () => {
			await run(api, { ...getBot, botId: `  ${BOT_ID}\n` });
			// The stand-in knows no user 42: the request is what counts.
			await run(api, { resource: 'user', operation: 'get', userId: 42 }, { continueOnFail: true });
			expect(api.requests.map(({ path }) => path)).toEqual([`/bots/${BOT_ID}`, '/users/42']);
		});

		it('posts statistics given as numeric text as numbers, and only those Boticord knows', async () => {
			await run(api, {
				resource: 'bot',
				operation: 'updateStats',
				botId: BOT_ID,
				statistics: { servers: ' 120 ', shards: 0, members: '3000', guilds: 5 },
			});
			expect(api.requests).toEqual([
				expect.objectContaining({
					path: `/bots/${BOT_ID}/stats`,
					body: JSON.stringify({ servers: 120, shards: 0, members: 3000 }),
				}),
			]);
		});
	});

	describe('when the execution is stopped', () => {
		it('sends nothing and schedules no wait when the execution is already stopped', async () => {
			const stopped = AbortSignal.abort();
			const timeouts = jest.spyOn(global, 'setTimeout');
			try {
				for (const continueOnFail of [false, true]) {
					const outcome = run(api, getBot, { signal: stopped, continueOnFail, items: 3 });
					await expect(outcome).rejects.toBeInstanceOf(ManualExecutionCancelledError);
				}
				expect(timeouts).not.toHaveBeenCalled();
			} finally {
				timeouts.mockRestore();
			}
			expect(api.requests).toEqual([]);
		});

		it('ends at once while waiting for a turn within the rate limit, sending nothing more', async () => {
			const token = newToken();
			await run(api, getBot, { token, items: 25 });
			const stop = new AbortController();
			const waiting = run(api, getBot, { token, signal: stop.signal, continueOnFail: true });
			expect(await within(waiting, 300)).toBe('pending');
			stop.abort();
			expect(await within(waiting, 100)).toMatchObject({
				name: 'ManualExecutionCancelledError',
				message: 'The execution was cancelled manually',
				extra: { executionId: 'execution-1' },
			});
			expect(api.requests).toHaveLength(25);
		});

		it('ends at once while waiting as Retry-After asks, sending nothing more', async () => {
			api.rateLimitNext(1, { retryAfter: '30' });
			const stop = new AbortController();
			const waiting = run(api, getBot, { token: newToken(), signal: stop.signal, items: 2 });
			expect(await within(waiting, 300)).toBe('pending');
			stop.abort();
			expect(await within(waiting, 100)).toBeInstanceOf(ManualExecutionCancelledError);
			expect(api.requests).toHaveLength(1);
		});

		it('ends a request in flight with the cancellation, not an error item', async () => {
			const stop = new AbortController();
			const transport: Transport = (options) =>
				new Promise((_resolve, reject) => {
					const signal = options.abortSignal as AbortSignal;
					signal.addEventListener('abort', () => reject(new Error('The request was aborted')));
				});
			const waiting = execute(transport, getBot, {
				token: newToken(),
				signal: stop.signal,
				continueOnFail: true,
			});
			expect(await within(waiting, 100)).toBe('pending');
			stop.abort();
			expect(await within(waiting, 100)).toBeInstanceOf(ManualExecutionCancelledError);
		});
	});

	describe('one rate limit per account', () => {
		it("does not slow one account's requests for another's", async () => {
			const [busy, quiet] = [newToken(), newToken()];
			await run(api, getBot, { token: busy, items: 25 });
			const stop = new AbortController();
			const waiting = run(api, getBot, { token: busy, signal: stop.signal });
			expect(await within(run(api, getBot, { token: quiet }), 500)).toEqual([
				{ json: expect.objectContaining({ id: BOT_ID }), pairedItem: { item: 0 } },
			]);
			expect(await within(waiting, 100)).toBe('pending');
			stop.abort();
			await expect(waiting).rejects.toBeInstanceOf(ManualExecutionCancelledError);
			expect(api.requests.filter(({ authorization }) => authorization === quiet)).toHaveLength(1);
		});

		it('shares one limit between executions of one token, first come first served', async () => {
			const token = newToken();
			await run(api, getBot, { token, items: 25 });
			const order: string[] = [];
			const first = run(api, getBot, { token }).then(() => order.push('first'));
			expect(await within(first, 50)).toBe('pending');
			const second = run(api, getBot, { token }).then(() => order.push('second'));
			await Promise.all([first, second]);
			expect(order).toEqual(['first', 'second']);
			expect(api.requests).toHaveLength(27);
		}, 20_000);
	});
});

describe('Boticord node inputs, checked before any request', () => {
	let api: FakeApi;

	beforeAll(async () => {
		api = await startFakeBoticordApi({ token: TOKEN });
	});

	afterEach(() => {
		expect(api.requests).toEqual([]);
	});

	afterAll(async () => {
		await api.close();
	});

	const anId = 'a Discord ID (its digits, e.g. 724663360934772797)';
	const huge = '1'.repeat(100_000);
	const idCases: [string, unknown, string][] = [
		['..', '..', '".."'],
		['empty', '', '""'],
		['blank', '   ', '"   "'],
		['-5', '-5', '"-5"'],
		['1.5', '1.5', '"1.5"'],
		['"many"', 'many', '"many"'],
		['NaN', Number.NaN, 'NaN'],
		['a negative number', -5, '-5'],
		['a fraction', 1.5, '1.5'],
		['an array', [BOT_ID], `"["${BOT_ID}"]"`],
		['an object', { id: BOT_ID }, `"{"id":"${BOT_ID}"}"`],
		['a path', `${BOT_ID}/stats`, `"${BOT_ID}/stats"`],
		['an encoded path', '%2e%2e', '"%2e%2e"'],
	];

	describe.each([
		['Bot ID', 'Get', { resource: 'bot', operation: 'get' }, 'botId'],
		[
			'Bot ID',
			'Update Stats',
			{ resource: 'bot', operation: 'updateStats', statistics: { servers: 1 } },
			'botId',
		],
		['Server ID', 'Get', { resource: 'server', operation: 'get' }, 'serverId'],
		['User ID', 'Get', { resource: 'user', operation: 'get' }, 'userId'],
	])('%s (%s)', (field, _operation, parameters, name) => {
		it.each(idCases)('refuses %s, naming the field and the value', async (_label, value, shown) => {
			const refusal = run(api, { ...parameters, [name]: value });
			await expect(refusal).rejects.toBeInstanceOf(NodeOperationError);
			await expect(refusal).rejects.toThrow(`${field} must be ${anId}, not ${shown}.`);
		});

		it('refuses a huge text, quoting only its start', async () => {
			const refusal = run(api, { ...parameters, [name]: huge });
			await expect(refusal).rejects.toThrow(/must be a Discord ID .*\(100000 characters\)/);
			const error = await refusal.catch((caught: Error) => caught);
			expect((error as Error).message.length).toBeLessThan(200);
		});

		it('refuses a number that has lost digits, saying to give it as text', async () => {
			await expect(run(api, { ...parameters, [name]: 724663360934772797 })).rejects.toThrow(
				`${field} must be a Discord ID given as text (a number beyond 2^53 has lost its last digits), not 724663360934772700.`,
			);
		});
	});

	const statisticCases: [string, unknown, string][] = [
		['-5', -5, '-5'],
		['1.5', 1.5, '1.5'],
		['"-5"', '-5', '"-5"'],
		['"many"', 'many', '"many"'],
		['NaN', Number.NaN, 'NaN'],
		['empty', '', '""'],
		['null', null, 'null'],
		['an array', [1], '"[1]"'],
		['an object', { n: 1 }, '"{"n":1}"'],
		['a number beyond 2^53', 2 ** 53 + 2, '9007199254740994'],
	];

	it.each(statisticCases)('refuses a statistic of %s, naming it', async (_label, value, shown) => {
		const refusal = run(api, {
			resource: 'bot',
			operation: 'updateStats',
			botId: BOT_ID,
			statistics: { servers: 1, members: value },
		});
		await expect(refusal).rejects.toBeInstanceOf(NodeOperationError);
		await expect(refusal).rejects.toThrow(
			`Member Count must be a whole number, 0 or more, not ${shown}.`,
		);
	});

	it('refuses statistics that are not a collection', async () => {
		await expect(
			run(api, { resource: 'bot', operation: 'updateStats', botId: BOT_ID, statistics: '5' }),
		).rejects.toThrow('Statistics must be a collection of counts, not "5".');
	});

	it('refuses a resource or an operation the node does not have', async () => {
		await expect(run(api, { ...getBot, resource: '..' })).rejects.toThrow(
			'Resource must be Bot, Server or User, not "..".',
		);
		await expect(run(api, { ...getBot, resource: 'constructor' })).rejects.toThrow(
			'Resource must be Bot, Server or User, not "constructor".',
		);
		await expect(
			run(api, { resource: 'user', operation: 'updateStats', userId: USER }),
		).rejects.toThrow('Operation must be Get, not "updateStats".');
	});

	it('gives a refused item its error and goes on when the node continues on fail', async () => {
		const output = await run(
			api,
			{ resource: 'user', operation: 'get', userId: '..' },
			{ items: 2, continueOnFail: true },
		);
		expect(output).toEqual([
			{ json: { error: `User ID must be ${anId}, not "..".` }, pairedItem: { item: 0 } },
			{ json: { error: `User ID must be ${anId}, not "..".` }, pairedItem: { item: 1 } },
		]);
	});
});

/** A 429 as Boticord answers it, with `retryAfter` as its Retry-After header unless undefined. */
function rateLimited(retryAfter?: string): Answer {
	return {
		statusCode: 429,
		headers: retryAfter === undefined ? {} : { 'retry-after': retryAfter },
		body: { ok: false, result: null, errors: [{ code: 1, message: 'RateLimited' }] },
	};
}

const botFound: Answer = {
	statusCode: 200,
	headers: {},
	body: { ok: true, result: { id: BOT_ID } },
};

/**
 * A transport that answers from `answers` in turn (the last one for ever
 * after), and the (fake) times at which requests were sent.
 */
function scripted(...answers: Answer[]) {
	const sentAt: number[] = [];
	const transport: Transport = async () => {
		sentAt.push(Date.now());
		return answers[Math.min(sentAt.length, answers.length) - 1];
	};
	return { transport, sentAt };
}

describe("Boticord node, waiting as Boticord's Retry-After says (on a fake clock)", () => {
	let timeouts: jest.SpyInstance;

	beforeEach(() => {
		jest.useFakeTimers({ now: Date.parse('2026-12-01T18:00:00Z') });
		timeouts = jest.spyOn(global, 'setTimeout');
	});

	afterEach(() => {
		timeouts.mockRestore();
		jest.useRealTimers();
	});

	/** The longest delay the node gave a timer. */
	const longestTimer = () => Math.max(0, ...timeouts.mock.calls.map(([, ms]) => Number(ms ?? 0)));

	/** Runs a Get Bot to its end, moving the fake clock on; its result or error, and the clock's moves. */
	async function settle(transport: Transport, options: RunOptions = {}) {
		const started = Date.now();
		const outcome = execute(transport, getBot, { token: newToken(), ...options }).catch(
			(error: unknown) => error,
		);
		let settled = false;
		void outcome.then(() => (settled = true));
		while (!settled) await jest.advanceTimersByTimeAsync(100);
		return { outcome: await outcome, elapsed: Date.now() - started };
	}

	it.each([
		['seconds', '30', 30_000],
		['seconds and a fraction', '2.5', 2_500],
		['an HTTP-date', 'Tue, 01 Dec 2026 18:00:45 GMT', 45_000],
		['an HTTP-date in the asctime form', 'Tue Dec  1 18:00:20 2026', 20_000],
		['no header (the window)', undefined, 10_000],
		['a header that says nothing (the window)', 'soon', 10_000],
		['a negative number (the window)', '-5', 10_000],
	])('waits as long as %s asks, never less, then sends again', async (_label, header, ms) => {
		const { transport, sentAt } = scripted(rateLimited(header), botFound);
		const { outcome } = await settle(transport);
		expect(outcome).toEqual([{ json: { id: BOT_ID }, pairedItem: { item: 0 } }]);
		expect(sentAt).toHaveLength(2);
		expect(sentAt[1] - sentAt[0]).toBeGreaterThanOrEqual(ms);
		expect(sentAt[1] - sentAt[0]).toBeLessThan(ms + 1_000);
	});

	it.each([
		['a day', '86400', '24 h (86400 s)'],
		['beyond a timer’s limit', '3000000', '35 days (3000000 s)'],
		['more than a minute', '61', '61 s'],
		['a day, as an HTTP-date', 'Wed, 02 Dec 2026 18:00:00 GMT', '24 h (86400 s)'],
	])(
		'fails at once, saying so, when Boticord asks to wait %s',
		async (_label, header, duration) => {
			const { transport, sentAt } = scripted(rateLimited(header), botFound);
			const { outcome, elapsed } = await settle(transport);
			expect(outcome).toBeInstanceOf(NodeApiError);
			expect(outcome).toMatchObject({
				message: `Boticord is rate limiting this account: it asks to wait ${duration} before the next request`,
				description: expect.stringMatching(
					/^The node waits at most 60 s at a time and 2 min \(120 s\) per request, so it stopped instead\. .*slower schedule.*Retry On Fail/,
				),
				httpCode: '429',
			});
			expect(sentAt).toHaveLength(1);
			expect(elapsed).toBeLessThan(1_000);
			expect(longestTimer()).toBeLessThanOrEqual(MAX_WAIT_MS);
		},
	);

	it(`waits at most ${MAX_REQUEST_WAIT_MS / 1000} s in all for one request`, async () => {
		const { transport, sentAt } = scripted(rateLimited('50'));
		const { outcome, elapsed } = await settle(transport);
		expect(outcome).toMatchObject({
			message:
				'Boticord is rate limiting this account: it asks to wait 50 s before the next request',
		});
		// 50 s, 50 s, and a third 50 s would make 150 s.
		expect(sentAt).toHaveLength(3);
		expect(elapsed).toBeGreaterThanOrEqual(100_000);
		expect(elapsed).toBeLessThanOrEqual(MAX_REQUEST_WAIT_MS);
	});

	it('keeps the whole account waiting for as long as Boticord asked, and fails others at once beyond the cap', async () => {
		const token = newToken();
		const first = scripted(rateLimited('86400'));
		await settle(first.transport, { token });
		const next = scripted(botFound);
		const { outcome, elapsed } = await settle(next.transport, { token });
		expect(outcome).toMatchObject({
			message:
				'Boticord is rate limiting this account: it asks to wait 24 h (86400 s) before the next request',
			httpCode: '429',
		});
		expect(next.sentAt).toEqual([]);
		expect(elapsed).toBeLessThan(1_000);
		// Another account is not held.
		expect((await settle(next.transport)).outcome).toEqual([
			{ json: { id: BOT_ID }, pairedItem: { item: 0 } },
		]);
	});

	it("holds the account's other requests until Boticord's time", async () => {
		const token = newToken();
		const limited = scripted(rateLimited('20'), botFound);
		const other = scripted(botFound);
		const both = Promise.all([
			settle(limited.transport, { token }),
			(async () => {
				await jest.advanceTimersByTimeAsync(1_000);
				return settle(other.transport, { token });
			})(),
		]);
		await both;
		expect(other.sentAt[0] - limited.sentAt[0]).toBeGreaterThanOrEqual(20_000);
	});

	it(`gives up a turn after ${MAX_WAIT_MS / 1000} s in line, without sending`, async () => {
		const token = newToken();
		const { transport, sentAt } = scripted(botFound);
		const started = Date.now();
		// 160 executions of one account at once: 25 start every 10.5 s, so 150 within 60 s.
		const outcomes = Promise.all(
			Array.from({ length: 160 }, () =>
				execute(transport, getBot, { token }).catch((error: unknown) => error),
			),
		);
		await jest.advanceTimersByTimeAsync(MAX_WAIT_MS + 1_000);
		const results = await outcomes;
		const refused = results.filter((result) => result instanceof NodeOperationError);
		expect(sentAt).toHaveLength(150);
		expect(refused).toHaveLength(10);
		expect(refused[0]).toMatchObject({
			message:
				"Too many Boticord requests for this account at once: this one waited 60 s for a turn within Boticord's 25 requests in 10 seconds",
			description: expect.stringMatching(/Run fewer executions with this credential at once/),
		});
		expect(Math.max(...sentAt) - started).toBeLessThanOrEqual(MAX_WAIT_MS);
		expect(longestTimer()).toBeLessThanOrEqual(MAX_TIMER_MS);
	});
});
