'use strict';
// `npm run bench` (after e2e.js): what remembering accepted Botisimo message
// ids in the workflow's static data costs n8n per delivery, side by side in
// one n8n (the newest tested), on SQLite and then PostgreSQL:
// - (p) the Botisimo Trigger as it is, its static data holding the most it
//   keeps (1,000 ids, what it reaches after a day or 1,000 messages);
// - (m) the same trigger with Ignore Duplicate Deliveries off: no static data
//   written, answered by n8n, which is what it cost n8n when the ids were kept
//   in memory only (that memory costs one SHA-256 and one Set lookup, about a
//   microsecond: the micro table);
// - (b) n8n's Webhook node with Header Auth, then an IF keeping the event type.
// Each gets BENCH_MEMORY_EVENTS events per scenario (every one a new message),
// BENCH_E2E_CHUNK at a time, in rotating order, 10 in flight; first all
// selected (the cost of an accepted delivery), then 90 % unselected (which
// must cost no more than before).
const crypto = require('node:crypto');

const { sendAll, mixedEvents, percentile } = require('../test/harness/load');
const { VERSIONS } = require('../test/harness/install');
const { countExecutions } = require('../test/harness/loadScenario');
const { startN8n } = require('../test/harness/n8n');
const { buildAndPack } = require('../test/harness/package');
const { postgresEnv, startPostgres } = require('../test/harness/services');
const { BOTISIMO_TYPES } = require('./deliveries');
const { n8nCpuMs } = require('./e2e');
const { readResults, writeResults } = require('./results');
const { contenders } = require('./workflows');

const VERSION = process.env.BENCH_N8N_VERSION ?? VERSIONS[0];
const EVENTS = Number(process.env.BENCH_MEMORY_EVENTS ?? 300);
const CHUNK = Number(process.env.BENCH_E2E_CHUNK ?? 100);
const CONCURRENCY = 10;
const SCENARIOS = [{ unselected: 0 }, { unselected: 0.9 }];
const CONTENDERS = ['p', 'm', 'b'];
const KEY = `bench${crypto.randomUUID().replace(/-/g, '')}`;
/** What the trigger keeps at most (DEFAULT_STORED_DELIVERIES_LIMITS), all recent. */
const STORED_IDS = 1000;

/** A node's static data as the trigger leaves it once full: STORED_IDS ids of the last hours. */
function fullStaticData() {
	const now = Math.floor(Date.now() / 1000);
	let entries = '';
	for (let i = STORED_IDS; i > 0; i--) {
		const print = crypto.randomBytes(17).toString('base64url').slice(0, 22);
		entries += print + (now - i * 30).toString(36).padStart(7, '0');
	}
	return { 'node:Trigger': { acceptedDeliveries: { version: 1, entries } } };
}

async function setUp(n8n) {
	const triggerCredential = {
		...(await n8n.createCredential('botisimoWebhookApi', { secret: KEY })),
		type: 'botisimoWebhookApi',
	};
	const headerAuthCredential = await n8n.createCredential('httpHeaderAuth', {
		name: 'X-Botisimo-Key',
		value: KEY,
	});
	const selectedType = BOTISIMO_TYPES[0];
	const specs = contenders({
		provider: 'botisimo',
		selectedType,
		triggerCredential,
		headerAuthCredential,
	});
	const memoryOnly = contenders({
		provider: 'botisimo',
		selectedType,
		triggerCredential,
		headerAuthCredential,
	}).a;
	memoryOnly.json.nodes[0].parameters.options = { ignoreDuplicateDeliveries: false };
	const plan = {
		p: { ...specs.a, json: { ...specs.a.json, staticData: fullStaticData() } },
		m: memoryOnly,
		b: specs.b,
	};
	const workflows = {};
	for (const name of CONTENDERS) {
		const { id } = await n8n.createWorkflow(plan[name].json);
		await n8n.activateWorkflow(id, { webhookPath: plan[name].path });
		const url = `${n8n.baseUrl}/webhook/${plan[name].path}`;
		workflows[name] =
			name === 'b'
				? { id, url, headers: { 'x-botisimo-key': KEY } }
				: { id, url: `${url}?token=${KEY}`, headers: {} };
	}
	return workflows;
}

async function waitForExecutions(n8n, workflowId, count) {
	const deadline = Date.now() + 600_000;
	while ((await countExecutions(n8n, workflowId)) < count) {
		if (Date.now() > deadline) throw new Error(`workflow ${workflowId}: executions did not finish`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

async function runScenario(n8n, workflows, { unselected }, events = EVENTS) {
	const stats = Object.fromEntries(
		CONTENDERS.map((name) => [name, { events: 0, seconds: 0, cpuMs: 0, latencies: [] }]),
	);
	for (let chunk = 0; chunk * CHUNK < events; chunk++) {
		for (let i = 0; i < CONTENDERS.length; i++) {
			const name = CONTENDERS[(chunk + i) % CONTENDERS.length];
			const { id, url, headers } = workflows[name];
			const { events, selected } = mixedEvents('botisimo', BOTISIMO_TYPES, CHUNK, unselected);
			// (b) runs every event; the IF drops the unselected ones
			const expected = name === 'b' ? events.length : selected;
			const before = await countExecutions(n8n, id);
			const cpuBefore = n8nCpuMs(n8n);
			const started = process.hrtime.bigint();
			const results = await sendAll(
				events.map((body) => ({ url, headers, body })),
				{ concurrency: CONCURRENCY },
			);
			const refused = results.filter((r) => r.status !== 200);
			if (refused.length > 0) throw new Error(`(${name}): ${refused.length} not answered 200`);
			await waitForExecutions(n8n, id, before + expected);
			const s = stats[name];
			s.seconds += Number(process.hrtime.bigint() - started) / 1e9;
			s.cpuMs += n8nCpuMs(n8n) - cpuBefore;
			s.events += events.length;
			s.latencies.push(...results.map((r) => r.latencyMs));
		}
	}
	return Object.fromEntries(
		CONTENDERS.map((name) => {
			const s = stats[name];
			s.latencies.sort((x, y) => x - y);
			return [
				name,
				{
					n8nCpuMsPerEvent: Number((s.cpuMs / s.events).toFixed(1)),
					eventsPerSecond: Number((s.events / s.seconds).toFixed(2)),
					ackP50ms: Number(percentile(s.latencies, 50).toFixed(1)),
					ackP99ms: Number(percentile(s.latencies, 99).toFixed(1)),
					events: s.events,
				},
			];
		}),
	);
}

async function storedSize(n8n, workflowId) {
	const res = await n8n.api('GET', `/workflows/${workflowId}`);
	return JSON.stringify(res.json.staticData ?? {}).length;
}

async function measureOn(database, packageTarball) {
	const postgres = database === 'PostgreSQL' ? await startPostgres() : undefined;
	const env = postgres ? postgresEnv(postgres) : {};
	const n8n = await startN8n({ version: VERSION, packageTarball, env });
	try {
		const workflows = await setUp(n8n);
		// n8n's first requests (compiling, caches) are paid by no contender
		await runScenario(n8n, workflows, { unselected: 0 }, CHUNK);
		const scenarios = [];
		for (const scenario of SCENARIOS) {
			scenarios.push({ ...scenario, results: await runScenario(n8n, workflows, scenario) });
			console.error(`${database}: ${scenario.unselected * 100} % unselected done`);
		}
		return { database, scenarios, staticDataBytes: await storedSize(n8n, workflows.p.id) };
	} finally {
		await n8n.stop();
		if (postgres) await postgres.stop();
	}
}

async function main() {
	const packageTarball = buildAndPack();
	const runs = [];
	for (const database of (process.env.BENCH_MEMORY_DATABASES ?? 'SQLite,PostgreSQL').split(',')) {
		const run = await measureOn(database, packageTarball);
		for (const { unselected, results } of run.scenarios) {
			console.log(`\n${database}, ${unselected * 100} % unselected, ${CONCURRENCY} concurrent`);
			console.table(results);
		}
		runs.push(run);
	}
	let previous = {};
	try {
		previous = readResults();
	} catch {
		previous = {};
	}
	writeResults({
		...previous,
		deliveryMemory: { n8n: VERSION, eventsPerContender: EVENTS, chunk: CHUNK, runs },
	});
}

if (require.main === module) {
	main().catch((error) => {
		console.error(error);
		process.exit(1);
	});
}
