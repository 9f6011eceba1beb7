const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { installAll } = require('./harness/install');
const { e2eVersions } = require('./versions');

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * Installs the n8n versions under test and packs this package exactly as it
 * would be published; the tests install that tarball, never the source tree.
 */
module.exports = async () => {
	installAll(e2eVersions());
	execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
	const destination = fs.mkdtempSync(path.join(os.tmpdir(), 'boticord-botisimo-pack-'));
	const [packed] = JSON.parse(
		execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', destination], {
			cwd: ROOT,
			encoding: 'utf8',
		}),
	);
	process.env.E2E_PACKAGE_TARBALL = path.join(destination, packed.filename);
};
