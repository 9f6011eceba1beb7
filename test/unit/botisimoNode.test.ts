import {
	NodeApiError,
	NodeOperationError,
	type IExecuteFunctions,
	type IHttpRequestOptions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { BotisimoApi } from '../../credentials/BotisimoApi.credentials';
import { BotisimoWebhookApi } from '../../credentials/BotisimoWebhookApi.credentials';
import { Botisimo, MAX_TEXT_LENGTH } from '../../nodes/Botisimo/Botisimo.node';
import { BOTISIMO_ADMIN_URL, REQUEST_TIMEOUT_MS } from '../../nodes/Botisimo/botisimoApi';
import { USER } from '../fixtures/deliveries';
import { FIRST_USER_ID, TEAM_TAGS, startFakeBotisimoApi } from '../harness/fakeBotisimoApi';
import { credentialTestOf } from '../helpers/webhookContext';

const CLIENT_ID = 'k3x9q-7hw2m-p4t8z-r1v6c';

type FakeApi = Awaited<ReturnType<typeof startFakeBotisimoApi>>;

/** A parameter's value, the same for every item or one per item. */
type Parameters = Record<string, unknown | ((itemIndex: number) => unknown)>;

/**
 * What n8n's request helper throws when a request gets no answer: its error,
 * wrapping the transport's, which n8n 2.x keeps as the cause and n8n 1.x
 * drops (its class field resets the cause), keeping the code as httpCode.
 */
function transportFailure(
	node: { name: string },
	message: string,
	code: string,
	n8nMajor: 1 | 2 = 2,
): NodeApiError {
	const cause = Object.assign(new Error(message), {
		code,
		// The request as the transport's error carries it, header and all.
		config: { headers: { 'client-id': CLIENT_ID } },
	});
	const error = new NodeApiError(node as never, cause as never);
	if (n8nMajor === 1) error.cause = undefined;
	expect(error.httpCode).toBe(code);
	return error;
}

interface RunOptions {
	items?: number;
	clientId?: string;
	baseUrl?: string;
	continueOnFail?: boolean;
	/** Stands in for n8n's request helper failing before any answer, as it would. */
	failRequest?: (options: IHttpRequestOptions) => Error;
}

/**
 * Calls the node's execute() the way n8n does: with its parameters for each
 * item, and n8n's authenticated request helper, which sends what the
 * credential's `authenticate` says (the Client ID in the client-id header).
 */
function runner(api: FakeApi) {
	const sent: IHttpRequestOptions[] = [];
	async function run(
		parameters: Parameters,
		{
			items = 1,
			clientId = CLIENT_ID,
			baseUrl = api.baseUrl,
			continueOnFail = false,
			failRequest,
		}: RunOptions = {},
	): Promise<INodeExecutionData[]> {
		const { headers: authHeaders } = new BotisimoApi().authenticate.properties as {
			headers: Record<string, string>;
		};
		expect(authHeaders).toEqual({ 'client-id': '={{$credentials.clientId}}' });
		const node = { name: 'Botisimo', type: 'n8n-nodes-boticord-botisimo.botisimo' };
		const context = {
			getInputData: () => Array.from({ length: items }, () => ({ json: {} })),
			getNodeParameter: (name: string, itemIndex: number, fallback?: unknown) => {
				const value = parameters[name];
				if (typeof value === 'function') return value(itemIndex);
				return value ?? fallback;
			},
			getCredentials: async () => ({ clientId, baseUrl }),
			getNode: () => node,
			continueOnFail: () => continueOnFail,
			helpers: {
				async httpRequestWithAuthentication(type: string, options: IHttpRequestOptions) {
					expect(type).toBe('botisimoApi');
					sent.push(options);
					if (failRequest) throw failRequest(options);
					const url = new URL(options.url);
					for (const [name, value] of Object.entries(options.qs ?? {})) {
						url.searchParams.set(name, String(value));
					}
					if (url.hostname !== '127.0.0.1') return { statusCode: 200, body: { user: { id: 1 } } };
					let response: Response;
					try {
						response = await fetch(url, {
							method: options.method,
							headers: { ...(options.headers as Record<string, string>), 'client-id': clientId },
							body: options.body === undefined ? undefined : JSON.stringify(options.body),
						});
					} catch (error) {
						const code = String((error as { cause?: { code?: string } }).cause?.code);
						throw transportFailure(node, `connect ${code} ${url.host}`, code);
					}
					const text = await response.text();
					let body: unknown = text;
					try {
						body = JSON.parse(text);
					} catch {
						// n8n hands a body that is not JSON over as text.
					}
					return { statusCode: response.status, headers: {}, body };
				},
			},
		} as unknown as IExecuteFunctions;
		const [output] = await new Botisimo().execute.call(context);
		return output;
	}
	return { run, sent };
}

const getOrCreate = (fields: Parameters) => ({
	resource: 'loyaltyUser',
	operation: 'getOrCreate',
	...fields,
});
const addPoints = (fields: Parameters) => ({
	resource: 'loyaltyUser',
	operation: 'addPoints',
	points: 100,
	message: 'Up on BotiCord',
	...fields,
});
const deleteUser = (fields: Parameters) => ({
	resource: 'loyaltyUser',
	operation: 'delete',
	...fields,
});

/** The error of a run that fails, with what it holds as n8n stores it with the execution. */
async function failureOf(run: Promise<unknown>): Promise<NodeApiError & NodeOperationError> {
	const error = await run.then(
		() => undefined,
		(thrown: unknown) => thrown,
	);
	expect(error).toBeInstanceOf(Error);
	const stored = JSON.stringify({ error, json: (error as NodeApiError).toJSON?.() });
	expect(stored).not.toContain(CLIENT_ID);
	expect(`${(error as Error).message} ${(error as NodeApiError).description}`).not.toContain(
		CLIENT_ID,
	);
	return error as NodeApiError & NodeOperationError;
}

describe('Botisimo node, against a stand-in for the Loyalty Admin API', () => {
	let api: FakeApi;
	let run: ReturnType<typeof runner>['run'];
	let sent: IHttpRequestOptions[];

	beforeEach(async () => {
		api = await startFakeBotisimoApi({ clientId: CLIENT_ID });
		({ run, sent } = runner(api));
	});

	afterEach(async () => {
		await api.close();
	});

	describe('Get or Create', () => {
		it('creates the user for a new SSO ID, and gives the user as Botisimo sent it', async () => {
			const [item] = await run(getOrCreate({ ssoId: USER }));
			expect(item).toEqual({ json: api.user(FIRST_USER_ID), pairedItem: { item: 0 } });
			expect(item.json).toMatchObject({ id: FIRST_USER_ID, ssoId: USER, gold: 0, tags: [] });
			expect(api.requests).toEqual([
				{
					method: 'GET',
					path: '/user',
					query: { id: USER },
					clientId: CLIENT_ID,
					contentType: undefined,
					body: undefined,
				},
			]);
		});

		it('gets the same user again for the same SSO ID', async () => {
			const [first] = await run(getOrCreate({ ssoId: USER }));
			const [again] = await run(getOrCreate({ ssoId: ` ${USER} ` }));
			expect(again.json).toEqual(first.json);
			expect(api.requests.map((request) => request.query)).toEqual([{ id: USER }, { id: USER }]);
		});

		it('finds a user by email, or by SSO ID and email, with tags', async () => {
			const existing = api.addUser({ email: 'joe.someone@example.com' });
			const [byEmail] = await run(getOrCreate({ email: 'joe.someone@example.com' }));
			expect(byEmail.json).toEqual(existing);
			const [created] = await run(
				getOrCreate({ ssoId: 'crm-42', email: 'ann@example.com', tagIds: '3, 4' }),
			);
			expect(created.json).toMatchObject({ ssoId: 'crm-42', tags: TEAM_TAGS });
			expect(api.requests[1].query).toEqual({
				id: 'crm-42',
				email: 'ann@example.com',
				tags: '3,4',
			});
		});

		it('takes tag IDs as a list and an SSO ID as a number, as expressions give them', async () => {
			await run(getOrCreate({ ssoId: 42, tagIds: [3, '4'] }));
			expect(api.requests[0].query).toEqual({ id: '42', tags: '3,4' });
		});

		it.each([
			['neither', { ssoId: '', email: '' }],
			['only blanks', { ssoId: '   ', email: ' ' }],
			['no fields at all', {}],
		])('refuses %s of SSO ID and Email, before any request', async (_label, fields: Parameters) => {
			const error = await failureOf(run(getOrCreate(fields)));
			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toBe(
				'Get or Create needs an SSO ID or an Email (or both): Botisimo finds or creates the user by them.',
			);
			expect(sent).toEqual([]);
		});

		it.each([
			['SSO ID', 'x'.repeat(MAX_TEXT_LENGTH + 1), 'ssoId', 'text of 1 to 255 characters'],
			['SSO ID', { id: 1 }, 'ssoId', 'text of 1 to 255 characters'],
			// Beyond 2^53 a number no longer holds a Discord ID exactly.
			['SSO ID', 2 ** 53 + 2, 'ssoId', 'text of 1 to 255 characters'],
			['Email', 'joe.someone', 'email', 'an email address'],
			['Email', 'joe@localhost', 'email', 'an email address'],
			['Email', 'joe someone@example.com', 'email', 'an email address'],
			['Email', 'joe@@example.com', 'email', 'an email address'],
			['Email', `${'j'.repeat(250)}@example.com`, 'email', 'an email address'],
			['Tag Names or IDs', 'streams', 'tagIds', 'whole numbers, 1 or more, separated by commas'],
			['Tag Names or IDs', '3, -1', 'tagIds', 'whole numbers, 1 or more, separated by commas'],
			['Tag Names or IDs', '3.5', 'tagIds', 'whole numbers, 1 or more, separated by commas'],
			['Tag Names or IDs', [0], 'tagIds', 'whole numbers, 1 or more, separated by commas'],
		])(
			'refuses %s %p, naming the field, before any request',
			async (field, value, name, expected) => {
				const error = await failureOf(
					run(getOrCreate({ ssoId: USER, email: 'joe@example.com', [name]: value })),
				);
				expect(error).toBeInstanceOf(NodeOperationError);
				expect(error.message).toMatch(new RegExp(`^${field} must be ${expected}`));
				expect(sent).toEqual([]);
			},
		);

		it('fails when Botisimo answers 2xx without a user', async () => {
			api.failNext(200, 'no user here');
			const error = await failureOf(run(getOrCreate({ ssoId: USER })));
			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.message).toBe('Botisimo answered without a user');
		});
	});

	describe('Add Points', () => {
		let userId: number;

		beforeEach(() => {
			userId = api.addUser({ ssoId: USER }).id;
		});

		it('adds the points with the message and key, as JSON, and says so', async () => {
			const [item] = await run(addPoints({ userId, points: 50, key: 'up:1' }));
			expect(item).toEqual({
				json: { success: true, userId, points: 50, key: 'up:1' },
				pairedItem: { item: 0 },
			});
			expect(api.requests).toEqual([
				{
					method: 'POST',
					path: `/user/${userId}/points`,
					query: {},
					clientId: CLIENT_ID,
					contentType: 'application/json',
					body: JSON.stringify({ points: 50, message: 'Up on BotiCord', key: 'up:1' }),
				},
			]);
			expect(api.user(userId)).toMatchObject({ gold: 50, goldTotal: 50 });
		});

		it('sends no key when none is given, and says key null', async () => {
			const [item] = await run(addPoints({ userId: String(userId), points: '7', key: '  ' }));
			expect(item.json).toEqual({ success: true, userId, points: 7, key: null });
			expect(JSON.parse(String(api.requests[0].body))).toEqual({
				points: 7,
				message: 'Up on BotiCord',
			});
		});

		it('gives the points of a key once per user, however often it runs', async () => {
			const twice = await run(addPoints({ userId, points: 25, key: 'up:1' }), { items: 2 });
			const again = await run(addPoints({ userId, points: 25, key: 'up:1' }));
			expect([...twice, ...again].map((item) => item.json)).toEqual([
				{ success: true, userId, points: 25, key: 'up:1' },
				{ success: true, userId, points: 25, key: 'up:1' },
				{ success: true, userId, points: 25, key: 'up:1' },
			]);
			expect(api.requests).toHaveLength(3);
			expect(api.transactions).toHaveLength(1);
			expect(api.user(userId)).toMatchObject({ gold: 25 });
		});

		it('gives the points again for another key, or for the same key to another user', async () => {
			const other = api.addUser({ ssoId: 'other' }).id;
			await run(addPoints({ userId, points: 10, key: 'up:1' }));
			await run(addPoints({ userId, points: 10, key: 'up:2' }));
			await run(addPoints({ userId: other, points: 10, key: 'up:1' }));
			await run(addPoints({ userId, points: 10 }), { items: 2 });
			expect(api.user(userId)).toMatchObject({ gold: 40 });
			expect(api.user(other)).toMatchObject({ gold: 10 });
		});

		it.each([
			['Botisimo User ID', '..', 'userId', 'a whole number, 1 or more'],
			['Botisimo User ID', '1/points', 'userId', 'a whole number, 1 or more'],
			['Botisimo User ID', '', 'userId', 'a whole number, 1 or more'],
			['Botisimo User ID', '0', 'userId', 'a whole number, 1 or more'],
			['Botisimo User ID', -3, 'userId', 'a whole number, 1 or more'],
			['Botisimo User ID', 1.5, 'userId', 'a whole number, 1 or more'],
			// Negative points: Botisimo documents adding points, nothing that takes them away.
			['Points', -5, 'points', 'a whole number, 1 or more'],
			['Points', 0, 'points', 'a whole number, 1 or more'],
			['Points', 2.5, 'points', 'a whole number, 1 or more'],
			['Points', 'many', 'points', 'a whole number, 1 or more'],
			['Points', Number.NaN, 'points', 'a whole number, 1 or more'],
			['Points', '', 'points', 'a whole number, 1 or more'],
			['Message', '', 'message', 'text of 1 to 255 characters'],
			['Message', '   ', 'message', 'text of 1 to 255 characters'],
			['Message', 'm'.repeat(MAX_TEXT_LENGTH + 1), 'message', 'text of 1 to 255 characters'],
			['Message', ['Up'], 'message', 'text of 1 to 255 characters'],
			['De-Duplication Key', 'k'.repeat(MAX_TEXT_LENGTH + 1), 'key', 'text of 1 to 255 characters'],
			['De-Duplication Key', { id: 1 }, 'key', 'text of 1 to 255 characters'],
		])(
			'refuses %s %p, naming the field, before any request',
			async (field, value, name, expected) => {
				const error = await failureOf(run(addPoints({ userId, key: 'up:1', [name]: value })));
				expect(error).toBeInstanceOf(NodeOperationError);
				expect(error.message).toMatch(new RegExp(`^${field} must be ${expected}, not `));
				expect(sent).toEqual([]);
			},
		);

		it(`takes a message and a key of ${MAX_TEXT_LENGTH} characters`, async () => {
			const [item] = await run(
				addPoints({
					userId,
					message: 'm'.repeat(MAX_TEXT_LENGTH),
					key: 'k'.repeat(MAX_TEXT_LENGTH),
				}),
			);
			expect(item.json.success).toBe(true);
		});

		it('names the user Botisimo does not know', async () => {
			const error = await failureOf(run(addPoints({ userId: 999 })));
			expect(error).toBeInstanceOf(NodeApiError);
			expect(error).toMatchObject({
				message: 'Botisimo has no user with ID 999 (HTTP 404): User not found',
				httpCode: '404',
			});
			expect(error.description).toMatch(/the id that Get or Create returns/);
		});

		it('says a refused request may be a key used before, when it had a key', async () => {
			api.failNext(409, 'Duplicate transaction');
			const withKey = await failureOf(run(addPoints({ userId, key: 'up:1' })));
			expect(withKey).toMatchObject({
				message: 'Botisimo refused the request (HTTP 409): Duplicate transaction',
				httpCode: '409',
			});
			expect(withKey.description).toMatch(/De-Duplication Key was used for this user before/);
			api.failNext(400, 'points must be a number');
			const withoutKey = await failureOf(run(addPoints({ userId })));
			expect(withoutKey.description).toBe("Check the node's fields against what Botisimo says.");
		});
	});

	describe('Delete', () => {
		it('deletes the user and says so', async () => {
			const { id } = api.addUser({ ssoId: USER });
			const [item] = await run(deleteUser({ userId: id }));
			expect(item.json).toEqual({ success: true, userId: id, deleted: true });
			expect(api.requests).toEqual([
				expect.objectContaining({ method: 'DELETE', path: `/user/${id}` }),
			]);
			expect(api.user(id)).toBeUndefined();
		});

		it('names the user Botisimo does not know', async () => {
			const error = await failureOf(run(deleteUser({ userId: 4242 })));
			expect(error.message).toBe('Botisimo has no user with ID 4242 (HTTP 404): User not found');
		});

		it('refuses an ID that is not a whole number, before any request', async () => {
			const error = await failureOf(run(deleteUser({ userId: '../user' })));
			expect(error.message).toBe(
				'Botisimo User ID must be a whole number, 1 or more, not "../user".',
			);
			expect(sent).toEqual([]);
		});
	});

	describe("Botisimo's errors", () => {
		it('says a wrong Client ID is wrong, and where to copy it from', async () => {
			const error = await failureOf(run(getOrCreate({ ssoId: USER }), { clientId: 'wrong-id' }));
			expect(error).toBeInstanceOf(NodeApiError);
			expect(error).toMatchObject({
				message: 'Botisimo refused the Client ID (HTTP 401): Invalid client id',
				httpCode: '401',
			});
			expect(error.description).toMatch(
				/^Copy the Client ID again from your Botisimo account profile/,
			);
			expect(error.context.itemIndex).toBe(0);
		});

		it("says a team without Botisimo's enterprise plan cannot use the API", async () => {
			api.team.enterprise = false;
			const error = await failureOf(run(addPoints({ userId: 1 })));
			expect(error).toMatchObject({
				message:
					'Botisimo refused the request for your plan (HTTP 403): The loyalty API requires an enterprise team',
				httpCode: '403',
			});
			expect(error.description).toMatch(/enterprise plan/);
		});

		it.each([
			[
				403,
				'Forbidden',
				"Botisimo refused access to the team's Loyalty Admin API (HTTP 403): Forbidden",
				/^Botisimo's Loyalty Admin API is for teams on its enterprise plan/,
			],
			[
				404,
				'Cannot GET /v2/user',
				'Botisimo has no such endpoint (HTTP 404): Cannot GET /v2/user',
				/check the Base URL/,
			],
			[
				429,
				'Slow down',
				'Botisimo is limiting how often it is called (HTTP 429): Slow down',
				/Retry On Fail/,
			],
			[
				500,
				'An error has occurred',
				'Botisimo failed to answer (HTTP 500): An error has occurred',
				/Retry On Fail/,
			],
			[502, undefined, 'Botisimo failed to answer (HTTP 502)', /Retry On Fail/],
			[
				302,
				undefined,
				'Botisimo answered in a way it does not document (HTTP 302)',
				/check the Base URL/,
			],
		])(
			'turns HTTP %d %p into an error with what to do',
			async (status, message, expected, whatToDo) => {
				api.failNext(status, message);
				const error = await failureOf(run(getOrCreate({ ssoId: USER })));
				expect(error).toBeInstanceOf(NodeApiError);
				expect(error.message).toBe(expected);
				expect(error.httpCode).toBe(String(status));
				expect(error.description).toMatch(whatToDo);
			},
		);

		it("quotes no proxy's page, and at most the start of a long message", async () => {
			api.failNext(502, undefined, { raw: '<html><body>Bad gateway</body></html>' });
			expect((await failureOf(run(getOrCreate({ ssoId: USER })))).message).toBe(
				'Botisimo failed to answer (HTTP 502)',
			);
			api.failNext(400, 'x'.repeat(10_000));
			const { message } = await failureOf(run(getOrCreate({ ssoId: USER })));
			expect(message.length).toBeLessThan(400);
			expect(message).toMatch(/: x{300}… \(cut: 10,000 characters in all\)$/);
		});

		it(`asks every request to end within ${REQUEST_TIMEOUT_MS / 1000} seconds`, async () => {
			const { id } = api.addUser({ ssoId: USER });
			await run(getOrCreate({ ssoId: USER }));
			await run(addPoints({ userId: id }));
			await run(deleteUser({ userId: id }));
			expect(sent.map((options) => options.timeout)).toEqual([
				REQUEST_TIMEOUT_MS,
				REQUEST_TIMEOUT_MS,
				REQUEST_TIMEOUT_MS,
			]);
		});

		it.each([1, 2] as const)(
			'says Botisimo did not answer in time, without the request n8n %d.x wraps in its error',
			async (n8nMajor) => {
				const timedOut = (options: IHttpRequestOptions) =>
					transportFailure(
						{ name: 'Botisimo' },
						`timeout of ${options.timeout}ms exceeded`,
						'ECONNABORTED',
						n8nMajor,
					);
				const read = await failureOf(run(getOrCreate({ ssoId: USER }), { failRequest: timedOut }));
				expect(read).toBeInstanceOf(NodeApiError);
				expect(read.message).toBe('Botisimo did not answer within 30 seconds');
				expect(read.description).not.toMatch(/may have done it anyway/);
				const write = await failureOf(run(addPoints({ userId: 1 }), { failRequest: timedOut }));
				expect(write.description).toMatch(/Botisimo may have done it anyway/);
			},
		);

		it('says Botisimo could not be reached at the Base URL', async () => {
			const closed = await startFakeBotisimoApi({ clientId: CLIENT_ID });
			await closed.close();
			const error = await failureOf(run(getOrCreate({ ssoId: USER }), { baseUrl: closed.baseUrl }));
			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.message).toBe(`Botisimo could not be reached at ${closed.baseUrl}`);
			expect(error.description).toMatch(/^The connection failed \(ECONNREFUSED\)/);
		});

		it("keeps n8n's own words for its other errors, without the request they carry: a cancelled request, a credential n8n cannot read", async () => {
			const cancelled = transportFailure({ name: 'Botisimo' }, 'canceled', 'ERR_CANCELED');
			const copy = await failureOf(
				run(getOrCreate({ ssoId: USER }), { failRequest: () => cancelled }),
			);
			expect(copy).not.toBe(cancelled);
			expect(copy).toMatchObject({ message: cancelled.message, httpCode: 'ERR_CANCELED' });
			expect(copy.cause).toBeUndefined();
			const unreadable = new NodeOperationError(
				{ name: 'Botisimo' } as never,
				'Credentials not found',
			);
			expect(
				await failureOf(run(getOrCreate({ ssoId: USER }), { failRequest: () => unreadable })),
			).toMatchObject({ message: 'Credentials not found' });
		});
	});

	it('keeps going with an error item per failed item when the node continues on fail', async () => {
		const { id } = api.addUser({ ssoId: USER });
		const output = await run(
			addPoints({ userId: id, points: (itemIndex: number) => [10, -1, 20][itemIndex] }),
			{ items: 3, continueOnFail: true },
		);
		expect(output).toEqual([
			{ json: { success: true, userId: id, points: 10, key: null }, pairedItem: { item: 0 } },
			{
				json: { error: 'Points must be a whole number, 1 or more, not -1.' },
				pairedItem: { item: 1 },
			},
			{ json: { success: true, userId: id, points: 20, key: null }, pairedItem: { item: 2 } },
		]);
		expect(api.user(id)).toMatchObject({ gold: 30 });
	});

	it('fails at the first failed item otherwise, naming it', async () => {
		const { id } = api.addUser({ ssoId: USER });
		const error = await failureOf(
			run(addPoints({ userId: id, points: (itemIndex: number) => [10, -1, 20][itemIndex] }), {
				items: 3,
			}),
		);
		expect(error.context.itemIndex).toBe(1);
		expect(api.user(id)).toMatchObject({ gold: 10 });
	});

	it('takes the base URL from the credential, with or without a trailing slash, else Botisimo', async () => {
		await run(getOrCreate({ ssoId: USER }), { baseUrl: `${api.baseUrl}/` });
		expect(api.requests).toHaveLength(1);
		await run(getOrCreate({ ssoId: USER }), { baseUrl: ' ' });
		expect(sent[1].url).toBe(`${BOTISIMO_ADMIN_URL}/user`);
	});
});

describe('Botisimo node description', () => {
	const { description } = new Botisimo();

	it('is an action node an AI agent can use, with the Botisimo API credential tested locally', () => {
		expect(description).toMatchObject({
			name: 'botisimo',
			displayName: 'Botisimo',
			usableAsTool: true,
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: 'botisimoApi', required: true, testedBy: 'botisimoClientIdTest' }],
		});
	});

	it('offers Loyalty User: Get or Create, Add Points and Delete; Team: Get', () => {
		const values = (name: string) =>
			description.properties
				.filter((property) => property.name === name)
				.flatMap((property) => property.options ?? [])
				.map((option) => ('value' in option ? option.value : undefined));
		expect(values('resource')).toEqual(['loyaltyUser', 'team']);
		expect(values('operation')).toEqual(['addPoints', 'delete', 'getOrCreate', 'get']);
	});
});

describe('Botisimo API credential', () => {
	const credential = new BotisimoApi();

	it("holds a hidden Client ID, an optional Team and Botisimo's admin endpoint, apart from the webhook secret", () => {
		expect(credential.name).toBe('botisimoApi');
		expect(credential.name).not.toBe(new BotisimoWebhookApi().name);
		expect(credential.displayName).toBe('Botisimo API');
		expect(credential.properties).toEqual([
			expect.objectContaining({
				name: 'clientId',
				type: 'string',
				required: true,
				typeOptions: { password: true },
			}),
			expect.objectContaining({ name: 'team', type: 'string', default: '' }),
			expect.objectContaining({ name: 'baseUrl', type: 'string', default: BOTISIMO_ADMIN_URL }),
		]);
		expect(BOTISIMO_ADMIN_URL).toBe('https://botisimo.com/api/v1/loyalty/admin');
	});
});

describe('testing the Botisimo Client ID', () => {
	const test = credentialTestOf(new Botisimo(), 'botisimoClientIdTest', 'botisimoApi');
	const testClientId = (clientId: unknown) => test({ clientId, baseUrl: BOTISIMO_ADMIN_URL });

	it('accepts letters, digits and hyphens, and says Botisimo cannot check it', async () => {
		expect(await testClientId(CLIENT_ID)).toEqual({
			status: 'OK',
			message: expect.stringMatching(/without creating a user/),
		});
	});

	it.each([
		['empty', '', /empty/],
		['missing', undefined, /empty/],
		['with a line break', `${CLIENT_ID}\n`, /spaces or line breaks/],
		['with other characters', 'k3x9q_7hw2m/p4t8z', /letters, digits and hyphens/],
		[
			"the documentation's example",
			'xxxxx-xxxxx-xxxxx-xxxxx',
			/example from Botisimo's documentation/,
		],
	])('refuses a Client ID that is %s, saying what to fix', async (_label, clientId, message) => {
		const result = await testClientId(clientId);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(message);
	});
});
