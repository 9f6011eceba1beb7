// `npm run scan`: n8n's verification scanner, run the way n8n's gate runs it,
// without the network its CLI needs: on the package as `npm pack` makes it
// (every file, a stricter scope than the gate's) and on this source checkout
// (the gate's SOURCE_FILE_PATTERNS). Needs `npm run build` first.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { analyzePackage, SOURCE_FILE_PATTERNS } from './scanConfig.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function run(command, args, cwd) {
	const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
	if (result.status !== 0) {
		throw new Error(`${command} ${args.join(' ')} failed:\n${result.stderr}`);
	}
	return result.stdout;
}

/** The package as npm would publish it, unpacked in a temporary folder. */
function packed(workDir) {
	const [{ filename }] = JSON.parse(
		run('npm', ['pack', '--json', '--pack-destination', workDir], root),
	);
	run('tar', ['-xzf', path.join(workDir, filename), '-C', workDir], root);
	return path.join(workDir, 'package');
}

async function main() {
	const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-scan-'));
	try {
		const checks = [
			['the packed package', await analyzePackage(packed(workDir))],
			['the source', await analyzePackage(root, SOURCE_FILE_PATTERNS)],
		];
		let passed = true;
		for (const [what, result] of checks) {
			passed &&= result.passed;
			console.log(
				`${result.passed ? 'PASS' : 'FAIL'}  ${what}${result.message ? `: ${result.message}` : ''}`,
			);
			if (result.details) console.log(result.details);
		}
		process.exitCode = passed ? 0 : 1;
	} finally {
		fs.rmSync(workDir, { recursive: true, force: true });
	}
}

await main();
