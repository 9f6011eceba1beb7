const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { VERSIONS, e2eVersions } = require('../harness/install');
const { N8nInstance } = require('../harness/n8nInstance');
const { ROOT } = require('../harness/package');
const { freePort, isRunning, killGroup, sleep } = require('../harness/processes');

/** The pids of every process whose environment names `folder` as n8n's user folder. */
function processesUsing(folder) {
	const pids = [];
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const environ = fs.readFileSync(`/proc/${entry}/environ`, 'utf8');
			if (environ.split('\0').includes(`N8N_USER_FOLDER=${folder}`)) pids.push(Number(entry));
		} catch {
			// gone meanwhile, or not ours to read
		}
	}
	return pids;
}

function portIsFree(port) {
	const probe = spawnSync(process.execPath, [
		'-e',
		`require('net').createServer().once('error', () => process.exit(1)).listen(${port}, '127.0.0.1', function () { this.close(); })`,
	]);
	return probe.status === 0;
}

/** What a user does: `npm start`, `npm run deliver`, then Ctrl-C. */
describe.each(e2eVersions())('npm start with n8n %s', (version) => {
	let devFolder;
	let port;
	let start;
	let output = '';
	const env = () => ({ ...process.env, N8N_DEV_FOLDER: devFolder, N8N_PORT: String(port) });
	const npm = (args) => spawnSync('npm', args, { cwd: ROOT, env: env(), encoding: 'utf8' });
	const deliver = (...args) => npm(['run', '--silent', 'deliver', '--', ...args]);

	beforeAll(async () => {
		devFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-dev-e2e-'));
		port = await freePort();
		start = spawn('npm', ['start', '--', '--n8n', version], {
			cwd: ROOT,
			env: env(),
			detached: true,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		start.stdout.on('data', (chunk) => (output += chunk));
		start.stderr.on('data', (chunk) => (output += chunk));
		const deadline = Date.now() + 280_000;
		while (!output.includes('Ctrl-C stops n8n.')) {
			if (!isRunning(start)) throw new Error(`npm start exited before it was ready:\n${output}`);
			if (Date.now() > deadline) throw new Error(`npm start was not ready in time:\n${output}`);
			await sleep(250);
		}
	}, 300_000);

	afterAll(() => {
		if (start && isRunning(start)) killGroup(start, 'SIGKILL');
		for (const pid of devFolder ? processesUsing(path.join(devFolder, version)) : []) {
			process.kill(pid, 'SIGKILL');
		}
		if (devFolder) fs.rmSync(devFolder, { recursive: true, force: true });
	});

	it('says what it does in a few lines, no npm warning among them, and nothing of an install when n8n is installed', () => {
		// globalSetup installed this version: this start installs nothing.
		expect(output).not.toMatch(/install/i);
		expect(output).not.toMatch(/^npm (warn|WARN|notice|ERR)/m);
		expect(output).toMatch(new RegExp(`^Building the package…\nStarting n8n ${version}…\n`, 'm'));
		expect(output).toContain('First run: creating the owner, the credentials and the workflows…');
	});

	it('prints the editor URL, the login, and each demo workflow with the command that sends it an event', () => {
		const baseUrl = `http://127.0.0.1:${port}`;
		expect(output).toContain(`n8n ${version} is running with n8n-nodes-boticord-botisimo`);
		expect(output).toContain(`Editor     ${baseUrl}`);
		expect(output).toMatch(/Login {6}dev@boticord-botisimo\.local \/ \S+/);
		expect(output).toMatch(
			new RegExp(`Boticord demo workflow   ${baseUrl}/webhook/[\\w-]+/webhook`),
		);
		expect(output).toMatch(
			new RegExp(`Botisimo demo workflow   ${baseUrl}/webhook/[\\w-]+/webhook\\?token=\\w+`),
		);
		expect(output).toContain('npm run deliver -- boticord up_added');
		expect(output).toContain('npm run deliver -- botisimo connection.stream.started.twitch');
		expect(output).toMatch(
			/Boticord gateway demo {4}listens to a stand-in .* at ws:\/\/127\.0\.0\.1:\d+/,
		);
		expect(output).toContain('npm run deliver -- gateway comment_added');
	});

	it('runs the demo workflows for what npm run deliver sends, executions n8n shows, without --n8n', async () => {
		const state = JSON.parse(fs.readFileSync(path.join(devFolder, version, 'state.json'), 'utf8'));
		const n8n = new N8nInstance({ version, baseUrl: `http://127.0.0.1:${port}` });
		n8n.apiKey = state.apiKey;
		for (const [provider, type, answer] of [
			['boticord', 'up_added', '200 (empty body'],
			['botisimo', 'connection.stream.started.twitch', '200 (empty body'],
			['gateway', 'comment_added', 'sent to 1 connected trigger'],
		]) {
			const sent = deliver(provider, type);
			expect(sent.status).toBe(0);
			expect(sent.stdout).toContain(`${provider} ${type} → ${answer}`);
			const [, executionId] = sent.stdout.match(/execution (\d+) \(success\): http\S+/) ?? [];
			expect(executionId).toBeDefined();
			const { workflowId } = (await n8n.listExecutions(state.workflows[provider].id)).find(
				(execution) => String(execution.id) === executionId,
			);
			expect(String(workflowId)).toBe(String(state.workflows[provider].id));
		}
		const refused = deliver('botisimo', 'poll.created', '--invalid', '--n8n', version);
		expect(refused.stdout).toMatch(/poll\.created \(invalid\) → 400 .*timestamp/);
		const unknown = deliver('boticord', 'no_such_event');
		expect(unknown.status).toBe(2);
		expect(unknown.stdout).toContain('is not a boticord event type');
		expect(unknown.stdout).toContain(
			'npm run deliver -- --help lists the providers, every event type',
		);
	});

	it('says which n8n runs when --n8n names another', () => {
		const other = VERSIONS.find((candidate) => candidate !== version);
		const wrong = deliver('boticord', 'up_added', '--n8n', other);
		expect(wrong.status).toBe(1);
		expect(wrong.stdout).toBe(
			`n8n ${other} is not running for this folder, n8n ${version} is: leave out --n8n.\n`,
		);
	});

	it('lists with --help and -h every event type the built nodes accept, and every flag', () => {
		const help = deliver('--help');
		expect(help.status).toBe(0);
		expect(deliver('-h').stdout).toBe(help.stdout);
		const dist = (file) => require(path.join(ROOT, 'dist', 'nodes', file));
		// The gateway trigger makes `format: 'gateway'` types itself: Boticord sends none.
		const types = [
			...dist('Boticord/boticordEvents.js').boticordEvents.filter(
				(event) => event.format !== 'gateway',
			),
			...dist('Botisimo/botisimoEvents.js').botisimoEvents,
		].map((event) => event.type);
		const words = new Set(help.stdout.split(/[\s,]+/));
		expect(types.filter((type) => !words.has(type))).toEqual([]);
		for (const flag of ['--count N', '--invalid', '--n8n <version>', '-h, --help']) {
			expect(help.stdout).toContain(`  ${flag} `);
		}
	});

	it('says so instead of failing when started a second time', () => {
		const again = npm(['start', '--', '--n8n', version]);
		expect(again.status).toBe(1);
		expect(again.stdout).toContain(`n8n ${version} is already running for this folder`);
	});

	it('stops n8n and everything it started on Ctrl-C, and frees the port', async () => {
		const userFolder = path.join(devFolder, version);
		const script = JSON.parse(fs.readFileSync(path.join(userFolder, 'running.json'), 'utf8'));
		expect(processesUsing(userFolder).length).toBeGreaterThan(0);
		const exited = new Promise((resolve) => start.once('exit', resolve));
		// Ctrl-C in a terminal signals the whole foreground group: npm and the script.
		killGroup(start, 'SIGINT');
		await exited;
		const deadline = Date.now() + 20_000;
		while (processesUsing(userFolder).length > 0 && Date.now() < deadline) await sleep(250);
		expect(processesUsing(userFolder)).toEqual([]);
		expect(fs.existsSync(`/proc/${script.pid}`)).toBe(false);
		expect(portIsFree(port)).toBe(true);
		// The stand-in gateway it started alongside is gone too.
		const { gatewayPort } = JSON.parse(
			fs.readFileSync(path.join(userFolder, 'state.json'), 'utf8'),
		);
		expect(portIsFree(gatewayPort)).toBe(true);
		expect(fs.existsSync(path.join(userFolder, 'running.json'))).toBe(false);
		// What it stopped, and where what was set up stays.
		expect(output).toContain(
			`Stopped n8n ${version} and the stand-in for Boticord's gateway. The workflows, credentials ` +
				`and executions stay in ${userFolder}: the next npm start picks them up`,
		);
	});
});
