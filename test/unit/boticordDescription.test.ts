import type { IHookFunctions, INodePropertyOptions } from 'n8n-workflow';

import { BoticordWebhookApi } from '../../credentials/BoticordWebhookApi.credentials';
import { BoticordTrigger } from '../../nodes/Boticord/BoticordTrigger.node';
import { seedContaining } from '../fixtures/seeds';

const node = new BoticordTrigger();
const { description } = node;
const property = (name: string) => description.properties.find((p) => p.name === name);
const eventOptions = property('events')?.options as INodePropertyOptions[];

/** Event names from the table in Boticord's webhook documentation. */
function seedEventTypes(): string[] {
	const seed = seedContaining('Boticord Events');
	return [...seed.matchAll(/^\|\s*([a-z_]+)\s*\|/gm)].map((match) => match[1]);
}

describe('Boticord Trigger description', () => {
	it('is a trigger with no inputs, one output and the Boticord credential', () => {
		expect(description).toMatchObject({
			name: 'boticordTrigger',
			displayName: 'Boticord Trigger',
			group: ['trigger'],
			// 1.1 is what the editor gives new nodes (see triggerVersions)
			version: [1, 1.1],
			defaultVersion: 1.1,
			inputs: [],
			outputs: ['main'],
			credentials: [{ name: 'boticordWebhookApi', required: true }],
		});
	});

	it('listens with one POST webhook answered on receipt', () => {
		expect(description.webhooks).toEqual([
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				responseData: 'noData',
				path: 'webhook',
			},
		]);
	});

	it('offers every event type of the Boticord documentation', () => {
		const documented = seedEventTypes();
		expect(documented).toHaveLength(7);
		const offered = eventOptions.map((option) => option.value);
		for (const type of documented) expect(offered).toContain(type);
	});

	it('offers All Events first, then the two bumps and the test message beside the seed events', () => {
		const offered = eventOptions.map((option) => option.value);
		expect(offered[0]).toBe('*');
		expect(offered).toEqual(
			expect.arrayContaining(['new_bot_bump', 'new_server_bump', 'test_webhook_message']),
		);
		expect(new Set(offered).size).toBe(offered.length);
		expect(offered).toHaveLength(10);
	});

	it('describes every event option for a no-code user', () => {
		for (const option of eventOptions) {
			expect(option.name).toMatch(/^[A-Z]/);
			expect(option.description?.length).toBeGreaterThan(20);
		}
	});

	it('makes Events a required multi-select', () => {
		expect(property('events')).toMatchObject({ type: 'multiOptions', required: true });
	});

	it('offers the Accept Invalid Payloads option, off by default', () => {
		const options = property('options')?.options ?? [];
		expect(options).toEqual([
			expect.objectContaining({ name: 'acceptInvalidPayloads', type: 'boolean', default: false }),
		]);
	});

	it('has lifecycle methods that succeed without a registration API', async () => {
		const hooks = node.webhookMethods?.default;
		const context = {
			getNode: () => ({ id: 'n', name: 'Boticord Trigger' }),
			getWorkflow: () => ({ id: 'w' }),
		} as unknown as IHookFunctions;
		expect(await hooks?.checkExists.call(context)).toBe(true);
		expect(await hooks?.create.call(context)).toBe(true);
		expect(await hooks?.delete.call(context)).toBe(true);
	});
});

describe('Boticord Webhook credential', () => {
	const credential = new BoticordWebhookApi();

	it('holds one required, hidden hook key', () => {
		expect(credential.name).toBe('boticordWebhookApi');
		expect(credential.displayName).toBe('Boticord Webhook');
		expect(credential.documentationUrl).toMatch(/^https:\/\//);
		expect(credential.properties).toEqual([
			expect.objectContaining({
				name: 'hookKey',
				type: 'string',
				required: true,
				typeOptions: { password: true },
			}),
		]);
	});

	it('tells the user where Boticord shows the key', () => {
		expect(credential.properties[0].description).toMatch(/bot or server edit page/);
	});
});
