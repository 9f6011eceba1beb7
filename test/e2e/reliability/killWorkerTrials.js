'use strict';
// Kill-a-worker trials (see docs/reliability.md):
//
//   node test/e2e/reliability/killWorkerTrials.js
//
// For each configuration: Redis, PostgreSQL and n8n in queue mode (one main,
// one webhook processor, two workers), then TRIALS times: fresh Boticord and
// Botisimo workflows that post each item to a loopback recorder, EVENTS
// deliveries at CONCURRENCY through the webhook processor, one worker killed
// with SIGKILL once a random share (KILL_AT_MIN..KILL_AT_MAX) of them is
// acknowledged and started again at once, then a wait until every execution
// has finished. Each trial is counted twice: as n8n left it, and after
// retrying every execution that did not succeed (the recommendation).
//
// Environment: TRIALS (10), EVENTS (400), CONCURRENCY (100), CONFIGS
// (comma-separated names from CONFIGURATIONS, default all), KILL_SIGNAL
// (SIGKILL), KILL_WHEN_ACTIVE (0: once the share is reached, wait until
// that many jobs are active before the kill), RECORD_DELAY_MS (1500: how long the recorder takes to answer,
// so that each execution is in flight for that long, like one calling a
// slow API), N8N_VERSION (the newest tested), OUT (a JSON file for the figures).
const fs = require('node:fs');
const os = require('node:os');

const { startCollector } = require('../../harness/collector');
const { VERSIONS } = require('../../harness/install');
const { buildAndPack } = require('../../harness/package');
const { startQueueMode } = require('../../harness/queueMode');
const { eventId } = require('../../harness/load');
const {
	PROVIDERS,
	QUEUE_SETTINGS,
	account,
	deliveriesFor,
	retryFailed,
	sendLoad,
	setUpWorkflows,
	settle,
} = require('../../harness/loadScenario');

/** Given to every process in every configuration (see loadScenario.js). */
const BASE = QUEUE_SETTINGS;

/** Settings given to every process of the cluster (on top of BASE), by name. */
const CONFIGURATIONS = {
	defaults: {},
	// Removed in n8n 2.x (a breaking-changes rule says it is ignored): tried
	// because an earlier single run seemed to lose nothing with it.
	maxStalledCount3: { QUEUE_WORKER_MAX_STALLED_COUNT: '3' },
	// Shorter lock and stalled check: a dead worker's jobs are noticed sooner.
	shortLock: {
		QUEUE_WORKER_LOCK_DURATION: '10000',
		QUEUE_WORKER_LOCK_RENEW_TIME: '2000',
		QUEUE_WORKER_STALLED_INTERVAL: '5000',
	},
};

const TRIALS = Number(process.env.TRIALS ?? 10);
const RECORD_DELAY_MS = Number(process.env.RECORD_DELAY_MS ?? 1500);
const EVENTS = Number(process.env.EVENTS ?? 400);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 100);
const KILL_AT_MIN = Number(process.env.KILL_AT_MIN ?? 0.2);
const KILL_AT_MAX = Number(process.env.KILL_AT_MAX ?? 0.6);
const KILL_SIGNAL = process.env.KILL_SIGNAL ?? 'SIGKILL';
const KILL_WHEN_ACTIVE = Number(process.env.KILL_WHEN_ACTIVE ?? 0);
const VERSION = process.env.N8N_VERSION ?? VERSIONS[0];
const CONFIGS = (process.env.CONFIGS ?? Object.keys(CONFIGURATIONS).join(',')).split(',');

const log = (msg) => process.stderr.write(`[trials ${new Date().toISOString()}] ${msg}\n`);

async function trial(cluster, collector, n, configName) {
	const workflows = await setUpWorkflows(cluster.main, {
		webhookHost: cluster.webhookProcess,
		recorderUrl: collector.url,
	});
	const deliveries = deliveriesFor(workflows, EVENTS);
	const killAt = Math.max(
		1,
		Math.round(EVENTS * (KILL_AT_MIN + Math.random() * (KILL_AT_MAX - KILL_AT_MIN))),
	);
	const slot = n % cluster.workers.length;
	let killedAt;
	let restarted;
	let activeAtKill;
	const sent = await sendLoad(deliveries, {
		concurrency: CONCURRENCY,
		onAnswer(done) {
			if (done !== killAt) return;
			activeAtKill = cluster.whenActiveJobs(KILL_WHEN_ACTIVE);
			restarted = activeAtKill
				.then(() => {
					killedAt = Date.now();
					return cluster.killWorker(slot, KILL_SIGNAL);
				})
				.then(() => cluster.restartWorker(slot));
		},
	});
	await restarted;
	const expected = Object.fromEntries(PROVIDERS.map((p) => [p, sent.accepted[p].size]));
	const settled = await settle(cluster.main, workflows, expected, { timeoutMs: 300000 });
	const settledAfterKillS = Math.round((Date.now() - killedAt) / 1000);
	const before = await account(cluster.main, workflows, sent.accepted, { collector });
	const { retried, refused } = await retryFailed(cluster.main, before);
	if (retried > 0) await settle(cluster.main, workflows, {}, { timeoutMs: 300000 });
	const after = await account(cluster.main, workflows, sent.accepted, { collector });
	const row = {
		config: configName,
		trial: n + 1,
		killAt,
		activeJobsAtKill: await activeAtKill,
		settled,
		settledAfterKillS,
		sent: sent.timing.sent,
		otherAnswers: sent.timing.otherAnswers,
		errors5xx: sent.timing.errors5xx,
		noAnswer: sent.timing.noAnswer,
		unexpectedAnswers: sent.unexpectedAnswers,
		eventsPerSecond: sent.timing.eventsPerSecond,
		p50ms: sent.timing.p50ms,
		p99ms: sent.timing.p99ms,
		accepted: before.total.accepted,
		executedOk: before.total.executedOk,
		failed: before.total.failed,
		lost: before.total.lost,
		duplicates: before.total.duplicates,
		duplicateRuns: before.total.duplicateRuns,
		failedStatuses: PROVIDERS.flatMap((p) =>
			Object.entries(before[p].byStatus).filter(([s]) => s !== 'success'),
		),
		failures: PROVIDERS.flatMap((p) => Object.entries(before[p].failures)),
		retryRefused: refused,
		// of the failed executions, how many had already posted to the recorder
		failedAfterSideEffect: before.total.recordedNotSucceeded,
		retried,
		lostAfterRetry: after.total.lost,
		duplicatesAfterRetry: after.total.duplicates,
		duplicateRunsAfterRetry: after.total.duplicateRuns,
	};
	log(`${configName} #${n + 1}: ${JSON.stringify(row)}`);
	return row;
}

function totals(rows) {
	const sum = (k) => rows.reduce((s, r) => s + (r[k] ?? 0), 0);
	return {
		trials: rows.length,
		sent: sum('sent'),
		accepted: sum('accepted'),
		executedOk: sum('executedOk'),
		failed: sum('failed'),
		lost: sum('lost'),
		trialsWithLoss: rows.filter((r) => r.lost > 0).length,
		duplicates: sum('duplicates'),
		duplicateRuns: sum('duplicateRuns'),
		errors5xx: sum('errors5xx'),
		retried: sum('retried'),
		lostAfterRetry: sum('lostAfterRetry'),
		duplicatesAfterRetry: sum('duplicatesAfterRetry'),
		duplicateRunsAfterRetry: sum('duplicateRunsAfterRetry'),
		maxSettledAfterKillS: Math.max(...rows.map((r) => r.settledAfterKillS)),
	};
}

async function main() {
	const packageTarball = buildAndPack();
	const collector = await startCollector(
		(body) => ('messageId' in body ? eventId('botisimo', body) : eventId('boticord', body)),
		{ delayMs: RECORD_DELAY_MS },
	);
	const results = {
		n8n: VERSION,
		killSignal: KILL_SIGNAL,
		killWhenActive: KILL_WHEN_ACTIVE,
		trials: TRIALS,
		events: EVENTS,
		concurrency: CONCURRENCY,
		recordDelayMs: RECORD_DELAY_MS,
		machine: machine(),
		settings: {},
		rows: [],
		summary: {},
	};
	try {
		for (const configName of CONFIGS) {
			const env = CONFIGURATIONS[configName];
			if (!env) throw new Error(`unknown configuration ${configName}`);
			log(`${configName}: starting queue mode with ${JSON.stringify(env)}`);
			const cluster = await startQueueMode({
				version: VERSION,
				packageTarball,
				workers: 2,
				concurrency: 5,
				env: { ...BASE, ...env },
			});
			results.settings[configName] = { ...BASE, ...env };
			results.services = { redis: cluster.redis.version, postgres: cluster.postgres.version };
			try {
				const rows = [];
				for (let n = 0; n < TRIALS; n++) rows.push(await trial(cluster, collector, n, configName));
				results.rows.push(...rows);
				results.summary[configName] = totals(rows);
			} catch (err) {
				log(cluster.logs().split('\n').slice(-200).join('\n'));
				throw err;
			} finally {
				await cluster.stop();
			}
			if (process.env.OUT) fs.writeFileSync(process.env.OUT, JSON.stringify(results, null, 2));
		}
	} finally {
		await collector.close();
	}
	console.log(`n8n ${VERSION}, ${TRIALS} trials of ${EVENTS} events at ${CONCURRENCY} concurrent`);
	console.table(results.summary);
}

function machine() {
	return {
		cpus: os.cpus().length,
		cpuModel: os.cpus()[0]?.model,
		memoryGiB: Math.round(os.totalmem() / 2 ** 30),
		kernel: os.release(),
		node: process.version,
	};
}

module.exports = { BASE, CONFIGURATIONS };

if (require.main === module) {
	// exit (not die) on Ctrl-C, so that the harness kills what it started
	for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));
	main().catch((error) => {
		console.error(error);
		process.exit(1);
	});
}
