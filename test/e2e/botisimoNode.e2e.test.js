const crypto = require('node:crypto');

const { USER } = require('../fixtures/deliveries');
const { FIRST_USER_ID, TEAM_NAME, startFakeBotisimoApi } = require('../harness/fakeBotisimoApi');
const { e2eVersions } = require('../harness/install');
const { startN8n } = require('../harness/n8n');
const { waitUntil: until } = require('../harness/processes');
const { PACKAGE, botisimoApiCredentialData, webhookThen } = require('../harness/workflows');

const CLIENT_ID = `e2e${crypto.randomBytes(6).toString('hex')}-${crypto.randomBytes(6).toString('hex')}`;

/**
 * n8n's Webhook node, answering with the last node's first item (or at once,
 * with `responseMode: 'onReceived'`), then Botisimo nodes one after the
 * other: `steps` are [name, parameters, node settings].
 */
function botisimoWorkflow(credential, path, steps, responseMode) {
	return webhookThen({
		name: 'Botisimo loyalty',
		path,
		responseMode,
		nodeType: 'botisimo',
		credentialType: 'botisimoApi',
		credential,
		steps: steps.map(([name, parameters, settings]) => [
			name,
			{ resource: 'loyaltyUser', ...parameters },
			settings,
		]),
	});
}

/** The voter found or created, then points for them, as the webhook's body says. */
const pointsSteps = [
	['Get or create', { operation: 'getOrCreate', ssoId: '={{ $json.body.ssoId }}' }],
	[
		'Add points',
		{
			operation: 'addPoints',
			userId: '={{ $json.id }}',
			points: "={{ $('Webhook').item.json.body.points }}",
			message: 'Up on BotiCord',
			key: "={{ $('Webhook').item.json.body.key }}",
		},
	],
];

describe.each(e2eVersions())('n8n %s: the Botisimo node', (version) => {
	let n8n;
	let api;
	let credential;

	beforeAll(async () => {
		api = await startFakeBotisimoApi({ clientId: CLIENT_ID });
		n8n = await startN8n({ version, packageTarball: process.env.E2E_PACKAGE_TARBALL });
		credential = await n8n.createCredential(
			'botisimoApi',
			botisimoApiCredentialData(CLIENT_ID, api.baseUrl),
		);
	});

	afterAll(async () => {
		if (n8n) {
			const logs = n8n.logs();
			await n8n.stop();
			expect(logs).not.toContain(CLIENT_ID);
		}
		if (api) await api.close();
	});

	beforeEach(() => {
		api.requests.length = 0;
		api.team.enterprise = true;
	});

	/** An active workflow of `steps`, with the stand-in's credential unless told otherwise. */
	async function activeWorkflow(
		steps,
		{ withCredential = credential, responseMode = 'lastNode' } = {},
	) {
		const path = crypto.randomUUID();
		const { id } = await n8n.createWorkflow(
			botisimoWorkflow(withCredential, path, steps, responseMode),
		);
		await n8n.activateWorkflow(id, { webhookPath: path });
		let runs = 0;
		/** Sends `body` to the webhook; resolves with n8n's answer and the finished execution. */
		async function send(body) {
			const answer = await n8n.webhook(path, { body });
			const executions = await n8n.waitForExecutions(id, ++runs, 60_000);
			const execution = executions[executions.length - 1];
			// The Client ID is in no item, error or execution n8n keeps.
			expect(JSON.stringify(execution)).not.toContain(CLIENT_ID);
			return { answer, execution };
		}
		return send;
	}

	const errorOf = (execution) => execution.data.resultData.error;

	/** The one execution running now, as the editor's list shows it. */
	async function runningExecution() {
		let running;
		await until(async () => {
			const answer = await n8n.rest('GET', '/executions');
			const { results } = answer.json.data;
			running = results.find((execution) => execution.status === 'running');
			return running !== undefined;
		}, 'a running execution');
		return running;
	}

	it('loads the node and its credential, and tests the Client ID locally', async () => {
		expect(await n8n.nodeTypeNames()).toContain(`${PACKAGE}.botisimo`);
		const test = async (clientId) => {
			const data = botisimoApiCredentialData(clientId, api.baseUrl);
			const { id, name } = await n8n.createCredential('botisimoApi', data);
			const answer = await n8n.rest('POST', '/credentials/test', {
				credentials: { id, name, type: 'botisimoApi', data },
			});
			expect(answer.status).toBe(200);
			return answer.json.data;
		};
		expect(await test(CLIENT_ID)).toEqual({
			status: 'OK',
			message: expect.stringMatching(/right form/),
		});
		expect(await test('xxxxx-xxxxx-xxxxx-xxxxx')).toEqual({
			status: 'Error',
			message: expect.stringMatching(/example from Botisimo's documentation/),
		});
		// A local check: Botisimo was not asked (its GET /user would create a user).
		expect(api.requests).toEqual([]);
	});

	it('gets or creates the voter and gives the points of one key once, however often it runs', async () => {
		const send = await activeWorkflow(pointsSteps);
		const body = { ssoId: USER, points: 50, key: `boticord-up:${USER}:1688747542930` };
		const first = await send(body);
		const again = await send(body);
		for (const { answer, execution } of [first, again]) {
			expect(execution.status).toBe('success');
			expect(answer.status).toBe(200);
			expect(answer.json).toEqual({
				success: true,
				userId: FIRST_USER_ID,
				points: 50,
				key: body.key,
			});
		}
		expect(api.transactions).toEqual([
			{ userId: FIRST_USER_ID, points: 50, message: 'Up on BotiCord', key: body.key },
		]);
		expect(api.user(FIRST_USER_ID)).toMatchObject({ ssoId: USER, gold: 50 });
		const runData = first.execution.data.resultData.runData;
		expect(runData['Get or create'][0].data.main[0][0].json).toMatchObject({
			id: FIRST_USER_ID,
			ssoId: USER,
		});

		await send({ ...body, key: `boticord-up:${USER}:1688747600000` });
		expect(api.user(FIRST_USER_ID)).toMatchObject({ gold: 100 });
		expect(api.transactions).toHaveLength(2);
		expect(api.requests).toHaveLength(6);
		for (const request of api.requests) expect(request.clientId).toBe(CLIENT_ID);
	});

	it('refuses points that are not a whole number of 1 or more, and no SSO ID nor email, before any request', async () => {
		const send = await activeWorkflow(pointsSteps);
		const negative = await send({ ssoId: USER, points: -5, key: 'k' });
		expect(negative.execution.status).toBe('error');
		expect(errorOf(negative.execution).message).toBe(
			'Points must be a whole number, 1 or more, not -5.',
		);
		// Only Get or Create reached Botisimo: the points were refused before their request.
		expect(api.requests.map(({ method, path }) => `${method} ${path}`)).toEqual(['GET /user']);

		const anonymous = await send({ ssoId: ' ', points: 5 });
		expect(errorOf(anonymous.execution).message).toMatch(
			/^Get or Create needs an SSO ID or an Email/,
		);
		expect(api.requests).toHaveLength(1);
	});

	it('deletes a user, and names the one Botisimo does not know, or an ID that is not one', async () => {
		const send = await activeWorkflow([
			['Delete', { operation: 'delete', userId: '={{ $json.body.userId }}' }],
		]);
		const { id } = api.addUser({ ssoId: 'to-delete' });
		const deleted = await send({ userId: id });
		expect(deleted.answer.json).toEqual({ success: true, userId: id, deleted: true });
		expect(api.user(id)).toBeUndefined();

		const unknown = await send({ userId: id });
		expect(unknown.execution.status).toBe('error');
		expect(errorOf(unknown.execution).message).toBe(
			`Botisimo has no user with ID ${id} (HTTP 404): User not found`,
		);
		const dots = await send({ userId: '..' });
		expect(errorOf(dots.execution).message).toBe(
			'Botisimo User ID must be a whole number, 1 or more, not "..".',
		);
		expect(api.requests.map(({ method, path }) => `${method} ${path}`)).toEqual([
			`DELETE /user/${id}`,
			`DELETE /user/${id}`,
		]);
	});

	it('says what to do about a wrong Client ID and a team without the enterprise plan', async () => {
		const wrong = await n8n.createCredential(
			'botisimoApi',
			botisimoApiCredentialData('wrong-client-id', api.baseUrl),
		);
		const withWrongId = await activeWorkflow(pointsSteps, { withCredential: wrong });
		const refused = await withWrongId({ ssoId: USER, points: 5 });
		expect(refused.execution.status).toBe('error');
		expect(errorOf(refused.execution)).toMatchObject({
			message: 'Botisimo refused the Client ID (HTTP 401): Invalid client id',
			description: expect.stringMatching(/^Copy the Client ID again/),
		});

		api.team.enterprise = false;
		const send = await activeWorkflow(pointsSteps);
		const notEnterprise = await send({ ssoId: USER, points: 5 });
		expect(errorOf(notEnterprise.execution)).toMatchObject({
			message:
				'Botisimo refused the request for your plan (HTTP 403): The loyalty API requires an enterprise team',
			description: expect.stringMatching(/enterprise plan/),
		});
	});

	it('says Botisimo could not be reached at a Base URL nothing answers', async () => {
		const closed = await startFakeBotisimoApi({ clientId: CLIENT_ID });
		await closed.close();
		const nowhere = await n8n.createCredential(
			'botisimoApi',
			botisimoApiCredentialData(CLIENT_ID, closed.baseUrl),
		);
		const send = await activeWorkflow(pointsSteps, { withCredential: nowhere });
		const { execution } = await send({ ssoId: USER, points: 5 });
		expect(errorOf(execution)).toMatchObject({
			message: `Botisimo could not be reached at ${closed.baseUrl}`,
			description: expect.stringMatching(/^The connection failed \(ECONNREFUSED\)/),
		});
	});

	it('continues on fail with an error item, when the node is set to', async () => {
		const send = await activeWorkflow([
			[
				'Delete',
				{ operation: 'delete', userId: '={{ $json.body.userId }}' },
				{ onError: 'continueRegularOutput' },
			],
		]);
		const { answer, execution } = await send({ userId: 4242 });
		expect(execution.status).toBe('success');
		expect(answer.json).toEqual({
			error: 'Botisimo has no user with ID 4242 (HTTP 404): User not found',
		});
	});

	it('ends a request Botisimo does not answer after 30 seconds, with an error that says so', async () => {
		// Answered at once: the execution goes on without the caller waiting.
		const send = await activeWorkflow(pointsSteps, { responseMode: 'onReceived' });
		api.hangNext();
		const { execution } = await send({ ssoId: USER, points: 5 });
		expect(execution.status).toBe('error');
		expect(errorOf(execution).message).toBe('Botisimo did not answer within 30 seconds');
		const seconds = (Date.parse(execution.stoppedAt) - Date.parse(execution.startedAt)) / 1000;
		expect(seconds).toBeGreaterThanOrEqual(29.5);
		expect(seconds).toBeLessThan(45);
		expect(api.hangingRequests).toBe(0);
	}, 120_000);

	it('ends a request at once when the execution is stopped', async () => {
		const send = await activeWorkflow(pointsSteps, { responseMode: 'onReceived' });
		api.hangNext();
		const sending = send({ ssoId: USER, points: 5 });
		await until(() => api.hangingRequests === 1, 'the request Botisimo does not answer');
		const running = await runningExecution();
		const stopped = await n8n.rest('POST', `/executions/${running.id}/stop`);
		expect(stopped.status).toBe(200);
		const { execution } = await sending;
		expect(execution.status).toBe('canceled');
		const seconds = (Date.parse(execution.stoppedAt) - Date.parse(execution.startedAt)) / 1000;
		expect(seconds).toBeLessThan(10);
		await until(() => api.hangingRequests === 0, 'n8n to close the request');
	}, 120_000);

	describe("the team's page", () => {
		/** A credential for the stand-in, naming `team`. */
		const credentialFor = (team) =>
			n8n.createCredential('botisimoApi', botisimoApiCredentialData(CLIENT_ID, api.baseUrl, team));

		/** The list of tags for Tag Names or IDs, as the editor asks n8n for it. */
		const tagList = (withCredential) =>
			n8n.nodeParameterOptions({
				nodeType: `${PACKAGE}.botisimo`,
				parameter: 'tagIds',
				methodName: 'getTeamTags',
				parameters: { resource: 'loyaltyUser', operation: 'getOrCreate', tagIds: [] },
				credentials: { botisimoApi: { id: withCredential.id, name: withCredential.name } },
			});

		/** The stand-in's log, as method, path and whether a Client ID came with it. */
		const requested = () =>
			api.requests.map(({ method, path, clientId }) => ({ method, path, clientId }));

		it("lists the team's tags by name in the editor, through n8n's own endpoint, without the Client ID", async () => {
			const answer = await tagList(await credentialFor(TEAM_NAME));
			expect(answer.status).toBe(200);
			expect(answer.json.data).toEqual([
				{ name: 'Giveaways', value: 4, description: 'Tag ID 4' },
				{ name: 'Streams', value: 3, description: 'Tag ID 3' },
			]);
			expect(requested()).toEqual([
				{ method: 'GET', path: `/api/v1/loyalty/${TEAM_NAME}`, clientId: undefined },
			]);
		});

		it("says in the editor's list what to fill in without a Team, and what to do about an unknown one", async () => {
			const withoutTeam = await tagList(credential);
			expect(withoutTeam.status).toBeGreaterThanOrEqual(400);
			expect(withoutTeam.json.message).toBe(
				"The Botisimo API credential names no team. Fill in Team in the Botisimo API credential: your team's name in your Botisimo account, as it stands in https://botisimo.com/api/v1/loyalty/<team>.",
			);
			expect(api.requests).toEqual([]);

			const unknown = await tagList(await credentialFor('nobody'));
			expect(unknown.status).toBeGreaterThanOrEqual(400);
			expect(unknown.json.message).toMatch(
				/^Botisimo has no loyalty team named "nobody" \(HTTP 404\): Team not found\. Check Team in the Botisimo API credential: /,
			);
			expect(JSON.stringify(unknown.json)).not.toContain(CLIENT_ID);
		});

		it('gets the team with Team → Get, and gives a new user a tag picked from the list', async () => {
			const withTeam = await credentialFor(TEAM_NAME);
			const getTeam = await activeWorkflow([['Team', { resource: 'team', operation: 'get' }]], {
				withCredential: withTeam,
			});
			const { answer, execution } = await getTeam({});
			expect(execution.status).toBe('success');
			expect(answer.json).toEqual(api.teamPage);
			expect(answer.json).toMatchObject({ name: TEAM_NAME, currencyName: 'Stars' });

			// The list's values, as the editor saves a picked tag.
			const getOrCreate = await activeWorkflow(
				[
					[
						'Get or create',
						{ operation: 'getOrCreate', ssoId: '={{ $json.body.ssoId }}', tagIds: [4] },
					],
				],
				{ withCredential: withTeam },
			);
			const created = await getOrCreate({ ssoId: 'tagged-viewer' });
			expect(created.answer.json).toMatchObject({
				ssoId: 'tagged-viewer',
				tags: [{ id: 4, name: 'Giveaways' }],
			});
			expect(requested()).toEqual([
				{ method: 'GET', path: `/api/v1/loyalty/${TEAM_NAME}`, clientId: undefined },
				{ method: 'GET', path: '/user', clientId: CLIENT_ID },
			]);
			expect(api.requests[1].query).toEqual({ id: 'tagged-viewer', tags: '4' });
		});

		it('says what to fill in when Team → Get runs without a Team, and names a team without the loyalty program', async () => {
			const withoutTeam = await activeWorkflow([['Team', { resource: 'team', operation: 'get' }]]);
			const missing = await withoutTeam({});
			expect(missing.execution.status).toBe('error');
			expect(errorOf(missing.execution)).toMatchObject({
				message: 'The Botisimo API credential names no team',
				description: expect.stringMatching(/^Fill in Team in the Botisimo API credential/),
			});

			api.team.enterprise = false;
			const withTeam = await activeWorkflow([['Team', { resource: 'team', operation: 'get' }]], {
				withCredential: await credentialFor(TEAM_NAME),
			});
			const refused = await withTeam({});
			expect(errorOf(refused.execution)).toMatchObject({
				message: `Botisimo has no loyalty program for the team "${TEAM_NAME}" (HTTP 403): The loyalty API requires an enterprise team`,
				description: expect.stringMatching(/enterprise plan/),
			});
			expect(requested()).toEqual([
				{ method: 'GET', path: `/api/v1/loyalty/${TEAM_NAME}`, clientId: undefined },
			]);
		});
	});
});
