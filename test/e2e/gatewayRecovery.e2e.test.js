const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { BOT_ID, USER } = require('../fixtures/deliveries');
const { startFakeBoticordApi } = require('../harness/fakeBoticordApi');
const { startFakeGateway } = require('../harness/fakeGateway');
const { e2eVersions } = require('../harness/install');
const { launchN8n } = require('../harness/n8n');
const { setUpInstance, signIn } = require('../harness/n8nInstance');
const { removeDir, sleep, waitUntil: until } = require('../harness/processes');
const {
	boticordCredentialData,
	emittedItem,
	gatewayWorkflow,
	webhookThen,
} = require('../harness/workflows');

const TOKEN = `bc-recovery-${crypto.randomUUID()}`;
const AUTHORS = [
	'111111111111111111',
	'222222222222222222',
	'333333333333333333',
	'444444444444444444',
];
/** Boticord takes an up off a resource's count 14 days after it was given. */
const UP_LIFETIME_MS = 14 * 24 * 60 * 60_000;

/** The items of a workflow's executions, oldest first. */
async function itemsOf(n8n, workflowId, count, timeoutMs = 60_000) {
	const executions = await n8n.waitForExecutions(workflowId, count, timeoutMs);
	return executions.map(emittedItem);
}

const report = (line) => process.stderr.write(`[gateway recovery e2e] ${line}\n`);

describe.each(e2eVersions())(
	'n8n %s: the Boticord Gateway Trigger recovers what it missed',
	(version) => {
		let folder;
		let gateway;
		let api;
		let n8n;
		let signedIn;
		let workflowId;
		/** Every log line of every n8n process of this test holding the token or a search key. */
		const leaks = [];
		const env = { N8N_LOG_LEVEL: 'debug' };

		function watchLogs() {
			n8n.child.on('line', (line) => {
				if (line.includes(TOKEN) || /meili-\d+-/.test(line)) leaks.push(line);
			});
		}

		/** n8n stopped, `meanwhile` done, n8n started again on the same user folder; when it connected. */
		async function restart(meanwhile) {
			await n8n.stop();
			await meanwhile();
			n8n = await launchN8n({ version, userFolder: folder, env });
			watchLogs();
			await signIn(n8n, signedIn);
			await until(
				() => gateway.connected === 1,
				'the trigger to connect after the restart',
				90_000,
			);
			return Date.now();
		}

		beforeAll(async () => {
			folder = fs.mkdtempSync(path.join(os.tmpdir(), `n8n-e2e-${version}-recovery-`));
			gateway = await startFakeGateway({ tokens: [TOKEN] });
			api = await startFakeBoticordApi({ token: TOKEN });
			n8n = await launchN8n({
				version,
				packageTarball: process.env.E2E_PACKAGE_TARBALL,
				userFolder: folder,
				env,
			});
			watchLogs();
			await setUpInstance(n8n);
			signedIn = { owner: n8n.owner, apiKey: n8n.apiKey };
			const credential = {
				...(await n8n.createCredential('boticordWebhookApi', {
					...boticordCredentialData(TOKEN),
					baseUrl: api.baseUrl,
				})),
				type: 'boticordWebhookApi',
			};
			const { id } = await n8n.createWorkflow(
				gatewayWorkflow({
					name: 'Boticord gateway, recovery',
					credential,
					events: ['comment_added', 'up_added', 'ups_missed'],
					gatewayUrl: gateway.url,
					options: { botIds: BOT_ID },
				}),
			);
			workflowId = id;
			await n8n.activateWorkflow(id);
			await until(() => gateway.connected === 1, 'the connection');
		}, 300_000);

		afterAll(async () => {
			if (n8n) await n8n.stop();
			if (gateway) await gateway.close();
			if (api) await api.close();
			if (folder) removeDir(folder);
			expect(leaks).toEqual([]);
		});

		it('passes a live review on, and emits the reviews added while n8n was stopped once each after it starts, with the ups missed counted', async () => {
			const liveAt = Date.now();
			gateway.notify({
				type: 'comment_added',
				affected: BOT_ID,
				user: AUTHORS[0],
				happened: liveAt,
				payload: { content: 'Live', rating: 5 },
			});
			const [live] = await itemsOf(n8n, workflowId, 1);
			expect(live).toMatchObject({ user: AUTHORS[0], action: 'new' });
			expect(live).not.toHaveProperty('recovered');
			// Boticord indexes the live review too: it must not come back as recovered.
			api.addReview({ id: 'live', author: AUTHORS[0], created: liveAt + 25, content: 'Live' });

			const connectedAt = await restart(async () => {
				const now = Date.now();
				api.addReview({
					id: 'down-1',
					author: AUTHORS[1],
					created: now,
					content: 'While down, first',
				});
				api.addReview({
					id: 'down-2',
					author: AUTHORS[2],
					created: String(now + 1),
					content: 'While down, second',
				});
				api.setUps(BOT_ID, [{ id: 'up-a', expires: String(now + UP_LIFETIME_MS) }]);
			});
			const items = await itemsOf(n8n, workflowId, 4);
			const arrivedInMs = Date.now() - connectedAt;
			report(`n8n ${version}: missed reviews and ups arrived ${arrivedInMs} ms after reconnecting`);
			const after = items.slice(1);
			// Emitted oldest first (the unit tests show it), but executions started together may
			// get their ids in either order: here each must come once.
			const reviews = after
				.filter((item) => item.type === 'comment_added')
				.sort((a, b) => String(a.reviewId).localeCompare(String(b.reviewId)));
			expect(reviews.map((item) => [item.reviewId, item.recovered, item.userId])).toEqual([
				['down-1', true, AUTHORS[1]],
				['down-2', true, AUTHORS[2]],
			]);
			expect(reviews[0]).toMatchObject({
				id: BOT_ID,
				resourceId: BOT_ID,
				target: 'bot',
				action: 'new',
				payload: { content: 'While down, first', rating: 5 },
			});
			expect(after.filter((item) => item.type === 'ups_missed')).toEqual([
				expect.objectContaining({ resourceId: BOT_ID, missed: 1, target: 'bot', action: 'missed' }),
			]);
			await sleep(3_000);
			expect(await n8n.listExecutions(workflowId)).toHaveLength(4);
		}, 300_000);

		it('after a second restart, emits only what was added during it: nothing arrives twice', async () => {
			await restart(async () => {
				api.addReview({
					id: 'down-3',
					author: AUTHORS[3],
					created: Date.now(),
					content: 'Second stop',
				});
			});
			const items = await itemsOf(n8n, workflowId, 5);
			expect(items[4]).toMatchObject({ reviewId: 'down-3', recovered: true });
			await sleep(5_000);
			const reviewIds = (await itemsOf(n8n, workflowId, 5)).map(
				(item) => item.reviewId ?? item.type,
			);
			// Executions started together may get their ids in either order: what counts is each once.
			expect([...reviewIds].sort()).toEqual(
				['comment_added', 'down-1', 'down-2', 'down-3', 'ups_missed'].sort(),
			);
			expect(await n8n.listExecutions(workflowId)).toHaveLength(5);
		}, 300_000);

		it("recovers the reviews added while Boticord's gateway was down, once", async () => {
			const before = (await n8n.listExecutions(workflowId)).length;
			await gateway.close();
			api.addReview({
				id: 'outage',
				author: USER,
				created: Date.now(),
				content: 'During the outage',
			});
			await sleep(2_000);
			await gateway.restart(0);
			await until(() => gateway.connected === 1, 'the reconnection', 90_000);
			const reconnectedAt = Date.now();
			const items = await itemsOf(n8n, workflowId, before + 1);
			report(
				`n8n ${version}: the review of the outage arrived ${Date.now() - reconnectedAt} ms after reconnecting`,
			);
			expect(items[before]).toMatchObject({ reviewId: 'outage', recovered: true, userId: USER });
			await sleep(5_000);
			expect(await n8n.listExecutions(workflowId)).toHaveLength(before + 1);
		}, 300_000);

		it("reads a bot's reviews through the Boticord node, newest first, from the same stand-in", async () => {
			const hookPath = crypto.randomUUID();
			const credential = await n8n.createCredential('boticordWebhookApi', {
				...boticordCredentialData(TOKEN),
				baseUrl: api.baseUrl,
			});
			const { id } = await n8n.createWorkflow(
				webhookThen({
					name: 'Boticord reviews',
					path: hookPath,
					responseMode: 'lastNode',
					nodeType: 'boticord',
					credentialType: 'boticordWebhookApi',
					credential,
					steps: [
						['Boticord', { resource: 'bot', operation: 'getReviews', botId: BOT_ID, limit: 3 }],
					],
				}),
			);
			await n8n.activateWorkflow(id, { webhookPath: hookPath });
			const answer = await n8n.webhook(hookPath, { body: {} });
			expect(answer.status).toBe(200);
			// n8n answers with the last node's first item: the newest review.
			expect(answer.json).toMatchObject({
				id: 'outage',
				userId: USER,
				resourceId: BOT_ID,
				target: 'bot',
			});
			const [execution] = await n8n.waitForExecutions(id, 1);
			const items = execution.data.resultData.runData.Boticord[0].data.main[0].map(
				(item) => item.json.id,
			);
			expect(items).toEqual(['outage', 'down-3', 'down-2']);
		}, 120_000);
	},
);
