import { BoticordTrigger } from '../../nodes/Boticord/BoticordTrigger.node';
import { boticordEvents } from '../../nodes/Boticord/boticordEvents';
import {
	BUMP_AT,
	BUMP_AT_ISO,
	USER,
	bumpPayload,
	commentPayload,
	deletedCommentPayload,
	testMessagePayload,
} from '../fixtures/deliveries';
import { deliveryTo, emittedItems } from '../helpers/webhookContext';

const KEY = 'bc-hook-key-3f9a2c';

const legacyEvents = boticordEvents.filter((event) => event.format === 'legacy');

const deliver = deliveryTo(new BoticordTrigger(), KEY, {
	credentials: { hookKey: KEY },
	headers: { 'x-hook-key': KEY },
});

describe('Boticord Trigger, legacy webhooks: the hook key', () => {
	it('answers a request with no key header as a notification would, naming X-Boticord-Token', async () => {
		const { answer, result } = await deliver({ headers: {}, body: bumpPayload() });
		expect(answer.status).toBe(401);
		expect((answer.body as { message: string }).message).toBe(
			'Missing key: send the Boticord key in the X-Boticord-Token header.',
		);
		expect(result.workflowData).toBeUndefined();
	});
});

describe('Boticord Trigger, legacy webhooks: bodies that are not events', () => {
	it.each([
		['an object without type', { data: {} }, /type: is required/],
		['a numeric type', { type: 7, data: {} }, /type: must be a string/],
		['an empty type', { type: '', data: {} }, /type: must not be empty/],
	])('answers 400 to %s', async (_label, body, message) => {
		const { answer, result } = await deliver({ body });
		expect(answer.status).toBe(400);
		expect(result).toEqual({ noWebhookResponse: true });
		expect((answer.body as { message: string }).message).toMatch(message);
	});

	it.each([
		['data.at', { type: 'new_bot_bump', data: { user: USER, at: 'yesterday' } }],
		['data.at', { type: 'new_bot_bump', data: { user: USER, at: 1e308 } }],
		['data.at', { type: 'new_bot_bump', data: { user: USER, at: -5 } }],
		['data.at', { type: 'new_bot_bump', data: { user: USER } }],
		['data.user', { type: 'new_server_bump', data: { at: BUMP_AT } }],
		['data', { type: 'new_bot_bump' }],
		['data', { type: 'new_bot_bump', data: [USER, BUMP_AT] }],
		['bonus.expiresAt', { ...bumpPayload(), bonus: { status: true, expiresAt: 'soon' } }],
		['data.comment', { type: 'new_bot_comment', data: { user: USER, at: BUMP_AT } }],
		[
			'data.comment.vote.new',
			{
				...commentPayload(),
				data: {
					...commentPayload().data,
					comment: { vote: { old: null, new: 5 }, old: null, new: 'x' },
				},
			},
		],
		[
			'data.comment.new',
			{
				...commentPayload(),
				data: {
					...commentPayload().data,
					comment: { vote: { old: null, new: 1 }, old: null, new: 42 },
				},
			},
		],
		[
			'data.reason',
			{ ...deletedCommentPayload(), data: { ...deletedCommentPayload().data, reason: 'bored' } },
		],
		['data', { type: 'test_webhook_message', data: 'hello' }],
	])('answers 400 naming %s when a selected event has the wrong shape', async (path, body) => {
		const { answer, result } = await deliver({ body });
		expect(answer.status).toBe(400);
		expect(result).toEqual({ noWebhookResponse: true });
		const { message } = answer.body as { message: string };
		expect(message).toContain(`${path}:`);
		expect(message).toContain(`"${body.type}"`);
	});

	it('quotes no more than the start of a huge value it refuses', async () => {
		const reason = 'x'.repeat(10 * 1024 * 1024);
		const body = { ...deletedCommentPayload(), data: { ...deletedCommentPayload().data, reason } };
		const { answer } = await deliver({ body });
		expect(answer.status).toBe(400);
		const { message } = answer.body as { message: string };
		expect(message).toMatch(/^Invalid Boticord "delete_bot_comment" event: data\.reason: /);
		expect(message.length).toBeLessThan(500);
	});

	it('emits an invalid selected event with its problem when invalid payloads are accepted', async () => {
		const body = { type: 'new_bot_bump', data: { user: USER, at: 'yesterday' } };
		const { answer, result } = await deliver({ body, options: { acceptInvalidPayloads: true } });
		expect(answer.status).toBeUndefined();
		const [item] = emittedItems(result);
		expect(item).toMatchObject(body);
		expect(item.validationError).toMatch(/^data\.at: must be a number/);
		expect(item).not.toHaveProperty('userId');
	});

	it('still refuses bodies that are not events when invalid payloads are accepted', async () => {
		const { answer } = await deliver({
			body: { data: {} },
			options: { acceptInvalidPayloads: true },
		});
		expect(answer.status).toBe(400);
	});
});

describe('Boticord Trigger, legacy webhooks: event selection', () => {
	it('acknowledges an unknown event type when All Events is not selected', async () => {
		const { result, answer } = await deliver({
			body: { type: 'new_bot_vote', data: { user: USER } },
			events: legacyEvents.map((event) => event.type),
		});
		expect(result).toEqual({});
		expect(answer.status).toBeUndefined();
	});

	it('emits an unknown event type untouched when All Events is selected', async () => {
		const body = {
			type: 'new_bot_vote',
			data: { user: USER, weird: [1, { deep: true }] },
			extra: 'x',
		};
		const { result } = await deliver({ body, events: ['*'] });
		expect(emittedItems(result)).toEqual([body]);
	});
});

describe('Boticord Trigger, legacy webhooks: items', () => {
	const userEvents = legacyEvents.filter((event) => event.kind !== 'test');

	it.each(userEvents.map((event) => [event.type, event] as const))(
		'emits exactly one typed item for a selected %s',
		async (type, event) => {
			const body = event.kind === 'bump' ? bumpPayload(type) : commentPayload(type);
			const { result } = await deliver({ body, events: [type] });
			expect(emittedItems(result)).toEqual([
				{ ...body, userId: USER, at: BUMP_AT_ISO, target: event.target, action: event.action },
			]);
		},
	);

	it('maps each event type to its target and action', () => {
		const pairs = Object.fromEntries(
			boticordEvents.map((e) => [e.type, `${e.target}/${e.action}`]),
		);
		expect(pairs).toEqual({
			up_added: 'null/bump',
			comment_added: 'null/new',
			comment_edited: 'null/edit',
			comment_removed: 'null/delete',
			new_bot_bump: 'bot/bump',
			new_server_bump: 'server/bump',
			new_bot_comment: 'bot/new',
			edit_bot_comment: 'bot/edit',
			delete_bot_comment: 'bot/delete',
			new_server_comment: 'server/new',
			edit_server_comment: 'server/edit',
			delete_server_comment: 'server/delete',
			test_webhook_message: 'null/test',
			ups_missed: 'null/missed',
		});
	});

	it('keeps the bonus of a bump and fields Boticord adds later', async () => {
		const body = {
			...bumpPayload('new_server_bump'),
			bonus: { status: true, expiresAt: BUMP_AT + 3_600_000 },
			id: 'evt-1',
		};
		const { result } = await deliver({ body });
		const [item] = emittedItems(result);
		expect(item).toMatchObject({
			bonus: { status: true, expiresAt: BUMP_AT + 3_600_000 },
			id: 'evt-1',
			target: 'server',
		});
	});

	it('emits a deleted comment with its reason and nullable fields', async () => {
		const body = deletedCommentPayload('delete_server_comment');
		const { result } = await deliver({ body });
		const [item] = emittedItems(result);
		expect(item).toMatchObject({
			data: { reason: 'moderation', comment: { new: null, vote: { new: null } } },
			action: 'delete',
		});
	});

	it('emits the test message with any data', async () => {
		const body = testMessagePayload();
		const { result } = await deliver({ body, events: ['test_webhook_message'] });
		expect(emittedItems(result)).toEqual([{ ...body, target: null, action: 'test' }]);
	});

	it('never takes the fields it adds from the body', async () => {
		const forged = { userId: 'forged', at: 'forged', target: 'forged', action: 'forged' };
		const test = { ...testMessagePayload(), ...forged };
		const [testItem] = emittedItems((await deliver({ body: test })).result);
		expect(testItem).toEqual({ ...testMessagePayload(), target: null, action: 'test' });

		const unknown = { type: 'new_bot_vote', data: { user: USER }, ...forged, validationError: 'x' };
		const [unknownItem] = emittedItems((await deliver({ body: unknown })).result);
		expect(unknownItem).toEqual({ type: 'new_bot_vote', data: { user: USER } });
	});

	it('turns the millisecond timestamp into an ISO 8601 date', async () => {
		const body = { type: 'new_bot_bump', data: { user: USER, at: 1_700_000_000_000 } };
		const { result } = await deliver({ body });
		expect(emittedItems(result)[0].at).toBe('2023-11-14T22:13:20.000Z');
	});
});
