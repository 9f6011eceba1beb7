import { spawn } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';

import { packManifest, startNpmRegistry } from '../harness/npmRegistry';

/**
 * The install that n8n's first start runs (test/harness/install.js
 * installTree), through real npm, against a registry on loopback that serves
 * two tiny packages with what makes npm warn (an engine this Node does not
 * satisfy, a deprecation), as n8n's tree does. The tarballs come slowly
 * enough for the progress to tick.
 */
const INSTALL = join(__dirname, '..', 'harness', 'install.js');
const TARBALL_DELAY_MS = 700;

/** Two tiny packages with what makes npm warn, as n8n's tree has. */
async function fakeRegistry(folder: string): Promise<{ url: string; close: () => Promise<void> }> {
	const registry = await startNpmRegistry({ tarballDelayMs: TARBALL_DELAY_MS });
	const publish = (manifest: Record<string, unknown>, extra?: Record<string, unknown>) =>
		registry.publish(manifest, packManifest(folder, manifest), extra);
	publish({ name: 'fake-dep', version: '1.0.0' });
	publish(
		{
			name: 'fake-n8n',
			version: '2.0.0',
			engines: { node: '>=99' },
			dependencies: { 'fake-dep': '1.0.0' },
		},
		{ deprecated: 'a test package' },
	);
	return registry;
}

/** Runs installTree in a child process, as npm start does, and returns what it printed. */
function install(
	dir: string,
	dependencies: Record<string, string>,
	env: NodeJS.ProcessEnv,
	{ terminal = false } = {},
): Promise<{ code: number | null; output: string }> {
	const script = `require(${JSON.stringify(INSTALL)}).installTree(${JSON.stringify(dir)}, {
		what: 'fake-n8n 2.0.0', size: 'a few kB',
		pkg: { name: 'fake-install', private: true, dependencies: ${JSON.stringify(dependencies)} },
		env: process.env,
		check: () => 'ok',
	})`;
	const file = `${dir}.test.js`;
	mkdirSync(dirname(file), { recursive: true });
	writeFileSync(file, script);
	const command = terminal
		? // script(1) gives the install a pseudo-terminal, as a user's shell has.
			['script', ['-qefc', `node ${file}`, '/dev/null']]
		: ['node', [file]];
	return new Promise((resolve) => {
		const child = spawn(command[0] as string, command[1] as string[], {
			env,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let output = '';
		child.stdout.on('data', (chunk) => (output += chunk));
		child.stderr.on('data', (chunk) => (output += chunk));
		child.on('close', (code) => resolve({ code, output }));
	});
}

describe('the install of n8n: progress on screen, npm in a log', () => {
	let folder: string;
	let registry: { url: string; close: () => Promise<void> };
	let env: NodeJS.ProcessEnv;

	beforeAll(async () => {
		folder = mkdtempSync(join(tmpdir(), 'install-test-'));
		registry = await fakeRegistry(join(folder, 'packages'));
		env = {
			...process.env,
			npm_config_registry: registry.url,
			npm_config_cache: join(folder, 'npm-cache'),
		};
	}, 60_000);

	afterAll(async () => {
		await registry.close();
		rmSync(folder, { recursive: true, force: true });
	});

	it('shows its steps with their elapsed time and keeps every npm warning in the log it names', async () => {
		const dir = join(folder, 'plain', 'fake-n8n-2.0.0');
		const { code, output } = await install(dir, { 'fake-n8n': '2.0.0' }, env);
		expect(code).toBe(0);

		expect(output).not.toMatch(/^npm /m);
		expect(output).not.toMatch(/npm warn|EBADENGINE|ERESOLVE/i);
		expect(output).toContain(
			`fake-n8n 2.0.0 is not installed yet: installing it once (a few kB) into ${dir}.`,
		);
		expect(output).toMatch(/^ {2}\[1\/2\] Resolving its dependencies…$/m);
		expect(output).toMatch(/^ {2}\[1\/2\] Resolving its dependencies: done in \d+ s$/m);
		expect(output).toMatch(/^ {2}\[2\/2\] Downloading and unpacking 2 packages: done in \d+ s$/m);
		expect(output).toMatch(/^fake-n8n 2\.0\.0 installed in \d+ s \(\d+ kB\)\.$/m);
		// No terminal: plain lines, nothing redrawn.
		expect(output).not.toContain('\r');

		const [, logFile] =
			output.match(/^npm's own output, warnings included, goes to (.+)\.$/m) ?? [];
		expect(logFile).toBe(`${dir}.install.log`);
		const log = readFileSync(logFile, 'utf8');
		expect(log).toMatch(/npm warn EBADENGINE/);
		expect(log).toMatch(/npm warn deprecated fake-n8n@2\.0\.0: a test package/);
		expect(log).toContain(`fake-n8n/-/fake-n8n-2.0.0.tgz`);
		expect(log).toContain('$ npm ci');

		expect(existsSync(join(dir, 'node_modules', 'fake-n8n', 'package.json'))).toBe(true);
		expect(existsSync(join(dir, 'node_modules', 'fake-dep', 'package.json'))).toBe(true);
		expect(existsSync(join(dir, '.e2e-installed'))).toBe(true);
	}, 120_000);

	it('draws a progress bar of the packages downloaded on a terminal', async () => {
		const dir = join(folder, 'terminal', 'fake-n8n-2.0.0');
		const { code, output } = await install(dir, { 'fake-n8n': '2.0.0' }, env, { terminal: true });
		expect(code).toBe(0);
		expect(output).not.toMatch(/^npm /m);
		// The line is redrawn in place while the tarballs come, then replaced by its outcome.
		expect(output).toMatch(
			/\r\x1b\[K {2}\[2\/2\] Downloading and unpacking 2 packages… [█░]{24} [0-2]\/2, \d+ s/,
		);
		expect(output).toMatch(
			/\r\x1b\[K {2}\[2\/2\] Downloading and unpacking 2 packages: done in \d+ s/,
		);
	}, 120_000);

	it('fails naming the npm command, the end of its output and the whole log', async () => {
		const dir = join(folder, 'missing', 'fake-n8n-9.9.9');
		const { code, output } = await install(dir, { 'fake-n8n': '9.9.9' }, env);
		expect(code).not.toBe(0);
		expect(output).toContain(
			`npm install --package-lock-only failed in ${dir} (exit 1); the end of its output (all of it in ${dir}.install.log):`,
		);
		expect(output).toMatch(/npm error .*ETARGET|No matching version found for fake-n8n@9\.9\.9/);
		expect(existsSync(join(dir, '.e2e-installed'))).toBe(false);
	}, 120_000);
});
