const crypto = require('node:crypto');

const { BOT_ID } = require('../fixtures/deliveries');
const { startFakeBoticordApi } = require('../harness/fakeBoticordApi');
const { e2eVersions } = require('../harness/install');
const { startN8n } = require('../harness/n8n');
const { boticordCredentialData, webhookThen } = require('../harness/workflows');

const TOKEN = `bc-api-${crypto.randomUUID()}`;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** n8n's Webhook node, then Boticord nodes one after the other: `steps` as [name, parameters] pairs. */
function boticordChain(credential, path, steps) {
	return webhookThen({
		name: 'Boticord',
		path,
		nodeType: 'boticord',
		credentialType: 'boticordWebhookApi',
		credential,
		steps,
	});
}

/** The Boticord node posting stats, then reading the bot back. */
function statsWorkflow(credential, path) {
	return boticordChain(credential, path, [
		[
			'Update stats',
			{
				resource: 'bot',
				operation: 'updateStats',
				botId: BOT_ID,
				statistics: { servers: '={{ $json.body.servers }}', shards: 3 },
			},
		],
		['Get bot', { resource: 'bot', operation: 'get', botId: BOT_ID }],
	]);
}

/** One Boticord node, named Boticord, with `parameters`. */
function boticordWorkflow(credential, path, parameters) {
	return boticordChain(credential, path, [['Boticord', parameters]]);
}

describe.each(e2eVersions())('n8n %s: the Boticord node', (version) => {
	let n8n;
	let api;
	/** Every API token the tests give n8n, and any log line that holds one. */
	const tokens = [TOKEN];
	const leaks = [];

	beforeAll(async () => {
		api = await startFakeBoticordApi({ token: TOKEN });
		// At debug level n8n logs when each node ends, which shows how soon a stopped one does.
		n8n = await startN8n({
			version,
			packageTarball: process.env.E2E_PACKAGE_TARBALL,
			env: { N8N_LOG_LEVEL: 'debug' },
		});
		// Every line, not only the last ones n8n.logs() keeps, must be free of every token.
		n8n.child.on('line', (line) => {
			if (tokens.some((token) => line.includes(token))) leaks.push(line);
		});
	});

	/** A credential with `token`, pointing at the stand-in API. */
	function credentialFor(token) {
		return n8n.createCredential('boticordWebhookApi', {
			...boticordCredentialData(token),
			baseUrl: api.baseUrl,
		});
	}

	/** `workflow(credential, path)`, active. */
	async function activate(workflow, token = TOKEN) {
		const path = crypto.randomUUID();
		const { id } = await n8n.createWorkflow(workflow(await credentialFor(token), path));
		await n8n.activateWorkflow(id, { webhookPath: path });
		return { id, path };
	}

	/** The stats workflow, active, with a credential pointing at the stand-in API. */
	function activeStatsWorkflow() {
		return activate(statsWorkflow);
	}

	/**
	 * A Get Bot workflow, active, with a token of its own: a 429 holds its
	 * token's requests in n8n's process, and no other test's.
	 */
	function activeGetBotWorkflow() {
		const parameters = { resource: 'bot', operation: 'get', botId: BOT_ID };
		const token = `bc-api-${crypto.randomUUID()}`;
		tokens.push(token);
		return activate((credential, path) => boticordWorkflow(credential, path, parameters), token);
	}

	afterAll(async () => {
		if (n8n) {
			const logs = n8n.logs();
			await n8n.stop();
			expect(logs).not.toContain(TOKEN);
			expect(leaks).toEqual([]);
		}
		if (api) await api.close();
	});

	it("posts a bot's stats with the credential's token and reads the bot back", async () => {
		const { id, path } = await activeStatsWorkflow();
		const answer = await n8n.webhook(path, { body: { servers: 321 } });
		expect(answer.status).toBe(200);
		expect(answer.json).toMatchObject({ id: BOT_ID, guilds: 321, shards: 3 });
		expect(api.requests).toEqual([
			{
				method: 'POST',
				path: `/bots/${BOT_ID}/stats`,
				authorization: TOKEN,
				body: JSON.stringify({ servers: 321, shards: 3 }),
			},
			expect.objectContaining({ method: 'GET', path: `/bots/${BOT_ID}`, authorization: TOKEN }),
		]);
		const [execution] = await n8n.waitForExecutions(id, 1);
		expect(execution.status).toBe('success');
	});

	it("fails the execution with Boticord's error, named, for a bot the token does not own", async () => {
		api.data.bots[BOT_ID].owner = '1';
		const { id, path } = await activeStatsWorkflow();
		await n8n.webhook(path, { body: { servers: 1 } });
		const [execution] = await n8n.waitForExecutions(id, 1);
		expect(execution.status).toBe('error');
		expect(execution.data.resultData.error.message).toMatch(
			/^The bot or server is not owned by the API token's account/,
		);
	});

	it.each([
		['Bot ID', 'Get', { resource: 'bot', operation: 'get', botId: '={{ $json.body.id }}' }],
		[
			'Bot ID',
			'Update Stats',
			{
				resource: 'bot',
				operation: 'updateStats',
				botId: '={{ $json.body.id }}',
				statistics: { servers: 1 },
			},
		],
		['User ID', 'Get', { resource: 'user', operation: 'get', userId: '={{ $json.body.id }}' }],
	])('sends nothing to Boticord for a %s of ".." (%s)', async (field, _operation, parameters) => {
		const { id, path } = await activate((credential, webhookPath) =>
			boticordWorkflow(credential, webhookPath, parameters),
		);
		const sent = api.requests.length;
		await n8n.webhook(path, { body: { id: '..' } });
		const [execution] = await n8n.waitForExecutions(id, 1);
		expect(execution.status).toBe('error');
		expect(execution.data.resultData.error.message).toBe(
			`${field} must be a Discord ID (its digits, e.g. 724663360934772797), not "..".`,
		);
		expect(api.requests).toHaveLength(sent);
	});

	it('ends the execution with the rate-limit error, at once, when Boticord asks to wait a day', async () => {
		const { id, path } = await activeGetBotWorkflow();
		const sent = api.requests.length;
		api.rateLimitNext(1, { retryAfter: '86400' });
		const started = Date.now();
		await n8n.webhook(path, { body: {} });
		const [execution] = await n8n.waitForExecutions(id, 1, 60_000);
		const took = Date.parse(execution.stoppedAt) - started;
		expect(execution.status).toBe('error');
		expect(execution.data.resultData.error.message).toBe(
			'Boticord is rate limiting this account: it asks to wait 24 h (86400 s) before the next request',
		);
		expect(took).toBeLessThan(60_000);
		expect(api.requests).toHaveLength(sent + 1);
		console.log(`n8n ${version}: a day-long Retry-After ended the execution in ${took} ms`);
	});

	it("ends the node's wait at once when the execution is stopped, and sends nothing after", async () => {
		const { id, path } = await activeGetBotWorkflow();
		const sent = api.requests.length;
		api.rateLimitNext(1, { retryAfter: '10' });
		const answered = n8n.webhook(path, { body: {} });
		while (api.requests.length === sent) await sleep(50);
		const limitedAt = api.arrivals[sent];
		// The node now waits the 10 s Boticord asked; stop the execution as the editor does.
		let running = [];
		while (running.length === 0) {
			running = await n8n.listExecutions(id, { status: 'running' });
			if (running.length === 0) await sleep(100);
		}
		let nodeEndedAt;
		const ended = new Promise((resolve) => {
			n8n.child.on('line', (line) => {
				if (nodeEndedAt === undefined && line.includes('Running node "Boticord" finished')) {
					nodeEndedAt = Date.now();
					resolve();
				}
			});
		});
		const stoppedAt = Date.now();
		const stop = await n8n.rest('POST', `/executions/${running[0].id}/stop`);
		expect(stop.status).toBe(200);
		await Promise.race([ended, sleep(9_000)]);
		await answered;
		expect(nodeEndedAt).toBeDefined();
		const ending = nodeEndedAt - stoppedAt;
		expect(ending).toBeLessThan(2_000);
		const [execution] = await n8n.waitForExecutions(id, 1);
		expect(execution.status).toBe('canceled');
		// Past the time Boticord asked for: a wait that had gone on would have sent again by now.
		await sleep(Math.max(0, limitedAt + 11_000 - Date.now()));
		expect(api.requests).toHaveLength(sent + 1);
		console.log(
			`n8n ${version}: the stopped node ended ${ending} ms after POST /rest/executions/${running[0].id}/stop (its wait had ${10_000 - (stoppedAt - limitedAt)} ms to go)`,
		);
	});
});
