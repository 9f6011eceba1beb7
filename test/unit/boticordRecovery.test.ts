import type { IDataObject, INodeExecutionData, ITriggerFunctions } from 'n8n-workflow';

import { BoticordGatewayTrigger } from '../../nodes/Boticord/BoticordGatewayTrigger.node';
import {
	MAX_RECOVERED_PER_RESOURCE,
	MAX_REMEMBERED_REVIEWS,
	UP_LIFETIME_MS,
	readMemory,
} from '../../nodes/Boticord/boticordRecovery';
import { BOT_ID, SERVER_ID, USER } from '../fixtures/deliveries';
import { startFakeBoticordApi } from '../harness/fakeBoticordApi';
import { startFakeGateway } from '../harness/fakeGateway';
import { sleep, waitUntil as until } from '../harness/processes';
import { recordingLogger } from '../harness/recordingLogger';
import { boticordHelpers } from '../helpers/boticordHttp';

type FakeApi = Awaited<ReturnType<typeof startFakeBoticordApi>>;
type Gateway = Awaited<ReturnType<typeof startFakeGateway>>;

// Gateway restarts and reconnections take seconds on a busy machine.
jest.setTimeout(20_000);

const MINUTE = 60_000;
const AUTHORS = ['111111111111111111', '222222222222222222', '333333333333333333'];

/**
 * The workflow's static data as n8n keeps it for a trigger: the node's object
 * lives in memory while the workflow is active, and what the database holds
 * is a copy taken when the trigger emits and after activation (n8n's
 * ActiveWorkflowManager and its trigger context factory), nothing else. A
 * restart starts from that copy.
 */
class Workflow {
	saved: IDataObject = {};

	live: IDataObject = {};

	saves = 0;

	save() {
		this.saves++;
		this.saved = JSON.parse(JSON.stringify(this.live)) as IDataObject;
	}

	/** n8n starting again: the node gets what the database holds. */
	restart() {
		this.live = JSON.parse(JSON.stringify(this.saved)) as IDataObject;
	}
}

describe('Boticord Gateway Trigger: recovering what Boticord sent while it was away', () => {
	let api: FakeApi;
	let gateway: Gateway;
	let token: string;
	const closers: Array<() => Promise<void>> = [];

	beforeEach(async () => {
		token = `recovery-token-${Math.random().toString(36).slice(2)}`;
		api = await startFakeBoticordApi({ token });
		gateway = await startFakeGateway({ tokens: [token] });
	});

	afterEach(async () => {
		await Promise.all(closers.splice(0).map(async (close) => close()));
		await gateway.close();
		await api.close();
	});

	/** Activates the trigger as n8n does, with `workflow`'s static data; saves it after activation, as n8n does. */
	async function activate(
		workflow: Workflow,
		{
			events = ['*'],
			options = { botIds: BOT_ID },
			mode = 'trigger',
			activation = 'init',
		}: { events?: string[]; options?: IDataObject; mode?: string; activation?: string } = {},
	) {
		const emitted: IDataObject[] = [];
		const log = recordingLogger();
		const context = {
			getCredentials: async () => ({ hookKey: token, baseUrl: api.baseUrl }),
			getNodeParameter: (name: string, fallback: unknown) =>
				({ events, options: { gatewayUrl: gateway.url, ...options } })[name] ?? fallback,
			getNode: () => ({ name: 'Boticord Gateway Trigger', type: 'boticordGatewayTrigger' }),
			getMode: () => mode,
			getActivationMode: () => activation,
			getWorkflowStaticData: () => workflow.live,
			logger: log.logger,
			emit(data: INodeExecutionData[][]) {
				workflow.save();
				emitted.push(...data.flat().map((item) => item.json));
			},
			emitError: () => undefined,
			saveFailedExecution: () => undefined,
			helpers: {
				returnJsonArray: (items: IDataObject[]) => items.map((json) => ({ json })),
				...boticordHelpers(token),
				// As on n8n 2.x once activation is over: the credential's expression cannot be evaluated.
				async httpRequestWithAuthentication() {
					throw new Error('No bridge acquired for this context. Call acquire() first.');
				},
			},
		} as unknown as ITriggerFunctions;
		const response = await new BoticordGatewayTrigger().trigger.call(context);
		workflow.save();
		let closed = false;
		const close = async () => {
			if (closed) return;
			closed = true;
			await response.closeFunction?.();
		};
		closers.push(close);
		return { emitted, log, close };
	}

	const searches = () => api.requests.filter(({ path }) => path.startsWith('/search/'));
	const logged = (lines: unknown[][], level: string) =>
		lines.filter(([each]) => each === level).map(([, message]) => String(message));

	/** A live comment notification, as the gateway sends it. */
	function liveComment(author: string, happened: number, resource = BOT_ID) {
		return {
			type: 'comment_added',
			affected: resource,
			user: author,
			happened,
			payload: { content: 'Live review', rating: 4 },
		};
	}

	it('recovers nothing the first time it is activated, and remembers when it was connected', async () => {
		const workflow = new Workflow();
		api.addReview({ created: Date.now() - 5 * MINUTE });
		const { emitted } = await activate(workflow, { activation: 'activate' });
		await sleep(1500);
		expect(emitted).toEqual([]);
		expect(searches()).toEqual([]);
		expect(readMemory(workflow.saved).coveredUntil).toBeGreaterThan(Date.now() - 10_000);
	});

	it('after a restart, emits the reviews created while n8n was down once each, oldest first, as live ones look; and nothing again after a second restart', async () => {
		const workflow = new Workflow();
		const first = await activate(workflow, { activation: 'activate' });
		await until(() => gateway.connected === 1, 'the connection');
		await first.close();
		const now = Date.now();
		const missed = [
			api.addReview({ id: 'm2', author: AUTHORS[1], created: now + 2_000, content: 'Second' }),
			api.addReview({
				id: 'm1',
				author: AUTHORS[0],
				created: String(now + 1_000),
				content: 'First',
				rating: 3,
			}),
		];
		api.addReview({ id: 'old', author: AUTHORS[2], created: now - 60 * MINUTE });
		api.addReview({ id: 'server', resource: SERVER_ID, created: now + 1_500 });

		workflow.restart();
		const restartedAt = Date.now();
		const second = await activate(workflow);
		await until(() => second.emitted.length === 2, 'the missed reviews');
		// Saved with the recovered reviews: the next start looks from the end of this gap.
		expect(readMemory(workflow.saved).coveredUntil).toBeGreaterThanOrEqual(restartedAt);
		expect(second.emitted).toEqual([
			{
				type: 'comment_added',
				id: BOT_ID,
				user: AUTHORS[0],
				happened: now + 1_000,
				payload: { content: 'First', rating: 3 },
				reviewId: 'm1',
				modReply: null,
				recovered: true,
				userId: AUTHORS[0],
				at: new Date(now + 1_000).toISOString(),
				resourceId: BOT_ID,
				target: 'bot',
				action: 'new',
			},
			expect.objectContaining({ reviewId: 'm2', happened: missed[0].created, recovered: true }),
		]);
		await until(
			() =>
				logged(second.log.lines, 'info').some((line) =>
					/looked for what it missed since .*: 2 reviews recovered$/.test(line),
				),
			'the line that says what was recovered',
		);
		await second.close();

		workflow.restart();
		const third = await activate(workflow);
		await until(() => searches().length === 2, 'the search after the second restart');
		await sleep(500);
		expect(third.emitted).toEqual([]);
	});

	it('recovers the reviews created during a gateway outage, and does not repeat those received live', async () => {
		const workflow = new Workflow();
		const { emitted } = await activate(workflow, { activation: 'activate' });
		await until(() => gateway.connected === 1, 'the connection');
		const before = Date.now();
		// Received live, and indexed by Boticord a moment later with its own creation time.
		gateway.notify(liveComment(AUTHORS[0], before));
		await until(() => emitted.length === 1, 'the live review');
		api.addReview({ id: 'live', author: AUTHORS[0], created: before + 40 });
		// Created just before the drop, by Boticord's clock, and never sent.
		api.addReview({ id: 'unsent', author: AUTHORS[2], created: before + 100 });

		await gateway.restart(1_500);
		api.addReview({ id: 'during', author: AUTHORS[1], created: Date.now() - 1_000 });
		await until(() => gateway.connected === 1, 'the reconnection', 10_000);
		await until(() => emitted.length === 3, 'the reviews of the outage');
		await sleep(500);
		expect(emitted.map((item) => [item.reviewId ?? 'live', item.recovered ?? false])).toEqual([
			['live', false],
			['unsent', true],
			['during', true],
		]);
	});

	it('never emits a review twice when it arrives live while the search is answering', async () => {
		const workflow = new Workflow();
		await (await activate(workflow, { activation: 'activate' })).close();
		const created = Date.now();
		api.addReview({ id: 'both', author: AUTHORS[0], created });
		api.searchMode({ delayMs: 2_000 });
		workflow.restart();
		const { emitted } = await activate(workflow);
		await until(() => searches().length === 1, 'the search');
		gateway.notify(liveComment(AUTHORS[0], created + 100));
		await until(() => emitted.length === 1, 'the live review');
		await sleep(2_500);
		expect(emitted).toEqual([expect.objectContaining({ user: AUTHORS[0] })]);
		expect(emitted[0]).not.toHaveProperty('recovered');
	});

	it('passes live notifications on at once while a slow search runs', async () => {
		const workflow = new Workflow();
		await (await activate(workflow, { activation: 'activate' })).close();
		api.searchMode({ delayMs: 4_000 });
		workflow.restart();
		const { emitted } = await activate(workflow);
		await until(() => searches().length === 1, 'the search');
		const sent = Date.now();
		gateway.notify({
			type: 'up_added',
			affected: BOT_ID,
			user: USER,
			happened: sent,
			payload: { upCount: 1 },
		});
		await until(() => emitted.length === 1, 'the live up');
		expect(Date.now() - sent).toBeLessThan(1_000);
	});

	it('logs a failed search at warn and recovers at the next reconnection; the trigger goes on', async () => {
		const workflow = new Workflow();
		await (await activate(workflow, { activation: 'activate' })).close();
		api.addReview({ id: 'later', author: AUTHORS[0], created: Date.now() + 500 });
		await sleep(600);
		api.searchMode({ refuseKeys: true });
		workflow.restart();
		const { emitted, log } = await activate(workflow);
		await until(
			() => logged(log.lines, 'warn').some((line) => /could not recover/.test(line)),
			'the warning',
		);
		expect(logged(log.lines, 'warn')).toContainEqual(
			expect.stringMatching(
				/^Boticord Gateway Trigger could not recover what Boticord sent while it was disconnected: Boticord answered HTTP 403\. It tries again at the next reconnection\.$/,
			),
		);
		gateway.notify(liveComment(AUTHORS[1], Date.now()));
		await until(() => emitted.length === 1, 'a live review meanwhile');

		api.searchMode({});
		await gateway.restart(200);
		await until(() => emitted.length === 2, 'the recovery at the reconnection', 10_000);
		expect(emitted[1]).toMatchObject({ reviewId: 'later', recovered: true });
		expect(JSON.stringify(log.lines)).not.toContain(token);
		expect(JSON.stringify(log.lines)).not.toMatch(/meili-\d/);
	});

	it(`recovers the newest ${MAX_RECOVERED_PER_RESOURCE} of many reviews and says so, and keeps its memory bounded`, async () => {
		const workflow = new Workflow();
		await (await activate(workflow, { activation: 'activate' })).close();
		const start = Date.now();
		for (let index = 0; index < MAX_RECOVERED_PER_RESOURCE + 50; index++) {
			api.addReview({
				id: `many-${index}`,
				author: String(100000000000000000n + BigInt(index)),
				created: start + index,
			});
		}
		workflow.restart();
		const { emitted, log } = await activate(workflow);
		await until(() => emitted.length === MAX_RECOVERED_PER_RESOURCE, 'the reviews', 20_000);
		expect(emitted[0].reviewId).toBe('many-50');
		expect(emitted[emitted.length - 1].reviewId).toBe(`many-${MAX_RECOVERED_PER_RESOURCE + 49}`);
		expect(logged(log.lines, 'warn')).toContainEqual(
			expect.stringMatching(
				new RegExp(`found more than ${MAX_RECOVERED_PER_RESOURCE} reviews of ${BOT_ID}`),
			),
		);
		expect(readMemory(workflow.saved).reviews.length).toBeLessThanOrEqual(MAX_REMEMBERED_REVIEWS);
	}, 30_000);

	it('skips, with a warning, reviews without an id or a readable date, and emits the others', async () => {
		const workflow = new Workflow();
		await (await activate(workflow, { activation: 'activate' })).close();
		const now = Date.now() + 500;
		api.addReview({ id: '', author: AUTHORS[0], created: now });
		api.addReview({ id: 'nodate', author: AUTHORS[1], created: 'yesterday-ish' });
		api.addReview({ id: 'fine', author: AUTHORS[2], created: now });
		workflow.restart();
		const { emitted, log } = await activate(workflow);
		await until(() => emitted.length === 1, 'the readable review');
		await until(() => logged(log.lines, 'warn').length > 0, 'the warning');
		expect(logged(log.lines, 'warn')).toContainEqual(
			expect.stringMatching(
				/skipped 2 reviews of .* without an id, an author, a readable creation date/,
			),
		);
	});

	it.each([
		['Events without Comment Added and Ups Missed', { events: ['up_added'] }],
		['no Bot IDs or Server IDs', { options: {} }],
		['Recover Missed Reviews off', { options: { botIds: BOT_ID, recoverMissed: false } }],
		['the editor listening for a test event', { mode: 'manual' }],
	])('does not search with %s', async (_label, settings) => {
		const workflow = new Workflow();
		await (await activate(workflow, { activation: 'activate', ...settings })).close();
		api.addReview({ created: Date.now() + 100 });
		workflow.restart();
		const { emitted } = await activate(workflow, settings);
		await until(() => gateway.connected === 1, 'the connection');
		await sleep(1_500);
		expect(searches()).toEqual([]);
		expect(emitted).toEqual([]);
	});

	describe('ups missed, counted from the page', () => {
		/** An up as a page lists it: its own id, and its expiry in epoch ms as text. */
		const up = (givenAt: number, id = `up-${givenAt}`) => ({
			id,
			expires: String(givenAt + UP_LIFETIME_MS),
		});

		it('emits how many ups arrived during the gap, less those received live, once', async () => {
			const workflow = new Workflow();
			const first = await activate(workflow, { activation: 'activate' });
			await until(() => gateway.connected === 1, 'the connection');
			const connectedAt = Date.now();
			gateway.notify({
				type: 'up_added',
				affected: BOT_ID,
				user: USER,
				happened: connectedAt + 10,
				payload: { upCount: 1 },
			});
			await until(() => first.emitted.length === 1, 'the live up');
			await first.close();
			api.setUps(BOT_ID, [
				up(connectedAt - 3 * MINUTE),
				up(connectedAt + 10),
				up(connectedAt + 300),
				up(connectedAt + 400),
			]);
			await sleep(500);
			workflow.restart();
			const second = await activate(workflow);
			await until(() => second.emitted.length === 1, 'the count');
			expect(second.emitted[0]).toEqual({
				type: 'ups_missed',
				resourceId: BOT_ID,
				target: 'bot',
				missed: 2,
				from: expect.any(String),
				to: expect.any(String),
				at: second.emitted[0].to,
				action: 'missed',
			});
			expect(Date.parse(String(second.emitted[0].from))).toBeLessThanOrEqual(connectedAt + 10);
			await second.close();
			workflow.restart();
			const third = await activate(workflow);
			await until(
				() => api.requests.filter(({ path }) => path === `/bots/${BOT_ID}`).length === 2,
				'the second count',
			);
			await sleep(300);
			expect(third.emitted).toEqual([]);
		});

		it('counts nothing without Up Added, whose ups it could not tell from missed ones, and says so', async () => {
			const workflow = new Workflow();
			await (await activate(workflow, { activation: 'activate' })).close();
			api.setUps(BOT_ID, [up(Date.now() + 100)]);
			await sleep(300);
			workflow.restart();
			const { emitted, log, close } = await activate(workflow, { events: ['ups_missed'] });
			await until(() => gateway.connected === 1, 'the connection');
			await sleep(1_500);
			expect(emitted).toEqual([]);
			expect(api.requests.filter(({ path }) => path === `/bots/${BOT_ID}`)).toEqual([]);
			expect(logged(log.lines, 'warn')).toContainEqual(
				expect.stringMatching(/counts no missed ups: select Up Added in Events too/),
			);
			await close();
		});

		it.each([
			['a page without ups', undefined, /its page has no ups list/],
			[
				'expiries that are not 14 days after an up',
				[{ id: 'x', expires: String(Date.now() + 30 * 24 * 60 * MINUTE) }],
				/whose expiry is not 14 days after an up/,
			],
		])('counts nothing, and says why at debug, for %s', async (_label, ups, reason) => {
			const workflow = new Workflow();
			await (await activate(workflow, { activation: 'activate' })).close();
			api.setUps(BOT_ID, ups);
			workflow.restart();
			const { emitted, log } = await activate(workflow, { events: ['up_added', 'ups_missed'] });
			await until(
				() => logged(log.lines, 'debug').some((line) => reason.test(line)),
				'the debug line',
			);
			expect(emitted).toEqual([]);
		});
	});
});
