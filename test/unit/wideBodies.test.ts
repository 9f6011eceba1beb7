import { BoticordTrigger } from '../../nodes/Boticord/BoticordTrigger.node';
import { BotisimoTrigger } from '../../nodes/Botisimo/BotisimoTrigger.node';
import { BOT_ID, envelope, notification } from '../fixtures/deliveries';
import {
	emittedItems,
	fakeWebhookContext,
	withOwnProtoKey,
	type FakeRequest,
} from '../helpers/webhookContext';

/**
 * What a trigger costs must not grow with a body's size before the event
 * filter has run, and what it emits is walked and copied once. Timing would
 * make a flaky test, so this counts instead how often the trigger lists an
 * object's keys: a proxy records every listing.
 */
const KEY = 'wide-body-key-8c1d';

interface Listings {
	count: number;
}

/** An object of `width` keys that counts how often its keys are listed. */
function wide(listings: Listings, width = 10_000, extra: object = {}): Record<string, unknown> {
	const target: Record<string, unknown> = { ...extra };
	for (let i = 0; i < width; i++) target[`k${i}`] = i;
	return new Proxy(target, {
		ownKeys(object) {
			listings.count++;
			return Reflect.ownKeys(object);
		},
	});
}

async function deliver(node: BoticordTrigger | BotisimoTrigger, request: FakeRequest) {
	const fake = fakeWebhookContext(request);
	const result = await node.webhook.call(fake.context);
	return { result, answer: fake.answer };
}

const botisimo = (body: unknown, events: string[]) =>
	deliver(new BotisimoTrigger(), {
		credentials: { secret: KEY },
		query: { token: KEY },
		body,
		events,
	});

const boticord = (body: unknown, events: string[], header = 'x-boticord-token') =>
	deliver(new BoticordTrigger(), {
		credentials: { hookKey: KEY },
		headers: { [header]: KEY },
		body,
		events,
	});

describe('wide bodies', () => {
	it('Botisimo: an unselected event never lists the keys of its data', async () => {
		const listings = { count: 0 };
		const { result } = await botisimo({ ...envelope('poll.created'), data: wide(listings) }, [
			'giveaway.*',
		]);
		expect(result).toEqual({});
		expect(listings.count).toBe(0);
	});

	it('Botisimo: a selected event lists the keys of its data once', async () => {
		const listings = { count: 0 };
		const { result } = await botisimo({ ...envelope('poll.created'), data: wide(listings) }, [
			'poll.*',
		]);
		expect(Object.keys(emittedItems(result)[0].data as object)).toHaveLength(10_000);
		expect(listings.count).toBe(1);
	});

	it('Botisimo: reads an event type of a million dots without splitting it', async () => {
		const split = jest.spyOn(String.prototype, 'split');
		try {
			const eventType = `${'.'.repeat(1_000_000)}twitch`;
			const { result } = await botisimo({ ...envelope(), eventType }, ['*']);
			expect(emittedItems(result)[0]).toMatchObject({ category: '', platform: 'twitch' });
			const splitHuge = split.mock.contexts.filter((text) => String(text).length > 1000);
			expect(splitHuge).toHaveLength(0);
		} finally {
			split.mockRestore();
		}
	});

	it('Boticord: an unknown legacy type with a __proto__ key, under All Events, is walked once', async () => {
		const top = { count: 0 };
		const data = { count: 0 };
		const body = wide(top, 10_000, {
			type: 'new_bot_vote',
			data: wide(data, 10_000, withOwnProtoKey({})),
		});
		withOwnProtoKey(body);
		const { result } = await boticord(body, ['*'], 'x-hook-key');
		const [item] = emittedItems(result);
		expect(Object.keys(item)).not.toContain('__proto__');
		expect(top.count).toBe(1);
		expect(data.count).toBe(1);
	});

	it('Boticord: a notification is not listed before the filter, and once after', async () => {
		const top = { count: 0 };
		const payload = { count: 0 };
		const body = () =>
			wide(top, 10_000, {
				...notification('up_added', KEY),
				payload: wide(payload, 10, { upCount: 1 }),
			});
		expect((await boticord(body(), ['comment_added'])).result).toEqual({});
		expect(top.count + payload.count).toBe(0);
		const { result } = await boticord(body(), ['up_added']);
		expect(emittedItems(result)[0]).toMatchObject({ resourceId: BOT_ID, action: 'bump' });
		expect(top.count).toBe(1);
		expect(payload.count).toBe(1);
	});
});
