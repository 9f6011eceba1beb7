import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import type { INodeProperties, INodeTypeDescription } from 'n8n-workflow';

import { Boticord } from '../../nodes/Boticord/Boticord.node';
import { BoticordGatewayTrigger } from '../../nodes/Boticord/BoticordGatewayTrigger.node';
import { BoticordTrigger } from '../../nodes/Boticord/BoticordTrigger.node';
import { Botisimo } from '../../nodes/Botisimo/Botisimo.node';
import { BotisimoTrigger } from '../../nodes/Botisimo/BotisimoTrigger.node';

const EXAMPLES = join(__dirname, '..', '..', 'examples');
const PACKAGE = 'n8n-nodes-boticord-botisimo';

interface ExampleNode {
	name: string;
	type: string;
	typeVersion: number;
	parameters: { events?: string[]; resource?: string; operation?: string };
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
	[`${PACKAGE}.boticordGatewayTrigger`]: new BoticordGatewayTrigger().description,
	[`${PACKAGE}.botisimoTrigger`]: new BotisimoTrigger().description,
};
const ourNodes: Record<string, INodeTypeDescription> = {
	...ourTriggers,
	[`${PACKAGE}.boticord`]: new Boticord().description,
	[`${PACKAGE}.botisimo`]: new Botisimo().description,
};

/** The values a parameter offers, wherever it is shown. */
function offeredValues(description: INodeTypeDescription, name: string): unknown[] {
	return description.properties
		.filter((p: INodeProperties) => p.name === name)
		.flatMap((p) => p.options ?? [])
		.map((option) => ('value' in option ? option.value : undefined));
}

/** The version the editor gives a new node. */
function newNodeVersion(description: INodeTypeDescription): number {
	return description.defaultVersion ?? Math.max(...[description.version].flat());
}

const examples: Array<[string, Example]> = readdirSync(EXAMPLES)
	.filter((file) => file.endsWith('.json'))
	.map((file) => [file, JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8')) as Example]);

/** The nodes another node leads to. */
function reached(example: Example): Record<string, true> {
	const names: Record<string, true> = {};
	for (const outputs of Object.values(example.connections)) {
		for (const target of outputs.main.flat()) names[target.node] = true;
	}
	return names;
}

describe('example workflows', () => {
	it('there are the eight the README lists', () => {
		const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
		expect(examples).toHaveLength(8);
		for (const [file] of examples) expect(readme).toContain(`examples/${file}`);
	});

	describe.each(examples)('%s', (_file, example) => {
		const ours = example.nodes.filter((node) => node.type in ourNodes);
		const triggers = ours.filter((node) => node.type in ourTriggers);

		it("uses this package's nodes at the version a new node gets, with events and operations they offer", () => {
			expect(ours.length).toBeGreaterThan(0);
			expect(triggers.length).toBeLessThanOrEqual(1);
			for (const node of ours) {
				const description = ourNodes[node.type];
				expect(node.typeVersion).toBe(newNodeVersion(description));
				for (const event of node.parameters.events ?? []) {
					expect(offeredValues(description, 'events')).toContain(event);
				}
				if (node.parameters.resource) {
					expect(offeredValues(description, 'resource')).toContain(node.parameters.resource);
					expect(offeredValues(description, 'operation')).toContain(node.parameters.operation);
				}
			}
			for (const trigger of triggers) expect(trigger.parameters.events?.length).toBeGreaterThan(0);
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
			const starts = example.nodes.filter(
				(node) => !(node.name in reached(example)) && node.type !== 'n8n-nodes-base.stickyNote',
			);
			expect(starts).toHaveLength(1);
			expect(starts[0].type).toMatch(/trigger$/i);
			expect(example.nodes.map((node) => node.type)).toContain('n8n-nodes-base.stickyNote');
		});
	});
});
