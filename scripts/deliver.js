'use strict';
// `npm run deliver -- <boticord|botisimo|gateway> <event> [--count N] [--invalid] [--n8n <version>]`:
// sends the n8n that `npm start` runs for this folder, whatever its version,
// a delivery as Boticord or Botisimo makes it, for any event type of the
// node's catalogue, with the development key (`gateway`: a notification
// through the stand-in for Boticord's gateway that npm start runs), and prints
// the answer and a link to the execution. `--help` lists every event type.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { parseArgs } = require('node:util');

const { delivery, gatewayNotification } = require('../test/fixtures/deliveries');
const { chooseRunning } = require('../test/harness/devInstance');
const { http } = require('../test/harness/http');
const { VERSIONS } = require('../test/harness/install');
const { N8nInstance } = require('../test/harness/n8nInstance');
const { ROOT } = require('../test/harness/package');

const say = (line) => process.stdout.write(`${line}\n`);

/** The event catalogues of the built nodes (built first if need be). */
function builtCatalogues() {
	if (!fs.existsSync(path.join(ROOT, 'dist', 'nodes'))) {
		say('Building the package first (npm start does it too)…');
		execFileSync('npm', ['run', '--silent', 'build'], {
			cwd: ROOT,
			stdio: ['ignore', 'ignore', 'inherit'],
		});
	}
	const dist = (file) => require(path.join(ROOT, 'dist', 'nodes', file));
	return {
		boticordEvents: dist('Boticord/boticordEvents.js').boticordEvents,
		botisimoEvents: dist('Botisimo/botisimoEvents.js').botisimoEvents,
	};
}

/**
 * Every event type the nodes accept, by provider, each provider's types in
 * groups: `{ provider: { about, groups: [[title, types]] } }`.
 */
function providersOf({ boticordEvents, botisimoEvents }) {
	const typesOf = (events) => events.map((event) => event.type);
	const v3 = typesOf(boticordEvents.filter((event) => event.format === 'v3'));
	const categories = [...new Set(botisimoEvents.map((event) => event.type.split('.')[0]))];
	return {
		boticord: {
			about: "a webhook delivery to the Boticord Trigger's demo workflow",
			groups: [
				['notifications (API v3)', v3],
				[
					'older per-bot webhooks',
					typesOf(boticordEvents.filter((event) => event.format === 'legacy')),
				],
			],
		},
		botisimo: {
			about: `a webhook delivery to the Botisimo Trigger's demo workflow (${botisimoEvents.length} types)`,
			groups: categories.map((category) => [
				category,
				typesOf(botisimoEvents.filter((event) => event.type.split('.')[0] === category)),
			]),
		},
		gateway: {
			about: "a notification through npm start's stand-in gateway to the Boticord Gateway Trigger",
			groups: [['notifications (API v3)', v3]],
		},
	};
}

const typesOf = (provider) => provider.groups.flatMap(([, types]) => types);

/** `types` as lines of at most `width` characters, each starting with `indent`. */
function wrapped(types, indent, width = 100) {
	const lines = [];
	let line = '';
	for (const type of types) {
		const next = line ? `${line}, ${type}` : type;
		if (line && indent.length + next.length + 1 > width) {
			lines.push(`${indent}${line},`);
			line = type;
		} else line = next;
	}
	lines.push(`${indent}${line}`);
	return lines;
}

const USAGE =
	'Usage: npm run deliver -- <provider> <event type> [--count N] [--invalid] [--n8n <version>]';

/** What `--help` prints: the providers, every event type each accepts, every flag, examples. */
function helpText(providers) {
	const lines = [
		USAGE,
		'',
		'Sends the n8n that `npm start` runs for this folder an event as the provider sends it, and',
		'prints the answer and a link to each execution it started.',
		'',
		'Providers and the event types each accepts:',
	];
	for (const [name, provider] of Object.entries(providers)) {
		lines.push('', `  ${name}: ${provider.about}`);
		for (const [title, types] of provider.groups) {
			lines.push(`    ${title}:`, ...wrapped(types, '      '));
		}
	}
	lines.push(
		'',
		'Options:',
		'  --count N         send N deliveries, one after the other (default 1)',
		'  --invalid         break a documented field, to see the 400 the trigger answers (gateway: n8n',
		'                    logs the notification and skips it)',
		`  --n8n <version>   which n8n, when npm start runs two for this folder at once (${VERSIONS.join(' or ')});`,
		'                    without it, the one that runs',
		'  -h, --help        this text',
		'',
		'Examples:',
		'  npm run deliver -- boticord up_added',
		'  npm run deliver -- gateway comment_added',
		'  npm run deliver -- botisimo giveaway.winner.created --count 3',
		'  npm run deliver -- boticord comment_added --invalid',
		`  npm run deliver -- botisimo poll.created --n8n ${VERSIONS[VERSIONS.length - 1]}`,
	);
	return lines.join('\n');
}

function usage(problem) {
	say(`${problem}\n`);
	say(USAGE);
	say('  e.g. npm run deliver -- boticord comment_added');
	say('       npm run deliver -- botisimo giveaway.winner.created --count 3');
	say('npm run deliver -- --help lists the providers, every event type and every option.');
	process.exitCode = 2;
}

function parsed(args) {
	return parseArgs({
		args,
		allowPositionals: true,
		options: {
			count: { type: 'string' },
			invalid: { type: 'boolean' },
			n8n: { type: 'string' },
			help: { type: 'boolean', short: 'h' },
		},
	});
}

async function main() {
	let values;
	let positionals;
	try {
		({ values, positionals } = parsed(process.argv.slice(2)));
	} catch (error) {
		return usage(error.message);
	}
	const providers = providersOf(builtCatalogues());
	if (values.help) return say(helpText(providers));
	const [provider, type] = positionals;
	const count = values.count === undefined ? 1 : Number(values.count);
	const invalid = values.invalid === true;

	if (!Object.hasOwn(providers, provider ?? ''))
		return usage(`Unknown provider "${provider ?? ''}".`);
	const types = typesOf(providers[provider]);
	if (!types.includes(type)) {
		return usage(
			`"${type ?? ''}" is not a ${provider} event type. Some that are: ${types.slice(0, 5).join(', ')}, …`,
		);
	}
	if (!Number.isInteger(count) || count < 1)
		return usage('--count takes a whole number of 1 or more.');

	const chosen = chooseRunning(values.n8n ?? process.env.N8N_VERSION);
	if (chosen.problem) {
		say(chosen.problem);
		process.exitCode = 1;
		return;
	}
	const { version, running, state } = chosen;
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

if (require.main === module) {
	main().catch((error) => {
		process.stderr.write(`${error.message}\n`);
		process.exit(1);
	});
}

module.exports = { helpText, providersOf };
