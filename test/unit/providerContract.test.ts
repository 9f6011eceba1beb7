import type { IDataObject, INodeType } from 'n8n-workflow';

import { BoticordTrigger } from '../../nodes/Boticord/BoticordTrigger.node';
import { BotisimoTrigger } from '../../nodes/Botisimo/BotisimoTrigger.node';
import { BUMP_AT, USER, bumpPayload, envelope, notification } from '../fixtures/deliveries';
import {
	deliveryTo,
	answeredAsAccepted,
	emittedItems,
	fakeWebhookContext,
	type FakeRequest,
} from '../helpers/webhookContext';

/**
 * What every trigger of this package does, whatever its provider: the key
 * before the body, answers that name what is wrong, unselected events
 * acknowledged, and bodies no caller can use to throw, pollute or store
 * what n8n cannot. A new provider (or delivery format) is added here once.
 */
const KEY = 'contract-key-4Hq8Zx2Lm7';

interface ProviderUnderTest {
	name: string;
	node: INodeType;
	credentials: IDataObject;
	/** A request carrying `key` where the provider puts it. */
	withKey(key: unknown): FakeRequest;
	/** Where the key goes, as the answers name it. */
	keyLocation: RegExp;
	/** What a request with no key at all is told to send. */
	missingKeyLocation: RegExp;
	/** A valid event, selected by All Events. */
	validBody(): Record<string, unknown>;
	/** The field that holds the event type. */
	typeField: string;
	/** A field of the event that holds an object. */
	objectField: string;
	/** A valid event the node's Events leave out. */
	unselected: { body: Record<string, unknown>; events: string[] };
	/** Hostile bodies only this provider's fields allow. */
	moreHostileBodies?: () => unknown[];
}

const providers: ProviderUnderTest[] = [
	{
		name: 'Boticord, API v3 notifications',
		node: new BoticordTrigger(),
		credentials: { hookKey: KEY },
		withKey: (key) => ({ headers: { 'x-boticord-token': key as string } }),
		keyLocation: /X-Boticord-Token/,
		missingKeyLocation: /X-Boticord-Token/,
		validBody: () => notification('up_added', KEY),
		typeField: 'type',
		objectField: 'payload',
		unselected: { body: notification('comment_added', KEY), events: ['up_added'] },
	},
	{
		name: 'Boticord, legacy webhooks',
		node: new BoticordTrigger(),
		credentials: { hookKey: KEY },
		withKey: (key) => ({ headers: { 'x-hook-key': key as string } }),
		keyLocation: /X-Hook-Key/,
		// Without either header a request is answered as a notification would be.
		missingKeyLocation: /X-Boticord-Token/,
		validBody: () => bumpPayload(),
		typeField: 'type',
		objectField: 'data',
		unselected: { body: bumpPayload(), events: ['new_server_bump'] },
		moreHostileBodies: () => [
			{ type: 'new_bot_bump', data: { user: 'u'.repeat(100_000), at: Number.MAX_VALUE } },
			{ type: 'new_bot_comment', data: { user: USER, at: BUMP_AT, comment: { vote: 'up' } } },
		],
	},
	{
		name: 'Botisimo',
		node: new BotisimoTrigger(),
		credentials: { secret: KEY },
		withKey: (key) => ({ query: { token: key } }),
		keyLocation: /token query parameter/,
		missingKeyLocation: /token query parameter/,
		validBody: () => envelope('account.updated'),
		typeField: 'eventType',
		objectField: 'data',
		unselected: { body: envelope('poll.created'), events: ['giveaway.*'] },
	},
];

describe.each(providers)('$name', (provider) => {
	const deliver = deliveryTo(provider.node, KEY, {
		credentials: provider.credentials,
		...provider.withKey(KEY),
	});

	describe('the key', () => {
		it('accepts the key from the credential', async () => {
			const { result, answer } = await deliver({ body: provider.validBody() });
			expect(answeredAsAccepted(answer)).toBe(true);
			expect(emittedItems(result)).toHaveLength(1);
		});

		it.each([
			['missing', undefined, 401],
			['empty', '', 401],
			['wrong', 'not-the-key', 403],
			['differently cased', KEY.toUpperCase(), 403],
			['longer', `${KEY}x`, 403],
			['shorter', KEY.slice(0, -1), 403],
			['repeated in one value', `${KEY}, ${KEY}`, 403],
			['repeated as separate values', [KEY, KEY], 403],
		])('refuses a %s key with %i before reading the body', async (label, key, status) => {
			let bodyRead = false;
			const fake = fakeWebhookContext({
				credentials: provider.credentials,
				...(key === undefined ? {} : provider.withKey(key)),
				body: provider.validBody(),
			});
			fake.context.getBodyData = () => {
				bodyRead = true;
				return {};
			};
			const result = await provider.node.webhook!.call(fake.context);
			expect(result).toEqual({ noWebhookResponse: true });
			expect(fake.answer.status).toBe(status);
			const message = JSON.stringify(fake.answer.body);
			expect(message).toMatch(
				label === 'missing' ? provider.missingKeyLocation : provider.keyLocation,
			);
			expect(message).not.toContain(KEY);
			expect(bodyRead).toBe(false);
		});

		it('checks the key before looking at the body, even a broken one', async () => {
			const { answer, result } = await deliver({ ...provider.withKey('guess'), body: 'garbage' });
			expect(answer.status).toBe(403);
			expect(result.workflowData).toBeUndefined();
		});

		it('answers 500, logged once without the key, when the credential cannot be read', async () => {
			const { answer, result, logLines } = await deliver({
				credentials: new Error('Credential with ID "7" does not exist'),
				body: provider.validBody(),
			});
			expect(answer.status).toBe(500);
			expect(result).toEqual({ noWebhookResponse: true });
			expect(logLines).toHaveLength(1);
		});

		it("logs a failure that repeats the caller's key without it", async () => {
			// deliver() checks that the key is in no answer, item or log line.
			const { answer, logLines } = await deliver({
				credentials: new Error(`Credential lookup failed for the key ${KEY}`),
				body: provider.validBody(),
			});
			expect(answer.status).toBe(500);
			expect(JSON.stringify(logLines)).toContain('Credential lookup failed for the key [redacted]');
		});

		it('answers 500 when the credential holds no key, whatever the caller sends', async () => {
			const empty = Object.fromEntries(
				Object.keys(provider.credentials).map((field) => [field, '']),
			);
			const { answer, result } = await deliver({ credentials: empty, body: provider.validBody() });
			expect(answer.status).toBe(500);
			expect(JSON.stringify(answer.body)).toMatch(/credential/);
			expect(result.workflowData).toBeUndefined();
		});
	});

	describe('events', () => {
		it('acknowledges a valid but unselected event without starting the workflow', async () => {
			const { result, answer } = await deliver(provider.unselected);
			expect(result).toEqual({});
			expect(answer.status).toBeUndefined();
		});

		it('emits nothing when no event is selected', async () => {
			const { result } = await deliver({ body: provider.validBody(), events: [] });
			expect(result).toEqual({});
		});

		it.each([
			['an array', () => [provider.validBody()]],
			['a string', () => 'an event'],
			['null', () => null],
			['a number', () => 42],
			['a Buffer', () => Buffer.from('{}')],
		])('answers 400 to %s, which is no JSON object', async (_label, body) => {
			const { answer, result } = await deliver({ body: body() });
			expect(answer.status).toBe(400);
			expect(result).toEqual({ noWebhookResponse: true });
			expect((answer.body as { message: string }).message).toMatch(/JSON object/);
		});
	});

	describe('hostile bodies', () => {
		it('drops __proto__ keys and pollutes no prototype', async () => {
			const valid = provider.validBody();
			const body = JSON.parse(
				JSON.stringify(valid)
					.replace(/^\{/, '{"__proto__":{"isAdmin":true},')
					.replace(
						`"${provider.objectField}":{`,
						`"${provider.objectField}":{"__proto__":{"polluted":true},`,
					)
					.replace(/\}$/, ',"constructor":{"prototype":{"polluted":true}}}'),
			);
			const [item] = emittedItems((await deliver({ body })).result);
			expect(Object.keys(item)).not.toContain('__proto__');
			expect(Object.getPrototypeOf(item)).toBe(Object.prototype);
			expect((item as Record<string, unknown>).isAdmin).toBeUndefined();
			expect(Object.keys(item[provider.objectField] as object)).toEqual(
				Object.keys(valid[provider.objectField] as object),
			);
			expect(({} as Record<string, unknown>).polluted).toBeUndefined();
			expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
			expect(item.constructor).toBeDefined();
		});

		it('never throws and never answers 5xx for anything a caller sends', async () => {
			let deep: unknown = provider.validBody();
			for (let i = 0; i < 5_000; i++) deep = { data: deep };
			let deepArray: unknown = [];
			for (let i = 0; i < 200_000; i++) deepArray = [deepArray];
			const bodies: unknown[] = [
				undefined,
				deep,
				{ ...provider.validBody(), [provider.typeField]: 'new_kind', extra: deepArray },
				{ ...provider.validBody(), extra: deepArray },
				{ ...provider.validBody(), [provider.typeField]: 'x'.repeat(1_000_000) },
				{ ...provider.validBody(), [provider.objectField]: 'u'.repeat(100_000) },
				{ ...provider.validBody(), [provider.objectField]: null },
				{
					...provider.validBody(),
					[provider.typeField]: [provider.validBody()[provider.typeField]],
				},
				Object.create(null),
				...(provider.moreHostileBodies?.() ?? []),
			];
			for (const body of bodies) {
				const { answer } = await deliver({ body });
				expect(answeredAsAccepted(answer) || answer.status === 400).toBe(true);
			}
		});

		it('refuses to emit an event nested deeper than n8n can store', async () => {
			let deep: unknown = 'bottom';
			for (let i = 0; i < 200_000; i++) deep = [deep];
			const { answer, result } = await deliver({ body: { ...provider.validBody(), extra: deep } });
			expect(answer.status).toBe(400);
			expect((answer.body as { message: string }).message).toMatch(/nested more than 64 levels/);
			expect(result.workflowData).toBeUndefined();
		});
	});
});
