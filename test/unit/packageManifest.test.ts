import { execFileSync } from 'child_process';
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';

const ROOT = join(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

/** The TypeScript source a `dist/...js` entry is compiled from. */
const sourceOf = (distPath: string) =>
	join(ROOT, distPath.replace(/^dist\//, '').replace(/\.js$/, '.ts'));

describe('package.json', () => {
	it('is a community node package with no runtime dependencies', () => {
		expect(manifest.name).toBe('n8n-nodes-boticord-botisimo');
		expect(manifest.license).toBe('MIT');
		expect(manifest.keywords).toContain('n8n-community-node-package');
		expect(manifest.dependencies ?? {}).toEqual({});
		expect(manifest.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		// n8n's scanner takes a credential's declaration file (.d.ts) for a
		// misnamed credential source; TypeScript users need only the nodes' ones.
		expect(manifest.files).toEqual(['dist', '!dist/credentials/*.d.ts']);
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
		const packed: string[] = JSON.parse(
			execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
				cwd: ROOT,
				encoding: 'utf8',
				stdio: ['ignore', 'pipe', 'ignore'],
			}),
		)[0].files.map((file: { path: string }) => file.path);
		const outside = packed.filter(
			(path: string) =>
				!path.startsWith('dist/') &&
				!['package.json', 'README.md', 'LICENSE', 'index.js'].includes(path),
		);
		expect(outside).toEqual([]);
	});
});
