'use strict';
// n8n in queue mode on one machine: Redis and PostgreSQL (services.js), one
// main (`n8n start`: editor, API, activation), one webhook processor
// (`n8n webhook`: takes the deliveries and enqueues them) and workers
// (`n8n worker`: run the executions), every process with the package
// community-installed in its own user folder.
const { execFile } = require('node:child_process');
const crypto = require('node:crypto');

const { freePort } = require('./processes');
const { launchN8n } = require('./n8n');
const { setUpInstance } = require('./n8nInstance');
const { postgresEnv, startPostgres, startRedis } = require('./services');

/** Environment every process of one cluster shares (plus the caller's `env`). */
function clusterEnv({ redis, postgres, encryptionKey }) {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: redis.host,
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		...postgresEnv(postgres),
		N8N_ENCRYPTION_KEY: encryptionKey,
		// Every execution is counted afterwards: none may be pruned meanwhile.
		EXECUTIONS_DATA_PRUNE: 'false',
	};
}

class QueueCluster {
	constructor({
		version,
		packageTarball,
		env,
		concurrency,
		redis,
		postgres,
		main,
		webhookProcess,
	}) {
		Object.assign(this, { version, packageTarball, env, concurrency, redis, postgres });
		/** The main instance: public API, activation, executions. */
		this.main = main;
		/** The webhook processor: send production webhooks here. */
		this.webhookProcess = webhookProcess;
		/** Worker processes, by slot; a killed one stays until restartWorker(slot). */
		this.workers = [];
		this._stopped = undefined;
	}

	async startWorker(slot) {
		const worker = await launchN8n({
			version: this.version,
			command: 'worker',
			args: [`--concurrency=${this.concurrency}`],
			packageTarball: this.packageTarball,
			env: { ...this.env, QUEUE_HEALTH_CHECK_PORT: String(await freePort()) },
		});
		const previous = this.workers[slot];
		this.workers[slot] = worker;
		if (previous) await previous.stop();
		return worker;
	}

	/** `kill -9` of a worker's whole process group, as when its container dies. */
	killWorker(slot, signal = 'SIGKILL') {
		return this.workers[slot].kill(signal);
	}

	/** Replaces the worker in `slot` (killed or not) by a fresh one. */
	restartWorker(slot) {
		return this.startWorker(slot);
	}

	/**
	 * Jobs in Bull's active list (taken by some worker, not finished) right
	 * now, read with redis-cli; null if it cannot be read.
	 */
	activeJobCount() {
		return new Promise((resolve) => {
			const args = [
				'-h',
				this.redis.host,
				'-p',
				String(this.redis.port),
				'LLEN',
				'bull:jobs:active',
			];
			execFile('redis-cli', args, (err, stdout) => resolve(err ? null : Number(stdout.trim())));
		});
	}

	/**
	 * Resolves once at least `n` jobs are active (or after `timeoutMs`), with
	 * the count last seen: a worker stopped then has work in flight.
	 */
	async whenActiveJobs(n, { timeoutMs = 30000 } = {}) {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const active = await this.activeJobCount();
			if (active >= n || Date.now() > deadline) return active;
			await new Promise((r) => setTimeout(r, 100));
		}
	}

	/** Every process's log, for a failing test's message. */
	logs() {
		const parts = [
			['main', this.main],
			['webhook', this.webhookProcess],
			...this.workers.map((w, i) => [`worker ${i}`, w]),
		];
		return parts
			.filter(([, p]) => p)
			.map(([name, p]) => `--- ${name} ---\n${p.logs()}`)
			.join('\n');
	}

	stop() {
		if (!this._stopped) {
			const processes = [this.webhookProcess, ...this.workers, this.main].filter(Boolean);
			this._stopped = Promise.all(processes.map((p) => p.stop())).then(() =>
				Promise.all([this.redis.stop(), this.postgres.stop()]),
			);
		}
		return this._stopped;
	}
}

/**
 * Starts Redis, PostgreSQL, the main (first: it migrates the database and
 * gets the owner and API key), then the webhook processor and `workers`
 * workers at `concurrency` side by side. `env` goes to every process, so
 * queue settings such as QUEUE_WORKER_LOCK_DURATION apply everywhere.
 * @returns {Promise<QueueCluster>}
 */
async function startQueueMode({
	version,
	packageTarball,
	workers = 2,
	concurrency = 5,
	env = {},
} = {}) {
	const [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
	const shared = {
		...clusterEnv({ redis, postgres, encryptionKey: crypto.randomBytes(24).toString('hex') }),
		...env,
	};
	const cluster = new QueueCluster({
		version,
		packageTarball,
		env: shared,
		concurrency,
		redis,
		postgres,
	});
	try {
		cluster.main = await launchN8n({ version, packageTarball, env: shared });
		await setUpInstance(cluster.main);
		const webhook = launchN8n({ version, command: 'webhook', packageTarball, env: shared }).then(
			(p) => {
				cluster.webhookProcess = p;
			},
		);
		const started = Array.from({ length: workers }, (_, slot) => cluster.startWorker(slot));
		// allSettled: a process that did start must still be stopped if another failed.
		const outcomes = await Promise.allSettled([webhook, ...started]);
		const failed = outcomes.find((o) => o.status === 'rejected');
		if (failed) throw failed.reason;
		return cluster;
	} catch (err) {
		await cluster.stop();
		throw err;
	}
}

module.exports = { startQueueMode, QueueCluster };
