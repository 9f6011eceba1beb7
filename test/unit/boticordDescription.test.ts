import type { IDataObject, IHookFunctions, INodePropertyOptions } from 'n8n-workflow';

import { BoticordWebhookApi } from '../../credentials/BoticordWebhookApi.credentials';
import { BoticordTrigger, boticordProvider } from '../../nodes/Boticord/BoticordTrigger.node';
import { boticordEvents } from '../../nodes/Boticord/boticordEvents';
import { BOT_ID, DOCUMENTED_TYPES, SERVER_ID } from '../fixtures/deliveries';
import { credentialTestOf } from '../helpers/webhookContext';

const node = new BoticordTrigger();
const { description } = node;
const property = (name: string) => description.properties.find((p) => p.name === name);
const eventOptions = property('events')?.options as INodePropertyOptions[];

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
			credentials: [
				{ name: 'boticordWebhookApi', required: true, testedBy: 'boticordApiTokenTest' },
			],
		});
		// Written out for n8n's scanner, which wants the name as a literal.
		expect(description.credentials?.[0].name).toBe(boticordProvider.credential.type);
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

	it('offers every event type Boticord documents, in both formats', () => {
		const offered = eventOptions.map((option) => option.value);
		const { boticordNotifications, boticordLegacy, boticordLegacyPublished } = DOCUMENTED_TYPES;
		for (const type of [...boticordNotifications, ...boticordLegacy, ...boticordLegacyPublished]) {
			expect(offered).toContain(type);
		}
	});

	it("offers All Events, then today's notification types, then the legacy webhook types", () => {
		const offered = eventOptions.map((option) => option.value);
		expect(offered).toEqual([
			'*',
			'up_added',
			'comment_added',
			'comment_edited',
			'comment_removed',
			'new_bot_bump',
			'new_server_bump',
			'new_bot_comment',
			'edit_bot_comment',
			'delete_bot_comment',
			'new_server_comment',
			'edit_server_comment',
			'delete_server_comment',
			'test_webhook_message',
		]);
	});

	it('names every legacy webhook type so that a user sees which format it belongs to', () => {
		for (const option of eventOptions) {
			const legacy = boticordEvents.some(
				(event) => event.type === option.value && event.format === 'legacy',
			);
			expect(option.name.endsWith('(Legacy Webhook)')).toBe(legacy);
		}
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

	it('offers Accept Invalid Payloads (off), Bot IDs and Server IDs (empty) as options', () => {
		const options = property('options')?.options ?? [];
		expect(options).toEqual([
			expect.objectContaining({ name: 'acceptInvalidPayloads', type: 'boolean', default: false }),
			expect.objectContaining({ name: 'botIds', type: 'string', default: '' }),
			expect.objectContaining({ name: 'serverIds', type: 'string', default: '' }),
		]);
	});

	const hookContext = (options: IDataObject) =>
		({
			getNode: () => ({ id: 'n', name: 'Boticord Trigger' }),
			getWorkflow: () => ({ id: 'w' }),
			getNodeParameter: (name: string, fallback: unknown) =>
				name === 'options' ? options : fallback,
		}) as unknown as IHookFunctions;

	it('has lifecycle methods that succeed without a registration API, and always has n8n create (check) the webhook', async () => {
		const hooks = node.webhookMethods?.default;
		const context = hookContext({
			botIds: `${BOT_ID}, 974297735559806986`,
			serverIds: [SERVER_ID, 42],
		});
		expect(await hooks?.checkExists.call(context)).toBe(false);
		expect(await hooks?.create.call(context)).toBe(true);
		expect(await hooks?.delete.call(context)).toBe(true);
	});

	it.each([
		[
			{ botIds: Number(BOT_ID) },
			`Bot IDs holds the number ${Number(BOT_ID)}, which cannot be a Discord ID`,
		],
		[
			{ serverIds: [SERVER_ID, Number(SERVER_ID)] },
			`Server IDs holds the number ${Number(SERVER_ID)}`,
		],
		[
			{ serverIds: { id: SERVER_ID } },
			/Server IDs must be IDs separated by commas .*not an object/,
		],
		[{ botIds: [[BOT_ID]] }, /Bot IDs must be IDs separated by commas .*not a nested list/],
		[
			{ botIds: `${BOT_ID}; 974297735559806986` },
			/Bot IDs lists "724663360934772797;", which is not a Discord ID/,
		],
		[
			{ serverIds: ['https://boticord.top/server/1'] },
			/Server IDs lists "https:\/\/boticord\.top\/server\/1", which is not a Discord ID/,
		],
	])(
		'fails the activation, naming the option, when %p cannot be a list of IDs',
		async (options, message) => {
			await expect(node.webhookMethods?.default?.create.call(hookContext(options))).rejects.toThrow(
				message,
			);
		},
	);
});

describe('Boticord credential', () => {
	const credential = new BoticordWebhookApi();

	it('keeps its type and field names, so saved credentials keep working, and hides the token', () => {
		expect(credential.name).toBe('boticordWebhookApi');
		expect(credential.displayName).toBe('Boticord API');
		expect(credential.documentationUrl).toMatch(/^https:\/\//);
		expect(credential.properties).toEqual([
			expect.objectContaining({
				name: 'hookKey',
				displayName: 'API Token',
				type: 'string',
				required: true,
				typeOptions: { password: true },
			}),
			expect.objectContaining({
				name: 'baseUrl',
				type: 'string',
				default: 'https://api.boticord.top/v3',
			}),
		]);
	});

	it('authenticates Boticord API requests with the token in the Authorization header', () => {
		expect(credential.authenticate).toEqual({
			type: 'generic',
			properties: { headers: { Authorization: '={{$credentials.hookKey}}' } },
		});
	});

	it('is tested by the trigger, which checks what can be checked without a request', async () => {
		const test = credentialTestOf(node, 'boticordApiTokenTest', 'boticordWebhookApi');
		const testToken = (hookKey: unknown) => test({ hookKey });
		expect(await testToken('bc-api-token-7Hq2Lx9Vd4')).toMatchObject({ status: 'OK' });
		expect(await testToken('')).toMatchObject({
			status: 'Error',
			message: expect.stringMatching(/empty/),
		});
		expect(await testToken('bc-api-token\n')).toMatchObject({
			status: 'Error',
			message: expect.stringMatching(/spaces or line breaks/),
		});
	});

	it('tells the user where Boticord shows the token, and the legacy hook key', () => {
		const { description: help } = credential.properties[0];
		expect(help).toMatch(/profile settings/);
		expect(help).toMatch(/X-Boticord-Token/);
		expect(help).toMatch(/legacy/);
	});
});
