'use strict';
// `npm run deliver -- <boticord|botisimo|gateway> <event> [--count N] [--invalid] [--n8n <version>]`:
// sends the n8n that `npm start` runs a delivery as Boticord or Botisimo makes
// it, for any event type of the node's catalogue, with the development key
// (`gateway`: a notification through the stand-in for Boticord's gateway
// that npm start runs), and prints the answer and a link to the execution.
const path = require('node:path');

const { delivery, gatewayNotification } = require('../test/fixtures/deliveries');
const {
	chosenVersion,
	devFolder,
	readState,
	runningInstance,
} = require('../test/harness/devInstance');
const { http } = require('../test/harness/http');
const { N8nInstance } = require('../test/harness/n8nInstance');
const { ROOT } = require('../test/harness/package');

const say = (line) => process.stdout.write(`${line}\n`);

/** Every event type the built nodes offer, by provider. */
function catalogue() {
	const dist = (file) => require(path.join(ROOT, 'dist', 'nodes', file));
	const { boticordEvents } = dist('Boticord/boticordEvents.js');
	return {
		boticord: boticordEvents.map((event) => event.type),
		botisimo: dist('Botisimo/botisimoEvents.js').botisimoEvents.map((event) => event.type),
		gateway: boticordEvents.filter((event) => event.format === 'v3').map((event) => event.type),
	};
}

function usage(problem) {
	say(`${problem}\n`);
	say('Usage: npm run deliver -- <boticord|botisimo|gateway> <event type> [--count N] [--invalid]');
	say('  e.g. npm run deliver -- boticord comment_added');
	say('       npm run deliver -- botisimo giveaway.winner.created --count 3');
	process.exitCode = 2;
}

async function main() {
	const args = process.argv.slice(2);
	const [provider, type] = args.filter(
		(arg, i) => !arg.startsWith('--') && !args[i - 1]?.startsWith('--'),
	);
	const countFlag = args.indexOf('--count');
	const count = countFlag >= 0 ? Number(args[countFlag + 1]) : 1;
	const invalid = args.includes('--invalid');
	const version = chosenVersion(args);

	const types = catalogue();
	if (!(provider in types)) return usage(`Unknown provider "${provider ?? ''}".`);
	if (!types[provider].includes(type)) {
		return usage(
			`"${type ?? ''}" is not a ${provider} event type. Some that are: ${types[provider].slice(0, 5).join(', ')}, …`,
		);
	}
	if (!Number.isInteger(count) || count < 1)
		return usage('--count takes a whole number of 1 or more.');

	const folder = devFolder(version);
	const state = readState(folder);
	const running = runningInstance(folder);
	if (!state || !running) {
		say(`No n8n ${version} is running for this folder: start it first, with npm start.`);
		process.exitCode = 1;
		return;
	}
	const n8n = new N8nInstance({ version, baseUrl: running.baseUrl });
	n8n.apiKey = state.apiKey;
	const workflow = state.workflows[provider];
	const before = new Set((await n8n.listExecutions(workflow.id)).map((execution) => execution.id));

	let accepted = 0;
	for (let i = 0; i < count; i++) {
		if (provider === 'gateway') {
			const data = gatewayNotification(type);
			if (invalid) data.happened = 'yesterday';
			const sent = await http(`http://127.0.0.1:${state.gatewayPort}`, 'POST', '/notify', {
				body: data,
			});
			const clients = sent.json?.clients ?? 0;
			say(
				`gateway ${type}${invalid ? ' (invalid)' : ''} → sent to ${clients} connected trigger(s)${invalid ? ': n8n logs it and skips it' : ''}`,
			);
			if (!invalid) accepted += clients;
			continue;
		}
		const { body, headers, query } = delivery(provider, type, { key: workflow.key, invalid });
		const qs = Object.keys(query).length > 0 ? `?${new URLSearchParams(query)}` : '';
		const answer = await http(n8n.baseUrl, 'POST', `/webhook/${workflow.webhookPath}${qs}`, {
			body,
			headers,
		});
		const text = answer.text === '' ? '(empty body: accepted, the workflow runs)' : answer.text;
		say(`${provider} ${type}${invalid ? ' (invalid)' : ''} → ${answer.status} ${text}`);
		if (answer.status === 200 && answer.text === '') accepted++;
	}

	if (accepted === 0) return;
	const deadline = Date.now() + 15_000;
	let started = [];
	while (started.length < accepted && Date.now() < deadline) {
		await new Promise((resolve) => setTimeout(resolve, 250));
		started = (await n8n.listExecutions(workflow.id)).filter(
			(execution) => !before.has(execution.id),
		);
	}
	for (const execution of started.reverse()) {
		say(
			`  execution ${execution.id} (${execution.status ?? (execution.finished ? 'success' : 'running')}): ${n8n.baseUrl}/workflow/${workflow.id}/executions/${execution.id}`,
		);
	}
	if (started.length < accepted)
		say(`  ${accepted - started.length} execution(s) not found after 15 s.`);
}

main().catch((error) => {
	process.stderr.write(`${error.message}\n`);
	process.exit(1);
});
