import type { IDataObject, IHookFunctions } from 'n8n-workflow';

import { BotisimoTrigger } from '../../nodes/Botisimo/BotisimoTrigger.node';
import { botisimoEvents } from '../../nodes/Botisimo/botisimoEvents';
import { BOTISIMO_PLATFORMS, TIMESTAMP, TIMESTAMP_ISO, envelope } from '../fixtures/deliveries';
import { deliveryTo, emittedItems } from '../helpers/webhookContext';

const SECRET = 'bts7Q2mXc9Lr4Vw8';

const deliver = deliveryTo(new BotisimoTrigger(), SECRET, {
	credentials: { secret: SECRET },
	query: { token: SECRET },
});

let workflowCounter = 0;
/** Each test gets its own workflow, so remembered message ids never leak between tests. */
const freshWorkflow = () => `workflow-${++workflowCounter}`;

describe('Botisimo Trigger: the token', () => {
	it.each([
		['repeated with a wrong copy', { token: [SECRET, 'guess'] }, 403],
		// n8n's query parser makes these objects: present, but not one usable value.
		['not a string', { token: { nested: SECRET } }, 403],
		['indexed (token[21]=…)', { token: { 21: SECRET } }, 403],
		['given in a list of one that is not text', { token: [{ a: SECRET }] }, 403],
	])('refuses a %s token with %i and starts nothing', async (_label, query, status) => {
		const { answer, result } = await deliver({ query, body: envelope() });
		expect(result).toEqual({ noWebhookResponse: true });
		expect(answer.status).toBe(status);
		expect((answer.body as { message: string }).message).toMatch(/token query parameter/);
	});

	it('does not take the token from a header', async () => {
		const { answer } = await deliver({ query: {}, headers: { token: SECRET }, body: envelope() });
		expect(answer.status).toBe(401);
	});
});

describe('Botisimo Trigger: the envelope', () => {
	const valid = envelope();
	it.each([
		['messageId', { ...valid, messageId: undefined }, /messageId: is required/],
		['messageId', { ...valid, messageId: 42 }, /messageId: must be a string/],
		['messageId', { ...valid, messageId: '' }, /messageId: must not be empty/],
		['timestamp', { ...valid, timestamp: undefined }, /timestamp: is required/],
		['timestamp', { ...valid, timestamp: '1674489999154' }, /timestamp: must be a number/],
		['timestamp', { ...valid, timestamp: 1e308 }, /timestamp: is too large/],
		['eventType', { ...valid, eventType: undefined }, /eventType: is required/],
		['eventType', { ...valid, eventType: ['account.updated'] }, /eventType: must be a string/],
		['data', { ...valid, data: undefined }, /data: is required/],
		['data', { ...valid, data: [1, 2] }, /data: must be an object/],
		['data', { ...valid, data: null }, /data: must be an object/],
		['data', { ...valid, data: 'x' }, /data: must be an object/],
	])('answers 400 naming %s', async (_field, body, message) => {
		const { answer, result } = await deliver({ body });
		expect(answer.status).toBe(400);
		expect(result).toEqual({ noWebhookResponse: true });
		expect((answer.body as { message: string }).message).toMatch(message);
	});

	it('names every failing field at once', async () => {
		const { answer } = await deliver({ body: { eventType: 'account.updated' } });
		const { message } = answer.body as { message: string };
		expect(message).toMatch(/messageId: /);
		expect(message).toMatch(/timestamp: /);
		expect(message).toMatch(/data: /);
	});
});

describe('Botisimo Trigger: items', () => {
	it('emits the envelope as sent plus at, category, action and platform', async () => {
		const body = envelope('connection.stream.started.twitch', { channel: 'alice', viewers: 3 });
		const { result } = await deliver({ body, events: ['connection.stream.started.twitch'] });
		expect(emittedItems(result)).toEqual([
			{
				...body,
				at: TIMESTAMP_ISO,
				category: 'connection',
				action: 'started',
				platform: 'twitch',
			},
		]);
	});

	it('has no platform field when the type ends in no platform', async () => {
		const body = envelope('shop_item.purchase.refunded');
		const { result } = await deliver({ body });
		const [item] = emittedItems(result);
		expect(item).toEqual({ ...body, at: TIMESTAMP_ISO, category: 'shop_item', action: 'refunded' });
		expect(item).not.toHaveProperty('platform');
	});

	it.each(botisimoEvents.map((event) => [event.type]))(
		'emits %s with its verb and platform',
		async (type) => {
			const { result } = await deliver({
				body: envelope(type),
				events: [type],
				workflowId: freshWorkflow(),
			});
			const [item] = emittedItems(result);
			expect([
				'created',
				'updated',
				'deleted',
				'started',
				'ended',
				'redeemed',
				'refunded',
			]).toContain(item.action);
			expect(item.category).toBe(type.split('.')[0]);
			const last = type.split('.').pop() as string;
			if (BOTISIMO_PLATFORMS.includes(last)) expect(item.platform).toBe(last);
			else expect(item).not.toHaveProperty('platform');
			expect(item.at).toBe(TIMESTAMP_ISO);
		},
	);

	it('never takes the fields it adds from the body', async () => {
		const forged = { at: 'forged', category: 'forged', action: 'forged', platform: 'twitch' };
		const body = { ...envelope('account.updated'), ...forged };
		const [item] = emittedItems((await deliver({ body })).result);
		expect(item).toMatchObject({ at: TIMESTAMP_ISO, category: 'account', action: 'updated' });
		expect(item).not.toHaveProperty('platform');
	});

	it('keeps fields of data it does not know and drops __proto__ keys', async () => {
		const body = JSON.parse(
			`{"messageId":"m-proto","timestamp":${TIMESTAMP},"eventType":"poll.updated","data":{"a":{"b":[1,{"c":null}]},"__proto__":{"polluted":true}}}`,
		);
		const { result } = await deliver({ body });
		const [item] = emittedItems(result);
		expect(item.data).toEqual({ a: { b: [1, { c: null }] } });
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});
});

describe('Botisimo Trigger: event selection', () => {
	it('matches an exact type only, not its platform variants', async () => {
		const events = ['connection.stream.started'];
		expect(
			emittedItems((await deliver({ body: envelope('connection.stream.started'), events })).result),
		).toHaveLength(1);
		expect(
			(await deliver({ body: envelope('connection.stream.started.twitch'), events })).result,
		).toEqual({});
	});

	it('matches every type of a category through its group, including new ones', async () => {
		const events = ['connection.*'];
		for (const type of [
			'connection.created',
			'connection.stream.ended.tiktok',
			'connection.raid.started.kick',
		]) {
			const { result } = await deliver({ body: envelope(type), events });
			expect(emittedItems(result)).toHaveLength(1);
		}
		expect((await deliver({ body: envelope('account.updated'), events })).result).toEqual({});
	});

	it('emits an unknown type with All Events and derives its fields', async () => {
		const body = envelope('clip.created.kick');
		const { result } = await deliver({ body, events: ['*'] });
		expect(emittedItems(result)).toEqual([
			{ ...body, at: TIMESTAMP_ISO, category: 'clip', action: 'kick' },
		]);
	});

	it('acknowledges an unknown type when neither All Events nor its group is selected', async () => {
		const { result } = await deliver({
			body: envelope('clip.created'),
			events: ['account.*', 'poll.created'],
		});
		expect(result).toEqual({});
	});
});

describe('Botisimo Trigger: duplicate deliveries', () => {
	it('runs once for a retried message', async () => {
		const workflowId = freshWorkflow();
		const body = envelope('giveaway.winner.created');
		const first = await deliver({ body, workflowId });
		const retry = await deliver({ body: { ...body }, workflowId });
		expect(emittedItems(first.result)).toHaveLength(1);
		expect(retry.result).toEqual({});
		expect(retry.answer.status).toBeUndefined();
	});

	it('answers an accepted message itself (an empty 200), so that n8n saves the static data before the run', async () => {
		const { result, answer } = await deliver({ body: envelope(), workflowId: freshWorkflow() });
		expect(answer).toEqual({ status: 200 });
		expect(result.noWebhookResponse).toBe(true);
		expect(emittedItems(result)).toHaveLength(1);
	});

	it('runs once for a message retried after n8n restarts, is updated or another process takes it', async () => {
		const workflowId = freshWorkflow();
		const body = envelope('shop_item.purchase.redeemed');
		const staticData = {};
		expect(emittedItems((await deliver({ body, workflowId, staticData })).result)).toHaveLength(1);
		const saved = JSON.parse(JSON.stringify(staticData));
		// a fresh copy of the package: nothing in memory, the static data as n8n saved it
		let restarted: typeof import('../../nodes/Botisimo/BotisimoTrigger.node') | undefined;
		jest.isolateModules(() => {
			restarted = jest.requireActual<typeof import('../../nodes/Botisimo/BotisimoTrigger.node')>(
				'../../nodes/Botisimo/BotisimoTrigger.node',
			);
		});
		const deliverAfterRestart = deliveryTo(new restarted!.BotisimoTrigger(), SECRET, {
			credentials: { secret: SECRET },
			query: { token: SECRET },
		});
		const retry = await deliverAfterRestart({ body, workflowId, staticData: saved });
		expect(retry.result).toEqual({});
		const another = await deliverAfterRestart({
			body: { ...body, messageId: 'another' },
			workflowId,
			staticData: saved,
		});
		expect(emittedItems(another.result)).toHaveLength(1);
	});

	it('keeps only fingerprints and times in the static data, never the id, the body or the token', async () => {
		const staticData: IDataObject = {};
		const body = envelope('account.updated', { name: 'alice' });
		await deliver({ body, workflowId: freshWorkflow(), staticData });
		expect(Object.keys(staticData)).toEqual(['acceptedDeliveries']);
		const saved = JSON.stringify(staticData);
		for (const kept of [body.messageId, 'alice', SECRET]) expect(saved).not.toContain(kept);
	});

	it('leaves the static data alone for refused, unselected and test deliveries, and with the option off', async () => {
		const staticData = {};
		const workflowId = freshWorkflow();
		const body = envelope('poll.created');
		await deliver({ body, workflowId, staticData, query: { token: 'guess' } });
		await deliver({ body: { ...body, eventType: 7 }, workflowId, staticData });
		await deliver({ body, workflowId, staticData, events: ['account.*'] });
		const test = await deliver({ body, workflowId, staticData, mode: 'manual' });
		const off = await deliver({
			body,
			workflowId,
			staticData,
			options: { ignoreDuplicateDeliveries: false },
		});
		expect(staticData).toEqual({});
		// what n8n answers for them is n8n's own
		for (const { result, answer } of [test, off]) {
			expect(result.noWebhookResponse).toBeUndefined();
			expect(answer).toEqual({});
		}
	});

	it('keeps the ids of each workflow apart', async () => {
		const body = envelope();
		expect(
			emittedItems((await deliver({ body, workflowId: freshWorkflow() })).result),
		).toHaveLength(1);
		expect(
			emittedItems((await deliver({ body, workflowId: freshWorkflow() })).result),
		).toHaveLength(1);
	});

	it('runs every time when the option is turned off', async () => {
		const workflowId = freshWorkflow();
		const body = envelope();
		const options = { ignoreDuplicateDeliveries: false };
		expect(emittedItems((await deliver({ body, workflowId, options })).result)).toHaveLength(1);
		expect(emittedItems((await deliver({ body, workflowId, options })).result)).toHaveLength(1);
	});

	it('runs every time on the test URL, so one sample can be sent again', async () => {
		const workflowId = freshWorkflow();
		const body = envelope();
		expect(emittedItems((await deliver({ body, workflowId, mode: 'manual' })).result)).toHaveLength(
			1,
		);
		expect(emittedItems((await deliver({ body, workflowId, mode: 'manual' })).result)).toHaveLength(
			1,
		);
	});

	it('does not remember refused or unselected deliveries', async () => {
		const workflowId = freshWorkflow();
		const body = envelope('poll.created');
		await deliver({ body, workflowId, query: { token: 'guess' } });
		await deliver({ body, workflowId, events: ['account.*'] });
		let deep: unknown = 'bottom';
		for (let i = 0; i < 100; i++) deep = { deeper: deep };
		const tooDeep = await deliver({ body: { ...body, data: { deep } }, workflowId });
		expect(tooDeep.answer.status).toBe(400);
		expect(emittedItems((await deliver({ body, workflowId })).result)).toHaveLength(1);
	});

	it('keeps the ids when n8n removes the webhook, as it does when a test listen ends', async () => {
		const workflowId = freshWorkflow();
		const body = envelope();
		await deliver({ body, workflowId });
		const hooks = new BotisimoTrigger().webhookMethods.default;
		const hookContext = {
			getNode: () => ({ id: 'Trigger-id', name: 'Trigger' }),
			getWorkflow: () => ({ id: workflowId }),
		} as unknown as IHookFunctions;
		expect(await hooks?.delete.call(hookContext)).toBe(true);
		const retry = await deliver({ body, workflowId });
		expect(retry.result).toEqual({});
	});

	it('runs once for a retried message whatever the length of its id', async () => {
		const workflowId = freshWorkflow();
		const longId = 'm'.repeat(1024 * 1024);
		const body = { ...envelope(), messageId: longId };
		for (let i = 0; i < 50; i++) {
			const { result } = await deliver({
				body: { ...body, messageId: `${i}${longId}` },
				workflowId,
			});
			expect(emittedItems(result)).toHaveLength(1);
		}
		expect(
			(await deliver({ body: { ...body, messageId: `7${longId}` }, workflowId })).result,
		).toEqual({});
	});
});
