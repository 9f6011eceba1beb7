const crypto = require('node:crypto');

const { gatewayNotification: notifyData, upItem } = require('../fixtures/deliveries');
const { startFakeGateway } = require('../harness/fakeGateway');
const { e2eVersions } = require('../harness/install');
const { startN8n } = require('../harness/n8n');
const { sleep, waitUntil: until } = require('../harness/processes');
const { boticordCredentialData, emittedItem, gatewayWorkflow } = require('../harness/workflows');

const TOKEN = `bc-gateway-${crypto.randomUUID()}`;

/**
 * On n8n 1.x the suite runs n8n with the platform's WebSocket client switched
 * off, as on the Node.js 20 that n8n 1.x supports, so that the trigger has to
 * load the `ws` package n8n ships.
 */
const clientOf = (version) =>
	Number(version.split('.')[0]) < 2
		? {
				env: { NODE_OPTIONS: '--no-experimental-websocket' },
				line: 'using the ws package n8n ships',
			}
		: { env: {}, line: "using the platform's WebSocket client" };

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
			env: { N8N_LOG_LEVEL: 'debug', ...clientOf(version).env },
		});
		credential = {
			...(await n8n.createCredential('boticordWebhookApi', boticordCredentialData(TOKEN))),
			type: 'boticordWebhookApi',
		};
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

	it('connects with the WebSocket client the runtime has, and authenticates with the token', () => {
		expect(n8n.logs()).toContain(clientOf(version).line);
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
		gateway.notify(notifyData('comment_added'));
		const executions = await n8n.waitForExecutions(workflow.id, before + 1);
		expect(emittedItem(executions[executions.length - 1])).toMatchObject({
			type: 'comment_added',
			action: 'new',
		});
	});

	it('fails to activate, with the message the user sees, when Boticord refuses the token', async () => {
		const refused = {
			...(await n8n.createCredential(
				'boticordWebhookApi',
				boticordCredentialData('not-the-token'),
			)),
			type: 'boticordWebhookApi',
		};
		const { id } = await n8n.createWorkflow(
			gatewayWorkflow({
				name: 'Boticord gateway, wrong token',
				credential: refused,
				events: ['*'],
				gatewayUrl: gateway.url,
			}),
		);
		await expect(n8n.activateWorkflow(id)).rejects.toThrow(
			/Boticord's gateway refused the API token/,
		);
	});
});
