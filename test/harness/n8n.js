'use strict';
// Starts real n8n processes (under Node 24) with this package installed as a
// community package, in fresh user folders.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { installN8n, node24Bin, node24Env, n8nBin } = require('./install');
const { N8nInstance, setUpInstance } = require('./n8nInstance');
const { communityInstall } = require('./package');
const { freePorts, removeDir, spawnDetached, waitForLine } = require('./processes');

/** What each n8n command logs once it serves requests or takes jobs. */
const READY_LINES = {
	start: 'Editor is now accessible',
	webhook: 'Webhook listener waiting for requests.',
	worker: 'n8n worker is now ready',
};

// Settings every n8n process of the suite gets: loopback only, no telemetry,
// and NODE_ENV=production (jest sets NODE_ENV=test, under which n8n exits at
// start; n8n's own Docker image runs with production).
function baseEnv({ userFolder, port, brokerPort }) {
	return {
		N8N_USER_FOLDER: userFolder,
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_RUNNERS_ENABLED: 'false',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		// plain http on loopback: a browser would not send back a Secure cookie
		N8N_SECURE_COOKIE: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		NODE_ENV: 'production',
		// n8n settings to run the whole suite under, e.g.
		// N8N_E2E_ENV='{"N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE":"true"}'
		...JSON.parse(process.env.N8N_E2E_ENV ?? '{}'),
	};
}

/**
 * Starts one n8n process, `n8n <command> ...args` (start, webhook or worker),
 * and resolves once it logs its ready line. By default it runs in a fresh
 * user folder, removed when it stops, with the package community-installed
 * from `packageTarball`; `userFolder` keeps one across runs instead (the
 * caller installs the package there). Nothing is set up inside n8n (see
 * startN8n).
 */
async function launchN8n({
	version,
	command = 'start',
	args = [],
	packageTarball,
	userFolder: keptFolder,
	port: wantedPort,
	env = {},
	readyTimeoutMs = 240000,
} = {}) {
	if (!version) throw new Error('launchN8n: version is required');
	installN8n(version);
	const userFolder =
		keptFolder ?? fs.mkdtempSync(path.join(os.tmpdir(), `n8n-e2e-${version}-${command}-`));
	// Only a folder made here is removed with the process.
	const ownFolder = keptFolder ? undefined : userFolder;
	let inst;
	try {
		const pkg = packageTarball ? communityInstall(userFolder, packageTarball) : undefined;
		const [freePort, brokerPort] = await freePorts(2);
		const port = wantedPort ?? freePort;
		const { child, logLines } = spawnDetached(
			path.join(node24Bin(), 'node'),
			[n8nBin(version), command, ...args],
			{
				cwd: userFolder,
				dir: ownFolder,
				env: node24Env({ ...baseEnv({ userFolder, port, brokerPort }), ...env }),
			},
		);
		inst = new N8nInstance({
			version,
			command,
			baseUrl: `http://127.0.0.1:${port}`,
			child,
			userFolder: ownFolder,
			logLines,
			pkg,
		});
		await waitForLine(child, logLines, READY_LINES[command], {
			timeoutMs: readyTimeoutMs,
			name: `n8n ${command}`,
		});
		return inst;
	} catch (err) {
		if (inst) await inst.stop();
		else removeDir(ownFolder);
		throw err;
	}
}

/** One n8n (`n8n start`, SQLite unless `env` says otherwise) with an owner and an API key. */
async function startN8n({ version, packageTarball, env = {}, readyTimeoutMs = 240000 } = {}) {
	if (!version) throw new Error('startN8n: version is required');
	const inst = await launchN8n({ version, packageTarball, env, readyTimeoutMs });
	try {
		return await setUpInstance(inst);
	} catch (err) {
		await inst.stop();
		throw err;
	}
}

module.exports = { baseEnv, startN8n, launchN8n };
