// The gateway client's unit tests again, under the Node.js 24 that n8n 2.x runs
// on: `npm test` runs them on Node.js 20, whose platform WebSocket client (the
// one the trigger falls back to where n8n's `ws` cannot be loaded) is an older
// undici than the one n8n 2.x users have.
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const { installNode24, node24Bin, node24Env } = require('../harness/install');

const ROOT = path.resolve(__dirname, '..', '..');

describe("Boticord's gateway client on Node.js 24", () => {
	it('passes its unit tests on both WebSocket clients', () => {
		installNode24();
		const run = spawnSync(
			path.join(node24Bin(), 'node'),
			[
				path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'),
				'test/unit/boticordGateway.test.ts',
				'test/unit/boticordGatewayTrigger.test.ts',
			],
			{ cwd: ROOT, env: node24Env(), encoding: 'utf8', timeout: 280_000 },
		);
		const output = `${run.stdout}\n${run.stderr}`;
		expect({ status: run.status, failures: output.match(/^\s*✕.*$/gm) ?? [] }).toEqual({
			status: 0,
			failures: [],
		});
		expect(output).toMatch(/Tests:\s+\d+ passed, \d+ total/);
	});
});
