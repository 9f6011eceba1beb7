'use strict';
// Runs one npm command of an install (`node npmProgress.js <log> <step> <total> -- npm args…`)
// with all of npm's output, warnings included, appended to the log file, and
// shows how far it is instead: on a terminal one line redrawn in place (a bar
// when the number of packages is known), elsewhere (CI, a test's pipe) a plain
// line every 30 s. A separate process so that the caller may wait for it
// synchronously while the progress still ticks. Exits with npm's code.
const { spawn } = require('node:child_process');
const fs = require('node:fs');

const TICK_MS = 250;
const PLAIN_EVERY_MS = 30_000;

/** `75 s` → `1 min 15 s`. */
function elapsed(ms) {
	const s = Math.round(ms / 1000);
	return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

const number = (n) => n.toLocaleString('en-US');

/** npm's `--loglevel=http` line for each request: a registry lookup, or a package's tarball. */
function requestKind(line) {
	const fetched = /^npm http fetch GET \d+ (\S+)/.exec(line);
	if (!fetched) return undefined;
	return fetched[1].endsWith('.tgz') ? 'tarball' : 'lookup';
}

function bar(done, total, width = 24) {
	const filled = Math.min(width, Math.round((done / total) * width));
	return `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
}

function main() {
	const [logFile, step, totalArg, separator, ...npmArgs] = process.argv.slice(2);
	if (separator !== '--')
		throw new Error('usage: npmProgress.js <log> <step> <total> -- <npm args>');
	const total = Number(totalArg);
	const log = fs.openSync(logFile, 'a');
	fs.writeSync(log, `\n$ npm ${npmArgs.join(' ')}   (in ${process.cwd()})\n`);

	const started = Date.now();
	const counts = { lookup: 0, tarball: 0 };
	const status = () => {
		const parts = [];
		if (total > 0)
			parts.push(`${bar(counts.tarball, total)} ${number(counts.tarball)}/${number(total)}`);
		else if (counts.tarball > 0) parts.push(`${number(counts.tarball)} downloaded`);
		else if (counts.lookup > 0) parts.push(`${number(counts.lookup)} looked up`);
		parts.push(elapsed(Date.now() - started));
		return parts.join(', ');
	};

	const terminal = process.stderr.isTTY;
	const write = (text) => process.stderr.write(text);
	let lastPlain = started;
	if (!terminal) write(`${step}…\n`);
	const timer = setInterval(() => {
		if (terminal) {
			const line = `${step}… ${status()}`;
			write(`\r\x1b[K${line.slice(0, (process.stderr.columns || 100) - 1)}`);
		} else if (Date.now() - lastPlain >= PLAIN_EVERY_MS) {
			lastPlain = Date.now();
			write(`    … ${status()}\n`);
		}
	}, TICK_MS);

	const child = spawn('npm', [...npmArgs, '--loglevel=http'], {
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	for (const stream of [child.stdout, child.stderr]) {
		let rest = '';
		stream.setEncoding('utf8');
		stream.on('data', (chunk) => {
			fs.writeSync(log, chunk);
			const lines = (rest + chunk).split('\n');
			rest = lines.pop();
			for (const line of lines) {
				const kind = requestKind(line);
				if (kind) counts[kind]++;
			}
		});
	}
	child.on('close', (code, signal) => {
		clearInterval(timer);
		fs.closeSync(log);
		const outcome = code === 0 ? 'done' : `npm failed (${signal ?? `exit ${code}`})`;
		write(`${terminal ? '\r\x1b[K' : ''}${step}: ${outcome} in ${elapsed(Date.now() - started)}\n`);
		process.exit(code ?? 1);
	});
}

if (require.main === module) main();

module.exports = { elapsed };
