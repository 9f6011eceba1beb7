const crypto = require('node:crypto');
const fs = require('node:fs');

const {
	BOT_ID,
	HAPPENED,
	HAPPENED_ISO,
	TIMESTAMP_ISO,
	USER,
	envelope,
	gatewayNotification,
	notification,
	notificationPayload,
} = require('../fixtures/deliveries');
const { startFakeBoticordApi } = require('../harness/fakeBoticordApi');
const { FIRST_USER_ID, startFakeBotisimoApi } = require('../harness/fakeBotisimoApi');
const { startFakeGateway } = require('../harness/fakeGateway');
const { waitUntil: until } = require('../harness/processes');
const { startCollector } = require('../harness/collector');
const { startN8n } = require('../harness/n8n');
const { e2eVersions } = require('../harness/install');
const {
	EXAMPLES,
	PACKAGE,
	boticordCredentialData,
	botisimoApiCredentialData,
	importedExample,
} = require('../harness/workflows');

const API_TOKEN = `bc-${crypto.randomUUID()}`;
const SECRET = `bts${crypto.randomUUID().replace(/-/g, '')}`;
const CLIENT_ID = `e2e-${crypto.randomBytes(8).toString('hex')}`;

describe.each(e2eVersions())('n8n %s: the example workflows', (version) => {
	let n8n;
	let discord;
	let boticordApi;
	let gateway;
	let botisimoApi;
	const credentials = {};

	/**
	 * Imports an example and does what its sticky note asks of the user: a
	 * fresh webhook id for each trigger (the editor assigns one on import), the
	 * user's credentials attached by type, a spreadsheet picked. Activates it
	 * and returns its id and webhook path.
	 */
	async function importAndActivate(file, discordChannel) {
		const { json, webhookPath } = await importedExample(file, {
			credentials: {
				boticordWebhookApi: credentials.boticord,
				botisimoWebhookApi: credentials.botisimo,
				botisimoApi: credentials.botisimoApi,
			},
			async prepareNode(node) {
				if (node.type === `${PACKAGE}.boticordGatewayTrigger`) {
					node.parameters.options = { gatewayUrl: gateway.url };
				}
				if (
					node.type === 'n8n-nodes-base.httpRequest' &&
					node.parameters.url.includes('discord.com')
				) {
					// Discord's API, for the bot's server count, is a stand-in here.
					node.parameters.url = discord.urlFor('/applications/@me');
					const credential = await n8n.createCredential('discordBotApi', {
						botToken: 'e2e-discord-bot-token',
					});
					node.credentials = { discordBotApi: { id: credential.id, name: credential.name } };
				}
				if (node.type === 'n8n-nodes-base.discord') {
					const credential = await n8n.createCredential('discordWebhookApi', {
						webhookUri: discord.urlFor(`/${discordChannel}`),
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
					node.credentials = {
						googleSheetsOAuth2Api: { id: credential.id, name: credential.name },
					};
					node.parameters.documentId = { __rl: true, mode: 'id', value: '1e2eSpreadsheetId' };
				}
			},
		});
		const { id } = await n8n.createWorkflow(json);
		await n8n.activateWorkflow(id, { webhookPath });
		return { id, webhookPath, json };
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
		body: { ...notification(type, API_TOKEN), payload },
		headers: { 'X-Boticord-Token': API_TOKEN, 'X-Boticord-Affected': BOT_ID },
	});
	const botisimoEvent = (eventType, data = { channel: 'alice' }) => ({
		body: envelope(eventType, data),
		query: { token: SECRET },
	});

	beforeAll(async () => {
		// Stands in for Discord: each message a Discord webhook would post, and
		// what its API says of a bot.
		discord = await startCollector(undefined, {
			answers: {
				'/applications/@me': { id: BOT_ID, bot: { id: BOT_ID }, approximate_guild_count: 4321 },
			},
		});
		boticordApi = await startFakeBoticordApi({ token: API_TOKEN });
		gateway = await startFakeGateway({ tokens: [API_TOKEN] });
		botisimoApi = await startFakeBotisimoApi({ clientId: CLIENT_ID });
		n8n = await startN8n({ version, packageTarball: process.env.E2E_PACKAGE_TARBALL });
		credentials.boticord = {
			...(await n8n.createCredential('boticordWebhookApi', {
				...boticordCredentialData(API_TOKEN),
				baseUrl: boticordApi.baseUrl,
			})),
			type: 'boticordWebhookApi',
		};
		credentials.botisimo = {
			...(await n8n.createCredential('botisimoWebhookApi', { secret: SECRET })),
			type: 'botisimoWebhookApi',
		};
		credentials.botisimoApi = await n8n.createCredential(
			'botisimoApi',
			botisimoApiCredentialData(CLIENT_ID, botisimoApi.baseUrl),
		);
	});

	afterAll(async () => {
		if (n8n) await n8n.stop();
		if (discord) await discord.close();
		if (boticordApi) await boticordApi.close();
		if (gateway) await gateway.close();
		if (botisimoApi) await botisimoApi.close();
	});

	it('every example in examples/ is covered here', () => {
		expect(fs.readdirSync(EXAMPLES).sort()).toEqual([
			'boticord-daily-reviews-digest.json',
			'boticord-low-rating-alert.json',
			'boticord-post-server-count.json',
			'boticord-review-with-profile-discord.json',
			'boticord-up-botisimo-loyalty-points.json',
			'boticord-up-thank-you-discord.json',
			'botisimo-giveaway-winner-spreadsheet.json',
			'botisimo-stream-started-announcement.json',
		]);
	});

	it('Boticord up → thanks the user in Discord', async () => {
		const workflow = await importAndActivate('boticord-up-thank-you-discord.json', 'ups');
		const execution = await deliver(workflow, boticordNotification('up_added', { upCount: 1 }), 0);
		expect(execution.status).toBe('success');
		expect(discord.bodiesTo('/ups')).toEqual([
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
		expect(discord.bodiesTo('/ratings')).toEqual([
			{
				content:
					`⚠️ A 1/5 comment on BotiCord (edited) by <@${USER}> on ${BOT_ID} at ${HAPPENED_ISO}:\n` +
					'Плохой бот!',
			},
		]);
	});

	it('Boticord server count → reads the bot from Discord and posts the count to Boticord', async () => {
		const workflow = await importAndActivate('boticord-post-server-count.json');
		// What the schedule does every hour, done now.
		await n8n.runManually(workflow.id, 'Every hour');
		const [execution] = await n8n.waitForExecutions(workflow.id, 1);
		expect(execution.status).toBe('success');
		expect(boticordApi.requests).toEqual([
			expect.objectContaining({
				method: 'POST',
				path: `/bots/${BOT_ID}/stats`,
				authorization: API_TOKEN,
				body: JSON.stringify({ servers: 4321 }),
			}),
		]);
	});

	it("Boticord daily digest → reads the bot's reviews and posts those of the last 24 hours to Discord in one message", async () => {
		const now = Date.now();
		boticordApi.addReview({
			id: 'digest-old',
			author: '111111111111111111',
			created: now - 3 * 86_400_000,
			content: 'Old',
		});
		boticordApi.addReview({
			id: 'digest-1',
			author: '222222222222222222',
			created: now - 3_600_000,
			content: 'Nice',
			rating: 4,
		});
		boticordApi.addReview({
			id: 'digest-2',
			author: '333333333333333333',
			created: String(now - 60_000),
			content: 'Great',
		});
		const workflow = await importAndActivate('boticord-daily-reviews-digest.json', 'digest');
		// What the schedule does every morning, done now.
		await n8n.runManually(workflow.id, 'Every day at 9');
		await until(() => discord.bodiesTo('/digest').length === 1, 'the digest');
		expect(discord.bodiesTo('/digest')).toEqual([
			{
				content:
					'📝 2 new review(s) on BotiCord in the last 24 hours:\n' +
					'⭐ 5/5 from <@333333333333333333>: Great\n' +
					'⭐ 4/5 from <@222222222222222222>: Nice',
			},
		]);
	});

	it("Boticord review → reads the reviewer's profile and posts both to Discord", async () => {
		await importAndActivate('boticord-review-with-profile-discord.json', 'reviews');
		await until(() => gateway.connected === 1, 'the gateway trigger to connect');
		gateway.notify(gatewayNotification('comment_added'));
		await until(() => discord.bodiesTo('/reviews').length === 1, 'the Discord message');
		expect(discord.bodiesTo('/reviews')).toEqual([
			{
				content:
					`⭐ 5/5 from demo-user (<@${USER}>) on BotiCord:\n` +
					notificationPayload('comment_added').content,
			},
		]);
		expect(boticordApi.requests).toEqual(
			expect.arrayContaining([expect.objectContaining({ method: 'GET', path: `/users/${USER}` })]),
		);
	});

	it('Boticord up, over the gateway → gives the voter Botisimo loyalty points, once per up', async () => {
		const connectedBefore = gateway.connected;
		const workflow = await importAndActivate('boticord-up-botisimo-loyalty-points.json');
		await until(() => gateway.connected === connectedBefore + 1, 'the gateway trigger to connect');
		const up = gatewayNotification('up_added');
		// The same up twice (as when the notification URL is set too), then another up.
		for (const notification of [up, up, { ...up, happened: HAPPENED + 60_000 }]) {
			gateway.notify(notification);
		}
		const executions = await n8n.waitForExecutions(workflow.id, 3);
		expect(executions.map((execution) => execution.status)).toEqual([
			'success',
			'success',
			'success',
		]);
		expect(botisimoApi.user(FIRST_USER_ID)).toMatchObject({ ssoId: USER, gold: 200 });
		// The executions run side by side: the order of their points is any.
		const byKey = (a, b) => a.key.localeCompare(b.key);
		expect([...botisimoApi.transactions].sort(byKey)).toEqual([
			{
				userId: FIRST_USER_ID,
				points: 100,
				message: 'Up on BotiCord',
				key: `boticord-up:${USER}:${HAPPENED}`,
			},
			{
				userId: FIRST_USER_ID,
				points: 100,
				message: 'Up on BotiCord',
				key: `boticord-up:${USER}:${HAPPENED + 60_000}`,
			},
		]);
		for (const request of botisimoApi.requests) expect(request.clientId).toBe(CLIENT_ID);
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
		expect(discord.bodiesTo('/announcements')).toEqual([
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
			at: TIMESTAMP_ISO,
		});
		expect(Object.keys(runData)).toContain('Add winner row');
		expect(execution.data.resultData.error.node.name).toBe('Add winner row');
	});
});
