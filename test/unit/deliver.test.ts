import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import { boticordEvents } from '../../nodes/Boticord/boticordEvents';
import { botisimoEvents } from '../../nodes/Botisimo/botisimoEvents';
import { helpText, providersOf } from '../../scripts/deliver';
import { chooseRunning } from '../harness/devInstance';
import { VERSIONS } from '../harness/install';

describe('npm run deliver --help', () => {
	const help: string = helpText(providersOf({ boticordEvents, botisimoEvents }));
	/** The help's lines from a provider's heading to the next one's. */
	const section = (provider: string) =>
		help.split(/\n(?= {2}\w+: )|\nOptions:/).find((part) => part.startsWith(`  ${provider}: `)) ??
		'';
	/** The event types listed in a provider's section: its lines indented by six spaces. */
	const listed = (provider: string) =>
		section(provider)
			.split('\n')
			.filter((line) => line.startsWith('      '))
			.flatMap((line) => line.trim().split(/, ?/))
			.filter(Boolean);

	it('lists every event type of each catalogue under the provider that accepts it', () => {
		// The gateway trigger makes `format: 'gateway'` types itself: Boticord sends none.
		const sent = boticordEvents.filter((event) => event.format !== 'gateway');
		expect(listed('boticord').sort()).toEqual(sent.map((event) => event.type).sort());
		expect(listed('botisimo')).toEqual(botisimoEvents.map((event) => event.type));
		expect(listed('gateway')).toEqual(
			boticordEvents.filter((event) => event.format === 'v3').map((event) => event.type),
		);
	});

	it('names every flag and the n8n versions --n8n picks from, with examples', () => {
		for (const flag of ['--count N', '--invalid', '--n8n <version>', '-h, --help']) {
			expect(help).toMatch(new RegExp(`^ {2}${flag.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `, 'm'));
		}
		expect(help).toContain(VERSIONS.join(' or '));
		expect(help).toMatch(/^Examples:\n( {2}npm run deliver -- \w+ [\w.]+.*\n){4}/m);
	});
});

describe('which n8n npm run deliver sends to', () => {
	let root: string;
	const previous = process.env.N8N_DEV_FOLDER;

	/** A folder as npm start leaves it: its state, and its lock while it runs. */
	function started(version: string, { pid = process.pid } = {}) {
		const folder = join(root, version);
		mkdirSync(folder, { recursive: true });
		writeFileSync(join(folder, 'state.json'), JSON.stringify({ apiKey: `key-${version}` }));
		writeFileSync(
			join(folder, 'running.json'),
			JSON.stringify({ pid, version, port: 5678, baseUrl: 'http://127.0.0.1:5678' }),
		);
	}

	beforeEach(() => {
		root = mkdtempSync(join(tmpdir(), 'deliver-test-'));
		process.env.N8N_DEV_FOLDER = root;
	});
	afterEach(() => {
		rmSync(root, { recursive: true, force: true });
		if (previous === undefined) delete process.env.N8N_DEV_FOLDER;
		else process.env.N8N_DEV_FOLDER = previous;
	});

	it('is the one npm start runs, whatever its version', () => {
		started('1.123.81');
		started('2.41.1', { pid: 2 ** 22 + 1 }); // stopped without releasing: its process is gone
		expect(chooseRunning(undefined)).toMatchObject({
			version: '1.123.81',
			state: { apiKey: 'key-1.123.81' },
		});
	});

	it('says that n8n must be started first when none runs', () => {
		expect(chooseRunning(undefined)).toEqual({
			problem: 'No n8n is running for this folder: start it first, with npm start.',
		});
		expect(chooseRunning('1.123.81')).toEqual({
			problem:
				'No n8n 1.123.81 is running for this folder: start it first, with npm start -- --n8n 1.123.81.',
		});
	});

	it('asks for --n8n when two run at once, and takes the one it names', () => {
		started('1.123.81');
		started('2.41.1');
		expect(chooseRunning(undefined)).toEqual({
			problem:
				'npm start runs n8n 1.123.81 and 2.41.1 for this folder at once: pick one with --n8n 1.123.81 or --n8n 2.41.1.',
		});
		expect(chooseRunning('2.41.1')).toMatchObject({ version: '2.41.1' });
		expect(chooseRunning('1.123.81')).toMatchObject({ version: '1.123.81' });
	});

	it('says which one runs when --n8n names another', () => {
		started('1.123.81');
		expect(chooseRunning('2.41.1')).toEqual({
			problem: 'n8n 2.41.1 is not running for this folder, n8n 1.123.81 is: leave out --n8n.',
		});
	});
});
