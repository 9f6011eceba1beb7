'use strict';
// `npm start`: a real n8n with this package loaded from the working tree, set
// up on its first run (owner, credentials, examples, a live demo workflow per
// trigger). `npm run dev` (`--dev`) also recompiles on every change and
// restarts n8n with the new code. Options: `--n8n <version>` (or N8N_VERSION),
// N8N_PORT, N8N_DEV_FOLDER. Ctrl-C stops everything it started.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const {
	DEFAULT_PORT,
	chosenVersion,
	claim,
	devFolder,
	newPlan,
	portIsFree,
	readState,
	readyBlock,
	release,
	runningInstance,
	setUpDemo,
	writeState,
} = require('../test/harness/devInstance');
const { startFakeGateway } = require('../test/harness/fakeGateway');
const { installN8n } = require('../test/harness/install');
const { launchN8n } = require('../test/harness/n8n');
const { N8nInstance, newOwner, setUpInstance } = require('../test/harness/n8nInstance');
const { ROOT, linkPackage } = require('../test/harness/package');
const { killGroup, spawnDetached, waitForLine } = require('../test/harness/processes');

const say = (line) => process.stdout.write(`${line}\n`);
const listed = (names) =>
	names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : names[0];
/** A path as the user can type it from the repository. */
const shown = (where) =>
	where.startsWith(`${ROOT}${path.sep}`) ? path.relative(ROOT, where) : where;
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(0)} s`;

function build() {
	say('Building the package…');
	execFileSync('npm', ['run', '--silent', 'build'], {
		cwd: ROOT,
		stdio: ['ignore', 'ignore', 'inherit'],
	});
}

/** Starts n8n in the folder; its log goes to n8n.log there. */
async function startN8nIn(folder, version, port) {
	const log = fs.createWriteStream(path.join(folder, 'n8n.log'), { flags: 'a' });
	const n8n = await launchN8n({
		version,
		userFolder: folder,
		port,
		readyTimeoutMs: 300_000,
	});
	for (const line of n8n.logs().split('\n')) log.write(`${line}\n`);
	n8n.child.on('line', (line) => log.write(`${line}\n`));
	return n8n;
}

async function main() {
	const args = process.argv.slice(2);
	const dev = args.includes('--dev');
	const version = chosenVersion(args);
	const port = Number(process.env.N8N_PORT ?? DEFAULT_PORT);
	const folder = devFolder(version);
	const baseUrl = `http://127.0.0.1:${port}`;

	const running = runningInstance(folder);
	if (running) {
		say(
			`n8n ${version} is already running for this folder (process ${running.pid}): ${running.baseUrl}\n` +
				'Use it, or stop it with Ctrl-C in its terminal first.',
		);
		process.exitCode = 1;
		return;
	}
	if (!(await portIsFree(port))) {
		say(`Port ${port} is in use by another program. Start on another one: N8N_PORT=5679 npm start`);
		process.exitCode = 1;
		return;
	}
	claim(folder, { pid: process.pid, version, port, baseUrl });

	const started = Date.now();
	/** @type {N8nInstance | undefined} */
	let n8n;
	/** @type {import('node:child_process').ChildProcess | undefined} */
	let compiler;
	/** @type {Awaited<ReturnType<typeof startFakeGateway>> | undefined} */
	let gateway;
	let stopping = false;
	const stopAll = async (code) => {
		if (stopping) return;
		stopping = true;
		const stopped = [];
		if (compiler) {
			killGroup(compiler, 'SIGTERM');
			stopped.push('tsc --watch');
		}
		if (n8n) {
			await n8n.stop();
			stopped.unshift(`n8n ${version}`);
		}
		if (gateway) {
			await gateway.close();
			stopped.push("the stand-in for Boticord's gateway");
		}
		release(folder);
		if (code === 0) {
			say(
				`\nStopped ${stopped.length > 0 ? listed(stopped) : 'the start'}. ` +
					`The workflows, credentials and executions stay in ${shown(folder)}: the next npm start ` +
					'picks them up (delete that folder to start afresh).',
			);
		}
		process.exit(code);
	};
	process.on('SIGINT', () => void stopAll(0));
	process.on('SIGTERM', () => void stopAll(0));

	try {
		build();
		linkPackage(folder);
		let state = readState(folder);
		const plan = state ?? (await newPlan());
		// Before n8n, which connects the gateway demo workflow as it starts.
		gateway = await startFakeGateway({ tokens: [plan.keys.boticord], port: plan.gatewayPort });
		// Prints what it does only when n8n is not installed yet.
		installN8n(version);
		say(`Starting n8n ${version}…`);
		n8n = await startN8nIn(folder, version, port);
		if (!state) {
			say('First run: creating the owner, the credentials and the workflows…');
			const owner = newOwner('dev@boticord-botisimo.local');
			await setUpInstance(n8n, owner);
			state = { ...plan, owner, apiKey: n8n.apiKey, ...(await setUpDemo(n8n, plan, gateway.url)) };
			writeState(folder, state);
		}
		say(readyBlock({ version, baseUrl: n8n.baseUrl, state, gatewayUrl: gateway.url }));
		say(`Ready in ${seconds(started)}. n8n's log: ${shown(path.join(folder, 'n8n.log'))}`);
	} catch (error) {
		say(`Could not start n8n: ${error.message}`);
		await stopAll(1);
		return;
	}

	const watchExit = (instance) =>
		instance.child.once('exit', (code, signal) => {
			if (stopping || instance !== n8n) return;
			say(
				`n8n stopped on its own (code ${code}, signal ${signal}); its log: ${path.join(folder, 'n8n.log')}`,
			);
			void stopAll(1);
		});
	watchExit(n8n);

	if (dev) {
		const tsc = spawnDetached(
			'npx',
			['tsc', '--watch', '--preserveWatchOutput', '-p', 'tsconfig.json'],
			{
				cwd: ROOT,
			},
		);
		compiler = tsc.child;
		compiler.on('line', (line) => {
			if (/error TS\d+/.test(line)) say(`tsc: ${line}`);
		});
		// Its first compile rewrites dist/ with what n8n already runs.
		await waitForLine(compiler, tsc.logLines, 'Watching for file changes', {
			timeoutMs: 120_000,
			name: 'tsc --watch',
		});
		let timer;
		let restarting = Promise.resolve();
		fs.watch(path.join(ROOT, 'dist'), { recursive: true }, () => {
			clearTimeout(timer);
			timer = setTimeout(() => {
				restarting = restarting.then(async () => {
					if (stopping) return;
					const since = Date.now();
					say('The package changed: restarting n8n with the new code…');
					const previous = n8n;
					n8n = undefined;
					await previous.stop();
					n8n = await startN8nIn(folder, version, port);
					watchExit(n8n);
					say(`n8n restarted in ${seconds(since)}: reload the editor page.`);
				});
			}, 1000);
		});
		say('Watching the sources: every change recompiles and restarts n8n.');
	}
}

main().catch((error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	process.exit(1);
});
