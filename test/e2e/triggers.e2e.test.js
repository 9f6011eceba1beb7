const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const { startN8n } = require('../harness/n8n');
const {
	BOT_ID,
	BUMP_AT_ISO,
	HAPPENED_ISO,
	SERVER_ID,
	TIMESTAMP_ISO,
	USER,
	bumpPayload,
	deletedCommentPayload,
	envelope,
	notification: notificationBody,
	notificationPayload,
	webhookSettings,
} = require('../fixtures/deliveries');
const { e2eVersions } = require('../harness/install');
const {
	PACKAGE,
	boticordCredentialData,
	emittedItem,
	triggerWorkflow,
} = require('../harness/workflows');

const HOOK_KEY = `bc-${crypto.randomUUID()}`;
const ROTATED_KEY = `bc-rotated-${crypto.randomUUID()}`;
const SECRET = `bts${crypto.randomUUID().replace(/-/g, '')}`;
const API_TOKEN = `bc-api-${crypto.randomUUID()}`;
/** The value of a custom header the owner set in Boticord, a secret of its own. */
const CUSTOM_HEADER_VALUE = `cf-access-${crypto.randomUUID()}`;

const bump = bumpPayload;
/** A notification as Boticord sends it today: body, and the headers that come with it. */
const notification = (type, id = BOT_ID, payload = notificationPayload(type)) => ({
	body: {
		...notificationBody(type, API_TOKEN, id),
		payload,
		webhookSettings: webhookSettings(API_TOKEN, CUSTOM_HEADER_VALUE),
	},
	headers: {
		'X-Boticord-Token': API_TOKEN,
		'X-Boticord-Affected': id,
		'CF-Access-Client-Secret': CUSTOM_HEADER_VALUE,
	},
});
/** webhookSettings as an item keeps them: without the token and the custom headers. */
const keptSettings = { enabled: true, url: webhookSettings(API_TOKEN).url };
const botisimoEvent = (eventType) => envelope(eventType, { channel: 'alice' });

describe.each(e2eVersions())('n8n %s', (version) => {
	let n8n;
	const boticord = {};
	const notifications = {};
	const botisimo = {};

	/** Creates and activates a trigger workflow; returns its id and webhook path. */
	async function activeTrigger(spec) {
		const { json, webhookPath } = triggerWorkflow(spec);
		const { id } = await n8n.createWorkflow(json);
		await n8n.activateWorkflow(id, { webhookPath });
		return { id, webhookPath };
	}

	/**
	 * Proves that the requests sent before it started no execution: a valid
	 * selected event sent last must be the only new execution.
	 */
	async function expectOnlyNewExecutionToBe(workflow, countBefore, sendValid) {
		await sendValid();
		const executions = await n8n.waitForExecutions(workflow.id, countBefore + 1);
		await new Promise((resolve) => setTimeout(resolve, 1500));
		const all = await n8n.listExecutions(workflow.id);
		expect(all).toHaveLength(countBefore + 1);
		return executions[executions.length - 1];
	}

	/** Sends one selected event: an empty 200 and exactly one new successful execution, whose item it returns. */
	async function acceptedItem(workflow, send) {
		const before = (await n8n.listExecutions(workflow.id)).length;
		const response = await send();
		expect(response.status).toBe(200);
		expect(response.text).toBe('');
		const executions = await n8n.waitForExecutions(workflow.id, before + 1);
		expect(executions).toHaveLength(before + 1);
		const execution = executions[executions.length - 1];
		expect(execution.status).toBe('success');
		return emittedItem(execution);
	}

	beforeAll(async () => {
		n8n = await startN8n({ version, packageTarball: process.env.E2E_PACKAGE_TARBALL });
		boticord.credential = await n8n.createCredential(
			'boticordWebhookApi',
			boticordCredentialData(HOOK_KEY),
		);
		botisimo.credential = await n8n.createCredential('botisimoWebhookApi', { secret: SECRET });
		boticord.credential.type = 'boticordWebhookApi';
		botisimo.credential.type = 'botisimoWebhookApi';
		boticord.workflow = await activeTrigger({
			name: 'Boticord bumps',
			nodeType: 'boticordTrigger',
			credential: boticord.credential,
			events: ['new_bot_bump', 'delete_server_comment'],
		});
		notifications.credential = {
			...(await n8n.createCredential('boticordWebhookApi', boticordCredentialData(API_TOKEN))),
			type: 'boticordWebhookApi',
		};
		notifications.workflow = await activeTrigger({
			name: 'Boticord notifications',
			nodeType: 'boticordTrigger',
			credential: notifications.credential,
			events: ['up_added', 'comment_removed'],
		});
		botisimo.workflow = await activeTrigger({
			name: 'Botisimo streams and giveaways',
			nodeType: 'botisimoTrigger',
			credential: botisimo.credential,
			events: ['connection.stream.started.twitch', 'giveaway.*'],
		});
	});

	afterAll(async () => {
		if (n8n) {
			const logs = n8n.logs();
			await n8n.stop();
			expect(logs).not.toContain(HOOK_KEY);
			expect(logs).not.toContain(ROTATED_KEY);
			expect(logs).not.toContain(SECRET);
			expect(logs).not.toContain(API_TOKEN);
			expect(logs).not.toContain(CUSTOM_HEADER_VALUE);
		}
	});

	it('loads both triggers and credentials from the community package, with no dependency of its own', async () => {
		const names = await n8n.nodeTypeNames();
		expect(names).toEqual(
			expect.arrayContaining([`${PACKAGE}.boticordTrigger`, `${PACKAGE}.botisimoTrigger`]),
		);
		expect(boticord.credential.id).toBeDefined();
		expect(botisimo.credential.id).toBeDefined();
		const installed = path.join(n8n.userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE);
		const manifest = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8'));
		expect(manifest.dependencies ?? {}).toEqual({});
		// zod comes from n8n's own copy: the package brings none.
		expect(fs.existsSync(path.join(installed, 'node_modules', 'zod'))).toBe(false);
	});

	it("tests each credential with its trigger's check when the user tests it in the editor", async () => {
		// As the editor does: the credential is saved, then tested.
		const test = async (type, data) => {
			const { id, name } = await n8n.createCredential(type, data);
			const answer = await n8n.rest('POST', '/credentials/test', {
				credentials: { id, name, type, data },
			});
			expect(answer.status).toBe(200);
			return answer.json.data;
		};
		expect(await test('boticordWebhookApi', boticordCredentialData(API_TOKEN))).toMatchObject({
			status: 'OK',
		});
		expect(await test('boticordWebhookApi', boticordCredentialData(`${API_TOKEN}\n`))).toEqual({
			status: 'Error',
			message: expect.stringMatching(/spaces or line breaks/),
		});
		expect(await test('botisimoWebhookApi', { secret: SECRET })).toMatchObject({ status: 'OK' });
		expect(await test('botisimoWebhookApi', { secret: 'short1' })).toEqual({
			status: 'Error',
			message: expect.stringMatching(/at least 16/),
		});
	});

	describe('Boticord Trigger', () => {
		it('answers a selected event with an empty 200 and runs once with the typed item', async () => {
			const item = await acceptedItem(boticord.workflow, () =>
				n8n.webhook(boticord.workflow.webhookPath, {
					body: bump(),
					headers: { 'X-Hook-Key': HOOK_KEY },
				}),
			);
			expect(item).toEqual({
				...bump(),
				userId: USER,
				at: BUMP_AT_ISO,
				target: 'bot',
				action: 'bump',
			});
		});

		it('refuses bad keys and bad bodies, acknowledges unselected events, and starts no execution for any', async () => {
			const before = (await n8n.listExecutions(boticord.workflow.id)).length;
			const send = (body, headers = { 'X-Hook-Key': HOOK_KEY }, raw) =>
				n8n.webhook(boticord.workflow.webhookPath, { body, headers, raw });

			const missing = await send(bump(), {});
			expect(missing.status).toBe(401);
			const wrong = await send(bump(), { 'X-Hook-Key': `${HOOK_KEY}x` });
			expect(wrong.status).toBe(403);
			expect(wrong.text).not.toContain(HOOK_KEY);
			const repeated = await send(bump(), { 'X-Hook-Key': [HOOK_KEY, HOOK_KEY] });
			expect(repeated.status).toBe(403);

			const noType = await send({ data: {} });
			expect(noType.status).toBe(400);
			expect(noType.json.message).toMatch(/type: is required/);
			const badData = await send({ type: 'new_bot_bump', data: { user: USER, at: 'yesterday' } });
			expect(badData.status).toBe(400);
			expect(badData.json.message).toMatch(/data\.at: must be a number/);
			const notJson = await send(
				'{"type":',
				{ 'X-Hook-Key': HOOK_KEY, 'content-type': 'application/json' },
				true,
			);
			expect(notJson.status).toBe(422);
			const noBody = await send(undefined);
			expect(noBody.status).toBe(400);

			const unselected = await send(bump('new_server_bump'));
			expect(unselected.status).toBe(200);
			expect(unselected.json).toEqual({ message: 'Webhook call received' });

			const last = await expectOnlyNewExecutionToBe(boticord.workflow, before, () =>
				send(deletedCommentPayload('delete_server_comment')),
			);
			expect(emittedItem(last)).toMatchObject({
				target: 'server',
				action: 'delete',
				data: { reason: 'moderation' },
			});
		});

		it('still runs a workflow saved with type version 1', async () => {
			const { json, webhookPath } = triggerWorkflow({
				name: 'Boticord type version 1',
				nodeType: 'boticordTrigger',
				credential: boticord.credential,
				events: ['new_bot_bump'],
			});
			json.nodes[0].typeVersion = 1;
			const { id } = await n8n.createWorkflow(json);
			await n8n.activateWorkflow(id, { webhookPath });
			const item = await acceptedItem({ id, webhookPath }, () =>
				n8n.webhook(webhookPath, { body: bump(), headers: { 'X-Hook-Key': HOOK_KEY } }),
			);
			expect(item).toMatchObject({ userId: USER, target: 'bot', action: 'bump' });
		});

		it("leaves a body over n8n's size limit to n8n, which refuses it before the trigger runs", async () => {
			const before = (await n8n.listExecutions(boticord.workflow.id)).length;
			// N8N_PAYLOAD_SIZE_MAX defaults to 16 MB in both versions.
			const body = JSON.stringify({ ...bump(), padding: 'x'.repeat(17 * 1024 * 1024) });
			const response = await n8n.webhook(boticord.workflow.webhookPath, {
				body,
				headers: { 'X-Hook-Key': HOOK_KEY, 'content-type': 'application/json' },
			});
			// n8n's own answer (documented in the README): the node never sees the request.
			expect(response.status).toBe(500);
			expect(response.json).toEqual({
				code: 0,
				message: 'There was a problem executing the workflow',
			});
			await new Promise((resolve) => setTimeout(resolve, 1500));
			expect(await n8n.listExecutions(boticord.workflow.id)).toHaveLength(before);
		});

		it('works on the test URL while the editor listens for a test event', async () => {
			const { json, webhookPath } = triggerWorkflow({
				name: 'Boticord test URL',
				nodeType: 'boticordTrigger',
				credential: boticord.credential,
				events: ['test_webhook_message'],
			});
			const { id } = await n8n.createWorkflow(json);
			await n8n.listenForTestEvent(id, 'Trigger', { webhookPath });
			const body = { type: 'test_webhook_message', data: { hello: true, world: true } };
			const response = await n8n.webhook(webhookPath, {
				test: true,
				body,
				headers: { 'X-Hook-Key': HOOK_KEY },
			});
			expect(response.status).toBe(200);
			const [execution] = await n8n.waitForExecutions(id, 1);
			expect(execution.mode).toBe('manual');
			expect(emittedItem(execution)).toEqual({ ...body, target: null, action: 'test' });
		});

		it('refuses a rotated-out key within 60 seconds and accepts the new key at once', async () => {
			const credential = await n8n.createCredential(
				'boticordWebhookApi',
				boticordCredentialData(HOOK_KEY),
			);
			credential.type = 'boticordWebhookApi';
			const workflow = await activeTrigger({
				name: 'Boticord key rotation',
				nodeType: 'boticordTrigger',
				credential,
				events: ['new_bot_bump'],
			});
			const sendWithKey = async (key) =>
				(await n8n.webhook(workflow.webhookPath, { body: bump(), headers: { 'X-Hook-Key': key } }))
					.status;
			const rotateTo = async (hookKey) => {
				const answer = await n8n.rest('PATCH', `/credentials/${credential.id}`, {
					name: credential.name,
					type: credential.type,
					data: { hookKey },
				});
				expect(answer.status).toBe(200);
			};
			expect(await sendWithKey(HOOK_KEY)).toBe(200);

			// Only the old key keeps coming: it must stop working within 60 s.
			await rotateTo(ROTATED_KEY);
			const rotatedAt = Date.now();
			let oldKeyStatus = await sendWithKey(HOOK_KEY);
			while (oldKeyStatus === 200 && Date.now() - rotatedAt < 60_000) {
				await new Promise((resolve) => setTimeout(resolve, 2000));
				oldKeyStatus = await sendWithKey(HOOK_KEY);
			}
			expect(oldKeyStatus).toBe(403);
			expect(Date.now() - rotatedAt).toBeLessThan(60_000);
			expect(await sendWithKey(ROTATED_KEY)).toBe(200);

			// The new key works at once, and then the previous one is refused at once.
			await rotateTo(HOOK_KEY);
			expect(await sendWithKey(HOOK_KEY)).toBe(200);
			expect(await sendWithKey(ROTATED_KEY)).toBe(403);
		});
	});

	describe('Boticord Trigger, API v3 notifications', () => {
		const send = ({ body, headers }, workflow = notifications.workflow) =>
			n8n.webhook(workflow.webhookPath, { body, headers });
		const workflowIds = [];

		afterAll(async () => {
			// n8n stores every item in its execution history: the token and the
			// custom headers must be in none of them.
			for (const id of workflowIds) {
				const stored = JSON.stringify(await n8n.listExecutions(id, { includeData: true }));
				expect(stored).not.toContain(API_TOKEN);
				expect(stored).not.toContain(CUSTOM_HEADER_VALUE);
			}
		});

		it('answers a selected notification with an empty 200 and runs once with the typed item, without the secrets', async () => {
			workflowIds.push(notifications.workflow.id);
			const sent = notification('up_added');
			const item = await acceptedItem(notifications.workflow, () => send(sent));
			expect(item).toEqual({
				...sent.body,
				webhookSettings: keptSettings,
				userId: USER,
				at: HAPPENED_ISO,
				resourceId: BOT_ID,
				target: null,
				action: 'bump',
			});
		});

		it('refuses bad tokens and bodies, acknowledges unselected notifications, and starts no execution for any', async () => {
			const before = (await n8n.listExecutions(notifications.workflow.id)).length;
			const valid = notification('up_added');
			const withHeaders = (headers) => ({ ...valid, headers: { ...valid.headers, ...headers } });

			expect((await send(withHeaders({ 'X-Boticord-Token': undefined }))).status).toBe(401);
			const wrong = await send(withHeaders({ 'X-Boticord-Token': `${API_TOKEN}x` }));
			expect(wrong.status).toBe(403);
			expect(wrong.json.message).toBe('Wrong key in the X-Boticord-Token header.');
			// The legacy header with the right value does not stand in for a wrong token.
			const both = await send(
				withHeaders({ 'X-Boticord-Token': 'guess', 'X-Hook-Key': API_TOKEN }),
			);
			expect(both.status).toBe(403);

			const badTime = await send({ ...valid, body: { ...valid.body, happened: 'yesterday' } });
			expect(badTime.status).toBe(400);
			expect(badTime.json.message).toMatch(/happened: must be a number/);
			const badPayload = await send({ ...valid, body: { ...valid.body, payload: {} } });
			expect(badPayload.status).toBe(400);
			expect(badPayload.json.message).toMatch(/payload\.upCount: is required/);

			const unselected = await send(
				notification('comment_added', BOT_ID, { content: 'x', rating: 5 }),
			);
			expect(unselected.status).toBe(200);
			expect(unselected.json).toEqual({ message: 'Webhook call received' });
			const unknown = await send(notification('test_notification'));
			expect(unknown.status).toBe(200);

			const last = await expectOnlyNewExecutionToBe(notifications.workflow, before, () =>
				send(notification('comment_removed', SERVER_ID, { content: 'Плохой бот!', rating: 1 })),
			);
			expect(emittedItem(last)).toMatchObject({
				resourceId: SERVER_ID,
				action: 'delete',
				payload: { content: 'Плохой бот!', rating: 1 },
			});
		});

		it('reaches a workflow saved with type version 1, beside legacy webhooks', async () => {
			const { json, webhookPath } = triggerWorkflow({
				name: 'Boticord notifications, type version 1',
				nodeType: 'boticordTrigger',
				credential: notifications.credential,
				events: ['comment_added', 'new_bot_bump'],
			});
			json.nodes[0].typeVersion = 1;
			const { id } = await n8n.createWorkflow(json);
			await n8n.activateWorkflow(id, { webhookPath });
			workflowIds.push(id);
			const item = await acceptedItem({ id, webhookPath }, () =>
				send(notification('comment_added', BOT_ID, { content: 'Лучший бот!', rating: 5 }), {
					webhookPath,
				}),
			);
			expect(item).toMatchObject({ userId: USER, resourceId: BOT_ID, action: 'new' });
			expect(item.webhookSettings).toEqual(keptSettings);
			const legacy = await acceptedItem({ id, webhookPath }, () =>
				n8n.webhook(webhookPath, { body: bump(), headers: { 'X-Hook-Key': API_TOKEN } }),
			);
			expect(legacy).toMatchObject({ userId: USER, target: 'bot', action: 'bump' });
		});

		it('starts only for the bots and servers listed in its options, and says which each is', async () => {
			const workflow = await activeTrigger({
				name: 'Boticord notifications for one bot and one server',
				nodeType: 'boticordTrigger',
				credential: notifications.credential,
				events: ['*'],
				options: { botIds: BOT_ID, serverIds: SERVER_ID },
			});
			workflowIds.push(workflow.id);
			const other = await send(notification('up_added', '111111111111111111'), workflow);
			expect(other.status).toBe(200);
			const aboutServer = await expectOnlyNewExecutionToBe(workflow, 0, () =>
				send(notification('up_added', SERVER_ID), workflow),
			);
			expect(emittedItem(aboutServer)).toMatchObject({ resourceId: SERVER_ID, target: 'server' });
			const aboutBot = await acceptedItem(workflow, () => send(notification('up_added'), workflow));
			expect(aboutBot).toMatchObject({ resourceId: BOT_ID, target: 'bot' });
		});

		it('takes Bot IDs and Server IDs from expressions, lists included, and refuses at activation a number that cannot be an ID', async () => {
			const workflow = await activeTrigger({
				name: 'Boticord notifications, IDs from expressions',
				nodeType: 'boticordTrigger',
				credential: notifications.credential,
				events: ['*'],
				options: { botIds: `={{ ["${BOT_ID}"] }}`, serverIds: `={{ "${SERVER_ID}".split(",") }}` },
			});
			workflowIds.push(workflow.id);
			const aboutBot = await acceptedItem(workflow, () => send(notification('up_added'), workflow));
			expect(aboutBot).toMatchObject({ resourceId: BOT_ID, target: 'bot' });
			expect((await send(notification('up_added', '111111111111111111'), workflow)).status).toBe(
				200,
			);

			const { json, webhookPath } = triggerWorkflow({
				name: 'Boticord notifications, an ID as a number',
				nodeType: 'boticordTrigger',
				credential: notifications.credential,
				events: ['*'],
				options: { botIds: `={{ ${BOT_ID} }}` },
			});
			const { id } = await n8n.createWorkflow(json);
			workflowIds.push(id);
			await expect(n8n.activateWorkflow(id, { webhookPath })).rejects.toThrow(
				/Bot IDs holds the number \d+, which cannot be a Discord ID/,
			);
		});
	});

	describe('Botisimo Trigger', () => {
		const send = (body, query = { token: SECRET }) =>
			n8n.webhook(botisimo.workflow.webhookPath, { body, query });

		it('answers a selected event with an empty 200 and runs once with the typed item', async () => {
			const event = botisimoEvent('connection.stream.started.twitch');
			const item = await acceptedItem(botisimo.workflow, () => send(event));
			expect(item).toEqual({
				...event,
				at: TIMESTAMP_ISO,
				category: 'connection',
				action: 'started',
				platform: 'twitch',
			});
		});

		it('refuses bad tokens and envelopes, acknowledges unselected events and retries, and runs each message once', async () => {
			const before = (await n8n.listExecutions(botisimo.workflow.id)).length;
			const event = botisimoEvent('giveaway.winner.created');

			expect((await send(event, {})).status).toBe(401);
			expect((await send(event, { token: 'guess' })).status).toBe(403);
			expect(
				(
					await send(event, [
						['token', SECRET],
						['token', SECRET],
					])
				).status,
			).toBe(403);
			const noId = await send({ ...event, messageId: undefined });
			expect(noId.status).toBe(400);
			expect(noId.json.message).toMatch(/messageId: is required/);
			const unselected = await send(botisimoEvent('connection.stream.started.youtube'));
			expect(unselected.status).toBe(200);

			const last = await expectOnlyNewExecutionToBe(botisimo.workflow, before, () => send(event));
			expect(emittedItem(last)).toMatchObject({ messageId: event.messageId, category: 'giveaway' });

			const retry = await send(event);
			expect(retry.status).toBe(200);
			await new Promise((resolve) => setTimeout(resolve, 1500));
			expect(await n8n.listExecutions(botisimo.workflow.id)).toHaveLength(before + 1);
		});

		it("answers every token n8n's query parser turns into an object or a list with 403", async () => {
			const event = botisimoEvent('giveaway.winner.created');
			const many = Array.from({ length: 21 }, (_, i) => `token[${i}]=${SECRET}`).join('&');
			for (const query of [`token[a]=${SECRET}`, `token[21]=${SECRET}`, many]) {
				const answer = await send(event, query);
				expect(answer.status).toBe(403);
				expect(answer.json.message).toMatch(/must hold one key, sent once/);
			}
		});

		it('still runs a retried message once after a test listen on the same workflow ends', async () => {
			const before = (await n8n.listExecutions(botisimo.workflow.id)).length;
			const event = botisimoEvent('giveaway.created');
			expect((await send(event)).status).toBe(200);
			await n8n.waitForExecutions(botisimo.workflow.id, before + 1);

			// A test event ends the listen, and n8n then removes the test webhook
			// of the same workflow and node.
			await n8n.listenForTestEvent(botisimo.workflow.id, 'Trigger', {
				webhookPath: botisimo.workflow.webhookPath,
			});
			const test = await n8n.webhook(botisimo.workflow.webhookPath, {
				test: true,
				body: botisimoEvent('giveaway.updated'),
				query: { token: SECRET },
			});
			expect(test.status).toBe(200);
			await n8n.waitForWebhook(botisimo.workflow.webhookPath, { test: true, gone: true });

			const retry = await send(event);
			expect(retry.status).toBe(200);
			expect(retry.json).toEqual({ message: 'Webhook call received' });
			await new Promise((resolve) => setTimeout(resolve, 1500));
			const production = (await n8n.listExecutions(botisimo.workflow.id)).filter(
				(execution) => execution.mode !== 'manual',
			);
			expect(production).toHaveLength(before + 1);
		});
	});
});
