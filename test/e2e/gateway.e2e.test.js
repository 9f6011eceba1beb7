const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { gatewayNotification: notifyData, upItem } = require('../fixtures/deliveries');
const { startFakeGateway } = require('../harness/fakeGateway');
const { e2eVersions } = require('../harness/install');
const { launchN8n, startN8n } = require('../harness/n8n');
const { setUpInstance, signIn } = require('../harness/n8nInstance');
const { removeDir, sleep, waitUntil: until } = require('../harness/processes');
const { boticordCredentialData, emittedItem, gatewayWorkflow } = require('../harness/workflows');

const TOKEN = `bc-gateway-${crypto.randomUUID()}`;

/** Boticord Gateway Trigger's default timings (boticordGateway.ts): a ping every 45 s, a pong within 30 s. */
const PING_INTERVAL_MS = 45_000;

/** The trigger's log line for the WebSocket client it uses: `ws`, which n8n ships in both majors. */
const CLIENT_LINE = 'using the ws package n8n ships';

async function gatewayCredential(n8n, token = TOKEN) {
	return {
		...(await n8n.createCredential('boticordWebhookApi', boticordCredentialData(token))),
		type: 'boticordWebhookApi',
	};
}

/** Whether `n8n` is running the workflow: its public API says active, and its trigger is up. */
async function isActive(n8n, id) {
	const res = await n8n.api('GET', `/workflows/${id}`);
	return res.status === 200 && res.json.active === true;
}

describe.each(e2eVersions())('n8n %s: the Boticord Gateway Trigger', (version) => {
	let n8n;
	let gateway;
	let credential;
	let workflow;

	beforeAll(async () => {
		gateway = await startFakeGateway({ tokens: [TOKEN] });
		n8n = await startN8n({
			version,
			packageTarball: process.env.E2E_PACKAGE_TARBALL,
			env: { N8N_LOG_LEVEL: 'debug' },
		});
		credential = await gatewayCredential(n8n);
		const { id } = await n8n.createWorkflow(
			gatewayWorkflow({
				name: 'Boticord gateway',
				credential,
				events: ['up_added', 'comment_added'],
				gatewayUrl: gateway.url,
			}),
		);
		await n8n.activateWorkflow(id);
		workflow = { id };
		await until(() => gateway.connected === 1, 'the trigger to connect');
	});

	afterAll(async () => {
		if (n8n) {
			const logs = n8n.logs();
			await n8n.stop();
			expect(logs).not.toContain(TOKEN);
		}
		if (gateway) await gateway.close();
	});

	it('connects with the ws package n8n ships, and authenticates with the token', () => {
		expect(n8n.logs()).toContain(CLIENT_LINE);
		expect(gateway.attempts[0]).toMatchObject({ token: TOKEN, accepted: true });
	});

	it('turns selected notifications into executions with the items the webhook route makes, and starts none for others', async () => {
		gateway.notify(notifyData('comment_removed'));
		gateway.notify(notifyData('up_added'));
		const [execution] = await n8n.waitForExecutions(workflow.id, 1);
		expect(execution.status).toBe('success');
		expect(emittedItem(execution)).toEqual(upItem());
		await sleep(1500);
		expect(await n8n.listExecutions(workflow.id)).toHaveLength(1);
	});

	it('reconnects after the gateway restarts, and what it sends afterwards arrives', async () => {
		const before = (await n8n.listExecutions(workflow.id)).length;
		await gateway.restart(1000);
		await until(() => gateway.connected === 1, 'the reconnection');
		gateway.notify(notifyData('comment_added', undefined, 'id'));
		const executions = await n8n.waitForExecutions(workflow.id, before + 1);
		expect(emittedItem(executions[executions.length - 1])).toMatchObject({
			type: 'comment_added',
			action: 'new',
		});
	});

	it(
		'replaces a connection that goes silent without closing within two ping intervals, and receives on the new one',
		async () => {
			const before = (await n8n.listExecutions(workflow.id)).length;
			const attempts = gateway.attempts.length;
			const silencedAt = Date.now();
			gateway.silence();
			await until(
				() => gateway.attempts.length > attempts && gateway.connected === 1,
				'a new connection',
				3 * PING_INTERVAL_MS,
			);
			const replacedInMs = Date.now() - silencedAt;
			process.stderr.write(
				`[gateway e2e] n8n ${version}: silent connection replaced in ${replacedInMs} ms\n`,
			);
			expect(replacedInMs).toBeLessThan(2 * PING_INTERVAL_MS + 5_000);
			expect(n8n.logs()).toMatch(
				/has not answered a ping for 30 s: the connection is taken for dead/,
			);
			// The dead connection is cut, not left open: the stand-in sees it closed.
			await until(() => gateway.open === 1, 'the silent connection to be cut', 10_000);
			gateway.notify(notifyData('up_added'));
			await n8n.waitForExecutions(workflow.id, before + 1);
		},
		4 * PING_INTERVAL_MS,
	);

	it('deactivates within seconds while its connection is silent', async () => {
		gateway.silence();
		const started = Date.now();
		await n8n.deactivateWorkflow(workflow.id, { timeoutMs: 20_000 });
		const tookMs = Date.now() - started;
		process.stderr.write(
			`[gateway e2e] n8n ${version}: deactivated on a silent connection in ${tookMs} ms\n`,
		);
		expect(tookMs).toBeLessThan(10_000);
		await until(() => gateway.open === 0, 'the connection to be cut', 10_000);
	}, 30_000);

	it('fails to activate, with the message the user sees, when Boticord refuses the token', async () => {
		const refused = await gatewayCredential(n8n, 'not-the-token');
		const { id } = await n8n.createWorkflow(
			gatewayWorkflow({
				name: 'Boticord gateway, wrong token',
				credential: refused,
				events: ['*'],
				gatewayUrl: gateway.url,
			}),
		);
		await expect(n8n.activateWorkflow(id)).rejects.toThrow(
			/Boticord's gateway refused the API token \(error 4/,
		);
	});

	it('fails to activate at once, saying where it tried, when the gateway cannot be reached', async () => {
		const { id } = await n8n.createWorkflow(
			gatewayWorkflow({
				name: 'Boticord gateway, nothing there',
				credential,
				events: ['*'],
				gatewayUrl: 'ws://127.0.0.1:9/websocket/',
			}),
		);
		await expect(n8n.activateWorkflow(id)).rejects.toThrow(
			/Could not connect to Boticord's gateway at ws:\/\/127\.0\.0\.1:9\/websocket\/ \(connection refused\)/,
		);
	});

	it('reports an outage where users look, once, while the workflow stays active and keeps reconnecting', async () => {
		const down = await startFakeGateway({ tokens: [TOKEN] });
		const { id } = await n8n.createWorkflow(
			gatewayWorkflow({
				name: 'Boticord gateway, outage',
				credential,
				events: ['*'],
				gatewayUrl: down.url,
				options: { outageAlertMinutes: 1 },
			}),
		);
		try {
			await n8n.activateWorkflow(id);
			await until(() => down.connected === 1, 'the connection');
			const wentDownAt = Date.now();
			await down.close();
			const report =
				/has had no steady connection to Boticord's gateway for 1 min\. The last problem: .*The trigger keeps reconnecting/;
			if (n8n.major >= 2) {
				// n8n 2.x lists it as a failed execution of the workflow (and runs its error workflow).
				const [failed] = await n8n.waitForExecutions(id, 1, 120_000);
				expect(failed.status).toBe('error');
				expect(failed.data.resultData.error.message).toMatch(report);
			} else {
				await until(() => report.test(n8n.logs()), 'the error in the log', 120_000);
			}
			const reportedInMs = Date.now() - wentDownAt;
			process.stderr.write(
				`[gateway e2e] n8n ${version}: outage reported after ${reportedInMs} ms\n`,
			);
			expect(reportedInMs).toBeGreaterThanOrEqual(60_000);
			expect(await isActive(n8n, id)).toBe(true);
			await sleep(5_000);
			// Once: one failed execution on 2.x (whose log also repeats it), one error line on 1.x.
			if (n8n.major >= 2) expect(await n8n.listExecutions(id)).toHaveLength(1);
			else expect(n8n.logs().match(new RegExp(report.source, 'g'))).toHaveLength(1);
			await down.restart(0);
			await until(() => down.connected === 1, 'the reconnection', 90_000);
		} finally {
			await n8n.deactivateWorkflow(id).catch(() => undefined);
			await down.close();
		}
	}, 240_000);
});

describe.each(e2eVersions())("n8n %s restarting while Boticord's gateway is down", (version) => {
	let folder;
	let gateway;
	let n8n;

	afterAll(async () => {
		if (n8n) await n8n.stop();
		if (gateway) await gateway.close();
		if (folder) removeDir(folder);
	});

	it('keeps the gateway workflow active and connects once the gateway is back', async () => {
		folder = fs.mkdtempSync(path.join(os.tmpdir(), `n8n-e2e-${version}-restart-`));
		gateway = await startFakeGateway({ tokens: [TOKEN] });
		const env = { N8N_LOG_LEVEL: 'debug' };
		n8n = await launchN8n({
			version,
			packageTarball: process.env.E2E_PACKAGE_TARBALL,
			userFolder: folder,
			env,
		});
		await setUpInstance(n8n);
		const credential = await gatewayCredential(n8n);
		const { id } = await n8n.createWorkflow(
			gatewayWorkflow({
				name: 'Boticord gateway, restart',
				credential,
				events: ['*'],
				gatewayUrl: gateway.url,
			}),
		);
		await n8n.activateWorkflow(id);
		await until(() => gateway.connected === 1, 'the connection');
		const signedIn = { owner: n8n.owner, apiKey: n8n.apiKey };
		await n8n.stop();

		await gateway.close();
		n8n = await launchN8n({ version, userFolder: folder, env });
		await signIn(n8n, signedIn);
		await until(
			() => /keeps trying to connect in the background/.test(n8n.logs()),
			'the trigger to start without the gateway',
		);
		await sleep(2_000);
		expect(await isActive(n8n, id)).toBe(true);

		await gateway.restart(0);
		await until(() => gateway.connected === 1, 'the connection after the restart', 90_000);
		gateway.notify(notifyData('up_added'));
		const [execution] = await n8n.waitForExecutions(id, 1);
		expect(emittedItem(execution)).toEqual(upItem());
	}, 300_000);
});
