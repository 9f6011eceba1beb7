import {
	ManualExecutionCancelledError,
	NodeApiError,
	NodeOperationError,
	type IExecuteFunctions,
	type IHttpRequestOptions,
	type ILoadOptionsFunctions,
	type INodeExecutionData,
	type INodePropertyOptions,
} from 'n8n-workflow';

import { BotisimoApi } from '../../credentials/BotisimoApi.credentials';
import { Botisimo } from '../../nodes/Botisimo/Botisimo.node';
import { REQUEST_TIMEOUT_MS, teamUrl } from '../../nodes/Botisimo/botisimoApi';
import { TEAM_NAME, startFakeBotisimoApi } from '../harness/fakeBotisimoApi';

const CLIENT_ID = 'k3x9q-7hw2m-p4t8z-r1v6c';

type FakeApi = Awaited<ReturnType<typeof startFakeBotisimoApi>>;

interface Credential {
	team?: unknown;
	baseUrl?: string;
}

interface Options {
	/** Stands in for n8n's request helper failing before any answer, as it does. */
	failRequest?: (options: IHttpRequestOptions) => Error;
	signal?: AbortSignal;
	continueOnFail?: boolean;
}

/**
 * What n8n's request helper throws when a request gets no answer: its error
 * wrapping the transport's, with the code where n8n 1.x and 2.x keep it.
 */
function transportFailure(message: string, code: string): NodeApiError {
	const cause = Object.assign(new Error(message), { code });
	return new NodeApiError({ name: 'Botisimo' } as never, cause as never);
}

/**
 * The contexts n8n gives the node (execute()) and the editor's list
 * (loadOptions), with n8n's plain request helper going to the stand-in; its
 * authenticated helper, which would add the Client ID, fails the test.
 */
function contexts(api: FakeApi) {
	const sent: IHttpRequestOptions[] = [];
	const node = { name: 'Botisimo', type: 'n8n-nodes-boticord-botisimo.botisimo' };

	function helpers({ failRequest }: Options) {
		return {
			async httpRequest(options: IHttpRequestOptions) {
				sent.push(options);
				if (failRequest) throw failRequest(options);
				const url = new URL(options.url);
				if (url.hostname !== '127.0.0.1') {
					return { statusCode: 200, headers: {}, body: { team: { name: 'elsewhere' } } };
				}
				let response: Response;
				try {
					response = await fetch(url, {
						method: options.method,
						headers: options.headers as Record<string, string>,
						signal: options.abortSignal as AbortSignal | undefined,
					});
				} catch (error) {
					if (options.abortSignal?.aborted) {
						throw transportFailure('canceled', 'ERR_CANCELED');
					}
					const code = String((error as { cause?: { code?: string } }).cause?.code);
					throw transportFailure(`connect ${code} ${url.host}`, code);
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
			httpRequestWithAuthentication() {
				throw new Error("The team's page was asked for with the Client ID");
			},
		};
	}

	/** The credential with the stand-in's team and address, unless told otherwise (a Team left out). */
	const credentials = (credential: Credential) => {
		const team = 'team' in credential ? credential.team : TEAM_NAME;
		return {
			clientId: CLIENT_ID,
			baseUrl: credential.baseUrl ?? api.baseUrl,
			...(team === undefined ? {} : { team }),
		};
	};

	/** Team → Get, for `items` items. */
	async function getTeam(
		credential: Credential = {},
		options: Options = {},
		items = 1,
	): Promise<INodeExecutionData[]> {
		const parameters: Record<string, unknown> = { resource: 'team', operation: 'get' };
		const context = {
			getInputData: () => Array.from({ length: items }, () => ({ json: {} })),
			getNodeParameter: (name: string, _itemIndex: number, fallback?: unknown) =>
				parameters[name] ?? fallback,
			getCredentials: async () => credentials(credential),
			getNode: () => node,
			getExecutionId: () => 'execution-1',
			getExecutionCancelSignal: () => options.signal,
			continueOnFail: () => options.continueOnFail ?? false,
			helpers: helpers(options),
		} as unknown as IExecuteFunctions;
		const [output] = await new Botisimo().execute.call(context);
		return output;
	}

	/** The editor's list of tags for Tag Names or IDs. */
	async function listTags(
		credential: Credential = {},
		options: Options = {},
	): Promise<INodePropertyOptions[]> {
		const context = {
			getCredentials: async () => credentials(credential),
			getNode: () => node,
			getCurrentNodeParameter: () => undefined,
			helpers: helpers(options),
		} as unknown as ILoadOptionsFunctions;
		return new Botisimo().methods.loadOptions.getTeamTags.call(context);
	}

	return { getTeam, listTags, sent };
}

async function failureOf(run: Promise<unknown>): Promise<NodeApiError & NodeOperationError> {
	const error = await run.then(
		() => undefined,
		(thrown: unknown) => thrown,
	);
	expect(error).toBeInstanceOf(Error);
	expect(JSON.stringify({ error, json: (error as NodeApiError).toJSON?.() })).not.toContain(
		CLIENT_ID,
	);
	return error as NodeApiError & NodeOperationError;
}

describe("Botisimo's team, from its public page", () => {
	let api: FakeApi;
	let run: ReturnType<typeof contexts>;

	beforeEach(async () => {
		api = await startFakeBotisimoApi({ clientId: CLIENT_ID });
		run = contexts(api);
	});

	afterEach(async () => {
		await api.close();
	});

	/** The stand-in's log, as method, path and whether a Client ID came with it. */
	const requested = () =>
		api.requests.map(({ method, path, clientId }) => ({ method, path, clientId }));

	describe('Team → Get', () => {
		it('gives the team as Botisimo sent it, asked for without the Client ID', async () => {
			const [item] = await run.getTeam();
			expect(item).toEqual({ json: api.teamPage, pairedItem: { item: 0 } });
			expect(item.json).toMatchObject({
				name: 'n8n-test-team',
				currencyName: 'Stars',
				loyaltyTiers: [expect.objectContaining({ id: 9, name: 'Regular', gold: 1000 })],
				loyaltyMemberships: [expect.objectContaining({ id: 7, name: 'Supporter' })],
				tags: [
					expect.objectContaining({ id: 3, name: 'Streams' }),
					expect.objectContaining({ id: 4, name: 'Giveaways' }),
				],
			});
			expect(requested()).toEqual([
				{ method: 'GET', path: '/api/v1/loyalty/n8n-test-team', clientId: undefined },
			]);
			expect(run.sent[0]).toMatchObject({ timeout: REQUEST_TIMEOUT_MS, json: true });
			expect(run.sent[0].headers).toBeUndefined();
		});

		it.each([
			['empty', ''],
			['blank', '   '],
			['missing', undefined],
		])('says what to fill in when the credential has a Team that is %s', async (_label, team) => {
			const error = await failureOf(run.getTeam({ team }));
			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toBe('The Botisimo API credential names no team');
			expect(error.description).toBe(
				"Fill in Team in the Botisimo API credential: your team's name in your Botisimo account, as it stands in https://botisimo.com/api/v1/loyalty/<team>.",
			);
			expect(error.context.itemIndex).toBe(0);
			expect(api.requests).toEqual([]);
		});

		it('asks for the team the credential names, trimmed and encoded for the address', async () => {
			const error = await failureOf(run.getTeam({ team: ' my team/x ' }));
			expect(error.message).toBe(
				'Botisimo has no loyalty team named "my team/x" (HTTP 404): Team not found',
			);
			expect(requested()).toEqual([
				{ method: 'GET', path: '/api/v1/loyalty/my%20team%2Fx', clientId: undefined },
			]);
		});

		it('reads the page beside the admin API of the Base URL, with or without a trailing slash, else Botisimo', async () => {
			await run.getTeam({ baseUrl: `${api.baseUrl}/` });
			expect(requested()).toHaveLength(1);
			await run.getTeam({ baseUrl: ' ' });
			expect(run.sent[1].url).toBe('https://botisimo.com/api/v1/loyalty/n8n-test-team');
			expect(teamUrl('https://proxy.example.com/botisimo/admin', 'optic')).toBe(
				'https://proxy.example.com/botisimo/optic',
			);
		});

		it('keeps going with an error item per item when the node continues on fail', async () => {
			const output = await run.getTeam({ team: 'nobody' }, { continueOnFail: true }, 2);
			expect(output).toEqual([
				{
					json: { error: 'Botisimo has no loyalty team named "nobody" (HTTP 404): Team not found' },
					pairedItem: { item: 0 },
				},
				{
					json: { error: 'Botisimo has no loyalty team named "nobody" (HTTP 404): Team not found' },
					pairedItem: { item: 1 },
				},
			]);
		});

		it('ends with n8n’s cancellation when the execution is stopped while Botisimo is silent', async () => {
			const stop = new AbortController();
			api.hangNext();
			const getting = run.getTeam({}, { signal: stop.signal });
			const deadline = Date.now() + 5_000;
			while (api.hangingRequests === 0 && Date.now() < deadline) {
				await new Promise((resolve) => setTimeout(resolve, 10));
			}
			expect(api.hangingRequests).toBe(1);
			stop.abort();
			await expect(getting).rejects.toBeInstanceOf(ManualExecutionCancelledError);
			expect(run.sent[0].abortSignal).toBe(stop.signal);
		});
	});

	describe('the list of tags for Tag Names or IDs', () => {
		it("lists the team's tags by name, with their IDs as values, asked for without the Client ID", async () => {
			expect(await run.listTags()).toEqual([
				{ name: 'Giveaways', value: 4, description: 'Tag ID 4' },
				{ name: 'Streams', value: 3, description: 'Tag ID 3' },
			]);
			expect(requested()).toEqual([
				{ method: 'GET', path: '/api/v1/loyalty/n8n-test-team', clientId: undefined },
			]);
		});

		it('is empty for a team without tags', async () => {
			api.teamPage.tags = [];
			expect(await run.listTags()).toEqual([]);
			delete (api.teamPage as { tags?: unknown }).tags;
			expect(await run.listTags()).toEqual([]);
		});

		it('says in its one message what to fill in when the credential has no Team', async () => {
			const error = await failureOf(run.listTags({ team: '' }));
			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toBe(
				"The Botisimo API credential names no team. Fill in Team in the Botisimo API credential: your team's name in your Botisimo account, as it stands in https://botisimo.com/api/v1/loyalty/<team>.",
			);
			expect(api.requests).toEqual([]);
		});

		it('says in its one message what to do about an unknown team', async () => {
			const error = await failureOf(run.listTags({ team: 'nobody' }));
			expect(error.message).toMatch(
				/^Botisimo has no loyalty team named "nobody" \(HTTP 404\): Team not found\. Check Team in the Botisimo API credential: /,
			);
		});
	});

	describe("Botisimo's answers about the team", () => {
		it('says a team without the enterprise plan has no loyalty program', async () => {
			api.team.enterprise = false;
			const error = await failureOf(run.getTeam());
			expect(error).toBeInstanceOf(NodeApiError);
			expect(error).toMatchObject({
				message:
					'Botisimo has no loyalty program for the team "n8n-test-team" (HTTP 403): The loyalty API requires an enterprise team',
				httpCode: '403',
			});
			expect(error.description).toMatch(
				/^Botisimo's Loyalty Admin API is for teams on its enterprise plan.*Check Team in the Botisimo API credential/,
			);
		});

		it('says an unknown team is unknown, and to check the Base URL only when it is not Botisimo’s', async () => {
			const error = await failureOf(run.getTeam({ team: 'nobody' }));
			expect(error).toMatchObject({
				message: 'Botisimo has no loyalty team named "nobody" (HTTP 404): Team not found',
				httpCode: '404',
			});
			expect(error.description).toMatch(/^Check Team in the Botisimo API credential: /);
			expect(error.description).toMatch(/If it is right, check the Base URL/);
		});

		it.each([
			[500, 'An error has occurred', '(HTTP 500): An error has occurred', /^Try again in a moment/],
			[429, 'Slow down', '(HTTP 429): Slow down', /^Try again in a moment/],
			[400, 'Bad team', '(HTTP 400): Bad team', /^Check Team in the Botisimo API credential/],
		])(
			'turns HTTP %d %p into an error with what to do',
			async (status, message, quoted, whatToDo) => {
				api.failNext(status, message);
				const error = await failureOf(run.getTeam());
				expect(error).toBeInstanceOf(NodeApiError);
				expect(error.message.endsWith(quoted)).toBe(true);
				expect(error.message).toMatch(/the team "n8n-test-team"/);
				expect(error.httpCode).toBe(String(status));
				expect(error.description).toMatch(whatToDo);
			},
		);

		it("quotes no proxy's page, and says a 2xx without a team is not Botisimo's page", async () => {
			api.failNext(502, undefined, { raw: '<html><body>Bad gateway</body></html>' });
			expect((await failureOf(run.getTeam())).message).toBe(
				'Botisimo failed to answer about the team "n8n-test-team" (HTTP 502)',
			);
			api.failNext(200, 'not a team');
			const error = await failureOf(run.getTeam());
			expect(error.message).toBe('Botisimo answered without the team "n8n-test-team"');
			expect(error.description).toMatch(/check the Base URL/);
		});

		it(`says Botisimo did not answer within ${REQUEST_TIMEOUT_MS / 1000} seconds`, async () => {
			const timedOut = (options: IHttpRequestOptions) =>
				transportFailure(`timeout of ${options.timeout}ms exceeded`, 'ECONNABORTED');
			const error = await failureOf(run.getTeam({}, { failRequest: timedOut }));
			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.message).toBe(
				'Botisimo did not answer about the team "n8n-test-team" within 30 seconds',
			);
			expect(error.description).toBe('Try again in a moment.');
			const listed = await failureOf(run.listTags({}, { failRequest: timedOut }));
			expect(listed.message).toBe(
				'Botisimo did not answer about the team "n8n-test-team" within 30 seconds. Try again in a moment.',
			);
		});

		it('says Botisimo could not be reached at the team’s address', async () => {
			const closed = await startFakeBotisimoApi({ clientId: CLIENT_ID });
			await closed.close();
			const error = await failureOf(run.getTeam({ baseUrl: closed.baseUrl }));
			expect(error.message).toBe(
				`Botisimo could not be reached at ${closed.baseUrl.replace(/admin$/, 'n8n-test-team')}`,
			);
			expect(error.description).toMatch(/^The connection failed \(ECONNREFUSED\)/);
		});
	});
});

describe('the Team in the editor', () => {
	const { description, methods } = new Botisimo();
	const property = (name: string, resource: string) =>
		description.properties.find(
			(p) => p.name === name && p.displayOptions?.show?.resource?.includes(resource),
		);

	it('offers Team → Get beside Loyalty User', () => {
		const resource = description.properties.find((p) => p.name === 'resource');
		expect(resource?.options?.map((o) => ('value' in o ? o.value : undefined))).toEqual([
			'loyaltyUser',
			'team',
		]);
		expect(property('operation', 'team')?.options).toEqual([
			expect.objectContaining({ name: 'Get', value: 'get', action: 'Get the team' }),
		]);
	});

	it('lists Tag Names or IDs from the team, still open to an expression', () => {
		expect(property('tagIds', 'loyaltyUser')).toMatchObject({
			displayName: 'Tag Names or IDs',
			type: 'multiOptions',
			typeOptions: { loadOptionsMethod: 'getTeamTags' },
			default: [],
			description: expect.stringMatching(/expression/),
		});
		expect(typeof methods.loadOptions.getTeamTags).toBe('function');
	});

	it('has an optional, visible Team in the Botisimo API credential', () => {
		const team = new BotisimoApi().properties.find((p) => p.name === 'team');
		expect(team).toMatchObject({ displayName: 'Team', type: 'string', default: '' });
		expect(team?.required).toBeUndefined();
		expect(team?.typeOptions).toBeUndefined();
	});
});
