import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import type { INodeProperties, INodeTypeDescription } from 'n8n-workflow';

import { BoticordTrigger } from '../../nodes/Boticord/BoticordTrigger.node';
import { BotisimoTrigger } from '../../nodes/Botisimo/BotisimoTrigger.node';

const EXAMPLES = join(__dirname, '..', '..', 'examples');
const PACKAGE = 'n8n-nodes-boticord-botisimo';

interface ExampleNode {
	name: string;
	type: string;
	typeVersion: number;
	parameters: { events?: string[] };
	credentials?: unknown;
	webhookId?: string;
}

interface Example {
	name: string;
	nodes: ExampleNode[];
	connections: Record<string, { main: Array<Array<{ node: string }>> }>;
}

const ourTriggers: Record<string, INodeTypeDescription> = {
	[`${PACKAGE}.boticordTrigger`]: new BoticordTrigger().description,
	[`${PACKAGE}.botisimoTrigger`]: new BotisimoTrigger().description,
};

function eventValues(description: INodeTypeDescription): unknown[] {
	const events = description.properties.find((p: INodeProperties) => p.name === 'events');
	return (events?.options ?? []).map((option) => ('value' in option ? option.value : undefined));
}

const examples: Array<[string, Example]> = readdirSync(EXAMPLES)
	.filter((file) => file.endsWith('.json'))
	.map((file) => [file, JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8')) as Example]);

describe('example workflows', () => {
	it('there are the four the README lists', () => {
		const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
		expect(examples).toHaveLength(4);
		for (const [file] of examples) expect(readme).toContain(`examples/${file}`);
	});

	describe.each(examples)('%s', (_file, example) => {
		const triggers = example.nodes.filter((node) => node.type in ourTriggers);

		it('starts from exactly one of our triggers, at the version a new node gets, with events it offers', () => {
			expect(triggers).toHaveLength(1);
			const [trigger] = triggers;
			const description = ourTriggers[trigger.type];
			expect(trigger.typeVersion).toBe(description.defaultVersion);
			expect(trigger.parameters.events?.length).toBeGreaterThan(0);
			const offered = eventValues(description);
			for (const event of trigger.parameters.events ?? []) expect(offered).toContain(event);
		});

		it('carries no credentials and no webhook id, so every import gets its own', () => {
			for (const node of example.nodes) {
				expect(node.credentials).toBeUndefined();
				expect(node.webhookId).toBeUndefined();
			}
		});

		it('connects only nodes it has, and explains its setup in a sticky note', () => {
			const names = new Set(example.nodes.map((node) => node.name));
			expect(names.size).toBe(example.nodes.length);
			for (const [from, outputs] of Object.entries(example.connections)) {
				expect(names).toContain(from);
				for (const target of outputs.main.flat()) expect(names).toContain(target.node);
			}
			expect(Object.keys(example.connections)).toContain(triggers[0].name);
			expect(example.nodes.map((node) => node.type)).toContain('n8n-nodes-base.stickyNote');
		});
	});
});
