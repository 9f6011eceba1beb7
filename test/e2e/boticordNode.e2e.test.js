const crypto = require('node:crypto');

const { BOT_ID } = require('../fixtures/deliveries');
const { startFakeBoticordApi } = require('../harness/fakeBoticordApi');
const { e2eVersions } = require('../harness/install');
const { startN8n } = require('../harness/n8n');
const { PACKAGE, boticordCredentialData } = require('../harness/workflows');

const TOKEN = `bc-api-${crypto.randomUUID()}`;

/** n8n's Webhook node, then the Boticord node posting stats, then reading the bot back. */
function statsWorkflow(credential, path) {
	const boticord = (name, x, parameters) => ({
		id: crypto.randomUUID(),
		name,
		type: `${PACKAGE}.boticord`,
		typeVersion: 1,
		position: [x, 0],
		parameters,
		credentials: { boticordWebhookApi: { id: credential.id, name: credential.name } },
	});
	return {
		name: 'Boticord stats',
		nodes: [
			{
				id: crypto.randomUUID(),
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: crypto.randomUUID(),
				parameters: { httpMethod: 'POST', path, responseMode: 'lastNode', options: {} },
			},
			boticord('Update stats', 220, {
				resource: 'bot',
				operation: 'updateStats',
				botId: BOT_ID,
				statistics: { servers: '={{ $json.body.servers }}', shards: 3 },
			}),
			boticord('Get bot', 440, { resource: 'bot', operation: 'get', botId: BOT_ID }),
		],
		connections: {
			Webhook: { main: [[{ node: 'Update stats', type: 'main', index: 0 }]] },
			'Update stats': { main: [[{ node: 'Get bot', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

describe.each(e2eVersions())('n8n %s: the Boticord node', (version) => {
	let n8n;
	let api;

	beforeAll(async () => {
		api = await startFakeBoticordApi({ token: TOKEN });
		n8n = await startN8n({ version, packageTarball: process.env.E2E_PACKAGE_TARBALL });
	});

	/** The stats workflow, active, with a credential pointing at the stand-in API. */
	async function activeStatsWorkflow() {
		const credential = await n8n.createCredential('boticordWebhookApi', {
			...boticordCredentialData(TOKEN),
			baseUrl: api.baseUrl,
		});
		const path = crypto.randomUUID();
		const { id } = await n8n.createWorkflow(statsWorkflow(credential, path));
		await n8n.activateWorkflow(id, { webhookPath: path });
		return { id, path };
	}

	afterAll(async () => {
		if (n8n) {
			const logs = n8n.logs();
			await n8n.stop();
			expect(logs).not.toContain(TOKEN);
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
});
