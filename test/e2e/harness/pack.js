'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..', '..');

/**
 * Builds the package and packs it exactly as it would be published, into a
 * temporary folder; returns the tarball's path. Real-n8n runs install that
 * tarball, never the source tree.
 */
function buildAndPack() {
	execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
	const destination = fs.mkdtempSync(path.join(os.tmpdir(), 'boticord-botisimo-pack-'));
	const [packed] = JSON.parse(
		execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', destination], {
			cwd: ROOT,
			encoding: 'utf8',
		}),
	);
	return path.join(destination, packed.filename);
}

module.exports = { buildAndPack };
