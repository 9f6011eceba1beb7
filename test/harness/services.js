'use strict';
// Redis and PostgreSQL for n8n's queue mode, started by the harness itself on
// free loopback ports in temporary folders (no system service is used or
// touched) and removed again by stop(). Debian's packages: `redis-server` and
// `postgresql` (see .ci/run).
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { freePort, removeDir, spawnDetached, stopProcess, waitForLine } = require('./processes');

function findExecutable(candidates, what) {
	for (const candidate of candidates) {
		if (candidate.includes('/')) {
			if (fs.existsSync(candidate)) return candidate;
		} else {
			const found = spawnSync('sh', ['-c', `command -v ${candidate}`], { encoding: 'utf8' });
			if (found.status === 0 && found.stdout.trim()) return found.stdout.trim();
		}
	}
	throw new Error(`${what} is not installed (on Debian: apt-get install -y ${what})`);
}

/** The newest Debian PostgreSQL's bin folder (/usr/lib/postgresql/<major>/bin). */
function postgresBinDir() {
	const root = '/usr/lib/postgresql';
	const majors = fs.existsSync(root)
		? fs
				.readdirSync(root)
				.filter((d) => fs.existsSync(path.join(root, d, 'bin', 'postgres')))
				.sort((a, b) => Number(b) - Number(a))
		: [];
	if (majors.length === 0) {
		const initdb = findExecutable(['initdb'], 'postgresql');
		return path.dirname(initdb);
	}
	return path.join(root, majors[0], 'bin');
}

function version(binary) {
	return execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim();
}

/**
 * A throw-away Redis on 127.0.0.1 without persistence.
 * @returns {Promise<{ host: string, port: number, version: string, logs(): string, stop(): Promise<void> }>}
 */
async function startRedis({ readyTimeoutMs = 30000 } = {}) {
	const binary = findExecutable(['redis-server', '/usr/bin/redis-server'], 'redis-server');
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-redis-'));
	const port = await freePort();
	const { child, logLines } = spawnDetached(
		binary,
		[
			'--port',
			String(port),
			'--bind',
			'127.0.0.1',
			'--dir',
			dir,
			'--save',
			'',
			'--appendonly',
			'no',
			'--daemonize',
			'no',
			'--protected-mode',
			'yes',
		],
		{ cwd: dir, dir },
	);
	const redis = {
		host: '127.0.0.1',
		port,
		version: version(binary),
		logs: () => logLines.join('\n'),
		stop: () => stopProcess(child, { signal: 'SIGKILL' }).finally(() => removeDir(dir)),
	};
	try {
		await waitForLine(child, logLines, 'Ready to accept connections', {
			timeoutMs: readyTimeoutMs,
			name: 'redis-server',
		});
	} catch (err) {
		await redis.stop();
		throw err;
	}
	return redis;
}

// initdb and postgres refuse to run as root: as root they run as the
// `postgres` user the Debian package creates, on a folder it owns.
function asDatabaseUser(binary, args) {
	if (process.getuid && process.getuid() === 0) {
		return { command: 'runuser', args: ['-u', 'postgres', '--', binary, ...args] };
	}
	return { command: binary, args };
}

/**
 * A throw-away PostgreSQL cluster on 127.0.0.1 with one database for n8n.
 * Authentication is `trust` (loopback only, the cluster lives for one run);
 * fsync is off, since the database's own crash safety is not under test.
 * @returns {Promise<{ host: string, port: number, user: string, password: string,
 *   database: string, version: string, logs(): string, stop(): Promise<void> }>}
 */
async function startPostgres({ readyTimeoutMs = 60000, database = 'n8n', user = 'n8n' } = {}) {
	const bin = postgresBinDir();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-postgres-'));
	const dataDir = path.join(dir, 'data');
	if (process.getuid && process.getuid() === 0) {
		execFileSync('chown', ['-R', 'postgres:postgres', dir]);
	}
	let child;
	const stop = () =>
		(child ? stopProcess(child, { signal: 'SIGINT' }) : Promise.resolve()).finally(() =>
			removeDir(dir),
		);
	try {
		const init = asDatabaseUser(path.join(bin, 'initdb'), [
			'-D',
			dataDir,
			'-U',
			user,
			'--auth=trust',
			'-E',
			'UTF8',
			'--no-sync',
		]);
		const initRun = spawnSync(init.command, init.args, { cwd: dir, encoding: 'utf8' });
		if (initRun.status !== 0) throw new Error(`initdb failed: ${initRun.stderr}`);

		const port = await freePort();
		const server = asDatabaseUser(path.join(bin, 'postgres'), [
			'-D',
			dataDir,
			'-p',
			String(port),
			'-k',
			dir,
			'-c',
			'listen_addresses=127.0.0.1',
			'-c',
			'fsync=off',
			'-c',
			'max_connections=200',
		]);
		const started = spawnDetached(server.command, server.args, { cwd: dir, dir });
		child = started.child;
		await waitForLine(child, started.logLines, 'database system is ready to accept connections', {
			timeoutMs: readyTimeoutMs,
			name: 'postgres',
		});
		const create = asDatabaseUser(path.join(bin, 'createdb'), [
			'-h',
			'127.0.0.1',
			'-p',
			String(port),
			'-U',
			user,
			database,
		]);
		const created = spawnSync(create.command, create.args, { cwd: dir, encoding: 'utf8' });
		if (created.status !== 0) throw new Error(`createdb failed: ${created.stderr}`);
		return {
			host: '127.0.0.1',
			port,
			user,
			password: 'unused-trust-auth',
			database,
			version: version(path.join(bin, 'postgres')),
			logs: () => started.logLines.join('\n'),
			stop,
		};
	} catch (err) {
		await stop();
		throw err;
	}
}

/** The settings that point n8n at a PostgreSQL from startPostgres. */
function postgresEnv(postgres) {
	return {
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: postgres.host,
		DB_POSTGRESDB_PORT: String(postgres.port),
		DB_POSTGRESDB_DATABASE: postgres.database,
		DB_POSTGRESDB_USER: postgres.user,
		DB_POSTGRESDB_PASSWORD: postgres.password,
	};
}

module.exports = { startRedis, startPostgres, postgresEnv };
