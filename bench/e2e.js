'use strict';
// The real-n8n half of `npm run bench`: one n8n (the newest tested) with four active
// workflows per provider, fed the same events side by side. See bench/README.md.
const crypto = require('node:crypto');
const fs = require('node:fs');

const { mixedEvents, percentile, sendAll } = require('../test/harness/load');
const { VERSIONS } = require('../test/harness/install');
const { startN8n } = require('../test/harness/n8n');
const { buildAndPack } = require('../test/harness/package');
const { countExecutions } = require('../test/harness/loadScenario');
const { BOTICORD_TYPES, BOTISIMO_TYPES } = require('./deliveries');
const { readResults, writeResults } = require('./results');
const { contenders } = require('./workflows');
const { boticordCredentialData } = require('../test/harness/workflows');

const VERSION = process.env.BENCH_N8N_VERSION ?? VERSIONS[0];
// 4,000 deliveries per scenario (1,000 to each workflow): about 50 minutes here.
const EVENTS = Number(process.env.BENCH_E2E_EVENTS ?? 1000);
const CHUNK = Number(process.env.BENCH_E2E_CHUNK ?? 250);
const KEY = `bench-${crypto.randomUUID()}`;
const SCENARIOS = [
	{ concurrency: 10, unselected: 0.9 },
	{ concurrency: 50, unselected: 0.9 },
	{ concurrency: 10, unselected: 0 },
	{ concurrency: 50, unselected: 0 },
];
const CONTENDERS = ['a', 'b', 'c', 'd'];
// n8n settings for the run, e.g. BENCH_N8N_ENV='{"N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE":"true"}'
const N8N_ENV = JSON.parse(process.env.BENCH_N8N_ENV ?? '{}');

/** `count` events of which the first `selected` are the selected type, shuffled. */
function chunkOfEvents(provider, count, unselected) {
	return mixedEvents(
		provider,
		provider === 'boticord' ? BOTICORD_TYPES : BOTISIMO_TYPES,
		count,
		unselected,
	);
}

/** Posts every event with at most `concurrency` in flight; returns each ack's latency in ms. */
async function sendEvents(url, events, concurrency, headers) {
	const results = await sendAll(
		events.map((body) => ({ url, headers, body })),
		{ concurrency },
	);
	const failures = results.filter((r) => r.status !== 200).map((r) => r.status);
	if (failures.length > 0)
		throw new Error(`${failures.length} deliveries were not answered 200: ${failures.slice(0, 5)}`);
	return results.map((r) => r.latencyMs);
}

/**
 * CPU time (user + system) the n8n process has used, in ms. Unlike wall time
 * it hardly moves when something else loads the machine, so ratios of it
 * hold on a noisy machine; n8n runs single-process here (no task runners).
 */
function n8nCpuMs(n8n) {
	const fields = fs.readFileSync(`/proc/${n8n.child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
	const ticksPerSecond = 100; // USER_HZ on Linux
	return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
}

async function waitForExecutions(n8n, workflowId, count) {
	const deadline = Date.now() + 600_000;
	while ((await countExecutions(n8n, workflowId)) < count) {
		if (Date.now() > deadline)
			throw new Error(`workflow ${workflowId}: executions did not finish in 10 minutes`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

async function setUp(n8n, provider) {
	const triggerType = `${provider}WebhookApi`;
	const triggerCredential = {
		...(await n8n.createCredential(
			triggerType,
			provider === 'boticord' ? boticordCredentialData(KEY) : { secret: KEY },
		)),
		type: triggerType,
	};
	const headerAuthCredential = await n8n.createCredential('httpHeaderAuth', {
		name: 'X-Boticord-Token',
		value: KEY,
	});
	const selectedType = (provider === 'boticord' ? BOTICORD_TYPES : BOTISIMO_TYPES)[0];
	const specs = contenders({ provider, selectedType, triggerCredential, headerAuthCredential });
	const workflows = {};
	for (const name of CONTENDERS) {
		const { id } = await n8n.createWorkflow(specs[name].json);
		await n8n.activateWorkflow(id, { webhookPath: specs[name].path });
		workflows[name] = { id, url: `${n8n.baseUrl}/webhook/${specs[name].path}` };
	}
	workflows.a.headers = provider === 'boticord' ? { 'x-boticord-token': KEY } : {};
	if (provider === 'botisimo') workflows.a.url += `?token=${KEY}`;
	workflows.b.headers = { 'x-boticord-token': KEY };
	workflows.c.headers = {};
	workflows.d.headers = {};
	return workflows;
}

/** One scenario: every contender gets EVENTS events, CHUNK at a time, in rotating order. */
async function runScenario(n8n, provider, workflows, { concurrency, unselected }) {
	const stats = Object.fromEntries(
		CONTENDERS.map((name) => [
			name,
			{ events: 0, executions: 0, ackSeconds: 0, doneSeconds: 0, cpuMs: 0, latencies: [] },
		]),
	);
	for (let chunk = 0; chunk * CHUNK < EVENTS; chunk++) {
		for (let i = 0; i < CONTENDERS.length; i++) {
			const name = CONTENDERS[(chunk + i) % CONTENDERS.length];
			const { id, url, headers } = workflows[name];
			const { events, selected } = chunkOfEvents(provider, CHUNK, unselected);
			const expected = name === 'a' ? selected : events.length;
			const before = await countExecutions(n8n, id);
			const cpuBefore = n8nCpuMs(n8n);
			const started = process.hrtime.bigint();
			const latencies = await sendEvents(url, events, concurrency, headers);
			const acked = process.hrtime.bigint();
			await waitForExecutions(n8n, id, before + expected);
			const done = process.hrtime.bigint();
			const s = stats[name];
			s.cpuMs += n8nCpuMs(n8n) - cpuBefore;
			s.events += events.length;
			s.executions += expected;
			s.ackSeconds += Number(acked - started) / 1e9;
			s.doneSeconds += Number(done - started) / 1e9;
			s.latencies.push(...latencies);
		}
	}
	return Object.fromEntries(
		CONTENDERS.map((name) => {
			const s = stats[name];
			s.latencies.sort((x, y) => x - y);
			return [
				name,
				{
					ackedEventsPerSecond: Number((s.events / s.ackSeconds).toFixed(2)),
					eventsPerSecond: Number((s.events / s.doneSeconds).toFixed(2)),
					executionsPerSecond: Number((s.executions / s.doneSeconds).toFixed(2)),
					n8nCpuMsPerEvent: Number((s.cpuMs / s.events).toFixed(1)),
					ackP50ms: Number(percentile(s.latencies, 50).toFixed(1)),
					ackP99ms: Number(percentile(s.latencies, 99).toFixed(1)),
					executionsCreated: s.executions,
					events: s.events,
				},
			];
		}),
	);
}

const ratio = (x, y) => Number((x / y).toFixed(2));

function summary(scenarios) {
	const at = (unselected, concurrency) =>
		scenarios.find((s) => s.unselected === unselected && s.concurrency === concurrency).results;
	return {
		throughputRatio90Filtered: ratio(at(0.9, 10).a.eventsPerSecond, at(0.9, 10).b.eventsPerSecond),
		throughputRatio0Filtered: ratio(at(0, 10).a.eventsPerSecond, at(0, 10).b.eventsPerSecond),
		p99AckRatio: ratio(at(0, 10).a.ackP99ms, at(0, 10).b.ackP99ms),
		// how many times less n8n CPU an event costs with the trigger than with (b)
		cpuSaving90Filtered: ratio(at(0.9, 10).b.n8nCpuMsPerEvent, at(0.9, 10).a.n8nCpuMsPerEvent),
		cpuSaving0Filtered: ratio(at(0, 10).b.n8nCpuMsPerEvent, at(0, 10).a.n8nCpuMsPerEvent),
		throughputRatio90FilteredVsNoAuth: ratio(
			at(0.9, 10).a.eventsPerSecond,
			at(0.9, 10).c.eventsPerSecond,
		),
		throughputRatio0FilteredVsNoAuth: ratio(
			at(0, 10).a.eventsPerSecond,
			at(0, 10).c.eventsPerSecond,
		),
		at50Concurrent: {
			throughputRatio90Filtered: ratio(
				at(0.9, 50).a.eventsPerSecond,
				at(0.9, 50).b.eventsPerSecond,
			),
			throughputRatio0Filtered: ratio(at(0, 50).a.eventsPerSecond, at(0, 50).b.eventsPerSecond),
			p99AckRatio: ratio(at(0, 50).a.ackP99ms, at(0, 50).b.ackP99ms),
		},
	};
}

function printTable(provider, scenarios) {
	for (const { concurrency, unselected, results } of scenarios) {
		console.log(
			`\n${provider}: ${Math.round(unselected * 100)} % unselected, ${concurrency} concurrent`,
		);
		console.table(results);
	}
}

async function main() {
	const n8n = await startN8n({
		version: VERSION,
		packageTarball: buildAndPack(),
		env: N8N_ENV,
	});
	const e2e = { n8n: VERSION, n8nSettings: N8N_ENV, eventsPerContender: EVENTS, chunk: CHUNK };
	try {
		for (const provider of ['boticord', 'botisimo']) {
			const workflows = await setUp(n8n, provider);
			const scenarios = [];
			for (const scenario of SCENARIOS) {
				scenarios.push({
					...scenario,
					results: await runScenario(n8n, provider, workflows, scenario),
				});
				console.error(
					`${provider}: ${scenario.concurrency} concurrent, ${scenario.unselected * 100} % unselected done`,
				);
			}
			printTable(provider, scenarios);
			const figures = { ...summary(scenarios), scenarios };
			if (provider === 'boticord') Object.assign(e2e, figures);
			else e2e.botisimo = figures;
		}
	} finally {
		await n8n.stop();
	}
	let previous = {};
	try {
		previous = readResults();
	} catch {
		previous = {};
	}
	writeResults({ micro: previous.micro, e2e });
	console.log(
		`\nBoticord ÷ (b) Webhook+Header Auth+IF: ${e2e.throughputRatio90Filtered}× at 90 % unselected, ${e2e.throughputRatio0Filtered}× at 0 %; p99 ack ${e2e.p99AckRatio}×`,
	);
	console.log(
		`Botisimo ÷ (b): ${e2e.botisimo.throughputRatio90Filtered}× at 90 % unselected, ${e2e.botisimo.throughputRatio0Filtered}× at 0 %; p99 ack ${e2e.botisimo.p99AckRatio}×`,
	);
}

if (require.main === module) {
	main().catch((error) => {
		console.error(error);
		process.exit(1);
	});
}

module.exports = { n8nCpuMs };
