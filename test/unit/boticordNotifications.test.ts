import { BoticordTrigger } from '../../nodes/Boticord/BoticordTrigger.node';
import { boticordEvents } from '../../nodes/Boticord/boticordEvents';
import {
	BOT_ID,
	BUMP_AT_ISO,
	HAPPENED,
	HAPPENED_ISO,
	SERVER_ID,
	USER,
	bumpPayload,
	notification,
	notificationPayload,
} from '../fixtures/deliveries';
import { deliveryTo, emittedItems } from '../helpers/webhookContext';

/** Boticord's API token: the same value in the header and in webhookSettings.token. */
const TOKEN = 'bc-api-token-7Hq2Lx9Vd4';
/** The value of the owner's custom header, in webhookSettings.headers. */
const CUSTOM_HEADER_VALUE = 'cf-access-secret-5d1e';

const deliver = deliveryTo(new BoticordTrigger(), [TOKEN, CUSTOM_HEADER_VALUE], {
	credentials: { hookKey: TOKEN },
	headers: { 'x-boticord-token': TOKEN, 'x-boticord-affected': BOT_ID },
});

const v3Events = boticordEvents.filter((event) => event.format === 'v3');

/** The webhook settings as an item keeps them: without the token and the custom headers. */
const keptSettings = {
	enabled: true,
	url: 'https://n8n.example.com/webhook/0d4f/webhook',
};

function withSettingsKept(body: ReturnType<typeof notification>) {
	return { ...body, webhookSettings: keptSettings };
}

describe('Boticord Trigger, API v3 notifications: the token', () => {
	it('never takes the token inside the body for the header', async () => {
		const body = notification('up_added', TOKEN);
		const missing = await deliver({ headers: {}, body });
		expect(missing.answer.status).toBe(401);
		const wrong = await deliver({ headers: { 'x-boticord-token': 'guess' }, body });
		expect(wrong.answer.status).toBe(403);
	});

	it('takes the X-Boticord-Token header over X-Hook-Key when a request has both', async () => {
		const { answer } = await deliver({
			headers: { 'x-boticord-token': 'guess', 'x-hook-key': TOKEN },
			body: notification(),
		});
		expect(answer.status).toBe(403);
		expect((answer.body as { message: string }).message).toMatch(/X-Boticord-Token/);
	});
});

describe('Boticord Trigger, API v3 notifications: items', () => {
	it.each(v3Events.map((event) => [event.type, event.action] as const))(
		'emits one item for a selected %s, with action %s',
		async (type, action) => {
			const body = notification(type, TOKEN);
			const { result, answer } = await deliver({ body, events: [type] });
			expect(answer.status).toBeUndefined();
			expect(emittedItems(result)).toEqual([
				{
					...withSettingsKept(body),
					userId: USER,
					at: HAPPENED_ISO,
					resourceId: BOT_ID,
					target: null,
					action,
				},
			]);
		},
	);

	it('leaves the API token and the custom headers out of the item, and nothing else', async () => {
		const body = { ...notification('comment_added', TOKEN), futureField: { a: [1, 2] } };
		const [item] = emittedItems((await deliver({ body })).result);
		expect(item.webhookSettings).toEqual(keptSettings);
		expect(item.futureField).toEqual({ a: [1, 2] });
		expect(item.payload).toEqual(notificationPayload('comment_added'));
		// The request's own copy of the body is untouched.
		expect(body.webhookSettings.token).toBe(TOKEN);
	});

	it('leaves the secrets out of an invalid event emitted with its problem', async () => {
		const body = { ...notification('up_added', TOKEN), payload: { upCount: 'three' } };
		const { result } = await deliver({ body, options: { acceptInvalidPayloads: true } });
		const [item] = emittedItems(result);
		expect(item.validationError).toMatch(/^payload\.upCount: must be a number/);
		expect(item.webhookSettings).toEqual(keptSettings);
		expect(item).not.toHaveProperty('userId');
		expect(item).not.toHaveProperty('action');
	});

	it('emits a notification type this version does not know with All Events, with the fields it has', async () => {
		const body = {
			type: 'test_notification',
			payload: null,
			id: SERVER_ID,
			user: USER,
			happened: HAPPENED,
			webhookSettings: { enabled: true, headers: {}, url: null, token: TOKEN },
		};
		const { result } = await deliver({ body, events: ['*'] });
		expect(emittedItems(result)).toEqual([
			{
				...body,
				webhookSettings: { enabled: true, url: null },
				userId: USER,
				at: HAPPENED_ISO,
				resourceId: SERVER_ID,
				target: null,
				action: null,
			},
		]);
	});

	it('acknowledges an unknown notification type unless All Events is selected', async () => {
		const body = { type: 'test_notification', payload: null };
		const { result, answer } = await deliver({
			body,
			events: v3Events.map((event) => event.type),
		});
		expect(result).toEqual({});
		expect(answer.status).toBeUndefined();
	});

	it('never takes the fields it adds from the body', async () => {
		const forged = {
			userId: 'forged',
			at: 'forged',
			resourceId: 'forged',
			target: 'bot',
			action: 'forged',
			validationError: 'forged',
		};
		const known = { ...notification('comment_removed', TOKEN), ...forged };
		const [item] = emittedItems((await deliver({ body: known })).result);
		expect(item).toMatchObject({
			userId: USER,
			at: HAPPENED_ISO,
			resourceId: BOT_ID,
			target: null,
			action: 'delete',
		});
		expect(item).not.toHaveProperty('validationError');

		const unknown = { type: 'something_new', payload: {}, ...forged };
		const [other] = emittedItems((await deliver({ body: unknown })).result);
		expect(other).toEqual({ type: 'something_new', payload: {}, target: null, action: null });
	});

	it('turns the millisecond timestamp into an ISO 8601 date', async () => {
		const body = { ...notification('up_added', TOKEN), happened: 1_700_000_000_000 };
		const [item] = emittedItems((await deliver({ body })).result);
		expect(item.at).toBe('2023-11-14T22:13:20.000Z');
	});
});

describe('Boticord Trigger, API v3 notifications: bad bodies', () => {
	const valid = notification('comment_edited', TOKEN);

	it.each([
		['happened', { ...valid, happened: 'yesterday' }, /happened: must be a number/],
		['happened', { ...valid, happened: 1e308 }, /happened: is too large to be a date/],
		['happened', { ...valid, happened: -1 }, /happened: must not be before 1970/],
		['happened', { ...valid, happened: undefined }, /happened: is required/],
		['user', { ...valid, user: undefined }, /user: is required/],
		['user', { ...valid, user: 178404926869733376 }, /user: must be a string/],
		['id', { ...valid, id: '' }, /id: must not be empty/],
		['payload', { ...valid, payload: undefined }, /payload: is required/],
		['payload', { ...valid, payload: null }, /payload: must be an object/],
		['payload.content', { ...valid, payload: { rating: 3 } }, /payload\.content: is required/],
		[
			'payload.content',
			{ ...valid, payload: { content: 42, rating: 3 } },
			/payload\.content: must be a string/,
		],
		[
			'payload.rating',
			{ ...valid, payload: { content: 'ok', rating: 'five' } },
			/payload\.rating: must be a number/,
		],
	])('answers 400 naming %s', async (_path, body, message) => {
		const { answer, result } = await deliver({ body });
		expect(answer.status).toBe(400);
		expect(result).toEqual({ noWebhookResponse: true });
		const text = (answer.body as { message: string }).message;
		expect(text).toMatch(message);
		expect(text).toContain('Invalid Boticord "comment_edited" event');
	});

	it('answers 400 naming upCount for an up without a number of ups', async () => {
		const body = { ...notification('up_added', TOKEN), payload: { upCount: '3' } };
		const { answer } = await deliver({ body });
		expect(answer.status).toBe(400);
		expect((answer.body as { message: string }).message).toMatch(
			/payload\.upCount: must be a number/,
		);
	});

	it.each([
		['an object without type', { payload: {} }, /type: is required/],
		['a numeric type', { type: 1 }, /type: must be a string/],
	])('answers 400 to %s', async (_label, body, message) => {
		const { answer } = await deliver({ body });
		expect(answer.status).toBe(400);
		expect((answer.body as { message: string }).message).toMatch(message);
	});

	it('acknowledges an unselected event without checking its fields', async () => {
		const body = { ...notification('up_added', TOKEN), happened: 'yesterday' };
		const { result, answer } = await deliver({ body, events: ['comment_added'] });
		expect(result).toEqual({});
		expect(answer.status).toBeUndefined();
	});
});

describe('Boticord Trigger, API v3 notifications: Bot IDs and Server IDs', () => {
	const options = { botIds: `${BOT_ID}, 111111111111111111`, serverIds: SERVER_ID };

	it('says which listed id is a bot and which a server', async () => {
		const [aboutBot] = emittedItems(
			(await deliver({ body: notification('up_added', TOKEN, BOT_ID), options })).result,
		);
		expect(aboutBot).toMatchObject({ resourceId: BOT_ID, target: 'bot' });
		const [aboutServer] = emittedItems(
			(await deliver({ body: notification('comment_added', TOKEN, SERVER_ID), options })).result,
		);
		expect(aboutServer).toMatchObject({ resourceId: SERVER_ID, target: 'server' });
	});

	it('acknowledges notifications about other ids without starting the workflow', async () => {
		const { result, answer } = await deliver({
			body: notification('up_added', TOKEN, '999999999999999999'),
			options: { botIds: BOT_ID },
		});
		expect(result).toEqual({});
		expect(answer.status).toBeUndefined();
	});

	it('leaves out other ids before checking the fields', async () => {
		const body = { ...notification('up_added', TOKEN, '999999999999999999'), happened: 'x' };
		const { result } = await deliver({ body, options: { serverIds: SERVER_ID } });
		expect(result).toEqual({});
	});

	it('reads lists separated by commas, spaces or new lines', async () => {
		const { result } = await deliver({
			body: notification('up_added', TOKEN, SERVER_ID),
			options: { serverIds: `  123\n${SERVER_ID},,456 ` },
		});
		expect(emittedItems(result)[0]).toMatchObject({ target: 'server' });
	});

	it.each([
		['a list', { serverIds: ['123', ` ${SERVER_ID} `] }, 'server'],
		['a number', { botIds: 42 }, 'bot'],
		['a list with numbers', { botIds: [7, 42] }, 'bot'],
	])(
		'reads ids an expression gave as %s, and never answers 500 for them',
		async (_what, ids, target) => {
			const id = target === 'server' ? SERVER_ID : '42';
			const { result, answer } = await deliver({
				body: notification('up_added', TOKEN, id),
				options: ids,
			});
			expect(answer.status).toBeUndefined();
			expect(emittedItems(result)[0]).toMatchObject({ resourceId: id, target });
		},
	);

	it('never matches a number that cannot be a Discord ID exactly (activation refuses it)', async () => {
		const { result, answer } = await deliver({
			body: notification('up_added', TOKEN, BOT_ID),
			options: { botIds: Number(BOT_ID), serverIds: { not: 'ids' } },
		});
		expect(answer.status).toBeUndefined();
		expect(result).toEqual({});
	});

	it('does not filter a notification that names no bot or server, so its problem is answered', async () => {
		const body = { ...notification('up_added', TOKEN), id: undefined };
		const { answer } = await deliver({ body, options: { botIds: BOT_ID } });
		expect(answer.status).toBe(400);
		expect((answer.body as { message: string }).message).toMatch(/id: is required/);
	});

	it('filters nothing and knows no target when neither list is set', async () => {
		const [item] = emittedItems(
			(await deliver({ body: notification('up_added', TOKEN, SERVER_ID) })).result,
		);
		expect(item.target).toBeNull();
	});
});

describe('Boticord Trigger: both formats reach the same node at every type version', () => {
	const { version } = new BoticordTrigger().description;

	it.each([version].flat())('type version %s', async (typeVersion) => {
		const legacyKey = 'legacy-hook-key-31f0';
		const nodeWithToken = await deliver({
			typeVersion,
			body: notification('up_added', TOKEN),
			events: ['up_added', 'new_bot_bump'],
		});
		expect(emittedItems(nodeWithToken.result)[0]).toMatchObject({ action: 'bump', userId: USER });

		const legacy = await deliver({
			typeVersion,
			credentials: { hookKey: legacyKey },
			headers: { 'x-hook-key': legacyKey },
			body: bumpPayload(),
			events: ['up_added', 'new_bot_bump'],
		});
		expect(emittedItems(legacy.result)).toEqual([
			{ ...bumpPayload(), userId: USER, at: BUMP_AT_ISO, target: 'bot', action: 'bump' },
		]);
	});
});
