'use strict';
// `npm run bench` (last): n8n's own CPU time per Boticord notification
// received through the WebSocket gateway (Boticord Gateway Trigger, against a
// stand-in gateway on loopback) and through the HTTPS webhook (Boticord
// Trigger), for selected and unselected notifications, in one n8n (the newest tested).
// CPU time of the n8n process, less what it spends idle, holds up on a busy
// machine where wall time would not.
const { gatewayNotification, notification } = require('../test/fixtures/deliveries');
const { startFakeGateway } = require('../test/harness/fakeGateway');
const { sendAll } = require('../test/harness/load');
const { VERSIONS } = require('../test/harness/install');
const { countExecutions } = require('../test/harness/loadScenario');
const { startN8n } = require('../test/harness/n8n');
const { buildAndPack } = require('../test/harness/package');
const { sleep, waitUntil } = require('../test/harness/processes');
const {
	boticordCredentialData,
	gatewayWorkflow,
	triggerWorkflow,
} = require('../test/harness/workflows');
const { n8nCpuMs } = require('./e2e');
const { readResults, writeResults } = require('./results');

const N8N_VERSION = VERSIONS[0];
const NOTIFICATIONS = Number(process.env.BENCH_GATEWAY_NOTIFICATIONS ?? 300);
const TOKEN = 'bench-gateway-token';

/** n8n's CPU ms per notification for one route and one kind, less its idle CPU over the same time. */
async function measure(n8n, idleMsPerSecond, { send, workflowId, selected }) {
	const before = await countExecutions(n8n, workflowId);
	const started = Date.now();
	const cpu = n8nCpuMs(n8n);
	await send();
	if (selected) {
		await waitUntil(
			async () => (await countExecutions(n8n, workflowId)) >= before + NOTIFICATIONS,
			'the executions',
			600_000,
		);
	}
	// What n8n does after the last answer (saving, scheduling) counts too.
	await sleep(1000);
	const spent = n8nCpuMs(n8n) - cpu - (idleMsPerSecond * (Date.now() - started)) / 1000;
	return Number((spent / NOTIFICATIONS).toFixed(2));
}

async function main() {
	const gateway = await startFakeGateway({ tokens: [TOKEN] });
	const n8n = await startN8n({ version: N8N_VERSION, packageTarball: buildAndPack() });
	try {
		const credential = {
			...(await n8n.createCredential('boticordWebhookApi', boticordCredentialData(TOKEN))),
			type: 'boticordWebhookApi',
		};
		const viaGateway = await n8n.createWorkflow(
			gatewayWorkflow({
				name: 'gateway',
				credential,
				events: ['up_added'],
				gatewayUrl: gateway.url,
			}),
		);
		await n8n.activateWorkflow(viaGateway.id);
		const hook = triggerWorkflow({
			name: 'webhook',
			nodeType: 'boticordTrigger',
			credential,
			events: ['up_added'],
		});
		const viaWebhook = await n8n.createWorkflow(hook.json);
		await n8n.activateWorkflow(viaWebhook.id, { webhookPath: hook.webhookPath });
		await waitUntil(() => gateway.connected === 1, 'the gateway connection');

		const idleStart = n8nCpuMs(n8n);
		await sleep(5000);
		const idleMsPerSecond = (n8nCpuMs(n8n) - idleStart) / 5;

		const url = `${n8n.baseUrl}/webhook/${hook.webhookPath}`;
		const routes = {
			gateway: (type) => ({
				workflowId: viaGateway.id,
				// Paced as a busy gateway would send, ten at a time.
				send: async () => {
					for (let i = 0; i < NOTIFICATIONS; i += 10) {
						for (let j = 0; j < 10; j++) gateway.notify(gatewayNotification(type));
						await sleep(20);
					}
				},
			}),
			webhook: (type) => ({
				workflowId: viaWebhook.id,
				send: async () => {
					const deliveries = Array.from({ length: NOTIFICATIONS }, () => ({
						url,
						headers: { 'x-boticord-token': TOKEN },
						body: notification(type, TOKEN),
					}));
					const answers = await sendAll(deliveries, { concurrency: 10 });
					const failed = answers.filter((answer) => answer.status !== 200);
					if (failed.length > 0) throw new Error(`${failed.length} deliveries failed`);
				},
			}),
		};
		const cpu = {};
		for (const route of Object.keys(routes)) {
			cpu[route] = {
				selected: await measure(n8n, idleMsPerSecond, {
					...routes[route]('up_added'),
					selected: true,
				}),
				unselected: await measure(n8n, idleMsPerSecond, {
					...routes[route]('comment_added'),
					selected: false,
				}),
			};
		}
		const gatewayFigures = {
			n8n: N8N_VERSION,
			notifications: NOTIFICATIONS,
			idleCpuMsPerSecond: Number(idleMsPerSecond.toFixed(2)),
			n8nCpuMsPerNotification: cpu,
			webhookOverGatewaySelected: Number((cpu.webhook.selected / cpu.gateway.selected).toFixed(2)),
		};
		let previous = {};
		try {
			previous = readResults();
		} catch {
			previous = {};
		}
		writeResults({ ...previous, gateway: gatewayFigures });
		console.log('n8n CPU ms per Boticord notification:');
		console.table(cpu);
	} finally {
		await n8n.stop();
		await gateway.close();
	}
}

if (require.main === module) {
	main().catch((error) => {
		console.error(error);
		process.exit(1);
	});
}
