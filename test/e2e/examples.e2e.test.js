const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');

const { startN8n } = require('./harness/n8n');
const { e2eVersions } = require('./versions');
const { PACKAGE, boticordCredentialData } = require('./workflows');

const EXAMPLES = path.join(__dirname, '..', '..', 'examples');
const API_TOKEN = `bc-${crypto.randomUUID()}`;
const SECRET = `bts${crypto.randomUUID().replace(/-/g, '')}`;
const USER = '178404926869733376';
const BOT_ID = '724663360934772797';
const HAPPENED = 1688747542930;

function readExample(file) {
	return JSON.parse(fs.readFileSync(path.join(EXAMPLES, file), 'utf8'));
}

/**
 * Stands in for Discord: every POST to /<name> is recorded as the message a
 * Discord webhook would have posted, and answered like Discord does without `wait`.
 */
async function startFakeDiscord() {
	const posts = [];
	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			posts.push({ channel: req.url, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
			res.writeHead(204).end();
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${server.address().port}`;
	return {
		posts,
		webhookUri: (channel) => `${url}/${channel}`,
		messagesTo: (channel) => posts.filter((p) => p.channel === `/${channel}`).map((p) => p.body),
		close: () => new Promise((resolve) => server.close(resolve)),
	};
}

describe.each(e2eVersions())('n8n %s: the example workflows', (version) => {
	let n8n;
	let discord;
	const credentials = {};

	/**
	 * Imports an example and does what its sticky note asks of the user: a
	 * fresh webhook id for each trigger (the editor assigns one on import), the
	 * user's credentials attached by type, a spreadsheet picked. Activates it
	 * and returns its id and webhook path.
	 */
	async function importAndActivate(file, discordChannel) {
		const workflow = readExample(file);
		let webhookPath;
		for (const node of workflow.nodes) {
			if (node.type.startsWith(`${PACKAGE}.`)) {
				node.webhookId = crypto.randomUUID();
				webhookPath = `${node.webhookId}/webhook`;
				const credential =
					node.type === `${PACKAGE}.boticordTrigger` ? credentials.boticord : credentials.botisimo;
				node.credentials = { [credential.type]: { id: credential.id, name: credential.name } };
			}
			if (node.type === 'n8n-nodes-base.discord') {
				const credential = await n8n.createCredential('discordWebhookApi', {
					webhookUri: discord.webhookUri(discordChannel),
				});
				node.credentials = { discordWebhookApi: { id: credential.id, name: credential.name } };
			}
			if (node.type === 'n8n-nodes-base.googleSheets') {
				// Through the editor's API: 1.x's public API wants every OAuth2 field.
				const answer = await n8n.rest('POST', '/credentials', {
					name: 'Google Sheets account',
					type: 'googleSheetsOAuth2Api',
					data: { clientId: 'e2e-client', clientSecret: 'e2e-secret' },
				});
				expect(answer.status).toBe(200);
				const credential = answer.json.data;
				node.credentials = { googleSheetsOAuth2Api: { id: credential.id, name: credential.name } };
				node.parameters.documentId = { __rl: true, mode: 'id', value: '1e2eSpreadsheetId' };
			}
		}
		const { id } = await n8n.createWorkflow(workflow);
		await n8n.activateWorkflow(id, { webhookPath });
		return { id, webhookPath };
	}

	/** Sends one event and waits for its execution to finish. */
	async function deliver(workflow, request, executionsBefore) {
		const response = await n8n.webhook(workflow.webhookPath, request);
		expect(response.status).toBe(200);
		const executions = await n8n.waitForExecutions(workflow.id, executionsBefore + 1);
		return executions[executions.length - 1];
	}

	/** A notification as Boticord sends it today. */
	const boticordNotification = (type, payload) => ({
		body: {
			type,
			payload,
			id: BOT_ID,
			user: USER,
			happened: HAPPENED,
			webhookSettings: { enabled: true, headers: {}, url: null, token: API_TOKEN },
		},
		headers: { 'X-Boticord-Token': API_TOKEN, 'X-Boticord-Affected': BOT_ID },
	});
	const botisimoEvent = (eventType, data = { channel: 'alice' }) => ({
		body: { messageId: crypto.randomUUID(), timestamp: 1674489999154, eventType, data },
		query: { token: SECRET },
	});

	beforeAll(async () => {
		discord = await startFakeDiscord();
		n8n = await startN8n({ version, packageTarball: process.env.E2E_PACKAGE_TARBALL });
		credentials.boticord = {
			...(await n8n.createCredential('boticordWebhookApi', boticordCredentialData(API_TOKEN))),
			type: 'boticordWebhookApi',
		};
		credentials.botisimo = {
			...(await n8n.createCredential('botisimoWebhookApi', { secret: SECRET })),
			type: 'botisimoWebhookApi',
		};
	});

	afterAll(async () => {
		if (n8n) await n8n.stop();
		if (discord) await discord.close();
	});

	it('every example in examples/ is covered here', () => {
		expect(fs.readdirSync(EXAMPLES).sort()).toEqual([
			'boticord-low-rating-alert.json',
			'boticord-up-thank-you-discord.json',
			'botisimo-giveaway-winner-spreadsheet.json',
			'botisimo-stream-started-announcement.json',
		]);
	});

	it('Boticord up → thanks the user in Discord', async () => {
		const workflow = await importAndActivate('boticord-up-thank-you-discord.json', 'ups');
		const execution = await deliver(workflow, boticordNotification('up_added', { upCount: 1 }), 0);
		expect(execution.status).toBe('success');
		expect(discord.messagesTo('ups')).toEqual([
			{ content: `Thank you <@${USER}> for the up on BotiCord! 💙` },
		]);
	});

	it('Boticord comment → alerts the team only when it is rated 2 or lower', async () => {
		const workflow = await importAndActivate('boticord-low-rating-alert.json', 'ratings');
		const praise = await deliver(
			workflow,
			boticordNotification('comment_added', { content: 'Лучший бот!', rating: 5 }),
			0,
		);
		expect(praise.status).toBe('success');
		const complaint = await deliver(
			workflow,
			boticordNotification('comment_edited', { content: 'Плохой бот!', rating: 1 }),
			1,
		);
		expect(complaint.status).toBe('success');
		expect(discord.messagesTo('ratings')).toEqual([
			{
				content:
					`⚠️ A 1/5 comment on BotiCord (edited) by <@${USER}> on ${BOT_ID} at 2023-07-07T16:32:22.930Z:\n` +
					'Плохой бот!',
			},
		]);
	});

	it('Botisimo stream started on any platform → announces it; other events start nothing', async () => {
		const workflow = await importAndActivate(
			'botisimo-stream-started-announcement.json',
			'announcements',
		);
		const ended = await n8n.webhook(
			workflow.webhookPath,
			botisimoEvent('connection.stream.ended.twitch'),
		);
		expect(ended.json).toEqual({ message: 'Webhook call received' });
		await deliver(workflow, botisimoEvent('connection.stream.started.youtube'), 0);
		await deliver(workflow, botisimoEvent('connection.stream.started'), 1);
		expect(await n8n.listExecutions(workflow.id)).toHaveLength(2);
		expect(discord.messagesTo('announcements')).toEqual([
			{ content: "🔴 We're live on YouTube! Come and say hi 👋" },
			{ content: "🔴 We're live! Come and say hi 👋" },
		]);
	});

	it('Botisimo giveaway winner → hands the winner to the Google Sheets row it appends', async () => {
		const workflow = await importAndActivate('botisimo-giveaway-winner-spreadsheet.json');
		const event = botisimoEvent('giveaway.winner.created', { winner: 'bob', giveaway: 'Spring' });
		const execution = await deliver(workflow, event, 0);
		// No Google account is reachable here: the row cannot be written, but
		// the trigger's item reached the node that writes it.
		const runData = execution.data.resultData.runData;
		expect(runData['Botisimo Trigger'][0].data.main[0][0].json).toMatchObject({
			messageId: event.body.messageId,
			at: '2023-01-23T16:06:39.154Z',
		});
		expect(Object.keys(runData)).toContain('Add winner row');
		expect(execution.data.resultData.error.node.name).toBe('Add winner row');
	});
});
