import type { IDataObject, INodeExecutionData, ITriggerFunctions, Logger } from 'n8n-workflow';

import {
	asWebhookNotification,
	BoticordGatewayTrigger,
} from '../../nodes/Boticord/BoticordGatewayTrigger.node';
import {
	BoticordGatewayClient,
	GatewayRefusedError,
	type GatewayClientOptions,
} from '../../nodes/Boticord/boticordGateway';
import {
	BOT_ID,
	SERVER_ID,
	gatewayNotification,
	upItem,
} from '../fixtures/deliveries';
import { startFakeGateway } from '../harness/fakeGateway';
import { waitUntil as until } from '../harness/processes';

const TOKEN = 'gateway-token-9Kd2Lq7Wx4';

/** Timings a test can wait for: the same protocol, in milliseconds instead of seconds. */
const FAST = {
	pingIntervalMs: 100,
	pongTimeoutMs: 200,
	helloTimeoutMs: 1_000,
	firstReconnectMs: 50,
	maxReconnectMs: 400,
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function recordingLogger() {
	const lines: Array<[string, string]> = [];
	const record = (level: string) => (message: string) => lines.push([level, message]);
	const logger = {
		error: record('error'),
		warn: record('warn'),
		info: record('info'),
		debug: record('debug'),
	} as unknown as Logger;
	return { logger, lines };
}

const notifyData = gatewayNotification;

type Gateway = Awaited<ReturnType<typeof startFakeGateway>>;

describe("Boticord's gateway client, against a stand-in gateway", () => {
	let gateway: Gateway;
	let client: BoticordGatewayClient | undefined;
	const received: IDataObject[] = [];
	const refusals: GatewayRefusedError[] = [];
	const log = recordingLogger();

	function clientFor(options: Partial<GatewayClientOptions> = {}) {
		client = new BoticordGatewayClient({
			url: gateway.url,
			token: TOKEN,
			logger: log.logger,
			onNotification: (data) => received.push(data),
			onRefused: (error) => refusals.push(error),
			timings: FAST,
			...options,
		});
		return client;
	}

	beforeEach(async () => {
		received.length = 0;
		refusals.length = 0;
		log.lines.length = 0;
		gateway = await startFakeGateway({ tokens: [TOKEN], silenceLimitMs: 300 });
	});

	afterEach(async () => {
		await client?.close();
		client = undefined;
		await gateway.close();
	});

	it('authenticates with the token and hands on every notification', async () => {
		await clientFor().open();
		expect(gateway.attempts).toEqual([expect.objectContaining({ token: TOKEN, accepted: true })]);
		gateway.notify(notifyData('up_added'));
		gateway.notify(notifyData('comment_added', SERVER_ID));
		await until(() => received.length === 2, 'two notifications');
		expect(received).toEqual([notifyData('up_added'), notifyData('comment_added', SERVER_ID)]);
		expect(JSON.stringify(log.lines)).not.toContain(TOKEN);
	});

	it('fails to open, with a message for the user, when the token is refused, and does not retry', async () => {
		await expect(clientFor({ token: 'not-the-token' }).open()).rejects.toThrow(
			/refused the API token\. Copy the token again/,
		);
		await sleep(500);
		expect(gateway.attempts).toHaveLength(1);
	});

	it('pings often enough that a gateway closing silent clients keeps the connection', async () => {
		await clientFor().open();
		await sleep(1_000);
		expect(gateway.pings.length).toBeGreaterThanOrEqual(5);
		expect(gateway.attempts).toHaveLength(1);
		expect(gateway.connected).toBe(1);
	});

	it('reconnects after the gateway restarts, and receives what it sends afterwards', async () => {
		await clientFor().open();
		await gateway.restart(300);
		await until(() => gateway.connected === 1, 'the reconnection');
		gateway.notify(notifyData('comment_edited'));
		await until(() => received.length === 1, 'the notification after the restart');
		expect(received[0]).toMatchObject({ type: 'comment_edited' });
		expect(log.lines).toEqual(
			expect.arrayContaining([
				['warn', expect.stringMatching(/closed the connection.*reconnecting/)],
			]),
		);
	});

	it('backs off while the gateway is down: no storm of attempts', async () => {
		await clientFor().open();
		await gateway.close();
		await sleep(2_000);
		const whileDown = gateway.attempts.length;
		await gateway.restart(0);
		// The process-wide limit may hold the next attempt for a while after the other tests'.
		await until(() => gateway.connected === 1, 'the reconnection', 15_000);
		// Refused connections are not counted by the stand-in; those it saw are the first
		// and the one after the restart, however long the gateway was down.
		expect(whileDown).toBe(1);
		expect(gateway.attempts.length).toBe(2);
		expect(log.lines.filter(([level]) => level === 'warn').length).toBeLessThanOrEqual(12);
	}, 30_000);

	it("keeps every client of this process within Boticord's 15 attempts in 10 seconds", async () => {
		const clients = Array.from(
			{ length: 18 },
			() =>
				new BoticordGatewayClient({
					url: gateway.url,
					token: TOKEN,
					logger: log.logger,
					onNotification: () => undefined,
					onRefused: () => undefined,
					timings: FAST,
				}),
		);
		try {
			await Promise.all(clients.map(async (each) => each.open()));
			const times = gateway.attempts.map((attempt) => attempt.at);
			expect(times).toHaveLength(18);
			for (let i = 0; i + 15 < times.length; i++) {
				expect(times[i + 15] - times[i]).toBeGreaterThanOrEqual(10_000 - 50);
			}
		} finally {
			await Promise.all(clients.map(async (each) => each.close()));
		}
	}, 60_000);

	it('reports a token revoked after activation once, and stops', async () => {
		await clientFor().open();
		gateway.revoke(TOKEN);
		await until(() => refusals.length === 1, 'the refusal');
		const attemptsThen = gateway.attempts.length;
		await sleep(800);
		expect(refusals).toHaveLength(1);
		expect(refusals[0].message).toMatch(/refused the API token/);
		expect(gateway.attempts.length).toBe(attemptsThen);
		expect(log.lines).toEqual(expect.arrayContaining([['error', refusals[0].message]]));
	});

	it('closes cleanly: no socket and no timer left behind', async () => {
		const before = new Set(process.getActiveResourcesInfo());
		await clientFor().open();
		await sleep(250);
		await client?.close();
		client = undefined;
		await sleep(50);
		const left = process.getActiveResourcesInfo().filter((resource) => !before.has(resource));
		expect(left.filter((resource) => /Timeout|TCP/.test(resource))).toEqual([]);
		expect(gateway.connected).toBe(0);
	});
});

describe('Boticord Gateway Trigger', () => {
	let gateway: Gateway;

	beforeEach(async () => {
		gateway = await startFakeGateway({ tokens: [TOKEN] });
	});

	afterEach(async () => {
		await gateway.close();
	});

	/** Runs the node's trigger() as n8n does, recording what it emits. */
	async function activate({
		events = ['*'],
		options = {},
		token = TOKEN,
	}: { events?: string[]; options?: IDataObject; token?: string } = {}) {
		const emitted: IDataObject[] = [];
		const errors: Error[] = [];
		const log = recordingLogger();
		const parameters: IDataObject = {
			events,
			options: { gatewayUrl: gateway.url, ...options },
		};
		const context = {
			getCredentials: async () => ({ hookKey: token }),
			getNodeParameter: (name: string, fallback: unknown) => parameters[name] ?? fallback,
			getNode: () => ({ name: 'Boticord Gateway Trigger', type: 'boticordGatewayTrigger' }),
			getMode: () => 'trigger',
			logger: log.logger,
			emit: (data: INodeExecutionData[][]) => emitted.push(...data.flat().map((item) => item.json)),
			emitError: (error: Error) => errors.push(error),
			helpers: { returnJsonArray: (items: IDataObject[]) => items.map((json) => ({ json })) },
		} as unknown as ITriggerFunctions;
		const response = await new BoticordGatewayTrigger().trigger.call(context);
		return { response, emitted, errors, log };
	}

	it('turns a notification into the item the webhook route makes of it', async () => {
		const { response, emitted } = await activate({ events: ['up_added'] });
		gateway.notify(notifyData('up_added'));
		await until(() => emitted.length === 1, 'the item');
		expect(emitted[0]).toEqual(upItem());
		await response.closeFunction?.();
	});

	it('emits only the selected notifications about the bots and servers listed', async () => {
		const { response, emitted } = await activate({
			events: ['comment_added'],
			options: { serverIds: SERVER_ID },
		});
		gateway.notify(notifyData('up_added', SERVER_ID));
		gateway.notify(notifyData('comment_added', BOT_ID));
		gateway.notify(notifyData('comment_added', SERVER_ID));
		await until(() => emitted.length === 1, 'the one item');
		await sleep(200);
		expect(emitted).toEqual([expect.objectContaining({ resourceId: SERVER_ID, target: 'server' })]);
		await response.closeFunction?.();
	});

	it('skips an invalid notification with a warning, or emits it with its problem when asked to', async () => {
		const broken = { ...notifyData('up_added'), happened: 'yesterday' };
		const strict = await activate();
		gateway.notify(broken);
		await until(() => strict.log.lines.some(([level]) => level === 'warn'), 'the warning');
		expect(strict.emitted).toEqual([]);
		expect(strict.log.lines.find(([level]) => level === 'warn')?.[1]).toMatch(
			/happened: must be a number/,
		);
		await strict.response.closeFunction?.();

		const lenient = await activate({ options: { acceptInvalidPayloads: true } });
		gateway.notify(broken);
		await until(() => lenient.emitted.length === 1, 'the item');
		expect(lenient.emitted[0].validationError).toMatch(/happened: must be a number/);
		await lenient.response.closeFunction?.();
	});

	it('fails its activation with the message the user sees when the token is refused', async () => {
		await expect(activate({ token: 'wrong-token' })).rejects.toThrow(
			/Boticord's gateway refused the API token/,
		);
	});

	it('refuses a gateway address that is not a WebSocket one', async () => {
		await expect(
			activate({ options: { gatewayUrl: 'https://gateway.boticord.top/' } }),
		).rejects.toThrow(/not a WebSocket address/);
	});

	it('maps the gateway\'s "affected" to the webhook route\'s "id"', () => {
		expect(asWebhookNotification({ type: 'x', affected: '1', user: '2' })).toEqual({
			type: 'x',
			id: '1',
			user: '2',
		});
	});
});
