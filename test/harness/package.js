'use strict';
// This package for a real n8n: built and packed as it would be published, and
// installed into an n8n user folder the way n8n's Community Nodes screen does.
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');

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

// Mirrors n8n 2.x's own install (community-packages.service.js downloadPackage):
// the unpacked package in <user>/.n8n/nodes/node_modules/<name> without dev, peer
// and optional dependencies, its dependencies installed without scripts, and an
// entry in <user>/.n8n/nodes/package.json. n8n loads it at start, but only from
// folders named n8n-nodes-* or @scope/n8n-nodes-*.
function communityInstall(userFolder, tarball) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const staging = fs.mkdtempSync(path.join(userFolder, 'unpack-'));
	const untar = spawnSync('tar', ['-xzf', path.resolve(tarball), '-C', staging], {
		encoding: 'utf8',
	});
	if (untar.status !== 0) throw new Error(`cannot unpack ${tarball}: ${untar.stderr}`);
	const pkgJsonPath = path.join(staging, 'package', 'package.json');
	const pkg = JSON.parse(fs.readFileSync(pkgJsonPath, 'utf8'));
	delete pkg.devDependencies;
	delete pkg.peerDependencies;
	delete pkg.optionalDependencies;
	fs.writeFileSync(pkgJsonPath, JSON.stringify(pkg, null, 2));

	const target = path.join(nodesDir, 'node_modules', pkg.name);
	fs.mkdirSync(path.dirname(target), { recursive: true });
	fs.renameSync(path.join(staging, 'package'), target);
	fs.rmSync(staging, { recursive: true, force: true });
	fs.writeFileSync(
		path.join(nodesDir, 'package.json'),
		JSON.stringify(
			{ name: 'installed-nodes', private: true, dependencies: { [pkg.name]: pkg.version } },
			null,
			2,
		),
	);
	if (pkg.dependencies && Object.keys(pkg.dependencies).length > 0) {
		const args = [
			'install',
			'--audit=false',
			'--fund=false',
			'--bin-links=false',
			'--install-strategy=shallow',
			'--ignore-scripts=true',
			'--package-lock=false',
		];
		const res = spawnSync('npm', args, { cwd: target, encoding: 'utf8' });
		if (res.status !== 0) throw new Error(`npm install in ${target} failed:\n${res.stderr}`);
	}
	return pkg;
}

/**
 * Makes n8n load the package from this working tree: a link in the user
 * folder's community package folder, where n8n looks for packages at start,
 * so that a rebuild is what n8n loads at its next start.
 */
function linkPackage(userFolder) {
	const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const link = path.join(nodesDir, 'node_modules', pkg.name);
	fs.mkdirSync(path.dirname(link), { recursive: true });
	fs.rmSync(link, { recursive: true, force: true });
	fs.symlinkSync(ROOT, link, 'dir');
	fs.writeFileSync(
		path.join(nodesDir, 'package.json'),
		JSON.stringify(
			{ name: 'installed-nodes', private: true, dependencies: { [pkg.name]: pkg.version } },
			null,
			2,
		),
	);
	return pkg;
}

module.exports = { ROOT, buildAndPack, communityInstall, linkPackage };
