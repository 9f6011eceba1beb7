'use strict';
// `npm run bench:quick`: each trigger's webhook() against n8n's own Webhook
// node (with and without Header Auth), through the same fake context and the
// same deliveries, interleaved round by round so machine noise hits all alike.
// Needs `npm run build` first (it measures dist/, what users run).

const { BoticordTrigger } = require('../dist/nodes/Boticord/BoticordTrigger.node');
const { BotisimoTrigger } = require('../dist/nodes/Botisimo/BotisimoTrigger.node');
const { Webhook } = require('n8n-nodes-base/dist/nodes/Webhook/Webhook.node');
const { isNodeClassInstance } = require('n8n-workflow');
const { deliveries, BOTICORD_TYPES, BOTISIMO_TYPES } = require('./deliveries');
const { fakeWebhookContext } = require('../test/harness/webhookContext');
const { percentile, writeResults } = require('./results');

const KEY = 'bench-key-7f3a9c2e4b1d';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);
const PER_ROUND = Number(process.env.BENCH_PER_ROUND ?? 4000);

const triggerNode = (type) => ({ nodeType: type, typeVersion: 1.1, workflowId: 'bench' });
const webhookNode = { nodeType: 'n8n-nodes-base.webhook', typeVersion: 2, workflowId: 'bench' };

/** How each candidate is called, and where each puts the key. */
const candidates = {
	boticord: {
		node: new BoticordTrigger(),
		describe: triggerNode('n8n-nodes-boticord-botisimo.boticordTrigger'),
		parameters: { events: [BOTICORD_TYPES[0]], options: {} },
		credentials: { hookKey: KEY },
		provider: 'boticord',
		request: (d) => ({
			headers: { 'x-boticord-token': d.key === 'good' ? KEY : 'wrong' },
			query: {},
			body: d.body,
		}),
	},
	botisimo: {
		node: new BotisimoTrigger(),
		describe: triggerNode('n8n-nodes-boticord-botisimo.botisimoTrigger'),
		parameters: { events: [BOTISIMO_TYPES[0]], options: {} },
		credentials: { secret: KEY },
		provider: 'botisimo',
		request: (d) => ({
			headers: {},
			query: { token: d.key === 'good' ? KEY : 'wrong' },
			body: d.body,
		}),
	},
	webhookHeaderAuth: {
		node: new Webhook(),
		describe: webhookNode,
		parameters: {
			httpMethod: 'POST',
			path: 'bench',
			authentication: 'headerAuth',
			responseMode: 'onReceived',
			options: {},
		},
		credentials: { name: 'X-Boticord-Token', value: KEY },
		provider: 'boticord',
		request: (d) => ({
			headers: { 'x-boticord-token': d.key === 'good' ? KEY : 'wrong' },
			query: {},
			body: d.body,
		}),
	},
	webhookNoAuth: {
		node: new Webhook(),
		describe: webhookNode,
		parameters: {
			httpMethod: 'POST',
			path: 'bench',
			authentication: 'none',
			responseMode: 'onReceived',
			options: {},
		},
		credentials: {},
		provider: 'boticord',
		request: (d) => ({ headers: {}, query: {}, body: d.body }),
	},
};

let messageCounter = 0;

async function runRound(candidate, list, timings) {
	const started = process.hrtime.bigint();
	for (const delivery of list) {
		// Every Botisimo delivery is a new message, as in real traffic (retries aside).
		if (delivery.body.messageId) delivery.body.messageId = `m-${++messageCounter}`;
		const { context } = fakeWebhookContext({
			...candidate.describe,
			parameters: candidate.parameters,
			credentials: candidate.credentials,
			...candidate.request(delivery),
		});
		const before = process.hrtime.bigint();
		// As n8n's WebhookService calls it: class-style nodes get the context as an argument.
		if (isNodeClassInstance(candidate.node)) await candidate.node.webhook(context);
		else await candidate.node.webhook.call(context);
		timings.push(Number(process.hrtime.bigint() - before) / 1000);
	}
	return Number(process.hrtime.bigint() - started) / 1e9;
}

function summarise(seconds, timings, calls) {
	timings.sort((a, b) => a - b);
	return {
		eventsPerSecond: Math.round(calls / seconds),
		p50us: Number(percentile(timings, 50).toFixed(2)),
		p99us: Number(percentile(timings, 99).toFixed(2)),
	};
}

async function main() {
	const names = Object.keys(candidates);
	const lists = Object.fromEntries(
		names.map((n) => [n, deliveries(candidates[n].provider, PER_ROUND)]),
	);
	const totals = Object.fromEntries(names.map((n) => [n, { seconds: 0, timings: [] }]));
	for (const name of names) await runRound(candidates[name], lists[name].slice(0, 2000), []);
	for (let round = 0; round < ROUNDS; round++) {
		// Rotate the order each round so no candidate always runs first or last.
		for (let i = 0; i < names.length; i++) {
			const name = names[(round + i) % names.length];
			totals[name].seconds += await runRound(candidates[name], lists[name], totals[name].timings);
		}
	}
	const calls = ROUNDS * PER_ROUND;
	const results = Object.fromEntries(
		names.map((n) => [n, summarise(totals[n].seconds, totals[n].timings, calls)]),
	);
	const versus = (name, other) =>
		Number((results[name].eventsPerSecond / results[other].eventsPerSecond).toFixed(2));
	const micro = {
		...results.boticord,
		ratioVsWebhookNode: versus('boticord', 'webhookHeaderAuth'),
		ratioVsWebhookNodeNoAuth: versus('boticord', 'webhookNoAuth'),
		botisimo: {
			...results.botisimo,
			ratioVsWebhookNode: versus('botisimo', 'webhookHeaderAuth'),
			ratioVsWebhookNodeNoAuth: versus('botisimo', 'webhookNoAuth'),
		},
		webhookHeaderAuth: results.webhookHeaderAuth,
		webhookNoAuth: results.webhookNoAuth,
		calls,
		mix: '3 selected, 14 unselected, 2 wrong key, 1 malformed in every 20',
		node: process.version,
	};
	console.log(`micro: ${calls} calls per candidate, interleaved over ${ROUNDS} rounds, one core\n`);
	console.table(
		Object.fromEntries(
			names.map((n) => [
				n,
				{
					'events/s': results[n].eventsPerSecond,
					'p50 µs': results[n].p50us,
					'p99 µs': results[n].p99us,
				},
			]),
		),
	);
	console.log(
		`Boticord Trigger ÷ Webhook+Header Auth: ${micro.ratioVsWebhookNode}×, ÷ Webhook without auth: ${micro.ratioVsWebhookNodeNoAuth}×`,
	);
	console.log(
		`Botisimo Trigger ÷ Webhook+Header Auth: ${micro.botisimo.ratioVsWebhookNode}×, ÷ Webhook without auth: ${micro.botisimo.ratioVsWebhookNodeNoAuth}×`,
	);
	writeResults({ micro });
}

if (require.main === module) {
	main().catch((error) => {
		console.error(error);
		process.exit(1);
	});
}

module.exports = { main, candidates };
