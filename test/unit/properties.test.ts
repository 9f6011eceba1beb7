import fc from 'fast-check';
import type { INodeType } from 'n8n-workflow';

import { BoticordTrigger } from '../../nodes/Boticord/BoticordTrigger.node';
import { boticordEvents } from '../../nodes/Boticord/boticordEvents';
import { BotisimoTrigger } from '../../nodes/Botisimo/BotisimoTrigger.node';
import { botisimoEvents } from '../../nodes/Botisimo/botisimoEvents';
import {
	answeredAsAccepted,
	emittedItems,
	fakeWebhookContext,
	withOwnProtoKey,
	type FakeRequest,
} from '../helpers/webhookContext';

const KEY = 'prop-key-Zq81xW0pLm3v';

/** What a request may carry where the key belongs: nothing, junk, arrays, near misses, the key. */
const presentedKey = fc.oneof(
	fc.constant(undefined),
	fc.string(),
	fc.array(fc.string(), { maxLength: 3 }),
	fc.constantFrom(KEY, `${KEY}x`, KEY.toUpperCase(), KEY.slice(1), `${KEY}, ${KEY}`, [KEY, KEY]),
);

const hostileKeys = fc.constantFrom(
	'__proto__',
	'constructor',
	'prototype',
	'toString',
	'type',
	'data',
);

/** Strings far beyond any real field, up to n8n's default 16 MB body limit's order of magnitude. */
const hugeString = fc
	.tuple(fc.integer({ min: 100_000, max: 400_000 }), fc.constantFrom('x', 'ü', '😀', '\u0000'))
	.map(([length, unit]) => unit.repeat(length));

/** Values n8n's body parsers and anything else could hand to webhook(). */
const anyValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
	value: fc.oneof(
		{ depthSize: 'small', withCrossShrink: true },
		fc.jsonValue(),
		fc.double(),
		fc.constantFrom(1e308, -1e308, Number.MAX_SAFE_INTEGER * 1e6, NaN, Infinity, -0),
		fc.string({ maxLength: 2000 }),
		hugeString,
		fc.array(tie('value'), { maxLength: 4 }),
		fc.dictionary(fc.oneof(hostileKeys, fc.string()), tie('value'), { maxKeys: 5 }),
	),
})).value;

/** A body as JSON.parse makes it, `__proto__` keys included as own properties. */
const parsedBody = fc.oneof(
	anyValue,
	fc.json().map((text) => JSON.parse(text) as unknown),
	fc
		.tuple(fc.jsonValue(), fc.jsonValue())
		.map(([a, b]) => JSON.parse(`{"__proto__":${JSON.stringify(a)},"type":${JSON.stringify(b)}}`)),
);

/** Other headers a request may carry: lower-case names, as Node.js hands them to n8n. */
const otherHeaders = fc.dictionary(
	fc.string({ minLength: 1, maxLength: 30 }).map((name) => name.toLowerCase()),
	fc.oneof(fc.string(), fc.array(fc.string(), { maxLength: 3 }), hugeString),
	{ maxKeys: 6 },
);

/** Other query parameters, parsed as n8n's query parser may give them (nested, repeated). */
const otherQuery = fc.dictionary(fc.oneof(hostileKeys, fc.string()), anyValue, { maxKeys: 6 });

interface Noise {
	headers: Record<string, string | string[]>;
	query: Record<string, unknown>;
}

interface TriggerUnderTest {
	name: string;
	node: INodeType;
	/** Top-level fields the provider leaves free-form (not checked) in a selected event. */
	freeFormFields: string[];
	/** A valid body as its item carries it (secrets left out). */
	asEmitted: (body: Record<string, unknown>) => Record<string, unknown>;
	/** A request with `key` where the provider puts it, among other headers and parameters. */
	request: (key: unknown, body: unknown, noise?: Noise) => FakeRequest;
	validEvent: fc.Arbitrary<{ body: Record<string, unknown>; type: string }>;
	/** Valid events whose `data` the provider leaves free-form. */
	freeFormEvent: fc.Arbitrary<{ body: Record<string, unknown>; type: string }>;
}

const userId = fc.stringMatching(/^[0-9]{17,19}$/);
const epochMs = fc.integer({ min: 0, max: 4_102_444_800_000 });
const vote = fc.constantFrom(-1, 1, null);
const text = fc.option(fc.string({ maxLength: 200 }), { nil: null });

const legacyEvents = boticordEvents.filter((event) => event.format === 'legacy');
const v3Events = boticordEvents.filter((event) => event.format === 'v3');

const boticordLegacyValidEvent = fc
	.tuple(fc.constantFrom(...legacyEvents), userId, epochMs, vote, vote, text, text)
	.map(([event, user, at, oldVote, newVote, oldText, newText]) => {
		const data =
			event.kind === 'bump'
				? { user, at }
				: event.kind === 'comment'
					? {
							user,
							at,
							comment: { vote: { old: oldVote, new: newVote }, old: oldText, new: newText },
						}
					: { hello: true, world: true };
		return { body: { type: event.type, data } as Record<string, unknown>, type: event.type };
	});

/** Webhook settings as Boticord sends them: the token (here the node's key) and custom headers. */
const webhookSettings = fc.record({
	enabled: fc.boolean(),
	headers: fc.dictionary(fc.string({ minLength: 1, maxLength: 20 }), fc.string()),
	url: fc.option(fc.webUrl(), { nil: null }),
	token: fc.constant(KEY),
});

const boticordNotification = fc
	.tuple(
		fc.constantFrom(...v3Events),
		userId,
		userId,
		epochMs,
		fc.integer({ min: 0, max: 1_000_000 }),
		fc.string({ maxLength: 500 }),
		fc.integer({ min: 1, max: 5 }),
		webhookSettings,
	)
	.map(([event, id, user, happened, upCount, content, rating, settings]) => ({
		body: {
			type: event.type,
			payload: event.kind === 'up' ? { upCount } : { content, rating },
			id,
			user,
			happened,
			webhookSettings: settings,
		} as Record<string, unknown>,
		type: event.type,
	}));

/** A notification as its item carries it: without the token and the custom headers. */
function withoutNotificationSecrets(body: Record<string, unknown>): Record<string, unknown> {
	const settings = body.webhookSettings;
	if (settings === null || typeof settings !== 'object' || Array.isArray(settings)) return body;
	const kept = Object.fromEntries(
		Object.entries(settings).filter(([key]) => key !== 'token' && key !== 'headers'),
	);
	return { ...body, webhookSettings: kept };
}

const botisimoValidEvent = fc
	.tuple(
		fc.constantFrom(...botisimoEvents),
		fc.uuid(),
		epochMs,
		fc.dictionary(fc.string(), fc.jsonValue()),
	)
	.map(([event, messageId, timestamp, data]) => ({
		body: { messageId, timestamp, eventType: event.type, data } as Record<string, unknown>,
		type: event.type,
	}));

const boticordRequest =
	(header: string) =>
	(key: unknown, body: unknown, noise?: Noise): FakeRequest => ({
		credentials: { hookKey: KEY },
		headers: { ...noise?.headers, [header]: key as string },
		query: noise?.query,
		body,
		events: ['*'],
	});

const triggers: TriggerUnderTest[] = [
	{
		name: 'Boticord (API v3 notifications)',
		node: new BoticordTrigger(),
		freeFormFields: ['webhookSettings'],
		asEmitted: withoutNotificationSecrets,
		request: boticordRequest('x-boticord-token'),
		validEvent: boticordNotification,
		freeFormEvent: boticordNotification,
	},
	{
		name: 'Boticord (legacy webhooks)',
		node: new BoticordTrigger(),
		freeFormFields: [],
		asEmitted: (body) => body,
		request: boticordRequest('x-hook-key'),
		validEvent: boticordLegacyValidEvent,
		freeFormEvent: boticordLegacyValidEvent.filter(({ type }) => type === 'test_webhook_message'),
	},
	{
		name: 'Botisimo',
		node: new BotisimoTrigger(),
		freeFormFields: ['data'],
		asEmitted: (body) => body,
		request: (key, body, noise) => ({
			credentials: { secret: KEY },
			headers: noise?.headers,
			query: { ...noise?.query, token: key },
			body,
			events: ['*'],
		}),
		validEvent: botisimoValidEvent,
		freeFormEvent: botisimoValidEvent,
	},
];

/** A value as sent, but for `__proto__` keys, which the triggers leave out. */
function withoutProtoKeys(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(withoutProtoKeys);
	if (value === null || typeof value !== 'object') return value;
	return Object.fromEntries(
		Object.entries(value)
			.filter(([key]) => key !== '__proto__')
			.map(([key, child]) => [key, withoutProtoKeys(child)]),
	);
}

async function call(trigger: TriggerUnderTest, request: FakeRequest) {
	const fake = fakeWebhookContext(request);
	const result = await (trigger.node.webhook as NonNullable<INodeType['webhook']>).call(
		fake.context,
	);
	return { result, answer: fake.answer, logLines: fake.logLines };
}

describe.each(triggers)('$name Trigger, for anything a caller sends', (trigger) => {
	it('never throws, answers only 2xx, 400, 401 or 403, emits nothing without the key, and never echoes the key', async () => {
		await fc.assert(
			fc.asyncProperty(
				presentedKey,
				parsedBody,
				otherHeaders,
				otherQuery,
				async (key, body, headers, query) => {
					fc.pre(!JSON.stringify([body ?? null, headers, query]).includes(KEY));
					const { result, answer, logLines } = await call(
						trigger,
						trigger.request(key, body, { headers, query }),
					);
					expect([undefined, 200, 400, 401, 403]).toContain(answer.status);
					if (key !== KEY) expect(result.workflowData).toBeUndefined();
					const items = emittedItems(result);
					expect(items.length).toBeLessThanOrEqual(1);
					expect(JSON.stringify([items, answer.body, logLines])).not.toContain(KEY);
					expect(({} as Record<string, unknown>).polluted).toBeUndefined();
				},
			),
			{ numRuns: 300 },
		);
	});

	it('emits a selected event nested a little deep, and refuses one nested too deep for n8n to store with 400', async () => {
		await fc.assert(
			fc.asyncProperty(
				trigger.freeFormEvent,
				fc.integer({ min: 1, max: 5000 }),
				fc.boolean(),
				async ({ body, type }, depth, asArrays) => {
					let nested: unknown = 'bottom';
					for (let level = 0; level < depth; level++) {
						nested = asArrays ? [nested] : withOwnProtoKey({ inner: nested });
					}
					const event = { ...body, data: { nested } };
					const { result, answer } = await call(trigger, {
						...trigger.request(KEY, event),
						events: [type],
					});
					if (depth <= 50) {
						expect(answeredAsAccepted(answer)).toBe(true);
						expect(emittedItems(result)).toHaveLength(1);
					} else if (depth >= 80) {
						expect(answer.status).toBe(400);
						expect((answer.body as { message: string }).message).toMatch(
							/nested more than 64 levels deep/,
						);
						expect(result.workflowData).toBeUndefined();
					} else {
						expect(emittedItems(result).length + (answer.status === 400 ? 1 : 0)).toBe(1);
					}
					expect(({} as Record<string, unknown>).polluted).toBeUndefined();
				},
			),
			{ numRuns: 200 },
		);
	});

	it('emits every valid event exactly once, with the payload as sent (secrets left out) and an ISO date', async () => {
		await fc.assert(
			fc.asyncProperty(trigger.validEvent, async ({ body, type }) => {
				const { result, answer } = await call(trigger, {
					...trigger.request(KEY, body),
					events: [type],
				});
				expect(answeredAsAccepted(answer)).toBe(true);
				const items = emittedItems(result);
				expect(items).toHaveLength(1);
				expect(items[0]).toMatchObject(withoutProtoKeys(trigger.asEmitted(body)) as object);
				expect(JSON.stringify(items)).not.toContain(KEY);
				if (items[0].at !== undefined) {
					expect(new Date(items[0].at as string).toISOString()).toBe(items[0].at);
				}
			}),
			{ numRuns: 300 },
		);
	});
});

/** Every documented leaf of a valid event, with a value of the wrong type for it. */
function wrongTypeAt(body: Record<string, unknown>): fc.Arbitrary<{ body: unknown; path: string }> {
	const paths: string[][] = [];
	const walk = (value: unknown, path: string[]) => {
		if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
			for (const [key, child] of Object.entries(value)) walk(child, [...path, key]);
		}
		if (path.length > 0) paths.push(path);
	};
	walk(body, []);
	const valueAt = (path: string[]) =>
		path.reduce<unknown>((value, key) => (value as Record<string, unknown>)[key], body);
	// Values no documented field accepts in place of the original: never the
	// original's own type, and never a string where null was (texts are nullable).
	const wrongFor = (original: unknown): unknown[] => [
		true,
		[],
		{ nested: true },
		...(typeof original === 'number' ? ['text'] : []),
		...(typeof original === 'string' ? [12345.5] : []),
	];
	return fc.constantFrom(...paths).chain((path) =>
		fc.constantFrom(...wrongFor(valueAt(path))).map((replacement) => {
			const copy = structuredClone(body);
			let target = copy as Record<string, unknown>;
			for (const key of path.slice(0, -1)) target = target[key] as Record<string, unknown>;
			target[path[path.length - 1]] = replacement;
			return { body: copy, path: path.join('.') };
		}),
	);
}

describe('wrong types at any documented path of a selected event', () => {
	it.each([
		[triggers[0].name, triggers[0], boticordNotification],
		[
			triggers[1].name,
			triggers[1],
			boticordLegacyValidEvent.filter(({ type }) => type !== 'test_webhook_message'),
		],
		[triggers[2].name, triggers[2], botisimoValidEvent],
	] as const)(
		'%s: is emitted only when the value is still valid, else refused with 400',
		async (_name, trigger, events) => {
			await fc.assert(
				fc.asyncProperty(
					events.chain(({ body, type }) =>
						wrongTypeAt(body).map((mutation) => ({ ...mutation, type })),
					),
					async ({ body, path, type }) => {
						const { result, answer } = await call(trigger, {
							...trigger.request(KEY, body),
							events: [type],
						});
						if (answeredAsAccepted(answer)) {
							// Only fields the provider leaves free-form may hold anything.
							expect(trigger.freeFormFields).toContain(path.split('.')[0]);
							expect(emittedItems(result)).toHaveLength(1);
						} else {
							expect(answer.status).toBe(400);
							const { message } = answer.body as { message: string };
							expect(message).toMatch(new RegExp(`(^|\\W)${path.split('.')[0]}`));
						}
					},
				),
				{ numRuns: 300 },
			);
		},
	);
});
