'use strict';
// An npm registry on loopback: the packuments and tarballs npm asks for, of
// packages published to it from a manifest or from a packed tarball. Used by
// the install test (what n8n's first start runs) and by the package update
// through n8n's Community Nodes endpoints.
const { execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const httpServer = require('node:http');
const os = require('node:os');
const path = require('node:path');

/** What `npm pack` makes of a package.json alone, as a Buffer. */
function packManifest(folder, manifest) {
	const dir = path.join(folder, String(manifest.name));
	fs.mkdirSync(dir, { recursive: true });
	fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest));
	const [{ filename }] = JSON.parse(
		execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', folder], {
			cwd: dir,
			encoding: 'utf8',
		}),
	);
	return fs.readFileSync(path.join(folder, filename));
}

/**
 * `tarball` (an npm pack output) with its package.json's version set to
 * `version`: the package as it would be published under that version.
 */
function repackWithVersion(tarball, version) {
	const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'npm-registry-repack-'));
	try {
		execFileSync('tar', ['-xzf', path.resolve(tarball), '-C', staging]);
		const pkgJsonPath = path.join(staging, 'package', 'package.json');
		const manifest = { ...JSON.parse(fs.readFileSync(pkgJsonPath, 'utf8')), version };
		fs.writeFileSync(pkgJsonPath, JSON.stringify(manifest, null, 2));
		const out = path.join(staging, 'out.tgz');
		execFileSync('tar', ['-czf', out, '-C', staging, 'package']);
		return { manifest, tgz: fs.readFileSync(out) };
	} finally {
		fs.rmSync(staging, { recursive: true, force: true });
	}
}

/**
 * Starts the registry on 127.0.0.1 and resolves to { url, publish, close }.
 * `publish(manifest, tgz, extra)` adds a version (the newest published is
 * `latest`); `extra` goes into that version's packument entry (e.g.
 * `deprecated`). Tarballs are answered after `tarballDelayMs`.
 */
function startNpmRegistry({ tarballDelayMs = 0 } = {}) {
	const packuments = new Map();
	const tarballs = new Map();
	const server = httpServer.createServer((req, res) => {
		const name = decodeURIComponent(req.url.split('?')[0].slice(1));
		if (tarballs.has(name)) {
			setTimeout(() => {
				res.writeHead(200, { 'content-type': 'application/octet-stream' });
				res.end(tarballs.get(name));
			}, tarballDelayMs);
		} else if (packuments.has(name)) {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(JSON.stringify(packuments.get(name)));
		} else {
			res.writeHead(404, { 'content-type': 'application/json' });
			res.end('{"error":"Not found"}');
		}
	});
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const url = `http://127.0.0.1:${server.address().port}/`;
			function publish(manifest, tgz, extra = {}) {
				const { name, version } = manifest;
				const file = `${name}/-/${name.split('/').pop()}-${version}.tgz`;
				tarballs.set(file, tgz);
				const packument = packuments.get(name) ?? { name, 'dist-tags': {}, versions: {} };
				packument['dist-tags'].latest = version;
				packument.versions[version] = {
					...manifest,
					...extra,
					dist: {
						tarball: `${url}${file}`,
						shasum: crypto.createHash('sha1').update(tgz).digest('hex'),
						integrity: `sha512-${crypto.createHash('sha512').update(tgz).digest('base64')}`,
					},
				};
				packuments.set(name, packument);
			}
			const close = () => new Promise((done) => server.close(() => done()));
			resolve({ url, publish, close });
		});
	});
}

/**
 * A folder holding an `npm` that runs the real one with every
 * `--registry=https://registry.npmjs.org` turned into `--registry=<url>`;
 * put it first on n8n's PATH. n8n's Community Nodes install runs `npm` with
 * an explicit `--registry=<N8N_COMMUNITY_PACKAGES_REGISTRY>`, which beats
 * npm_config_registry and any .npmrc, and any other value than npmjs.org's
 * needs a licence (getNpmRegistry in community-packages.service.js, n8n 1.x
 * and 2.x).
 */
function npmPointedAt(url) {
	const realNpm = execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'npm-pointed-'));
	const registry = url.replace(/\/+$/, '');
	fs.writeFileSync(
		path.join(dir, 'npm'),
		[
			'#!/bin/sh',
			'for arg; do',
			'	shift',
			'	case "$arg" in',
			`		--registry=https://registry.npmjs.org) set -- "$@" "--registry=${registry}" ;;`,
			'		*) set -- "$@" "$arg" ;;',
			'	esac',
			'done',
			`exec "${realNpm}" "$@"`,
			'',
		].join('\n'),
		{ mode: 0o755 },
	);
	return dir;
}

module.exports = { npmPointedAt, packManifest, repackWithVersion, startNpmRegistry };
