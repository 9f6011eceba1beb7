import type { INodePropertyOptions } from 'n8n-workflow';

import { BotisimoWebhookApi } from '../../credentials/BotisimoWebhookApi.credentials';
import { BotisimoTrigger, botisimoProvider } from '../../nodes/Botisimo/BotisimoTrigger.node';
import { botisimoCategories, botisimoEvents } from '../../nodes/Botisimo/botisimoEvents';
import { DOCUMENTED_TYPES } from '../fixtures/deliveries';
import { credentialTestOf } from '../helpers/webhookContext';

const { description } = new BotisimoTrigger();
const property = (name: string) => description.properties.find((p) => p.name === name);
const options = property('events')?.options as INodePropertyOptions[];
const values = options.map((option) => option.value as string);

describe('Botisimo event catalogue', () => {
	it('holds exactly the event types of the Botisimo documentation', () => {
		const documented = DOCUMENTED_TYPES.botisimo;
		expect(documented).toHaveLength(91);
		expect([...botisimoEvents.map((event) => event.type)].sort()).toEqual([...documented].sort());
	});

	it('offers every event type, All Events and one group per category, each once', () => {
		const categories = [...new Set(DOCUMENTED_TYPES.botisimo.map((type) => type.split('.')[0]))];
		expect(values[0]).toBe('*');
		for (const type of DOCUMENTED_TYPES.botisimo) expect(values).toContain(type);
		for (const category of categories) expect(values).toContain(`${category}.*`);
		expect(botisimoCategories.map((c) => c.category).sort()).toEqual(categories.sort());
		expect(new Set(values).size).toBe(values.length);
		expect(values).toHaveLength(1 + categories.length + DOCUMENTED_TYPES.botisimo.length);
	});

	it.each([
		['connection.stream.started.twitch', 'Connection Stream Started (Twitch)'],
		['account.custom_bot.updated.youtube', 'Account Custom Bot Updated (YouTube)'],
		['connection.created.dlive', 'Connection Created (DLive)'],
		['connection.stream.ended.tiktok', 'Connection Stream Ended (TikTok)'],
		['shop_item.purchase.redeemed', 'Shop Item Purchase Redeemed'],
		['giveaway.winner.created', 'Giveaway Winner Created'],
		['stream_report.created', 'Stream Report Created'],
		['connection.*', 'All Connection Events'],
		['shop_item.*', 'All Shop Item Events'],
		['*', 'All Events'],
	])('shows %s as "%s"', (value, name) => {
		expect(options.find((option) => option.value === value)?.name).toBe(name);
	});

	it('names the node panel entries with platforms spelled as users know them', () => {
		const action = (value: string) => options.find((o) => o.value === value)?.action;
		expect(action('connection.stream.started.twitch')).toBe(
			'On connection stream started (Twitch)',
		);
		expect(action('account.custom_bot.updated.youtube')).toBe(
			'On account custom bot updated (YouTube)',
		);
		expect(action('connection.*')).toBe('On all connection events');
		expect(action('*')).toBe('On all events');
	});

	it('describes every option for a no-code user', () => {
		for (const option of options) expect(option.description?.length).toBeGreaterThan(15);
		expect(options.find((o) => o.value === 'connection.created.zoom')?.description).toMatch(
			/on Zoom$/,
		);
	});
});

describe('Botisimo Trigger description', () => {
	it('has the same webhook shape as the Boticord Trigger', () => {
		expect(description).toMatchObject({
			name: 'botisimoTrigger',
			displayName: 'Botisimo Trigger',
			group: ['trigger'],
			// 1.1 is what the editor gives new nodes (see triggerVersions)
			version: [1, 1.1],
			defaultVersion: 1.1,
			inputs: [],
			outputs: ['main'],
			credentials: [{ name: 'botisimoWebhookApi', required: true, testedBy: 'botisimoSecretTest' }],
		});
		// Written out for n8n's scanner, which wants the name as a literal.
		expect(description.credentials?.[0].name).toBe(botisimoProvider.credential.type);
		expect(description.webhooks).toEqual([
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				responseData: 'noData',
				path: 'webhook',
			},
		]);
		expect(property('events')).toMatchObject({ type: 'multiOptions', required: true });
	});

	it('offers the duplicate option, on by default', () => {
		expect(property('options')?.options).toEqual([
			expect.objectContaining({
				name: 'ignoreDuplicateDeliveries',
				type: 'boolean',
				default: true,
			}),
		]);
	});
});

describe('Botisimo Webhook credential', () => {
	const credential = new BotisimoWebhookApi();

	it('holds one required, hidden secret and explains the token in the URL', () => {
		expect(credential.name).toBe('botisimoWebhookApi');
		expect(credential.displayName).toBe('Botisimo Webhook API');
		const fields = credential.properties.filter((p) => p.type !== 'notice');
		expect(fields).toEqual([
			expect.objectContaining({
				name: 'secret',
				type: 'string',
				required: true,
				typeOptions: { password: true },
			}),
		]);
		const notice = credential.properties.find((p) => p.type === 'notice');
		expect(notice?.displayName).toMatch(/\?token=/);
	});
});

describe('testing the Botisimo secret', () => {
	const test = credentialTestOf(new BotisimoTrigger(), 'botisimoSecretTest', 'botisimoWebhookApi');
	const testSecret = (secret: unknown) => test({ secret });

	it('accepts a long secret of letters and digits', async () => {
		expect(await testSecret('Qx7Lm2Vd9Rt4Kp8Wz3Hn')).toMatchObject({ status: 'OK' });
	});

	it.each([
		['empty', '', /empty/],
		['missing', undefined, /empty/],
		['with characters a URL would change', 'Qx7Lm2Vd9Rt4Kp8W&z3', /letters and digits/],
		['with a space', 'Qx7Lm2Vd9Rt4 Kp8Wz3Hn', /letters and digits/],
		['short', 'Qx7Lm2Vd9Rt4Kp8', /at least 16/],
	])('refuses a secret that is %s, saying what to fix', async (_label, secret, message) => {
		const result = await testSecret(secret);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(message);
	});
});
