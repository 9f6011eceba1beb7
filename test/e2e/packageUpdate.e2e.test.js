// A Botisimo message retried after the package is updated through n8n's
// Community Nodes endpoints starts no second execution. n8n installs version A
// from a registry on loopback, a message runs, n8n updates the package to
// version B (it unloads and reloads the package in the running process, with
// the trigger's in-memory ids), and the same message is acknowledged without
// an execution: the ids came back from the workflow's static data. n8n's npm
// is pointed at the registry by an `npm` first on its PATH (npmPointedAt).
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const { envelope } = require('../fixtures/deliveries');
const { e2eVersions, node24Bin } = require('../harness/install');
const { launchN8n } = require('../harness/n8n');
const { setUpInstance } = require('../harness/n8nInstance');
const { npmPointedAt, repackWithVersion, startNpmRegistry } = require('../harness/npmRegistry');
const { removeDir, sleep } = require('../harness/processes');
const { emittedItem, triggerWorkflow } = require('../harness/workflows');

const SECRET = `bts${crypto.randomUUID().replace(/-/g, '')}`;
/** How long a delivery that started nothing is watched for a late execution. */
const QUIET_MS = 2000;
const [VERSION_A, VERSION_B] = ['0.1.0', '0.1.1'];

describe.each(e2eVersions())(
	'n8n %s updating the package between a Botisimo message and its retry',
	(version) => {
		let registry;
		let npmDir;
		let n8n;
		let packageName;

		beforeAll(async () => {
			registry = await startNpmRegistry();
			const tarball = process.env.E2E_PACKAGE_TARBALL;
			for (const v of [VERSION_A, VERSION_B]) {
				const { manifest, tgz } = repackWithVersion(tarball, v);
				packageName = manifest.name;
				registry.publish(manifest, tgz);
			}
			npmDir = npmPointedAt(registry.url);
		}, 120_000);

		afterAll(async () => {
			if (n8n) await n8n.stop();
			if (registry) await registry.close();
			removeDir(npmDir);
		});

		function installedVersionOnDisk() {
			const file = path.join(
				n8n.userFolder,
				'.n8n',
				'nodes',
				'node_modules',
				packageName,
				'package.json',
			);
			return JSON.parse(fs.readFileSync(file, 'utf8')).version;
		}

		it('runs a message once across an update through the Community Nodes endpoints', async () => {
			n8n = await launchN8n({
				version,
				env: {
					PATH: `${npmDir}${path.delimiter}${node24Bin()}${path.delimiter}${process.env.PATH}`,
				},
			});
			await setUpInstance(n8n);

			let started = Date.now();
			const installed = await n8n.rest('POST', '/community-packages', {
				name: packageName,
				version: VERSION_A,
			});
			expect(installed.status).toBe(200);
			expect(installed.json.data.installedVersion).toBe(VERSION_A);
			console.log(`n8n ${version}: installed ${VERSION_A} in ${Date.now() - started} ms`);
			expect(installedVersionOnDisk()).toBe(VERSION_A);

			const credential = await n8n.createCredential('botisimoWebhookApi', { secret: SECRET });
			credential.type = 'botisimoWebhookApi';
			const { json, webhookPath } = triggerWorkflow({
				name: 'Botisimo, across a package update',
				nodeType: 'botisimoTrigger',
				credential,
				events: ['*'],
			});
			const { id } = await n8n.createWorkflow(json);
			await n8n.activateWorkflow(id, { webhookPath });

			const send = (body) => n8n.webhook(webhookPath, { body, query: { token: SECRET } });
			async function expectRun(body) {
				const before = (await n8n.listExecutions(id)).length;
				const res = await send(body);
				expect(res.status).toBe(200);
				expect(res.text).toBe('');
				const executions = await n8n.waitForExecutions(id, before + 1);
				expect(emittedItem(executions[executions.length - 1]).messageId).toBe(body.messageId);
			}
			async function expectNoRun(body) {
				const before = (await n8n.listExecutions(id)).length;
				const res = await send(body);
				expect(res.status).toBe(200);
				expect(res.json).toEqual({ message: 'Webhook call received' });
				await sleep(QUIET_MS);
				expect(await n8n.listExecutions(id)).toHaveLength(before);
			}

			const before = [1, 2].map(() => envelope('giveaway.winner.created'));
			for (const message of before) await expectRun(message);
			await expectNoRun(before[1]);

			started = Date.now();
			const updated = await n8n.rest('PATCH', '/community-packages', {
				name: packageName,
				version: VERSION_B,
			});
			expect(updated.status).toBe(200);
			expect(updated.json.data.installedVersion).toBe(VERSION_B);
			await n8n.waitForWebhook(webhookPath);
			console.log(
				`n8n ${version}: updated to ${VERSION_B}, webhook answering, in ${Date.now() - started} ms`,
			);
			expect(installedVersionOnDisk()).toBe(VERSION_B);
			for (const message of before) await expectNoRun(message);
			await expectRun(envelope('shop_item.purchase.redeemed'));
		}, 600_000);
	},
);
