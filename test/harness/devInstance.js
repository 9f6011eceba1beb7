'use strict';
// The n8n that `npm start` runs for a developer: a user folder inside the
// repository that survives restarts, this working tree linked in as the
// community package, development credentials, the example workflows and one
// active demo workflow per trigger. `npm run deliver` and the e2e test of
// `npm start` read what it set up from its state file.
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const { VERSIONS } = require('./install');
const { ROOT } = require('./package');
const { freePort, pidAlive } = require('./processes');
const {
	EXAMPLES,
	PACKAGE,
	boticordCredentialData,
	botisimoApiCredentialData,
	gatewayWorkflow,
	importedExample,
	triggerWorkflow,
} = require('./workflows');

const DEFAULT_PORT = 5678;

/** Where the instances live: N8N_DEV_FOLDER, or .n8n-dev/ in the repository (git-ignored). */
function devRoot() {
	return process.env.N8N_DEV_FOLDER ?? path.join(ROOT, '.n8n-dev');
}

/** Where a version's instance lives, one folder per version. */
function devFolder(version) {
	return path.join(devRoot(), version);
}

/** The n8n version to run: `--n8n <version>` among the arguments, N8N_VERSION, or the newest tested. */
function chosenVersion(args = process.argv.slice(2)) {
	const flag = args.indexOf('--n8n');
	const version = flag >= 0 ? args[flag + 1] : (process.env.N8N_VERSION ?? VERSIONS[0]);
	if (!VERSIONS.includes(version)) {
		throw new Error(
			`n8n ${version} is not one this package is tested on: use ${VERSIONS.join(' or ')}.`,
		);
	}
	return version;
}

const stateFile = (folder) => path.join(folder, 'state.json');
const lockFile = (folder) => path.join(folder, 'running.json');

/** What the first start set up, or undefined before it. */
function readState(folder) {
	try {
		return JSON.parse(fs.readFileSync(stateFile(folder), 'utf8'));
	} catch {
		return undefined;
	}
}

/** The instance running for this folder, if any: `{ pid, port, baseUrl }`. */
function runningInstance(folder) {
	try {
		const running = JSON.parse(fs.readFileSync(lockFile(folder), 'utf8'));
		return pidAlive(running.pid) ? running : undefined;
	} catch {
		return undefined;
	}
}

/** Every n8n that npm start runs for this folder now, whatever its version: `[{ version, folder, running }]`. */
function runningInstances() {
	let versions = [];
	try {
		versions = fs.readdirSync(devRoot());
	} catch {
		// no start yet
	}
	return versions
		.map((version) => ({ version, folder: devFolder(version) }))
		.map((found) => ({ ...found, running: runningInstance(found.folder) }))
		.filter((found) => found.running);
}

/**
 * The n8n `npm run deliver` sends to: the one npm start runs for this folder,
 * whatever its version; `wanted` (`--n8n`) only picks between several.
 * Returns `{ version, folder, running, state }`, or `{ problem }` saying what to do.
 */
function chooseRunning(wanted) {
	const all = runningInstances();
	const versions = all.map((found) => found.version);
	let chosen;
	if (wanted) {
		chosen = all.find((found) => found.version === wanted);
		if (!chosen && all.length > 0) {
			return {
				problem:
					`n8n ${wanted} is not running for this folder, n8n ${versions.join(' and ')} is: ` +
					`leave out --n8n${all.length > 1 ? `, or pick one with --n8n ${versions.join(' or --n8n ')}` : ''}.`,
			};
		}
	} else if (all.length > 1) {
		return {
			problem:
				`npm start runs n8n ${versions.join(' and ')} for this folder at once: ` +
				`pick one with --n8n ${versions.join(' or --n8n ')}.`,
		};
	} else chosen = all[0];
	const state = chosen && readState(chosen.folder);
	if (!state) {
		const start = wanted ? `npm start -- --n8n ${wanted}` : 'npm start';
		return {
			problem: `No n8n${wanted ? ` ${wanted}` : ''} is running for this folder: start it first, with ${start}.`,
		};
	}
	return { ...chosen, state };
}

function portIsFree(port) {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

function claim(folder, running) {
	fs.mkdirSync(folder, { recursive: true });
	fs.writeFileSync(lockFile(folder), JSON.stringify(running));
}

function release(folder) {
	fs.rmSync(lockFile(folder), { force: true });
}

/**
 * The development keys, and the port of the stand-in for Boticord's gateway
 * started alongside n8n: chosen on a folder's first start and kept, since the
 * workflows n8n keeps point at them.
 */
async function newPlan() {
	return {
		keys: {
			boticord: `dev-boticord-token-${crypto.randomBytes(8).toString('hex')}`,
			// Letters and digits only, long enough for the credential's own test.
			botisimo: `devbotisimo${crypto.randomBytes(12).toString('hex')}`,
			// The form a Botisimo Client ID has; Botisimo itself does not know it.
			botisimoClientId: `dev-${crypto.randomBytes(4).toString('hex')}-${crypto.randomBytes(4).toString('hex')}`,
		},
		gatewayPort: await freePort(),
	};
}

/**
 * Everything the first start of a folder sets up in n8n: the development
 * credentials, the examples (inactive, credentials attached to their
 * triggers), and an active demo workflow per trigger selecting All Events,
 * the gateway one listening to the stand-in gateway at `gatewayUrl`.
 * @param {import('./n8nInstance').N8nInstance} n8n an instance with an owner and an API key
 */
async function setUpDemo(n8n, { keys }, gatewayUrl) {
	const credentials = {
		boticordWebhookApi: {
			...(await n8n.createCredential(
				'boticordWebhookApi',
				boticordCredentialData(keys.boticord),
				'Boticord (development token)',
			)),
			type: 'boticordWebhookApi',
		},
		botisimoWebhookApi: {
			...(await n8n.createCredential(
				'botisimoWebhookApi',
				{ secret: keys.botisimo },
				'Botisimo (development secret)',
			)),
			type: 'botisimoWebhookApi',
		},
		// For the example that uses the Botisimo node, which stays inactive: put your own
		// Client ID in it to try it against Botisimo.
		botisimoApi: {
			...(await n8n.createCredential(
				'botisimoApi',
				// Botisimo's own address: the credential's default.
				botisimoApiCredentialData(keys.botisimoClientId),
				'Botisimo API (replace with your Client ID)',
			)),
			type: 'botisimoApi',
		},
	};
	for (const file of fs.readdirSync(EXAMPLES).filter((name) => name.endsWith('.json'))) {
		const { json } = await importedExample(file, { credentials });
		await n8n.createWorkflow(json);
	}
	const workflows = {};
	for (const provider of ['boticord', 'botisimo']) {
		const credential = credentials[`${provider}WebhookApi`];
		const title = provider === 'boticord' ? 'Boticord' : 'Botisimo';
		const { json, webhookPath } = triggerWorkflow({
			name: `Demo: ${title} Trigger, all events`,
			nodeType: `${provider}Trigger`,
			credential,
			events: ['*'],
		});
		json.nodes[0].name = `${title} Trigger`;
		const { id } = await n8n.createWorkflow(json);
		await n8n.activateWorkflow(id, { webhookPath });
		workflows[provider] = { id, webhookPath, key: keys[provider] };
	}
	const gateway = gatewayWorkflow({
		name: 'Demo: Boticord Gateway Trigger, all events (a local stand-in gateway)',
		credential: credentials.boticordWebhookApi,
		events: ['*'],
		gatewayUrl,
	});
	gateway.nodes[0].name = 'Boticord Gateway Trigger';
	const { id } = await n8n.createWorkflow(gateway);
	await n8n.activateWorkflow(id);
	workflows.gateway = { id };
	return { workflows };
}

function writeState(folder, state) {
	fs.writeFileSync(stateFile(folder), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}

/** The URL a provider is given for the demo workflow (Botisimo's carries the secret). */
function productionUrl(baseUrl, workflow, provider) {
	const url = `${baseUrl}/webhook/${workflow.webhookPath}`;
	return provider === 'botisimo' ? `${url}?token=${workflow.key}` : url;
}

/** The short block `npm start` prints once n8n is ready. */
function readyBlock({ version, baseUrl, state, gatewayUrl }) {
	const { boticord, botisimo } = state.workflows;
	return [
		'',
		`n8n ${version} is running with ${PACKAGE} from this working tree.`,
		'',
		`  Editor     ${baseUrl}`,
		`  Login      ${state.owner.email} / ${state.owner.password}`,
		'',
		`  Boticord demo workflow   ${productionUrl(baseUrl, boticord, 'boticord')}`,
		'    send it an event:      npm run deliver -- boticord up_added',
		`  Botisimo demo workflow   ${productionUrl(baseUrl, botisimo, 'botisimo')}`,
		'    send it an event:      npm run deliver -- botisimo connection.stream.started.twitch',
		`  Boticord gateway demo    listens to a stand-in for Boticord's gateway at ${gatewayUrl}`,
		'    send it a notification: npm run deliver -- gateway comment_added',
		'',
		'  Ctrl-C stops n8n.',
		'',
	].join('\n');
}

module.exports = {
	DEFAULT_PORT,
	chooseRunning,
	chosenVersion,
	claim,
	devFolder,
	newPlan,
	portIsFree,
	productionUrl,
	readState,
	readyBlock,
	release,
	runningInstance,
	setUpDemo,
	writeState,
};
