'use strict';
// Child processes the e2e harness starts (n8n, Redis, PostgreSQL): each runs
// detached in its own process group with its output kept line by line, and
// every one still running when the test process exits is killed.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');

const LOG_LIMIT = 2000; // lines kept per process

function sleep(ms) {
	return new Promise((r) => setTimeout(r, ms));
}

/** Resolves once `condition()` (sync or async) is true; rejects after `timeoutMs`, naming `what`. */
async function waitUntil(condition, what, timeoutMs = 30_000) {
	const deadline = Date.now() + timeoutMs;
	while (!(await condition())) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await sleep(25);
	}
}

function freePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address();
			srv.close(() => resolve(port));
		});
	});
}

async function freePorts(n) {
	const ports = new Set();
	while (ports.size < n) ports.add(await freePort());
	return [...ports];
}

function removeDir(dir) {
	if (!dir) return;
	try {
		fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
	} catch {
		// a leftover temp folder must not fail a test run
	}
}

/** Whether a process of this machine is alive (EPERM: alive, but another user's). */
function pidAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (err) {
		return err.code === 'EPERM';
	}
}

function isRunning(child) {
	return Boolean(child) && child.exitCode === null && child.signalCode === null;
}

function killGroup(child, signal) {
	try {
		process.kill(-child.pid, signal);
	} catch {
		// already gone
	}
}

/**
 * Signals the whole group (so helpers it spawned go too) and waits for the
 * process to exit, with SIGKILL after `graceMs`.
 */
async function stopProcess(child, { signal = 'SIGTERM', graceMs = 10000 } = {}) {
	if (!child || child.pid === undefined) return;
	if (isRunning(child)) {
		const gone = new Promise((r) => child.once('exit', r));
		killGroup(child, signal);
		let timer;
		const deadline = new Promise((r) => {
			timer = setTimeout(() => r(true), graceMs);
		});
		const timedOut = await Promise.race([gone.then(() => false), deadline]);
		clearTimeout(timer); // a pending timer would hold jest open
		if (timedOut) {
			killGroup(child, 'SIGKILL');
			await gone;
		}
	}
	killGroup(child, 'SIGKILL'); // leftovers in the group
}

// Last resort when a test run exits without stopping what it started.
const running = new Set();
process.on('exit', () => {
	for (const { child, dir } of running) {
		killGroup(child, 'SIGKILL');
		removeDir(dir);
	}
});

function captureLines(child, logLines) {
	for (const stream of [child.stdout, child.stderr]) {
		let buf = '';
		stream.setEncoding('utf8');
		stream.on('data', (chunk) => {
			buf += chunk;
			const lines = buf.split('\n');
			buf = lines.pop();
			for (const line of lines) {
				logLines.push(line);
				if (logLines.length > LOG_LIMIT) logLines.shift();
				child.emit('line', line);
			}
		});
		// A process that dies mid-line (a crash message without a newline) must
		// still show that line in the log tail.
		stream.on('end', () => {
			if (buf) logLines.push(buf);
			buf = '';
		});
	}
}

/**
 * Starts `command` detached, capturing its output. `dir` is removed with the
 * process at exit of the test run if nobody stopped it before.
 * @returns {{ child: import('node:child_process').ChildProcess, logLines: string[] }}
 */
function spawnDetached(command, args, { cwd, env, dir } = {}) {
	const logLines = [];
	const child = spawn(command, args, {
		cwd,
		env,
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const entry = { child, dir };
	running.add(entry);
	child.once('exit', () => running.delete(entry));
	captureLines(child, logLines);
	return { child, logLines };
}

/** Resolves at the first output line containing `readyLine`; rejects if the process exits first. */
function waitForLine(child, logLines, readyLine, { timeoutMs, name }) {
	return new Promise((resolve, reject) => {
		const tail = () => logLines.slice(-40).join('\n');
		if (logLines.some((line) => line.includes(readyLine))) {
			resolve();
			return;
		}
		const timer = setTimeout(
			() => finish(new Error(`${name} not ready after ${timeoutMs} ms; log tail:\n${tail()}`)),
			timeoutMs,
		);
		const onLine = (line) => line.includes(readyLine) && finish();
		const onExit = (code, sig) =>
			finish(
				new Error(
					`${name} exited (code ${code}, signal ${sig}) before ready; log tail:\n${tail()}`,
				),
			);
		function finish(err) {
			clearTimeout(timer);
			child.off('line', onLine);
			child.off('exit', onExit);
			if (err) reject(err);
			else resolve();
		}
		child.on('line', onLine);
		child.on('exit', onExit);
	});
}

module.exports = {
	sleep,
	waitUntil,
	freePort,
	freePorts,
	removeDir,
	isRunning,
	pidAlive,
	killGroup,
	stopProcess,
	spawnDetached,
	waitForLine,
};
