import { execFileSync } from 'child_process';
import { existsSync, readFileSync } from 'fs';
import { join, posix } from 'path';

const ROOT = join(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

/** The TypeScript source a `dist/...js` entry is compiled from. */
const sourceOf = (distPath: string) =>
	join(ROOT, distPath.replace(/^dist\//, '').replace(/\.js$/, '.ts'));

/** The files `npm pack` puts into the package, from the built dist/. */
function packedFiles(): string[] {
	if (!existsSync(join(ROOT, 'dist'))) {
		throw new Error('dist/ is missing: run `npm run build` before the unit tests.');
	}
	return JSON.parse(
		execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
			cwd: ROOT,
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'ignore'],
		}),
	)[0].files.map((file: { path: string }) => file.path);
}

/** The `file:` icons a node or credential names, as paths in the package. */
async function iconsOf(distPath: string): Promise<string[]> {
	// n8n takes the class named like the file (Boticord.node.js: Boticord).
	const className = posix.basename(distPath).split('.')[0];
	const Type = (await import(sourceOf(distPath)))[className] as new () => object;
	const instance = new Type() as {
		icon?: Record<string, string>;
		description?: { icon?: Record<string, string> };
	};
	const icon = instance.description?.icon ?? instance.icon ?? {};
	return Object.values(icon).map((value) =>
		posix.join(posix.dirname(distPath), value.replace(/^file:/, '')),
	);
}

describe('package.json', () => {
	it('is a community node package with no runtime dependencies', () => {
		expect(manifest.name).toBe('n8n-nodes-boticord-botisimo');
		expect(manifest.license).toBe('MIT');
		expect(manifest.keywords).toContain('n8n-community-node-package');
		expect(manifest.dependencies ?? {}).toEqual({});
		expect(manifest.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		expect(manifest.files).toEqual(['dist']);
	});

	it("names an author with a name and an email, as n8n's verification asks", () => {
		expect(manifest.author).toEqual({
			name: expect.stringMatching(/\S/),
			email: expect.stringMatching(/^[^@\s]+@[^@\s]+\.[^@\s]+$/),
		});
	});

	it('declares zod only for development, at the major version n8n-workflow uses', () => {
		const zodRange: string = manifest.devDependencies.zod;
		const workflowManifest = JSON.parse(
			readFileSync(join(ROOT, 'node_modules', 'n8n-workflow', 'package.json'), 'utf8'),
		);
		const pinned: string =
			workflowManifest.dependencies?.zod ?? workflowManifest.peerDependencies?.zod;
		expect(zodRange.replace(/^[\^~]/, '').split('.')[0]).toBe(
			pinned.replace(/^[\^~]/, '').split('.')[0],
		);
	});

	it('registers every node and credential, each compiled from an existing source', () => {
		expect(manifest.n8n.n8nNodesApiVersion).toBe(1);
		expect(manifest.n8n.nodes).toEqual([
			'dist/nodes/Boticord/Boticord.node.js',
			'dist/nodes/Boticord/BoticordTrigger.node.js',
			'dist/nodes/Boticord/BoticordGatewayTrigger.node.js',
			'dist/nodes/Botisimo/BotisimoTrigger.node.js',
			'dist/nodes/Botisimo/Botisimo.node.js',
		]);
		expect(manifest.n8n.credentials).toEqual([
			'dist/credentials/BoticordWebhookApi.credentials.js',
			'dist/credentials/BotisimoWebhookApi.credentials.js',
			'dist/credentials/BotisimoApi.credentials.js',
		]);
		for (const entry of [...manifest.n8n.nodes, ...manifest.n8n.credentials]) {
			expect(existsSync(sourceOf(entry))).toBe(true);
		}
	});

	it('packs only dist/, the manifest, README, LICENSE and the empty index.js', () => {
		const packed = packedFiles();
		const outside = packed.filter(
			(path: string) =>
				!path.startsWith('dist/') &&
				!['package.json', 'README.md', 'LICENSE', 'index.js'].includes(path),
		);
		expect(outside).toEqual([]);
	});

	it('packs what n8n loads: each node and credential, the codex beside each node, their icons', async () => {
		const packed = packedFiles();
		const nodes: string[] = manifest.n8n.nodes;
		const credentials: string[] = manifest.n8n.credentials;
		const needed = [
			...nodes,
			...credentials,
			// n8n reads a node's codex (categories, documentation links) from `<node file>on`.
			...nodes.map((entry) => `${entry}on`),
			...(await Promise.all([...nodes, ...credentials].map(iconsOf))).flat(),
		];
		expect(needed.filter((path) => !packed.includes(path))).toEqual([]);
		expect(new Set(needed.filter((path) => path.startsWith('dist/icons/')))).toEqual(
			new Set([
				'dist/icons/boticord.svg',
				'dist/icons/boticord.dark.svg',
				'dist/icons/botisimo.svg',
				'dist/icons/botisimo.dark.svg',
			]),
		);
	});

	it('leaves out source maps and type declarations: n8n loads only the compiled JavaScript', () => {
		const packed = packedFiles();
		expect(packed.filter((path) => /\.(map|ts)$/.test(path))).toEqual([]);
	});
});
