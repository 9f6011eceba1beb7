// A Botisimo message retried after n8n restarts starts no second execution:
// the trigger keeps the ids it accepted in the workflow's static data, which
// n8n keeps in its database. Two restarts, so that ids remembered after the
// first one are shown to survive too. (On n8n 2.x a webhook's static data is
// saved only if the node answers the caller itself: see startAndSaveStaticData
// in nodes/shared/webhookTrigger.ts.)
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { envelope } = require('../fixtures/deliveries');
const { e2eVersions } = require('../harness/install');
const { launchN8n } = require('../harness/n8n');
const { startQueueMode } = require('../harness/queueMode');
const { setUpInstance, signIn } = require('../harness/n8nInstance');
const { removeDir, sleep } = require('../harness/processes');
const { emittedItem, triggerWorkflow } = require('../harness/workflows');

const SECRET = `bts${crypto.randomUUID().replace(/-/g, '')}`;
/** How long a delivery that started nothing is watched for a late execution. */
const QUIET_MS = 2000;

describe.each(e2eVersions())(
	'n8n %s restarted between a Botisimo message and its retry',
	(version) => {
		let folder;
		let n8n;
		let signedIn;
		let workflow;

		afterAll(async () => {
			if (n8n) await n8n.stop();
			removeDir(folder);
		});

		async function restart() {
			await n8n.kill('SIGTERM');
			n8n = await launchN8n({ version, userFolder: folder });
			await signIn(n8n, signedIn);
			await n8n.waitForWebhook(workflow.webhookPath);
		}

		const send = (body) => n8n.webhook(workflow.webhookPath, { body, query: { token: SECRET } });

		/** Sends `body` as a new message: an empty 200 and one more execution, with its item. */
		async function expectRun(body) {
			const before = (await n8n.listExecutions(workflow.id)).length;
			const res = await send(body);
			expect(res.status).toBe(200);
			expect(res.text).toBe('');
			const executions = await n8n.waitForExecutions(workflow.id, before + 1);
			expect(emittedItem(executions[executions.length - 1]).messageId).toBe(body.messageId);
		}

		/** Sends `body` again: acknowledged, and no execution starts. */
		async function expectNoRun(body) {
			const before = (await n8n.listExecutions(workflow.id)).length;
			const res = await send(body);
			expect(res.status).toBe(200);
			expect(res.json).toEqual({ message: 'Webhook call received' });
			await sleep(QUIET_MS);
			expect(await n8n.listExecutions(workflow.id)).toHaveLength(before);
		}

		async function storedStaticData() {
			const res = await n8n.api('GET', `/workflows/${workflow.id}`);
			expect(res.status).toBe(200);
			return res.json.staticData;
		}

		it('runs each message once across two restarts, and keeps only fingerprints and times', async () => {
			folder = fs.mkdtempSync(path.join(os.tmpdir(), `n8n-e2e-${version}-memory-`));
			n8n = await launchN8n({
				version,
				packageTarball: process.env.E2E_PACKAGE_TARBALL,
				userFolder: folder,
			});
			await setUpInstance(n8n);
			signedIn = { owner: n8n.owner, apiKey: n8n.apiKey };
			const credential = await n8n.createCredential('botisimoWebhookApi', { secret: SECRET });
			credential.type = 'botisimoWebhookApi';
			const { json, webhookPath } = triggerWorkflow({
				name: 'Botisimo, across restarts',
				nodeType: 'botisimoTrigger',
				credential,
				events: ['*'],
			});
			const { id } = await n8n.createWorkflow(json);
			workflow = { id, webhookPath };
			await n8n.activateWorkflow(id, { webhookPath });

			// Three before the first restart: on n8n 2.x only the first write of a
			// workflow's static data was saved when n8n answered for the node.
			const before = [1, 2, 3].map(() => envelope('giveaway.winner.created'));
			for (const message of before) await expectRun(message);
			await expectNoRun(before[2]);

			await restart();
			for (const message of before) await expectNoRun(message);
			const after = envelope('shop_item.purchase.redeemed');
			await expectRun(after);

			await restart();
			for (const message of [...before, after]) await expectNoRun(message);
			await expectRun(envelope('account.updated'));

			const staticData = await storedStaticData();
			const saved = JSON.stringify(staticData);
			expect(Object.keys(staticData)).toEqual(['node:Trigger']);
			expect(staticData['node:Trigger'].acceptedDeliveries.entries).toHaveLength(5 * 29);
			for (const message of [...before, after]) expect(saved).not.toContain(message.messageId);
			expect(saved).not.toContain(SECRET);
		}, 600_000);

		it('keeps remembering nothing for test listens', async () => {
			const message = envelope('poll.created');
			await n8n.listenForTestEvent(workflow.id, 'Trigger', { webhookPath: workflow.webhookPath });
			const res = await n8n.webhook(workflow.webhookPath, {
				body: message,
				query: { token: SECRET },
				test: true,
			});
			expect(res.status).toBe(200);
			const storedBefore = JSON.stringify(await storedStaticData());
			await expectRun(message);
			const entries = (await storedStaticData())['node:Trigger'].acceptedDeliveries.entries;
			expect(entries.length).toBe(
				JSON.parse(storedBefore)['node:Trigger'].acceptedDeliveries.entries.length + 29,
			);
		}, 120_000);
	},
);

// Queue mode: two webhook processors share the workflow's static data through
// PostgreSQL; a retry that reaches the other processor starts nothing.
describe.each(e2eVersions())('queue mode on n8n %s with two webhook processors', (version) => {
	let cluster;
	let second;

	afterAll(async () => {
		if (second) await second.stop();
		if (cluster) await cluster.stop();
	}, 120_000);

	it('runs a message once when its retry reaches the other processor', async () => {
		cluster = await startQueueMode({
			version,
			packageTarball: process.env.E2E_PACKAGE_TARBALL,
			workers: 1,
		});
		second = await launchN8n({
			version,
			command: 'webhook',
			packageTarball: process.env.E2E_PACKAGE_TARBALL,
			env: cluster.env,
		});
		const { main } = cluster;
		const credential = await main.createCredential('botisimoWebhookApi', { secret: SECRET });
		credential.type = 'botisimoWebhookApi';
		const { json, webhookPath } = triggerWorkflow({
			name: 'Botisimo, two webhook processors',
			nodeType: 'botisimoTrigger',
			credential,
			events: ['*'],
		});
		const { id } = await main.createWorkflow(json);
		await main.activateWorkflow(id);
		for (const processor of [cluster.webhookProcess, second]) {
			await processor.waitForWebhook(webhookPath);
		}
		const send = (processor, body) =>
			processor.webhook(webhookPath, { body, query: { token: SECRET } });

		const messages = [1, 2, 3].map(() => envelope('command.created'));
		for (const [i, message] of messages.entries()) {
			const first = i % 2 === 0 ? cluster.webhookProcess : second;
			const other = first === second ? cluster.webhookProcess : second;
			const res = await send(first, message);
			expect(res.status).toBe(200);
			expect(res.text).toBe('');
			await main.waitForExecutions(id, i + 1, 60_000);
			const retry = await send(other, message);
			expect(retry.json).toEqual({ message: 'Webhook call received' });
		}
		await sleep(QUIET_MS);
		const executions = await main.listExecutions(id, { includeData: true });
		expect(executions).toHaveLength(messages.length);
		expect(executions.map((e) => emittedItem(e).messageId).sort()).toEqual(
			messages.map((m) => m.messageId).sort(),
		);
	}, 600_000);
});
