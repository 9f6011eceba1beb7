// Queue mode: Redis and PostgreSQL on loopback, n8n as one main, one
// webhook processor and two workers (concurrency 5), and the load of
// load.e2e.test.js through the webhook processor (E2E_QUEUE_EVENTS, default
// 300, at E2E_QUEUE_CONCURRENCY, default 100), with a worker killed mid-run
// (SIGKILL) while it holds jobs and started again at once, then the same with
// a worker stopped gracefully (SIGTERM, as orchestrators do): it finishes the
// jobs it counts as running, but a job it took in the moment before the signal
// can be cut off when it closes its database pool (an n8n race, seen on 1.x;
// docs/reliability.md). The workflows end in an HTTP call to a loopback
// recorder, which counts how often each event really ran. Each n8n version
// under test gets its own cluster. Deliveries n8n itself refuses with
// "Database is not ready!" (its database ping, docs/reliability.md) are sent
// again after the load, as Botisimo retries them.
//
// What happens to the jobs of a killed worker differs by n8n major
// (docs/reliability.md). Bull finds them stalled once their lock expires
// (lock duration + stalled interval, up to 90 s by default); then
// - n8n 1.x (maxStalledCount 1 by default) queues them again and another
//   worker runs each execution from the start: nothing is lost or executed
//   twice, but the nodes it had already run (the HTTP call) may run again;
// - n8n 2.x fixes maxStalledCount at 0, so Bull fails them instead, and the
//   webhook processor stores each such execution as an error with its trigger
//   data erased, so no retry can bring the event back. Nothing runs twice, and
//   at most the jobs the killed worker held (its concurrency) are lost.
//
// A cluster of its own then shows the Boticord Gateway Trigger, which runs in
// the main process, starting executions that the workers run.
const crypto = require('node:crypto');

const { startCollector } = require('../harness/collector');
const { eventId } = require('../harness/load');
const { startQueueMode } = require('../harness/queueMode');
const {
	PROVIDERS,
	QUEUE_SETTINGS,
	account,
	deliveriesFor,
	DATABASE_NOT_READY,
	resendRefusedByN8n,
	sendLoad,
	setUpWorkflows,
	settle,
} = require('../harness/loadScenario');
const { e2eVersions } = require('../harness/install');
const { gatewayNotification: notifyData } = require('../fixtures/deliveries');
const { startFakeGateway } = require('../harness/fakeGateway');
const { waitUntil: until } = require('../harness/processes');
const { boticordCredentialData, gatewayWorkflow } = require('../harness/workflows');

const EVENTS = Number(process.env.E2E_QUEUE_EVENTS ?? 300);
const CONCURRENCY = Number(process.env.E2E_QUEUE_CONCURRENCY ?? 100);
const WORKER_CONCURRENCY = 5;
const STOPPED = 0; // worker slot
const STALLED = /failed to be processed too many times/;
// a job the worker took just before the SIGTERM, not yet counted as running
const POOL_CLOSED = /^(Connection terminated|Cannot use a pool after calling end on the pool)$/;

/**
 * Nothing ran twice, and the only events lost were at most one worker's jobs
 * in flight, each stored as a failed execution for `reason`.
 */
function expectAtMostOneWorkersJobsLost({ total }, failures, reason) {
	expect(total.duplicates).toBe(0);
	expect(total.duplicateRuns).toBe(0);
	expect(total.lost).toBeLessThanOrEqual(WORKER_CONCURRENCY);
	expect(total.failed).toBe(total.lost);
	expect(total.executedOk + total.lost).toBe(total.accepted);
	for (const message of Object.keys(failures)) expect(message).toMatch(reason);
}

/** What each n8n major must do with the killed worker's jobs (see the top). */
const KILLED_WORKER_OUTCOME = {
	1: {
		title: 'its jobs run again: none lost, none executed twice',
		check({ total }) {
			expect(total.lost).toBe(0);
			expect(total.failed).toBe(0);
			expect(total.duplicates).toBe(0);
			expect(total.executedOk).toBe(total.accepted);
			// a re-run repeats only what the killed worker had started
			expect(total.duplicateRuns).toBeLessThanOrEqual(WORKER_CONCURRENCY);
		},
	},
	2: {
		title: `nothing runs twice, at most its ${WORKER_CONCURRENCY} jobs in flight are lost, each as a failed execution`,
		check(report, failures) {
			expectAtMostOneWorkersJobsLost(report, failures, STALLED);
			// a failed one keeps no trigger data, so it is not matched to an event
			expect(report.total.foreign).toBe(report.total.failed);
		},
	},
};

describe.each(e2eVersions())('queue mode on n8n %s', (version) => {
	const outcome = KILLED_WORKER_OUTCOME[Number(version.split('.')[0])];

	let cluster;
	let collector;

	beforeAll(async () => {
		collector = await startCollector(
			(body) => ('messageId' in body ? eventId('botisimo', body) : eventId('boticord', body)),
			// each execution waits 1 s for the recorder, so a stopped worker has work in flight
			{ delayMs: 1000 },
		);
		cluster = await startQueueMode({
			version,
			packageTarball: process.env.E2E_PACKAGE_TARBALL,
			workers: 2,
			concurrency: WORKER_CONCURRENCY,
			env: QUEUE_SETTINGS,
		});
	}, 600_000);

	afterAll(async () => {
		if (cluster) await cluster.stop();
		if (collector) await collector.close();
	}, 120_000);

	/**
	 * Sends the load to fresh workflows, stops worker STOPPED with `signal` once
	 * 30 % of the deliveries are answered and more jobs are active than one
	 * worker can hold (so both hold some), and starts it again; waits until
	 * every execution has finished, and accounts for each accepted event.
	 */
	async function loadWithStoppedWorker(signal) {
		const workflows = await setUpWorkflows(cluster.main, {
			webhookHost: cluster.webhookProcess,
			recorderUrl: collector.url,
		});
		const deliveries = deliveriesFor(workflows, EVENTS, 0.5);
		let restarted;
		let activeAtStop;
		const firstPass = await sendLoad(deliveries, {
			concurrency: CONCURRENCY,
			onAnswer(done) {
				if (done !== Math.round(EVENTS * 0.3)) return;
				// stop it while it has jobs in flight (waiting at most 30 s)
				activeAtStop = cluster.whenActiveJobs(WORKER_CONCURRENCY + 1);
				restarted = activeAtStop
					.then(() => cluster.killWorker(STOPPED, signal))
					.then(() => cluster.restartWorker(STOPPED));
			},
		});
		await restarted;
		// n8n's own refusals, sent before the trigger runs, are what a sender retries
		const sent = await resendRefusedByN8n(deliveries, firstPass);
		const expected = Object.fromEntries(PROVIDERS.map((p) => [p, sent.accepted[p].size]));
		const settled = await settle(cluster.main, workflows, expected, { timeoutMs: 400_000 });
		const report = await account(cluster.main, workflows, sent.accepted, { collector });
		const failures = {};
		for (const p of PROVIDERS)
			for (const [message, n] of Object.entries(report[p].failures))
				failures[message] = (failures[message] ?? 0) + n;
		console.log(
			`queue mode, worker stopped with ${signal}: ${JSON.stringify({
				n8n: version,
				...sent.timing,
				refusedByN8nThenResent: sent.refusedByN8n,
				activeJobsAtStop: await activeAtStop,
				...report.total,
				failures,
			})}`,
		);
		// more active jobs than one worker holds: the stopped one had some
		expect(await activeAtStop).toBeGreaterThan(WORKER_CONCURRENCY);
		// the only answers other than 200 were n8n's, before any node ran
		expect(Object.keys(sent.timing.otherAnswers)).toEqual(
			sent.refusedByN8n > 0 ? [`503 ${DATABASE_NOT_READY}`] : [],
		);
		expect(sent.results.every((r) => r.status === 200)).toBe(true);
		expect(sent.unexpectedAnswers).toBe(0);
		expect(settled).toBe(true);
		expect(report.total.accepted).toBe(deliveries.filter((d) => d.selected).length);
		return { report, failures };
	}

	it(`${EVENTS} deliveries at ${CONCURRENCY} concurrent, a worker killed with SIGKILL mid-run: ${outcome.title}`, async () => {
		const { report, failures } = await loadWithStoppedWorker('SIGKILL');
		outcome.check(report, failures);
	}, 1_200_000);

	it(`${EVENTS} deliveries at ${CONCURRENCY} concurrent, a worker stopped with SIGTERM mid-run: nothing runs twice, at most the jobs it had just taken are lost`, async () => {
		const { report, failures } = await loadWithStoppedWorker('SIGTERM');
		expectAtMostOneWorkersJobsLost(report, failures, POOL_CLOSED);
	}, 1_200_000);
});

const GATEWAY_TOKEN = `bc-gateway-${crypto.randomUUID()}`;

describe('n8n in queue mode: the Boticord Gateway Trigger', () => {
	const [version] = e2eVersions();
	let cluster;
	let gateway;

	beforeAll(async () => {
		gateway = await startFakeGateway({ tokens: [GATEWAY_TOKEN] });
		cluster = await startQueueMode({
			version,
			packageTarball: process.env.E2E_PACKAGE_TARBALL,
			workers: 1,
			env: QUEUE_SETTINGS,
		});
	}, 600_000);

	afterAll(async () => {
		if (cluster) await cluster.stop();
		if (gateway) await gateway.close();
	}, 120_000);

	it('holds the connection in the main process, and its notifications run on the workers', async () => {
		const { main } = cluster;
		const credential = {
			...(await main.createCredential('boticordWebhookApi', boticordCredentialData(GATEWAY_TOKEN))),
			type: 'boticordWebhookApi',
		};
		const { id } = await main.createWorkflow(
			gatewayWorkflow({
				name: 'Boticord gateway in queue mode',
				credential,
				events: ['*'],
				gatewayUrl: gateway.url,
			}),
		);
		await main.activateWorkflow(id);
		await until(() => gateway.connected === 1, 'the main process to connect');
		expect(gateway.attempts).toHaveLength(1);
		for (let i = 0; i < 3; i++) gateway.notify(notifyData('up_added'));
		const executions = await main.waitForExecutions(id, 3, 60_000).catch((error) => {
			throw new Error(`${error.message}\n${cluster.logs()}`);
		});
		expect(executions.map((execution) => execution.status)).toEqual([
			'success',
			'success',
			'success',
		]);
		const workerLogs = cluster.workers.map((worker) => worker.logs()).join('\n');
		for (const execution of executions) {
			expect(workerLogs).toMatch(new RegExp(`execution ${execution.id}\\b`));
		}
	});
});
