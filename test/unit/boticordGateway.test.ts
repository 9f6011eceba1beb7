import { createHook } from 'node:async_hooks';

import type { IDataObject } from 'n8n-workflow';
import { WebSocket as WsWebSocket } from 'ws';

import {
	ATTEMPT_LIMIT,
	BoticordGatewayClient,
	GatewayRefusedError,
	type GatewayClientOptions,
	type GatewaySocketClass,
} from '../../nodes/Boticord/boticordGateway';
import { windowLimiter } from '../../nodes/shared/rateLimit';
import { SERVER_ID, gatewayNotification as notifyData } from '../fixtures/deliveries';
import { startFakeGateway } from '../harness/fakeGateway';
import { recordingLogger } from '../harness/recordingLogger';
import { waitUntil as until } from '../harness/processes';

const TOKEN = 'gateway-token-9Kd2Lq7Wx4';

/** The same protocol and the same ratios as the default timings, in milliseconds instead of seconds. */
const FAST = {
	pingIntervalMs: 100,
	pongTimeoutMs: 200,
	helloTimeoutMs: 1_000,
	closeTimeoutMs: 300,
	firstReconnectMs: 50,
	maxReconnectMs: 400,
	stableAfterMs: 1_000,
	outageReportMs: 1_500,
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// `npm test` runs jest with --experimental-websocket, which Node.js 20 needs
// for its WebSocket (Node.js 22 and newer, which n8n 2.x runs on, have it).
declare const WebSocket: GatewaySocketClass | undefined;
if (typeof WebSocket !== 'function') {
	throw new Error(
		'This Node.js has no platform WebSocket client: run the tests with npm test, which passes --experimental-websocket to Node.js 20.',
	);
}

type Gateway = Awaited<ReturnType<typeof startFakeGateway>>;

/** The client, the WebSocket client it drives, and the n8n-workflow timers it waits with. */
const CODE_UNDER_TEST =
	/\/nodes\/|node_modules\/ws\/|node_modules\/@n8n\/utils\/|node_modules\/n8n-workflow\//;

/**
 * The timers made from now on, by the code under test, that are still
 * pending when `left()` is asked: what the client leaves behind. A timer is
 * the code's that made it, the first frame outside Node.js itself (this test,
 * the stand-in gateway and jest run in the same process); timers that do not
 * keep the process alive (the platform client's shared clock) are left out.
 */
function trackTimers() {
	const pending = new Map<number, { maker: string; timer: NodeJS.Timeout }>();
	const hook = createHook({
		init(id, type, _trigger, resource) {
			if (type !== 'Timeout') return;
			const maker = (new Error().stack ?? '')
				.split('\n')
				.slice(1)
				.find((frame) => !/\(node:|at node:|AsyncHook\.init|<anonymous>/.test(frame));
			if (maker && CODE_UNDER_TEST.test(maker)) {
				pending.set(id, { maker, timer: resource as NodeJS.Timeout });
			}
		},
		destroy(id) {
			pending.delete(id);
		},
	}).enable();
	return {
		async left(): Promise<string[]> {
			// What a socket cut at the end of close() still has to do runs on the next turns.
			await sleep(20);
			hook.disable();
			return [...pending.values()].filter(({ timer }) => timer.hasRef()).map(({ maker }) => maker);
		},
	};
}

/** The sockets this process holds, as counts per kind. */
function activeResources(): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const resource of process.getActiveResourcesInfo()) {
		counts[resource] = (counts[resource] ?? 0) + 1;
	}
	return counts;
}

/** Which sockets grew beyond `before`. */
function leftOver(before: Record<string, number>, kinds = /TCP/): string[] {
	const now = activeResources();
	return Object.keys(now)
		.filter((kind) => kinds.test(kind) && now[kind] > (before[kind] ?? 0))
		.map((kind) => `${kind} ×${now[kind] - (before[kind] ?? 0)}`);
}

const CLIENTS: Array<[string, GatewaySocketClass]> = [
	['ws', WsWebSocket as unknown as GatewaySocketClass],
	['the platform client', WebSocket],
];

describe.each(CLIENTS)(
	"Boticord's gateway client on %s, against a stand-in gateway",
	(_name, webSocket) => {
		const letsGoOfSilentSockets = webSocket === (WsWebSocket as unknown);
		let gateway: Gateway;
		let clients: BoticordGatewayClient[] = [];
		const received: IDataObject[] = [];
		const refusals: GatewayRefusedError[] = [];
		const outages: string[] = [];
		let log = recordingLogger();

		function clientFor(options: Partial<GatewayClientOptions> = {}) {
			const client = new BoticordGatewayClient({
				url: gateway.url,
				token: TOKEN,
				logger: log.logger,
				firstConnection: 'required',
				onNotification: (data) => received.push(data),
				onRefused: (error) => refusals.push(error),
				onOutage: (message) => outages.push(message),
				timings: FAST,
				webSocket,
				// Each test its own limit, as if alone in its n8n, over a window as short as the
				// timings' (one test checks the process-wide limit itself).
				takeAttempt: windowLimiter({ limit: ATTEMPT_LIMIT.limit, windowMs: 500 }),
				...options,
			});
			clients.push(client);
			return client;
		}

		const warnings = () =>
			log.lines.filter(([level]) => level === 'warn').map(([, line]) => String(line));

		beforeEach(async () => {
			received.length = 0;
			refusals.length = 0;
			outages.length = 0;
			log = recordingLogger();
			gateway = await startFakeGateway({ tokens: [TOKEN], silenceLimitMs: 300 });
		});

		afterEach(async () => {
			await Promise.all(clients.map(async (client) => client.close()));
			clients = [];
			await gateway.close();
			expect(JSON.stringify(log.lines)).not.toContain(TOKEN);
		});

		describe('the documented protocol', () => {
			it('authenticates with the token and hands on every notification', async () => {
				await clientFor().open();
				expect(gateway.attempts).toEqual([
					expect.objectContaining({ token: TOKEN, accepted: true }),
				]);
				gateway.notify(notifyData('up_added'));
				gateway.notify(notifyData('comment_added', SERVER_ID));
				await until(() => received.length === 2, 'two notifications');
				expect(received).toEqual([notifyData('up_added'), notifyData('comment_added', SERVER_ID)]);
			});

			it.each([
				[4, 'Unauthorized'],
				[14, 'Token invalid'],
			])(
				'fails to open when the gateway answers the token with error %p, quoting it, and does not retry',
				async (code, message) => {
					gateway.behave({ auth: { error: { code, message } } });
					const error = await clientFor()
						.open()
						.catch((reason: unknown) => reason);
					expect(error).toBeInstanceOf(GatewayRefusedError);
					expect((error as Error).message).toMatch(
						new RegExp(
							`refused the API token \\(error ${code} .*"${message}"\\)\\. Copy the token again`,
						),
					);
					await sleep(500);
					expect(gateway.attempts).toHaveLength(1);
				},
			);

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
				expect(warnings()).toEqual(
					expect.arrayContaining([expect.stringMatching(/closed the connection.*Reconnecting/)]),
				);
			});

			it('reports a token revoked after activation once, and stops', async () => {
				await clientFor().open();
				gateway.revoke(TOKEN);
				await until(() => refusals.length === 1, 'the refusal');
				const attemptsThen = gateway.attempts.length;
				await sleep(800);
				expect(refusals).toHaveLength(1);
				expect(refusals[0].message).toMatch(/refused the API token \(error 4/);
				expect(gateway.attempts.length).toBe(attemptsThen);
				expect(log.lines).toEqual(expect.arrayContaining([['error', refusals[0].message]]));
			});

			it('closes cleanly: no socket and no timer left behind', async () => {
				const before = activeResources();
				const timers = trackTimers();
				await clientFor().open();
				await sleep(250);
				await clients.pop()?.close();
				expect(await timers.left()).toEqual([]);
				await until(() => gateway.open === 0, 'the connection to close');
				expect(leftOver(before)).toEqual([]);
			});
		});

		describe('a connection that goes silent without closing', () => {
			it('is taken for dead after its pong deadline and replaced, letting go of the dead socket', async () => {
				await clientFor().open();
				gateway.silence();
				const silencedAt = Date.now();
				await until(() => gateway.connected === 1, 'a new connection', 5_000);
				const replacedIn = Date.now() - silencedAt;
				// A ping interval to the next ping, its pong deadline, the close wait, the first backoff.
				expect(replacedIn).toBeLessThan(
					FAST.pingIntervalMs +
						FAST.pongTimeoutMs +
						FAST.closeTimeoutMs +
						FAST.firstReconnectMs * 2 +
						500,
				);
				expect(gateway.attempts).toHaveLength(2);
				expect(warnings()).toEqual(
					expect.arrayContaining([
						expect.stringMatching(/has not answered a ping.*taken for dead and replaced/),
					]),
				);
				if (letsGoOfSilentSockets)
					await until(() => gateway.open === 1, 'the dead socket to be cut');
				gateway.notify(notifyData('up_added'));
				await until(() => received.length === 1, 'a notification on the new connection');
			});

			it('does not hold up closing: close() returns within the close wait and leaves no timer behind', async () => {
				const before = activeResources();
				const timers = trackTimers();
				await clientFor().open();
				gateway.silence();
				const started = Date.now();
				await clients.pop()?.close();
				expect(Date.now() - started).toBeLessThan(FAST.closeTimeoutMs + 300);
				expect(await timers.left()).toEqual([]);
				if (letsGoOfSilentSockets) {
					await until(() => gateway.open === 0, 'the silent socket to be cut');
					expect(leftOver(before)).toEqual([]);
				}
			});

			it('does not hold up closing while the first answer is awaited, or while waiting to reconnect', async () => {
				const timers = trackTimers();
				gateway.behave({ auth: 'ignore' });
				const waiting = clientFor({ firstConnection: 'background' }).open();
				await until(() => gateway.attempts.length === 1, 'the attempt');
				let started = Date.now();
				await clients.pop()?.close();
				expect(Date.now() - started).toBeLessThan(FAST.closeTimeoutMs + 300);
				await expect(waiting).rejects.toThrow(/closed while connecting/);

				gateway.behave({});
				await clientFor().open();
				await gateway.close();
				await until(() => warnings().some((line) => /Reconnecting/.test(line)), 'the drop');
				started = Date.now();
				await clients.pop()?.close();
				expect(Date.now() - started).toBeLessThan(FAST.closeTimeoutMs + 300);
				expect(await timers.left()).toEqual([]);
			});
		});

		describe('backoff', () => {
			it('backs off while the gateway is down: no storm of attempts', async () => {
				await clientFor().open();
				await gateway.close();
				await sleep(2_000);
				await gateway.restart(0);
				await until(() => gateway.connected === 1, 'the reconnection', 5_000);
				// Refused connections are not counted by the stand-in; those it saw are the
				// first and the one after the restart, however long the gateway was down.
				expect(gateway.attempts).toHaveLength(2);
				// Waits of 25–50, 50–100, 100–200, then 200–400 ms: at most a dozen in 2 s.
				expect(
					warnings().filter((line) => /Could not reconnect/.test(line)).length,
				).toBeLessThanOrEqual(12);
			});

			it('gives a gateway that accepts and drops at once growing gaps, not a storm', async () => {
				gateway.behave({ dropAfterHelloMs: 5 });
				await clientFor().open();
				// 30 s at the default timings.
				await sleep(1_500);
				const times = gateway.attempts.map((attempt) => attempt.at);
				expect(times.length).toBeLessThanOrEqual(10);
				const gaps = times.slice(1).map((time, i) => time - times[i]);
				// Each gap at least half the doubled ceiling: 50, 100, 200, then 200 (the maximum's half).
				gaps.forEach((gap, i) => {
					expect(gap).toBeGreaterThanOrEqual(
						Math.min(FAST.firstReconnectMs * 2 ** (i + 1), FAST.maxReconnectMs) / 2 - 5,
					);
				});
			});

			it('starts the backoff over once a connection has stayed up for a while', async () => {
				gateway.behave({ dropAfterHelloMs: 5 });
				await clientFor({ timings: { ...FAST, maxReconnectMs: 2_000 } }).open();
				await until(() => gateway.attempts.length === 4, 'a few drops');
				gateway.behave({});
				const from = gateway.attempts.length;
				await until(
					() =>
						gateway.attempts.slice(from).some((attempt) => attempt.accepted) &&
						gateway.connected === 1,
					'a connection that stays',
				);
				await sleep(FAST.stableAfterMs + 100);
				const before = gateway.attempts.length;
				await gateway.restart(0);
				const droppedAt = Date.now();
				await until(() => gateway.attempts.length === before + 1, 'the reconnection');
				// The first wait again (25–50 ms), not the grown one (400–800 ms after four drops).
				expect(Date.now() - droppedAt).toBeLessThan(300);
			});
		});

		describe('what the gateway answers', () => {
			it.each([
				[0, 'Internal server error'],
				[1, 'Rate limited'],
				[7, 'Websocket error'],
				[99, 'Something new'],
			])(
				'retries an error %p answer to the token with backoff, logging its code and message',
				async (code, message) => {
					await clientFor().open();
					gateway.behave({ auth: { error: { code, message } } });
					await gateway.restart(0);
					await until(() => gateway.attempts.length >= 4, 'several attempts');
					gateway.behave({});
					await until(
						() => gateway.connected === 1,
						'the connection once the gateway takes the token',
					);
					expect(refusals).toEqual([]);
					expect(warnings()).toEqual(
						expect.arrayContaining([expect.stringContaining(`with error ${code}`)]),
					);
					expect(warnings().join('\n')).toContain(`"${message}"`);
				},
			);

			it('retries a passing error at activation for as long as a first answer may take', async () => {
				gateway.behave({ auth: { error: { code: 1, message: 'Rate limited' } } });
				const opening = clientFor().open();
				await until(() => gateway.attempts.length === 2, 'a retry');
				gateway.behave({});
				await opening;
				expect(gateway.connected).toBe(1);
			});

			it('fails an activation the gateway keeps answering with a passing error, quoting it', async () => {
				gateway.behave({ auth: { error: { code: 0, message: 'Internal server error' } } });
				await expect(clientFor().open()).rejects.toThrow(
					/answered the API token with error 0 \(Internal server error at Boticord\): "Internal server error"/,
				);
			});

			it('fails an activation the gateway closes before answering the token (code 1006)', async () => {
				gateway.behave({ auth: 'drop' });
				await expect(clientFor().open()).rejects.toThrow(
					/closed the connection \(code 1006\) before accepting the API token/,
				);
			});

			it.each([
				[
					'closes before hello (1006)',
					{ auth: 'drop' as const },
					/closed the connection \(code 1006\)/,
				],
				['error 6', { auth: { error: { code: 6, message: 'Rpc error' } } }, /error 6/],
			])(
				'takes %s three times in a row for a refused token, and stops',
				async (_what, behaviour, last) => {
					await clientFor().open();
					gateway.behave(behaviour);
					await gateway.restart(0);
					await until(() => refusals.length === 1, 'the refusal', 5_000);
					expect(refusals[0].message).toMatch(
						/turned down 3 connections in a row before accepting the API token/,
					);
					expect(refusals[0].message).toMatch(last);
					const attempts = gateway.attempts.length;
					await sleep(500);
					expect(gateway.attempts).toHaveLength(attempts);
				},
			);

			it('logs error frames after hello, with their code and message, and stays connected', async () => {
				await clientFor().open();
				gateway.send({ event: 'error', data: { code: 7, message: 'Websocket error' } });
				await until(() => warnings().length === 1, 'the warning');
				expect(warnings()[0]).toBe(
					`Boticord's gateway sent error 7 (WebSocket error at Boticord): "Websocket error"`,
				);
				gateway.notify(notifyData('up_added'));
				await until(() => received.length === 1, 'the next notification');
				expect(gateway.attempts).toHaveLength(1);
			});

			it('shrugs off frames that are not gateway messages, and goes on', async () => {
				await clientFor().open();
				for (const frame of [
					'not json',
					'[]',
					'{"event":42}',
					'{"event":"notify","data":"text"}',
					Buffer.from([1, 2, 3]),
				]) {
					gateway.send(frame);
				}
				gateway.send({ event: 'hello', data: { id: { nested: true } } });
				gateway.notify(notifyData('up_added'));
				await until(() => received.length === 1, 'the notification after the noise');
				expect(gateway.attempts).toHaveLength(1);
				expect(log.lines.filter(([level]) => level === 'error')).toEqual([]);
			});

			it('never lets a failing notification handler throw into the socket: it logs, counts and goes on', async () => {
				let calls = 0;
				await clientFor({
					onNotification: (data) => {
						calls++;
						if (calls <= 2) throw new TypeError('text.split is not a function');
						received.push(data);
					},
				}).open();
				gateway.notify(notifyData('up_added'));
				gateway.notify(notifyData('comment_added'));
				gateway.notify(notifyData('comment_edited'));
				await until(() => received.length === 1, 'the third notification');
				const errors = log.lines.filter(([level]) => level === 'error').map(([, line]) => line);
				expect(errors).toEqual([
					expect.stringContaining('could not handle a message from the gateway (1 so far)'),
					expect.stringContaining('(2 so far)'),
				]);
				// Pongs are still read: the connection is not taken for dead.
				await sleep(FAST.pingIntervalMs + FAST.pongTimeoutMs + 200);
				expect(gateway.attempts).toHaveLength(1);
			});

			it('keeps the token out of what it logs when a notification handler or the connection hook fails with it', async () => {
				await clientFor({
					onConnected: () => {
						throw new Error(`hook failed for ${TOKEN}`);
					},
					onNotification: () => {
						throw new Error(`handler failed for ${encodeURIComponent(TOKEN)}`);
					},
				}).open();
				gateway.notify(notifyData('up_added'));
				await until(
					() => log.lines.some(([, line]) => /could not handle a message/.test(String(line))),
					'the failed notification',
				);
				const errors = log.lines.filter(([level]) => level === 'error');
				expect(errors).toEqual([
					[
						'error',
						expect.stringContaining('could not act on a new connection'),
						{ error: 'hook failed for [redacted]' },
					],
					[
						'error',
						expect.stringContaining('could not handle a message from the gateway (1 so far)'),
						{ error: 'handler failed for [redacted]' },
					],
				]);
			});
		});

		describe('outages', () => {
			it('reports an outage once, while reconnecting goes on, and logs when the gateway is back', async () => {
				await clientFor().open();
				await gateway.close();
				await until(() => outages.length === 1, 'the outage report', 5_000);
				expect(outages[0]).toMatch(
					/has had no steady connection to Boticord's gateway for [12] s\. The last problem: .*keeps reconnecting/,
				);
				await sleep(FAST.outageReportMs);
				expect(outages).toHaveLength(1);
				await gateway.restart(0);
				await until(
					() =>
						log.lines.some(
							([level, line]) => level === 'info' && /reachable again/.test(String(line)),
						),
					'the all-clear',
					5_000,
				);
				expect(refusals).toEqual([]);
			});

			it('takes a gateway that keeps accepting and dropping at once for an outage too', async () => {
				gateway.behave({ dropAfterHelloMs: 5 });
				await clientFor().open();
				await until(() => outages.length === 1, 'the outage report', 5_000);
				expect(outages[0]).toMatch(/closed the connection \(code 1006/);
			});

			it('starts in the background when n8n starts while the gateway is down, and connects once it is up', async () => {
				await gateway.close();
				await clientFor({ firstConnection: 'background' }).open();
				expect(warnings()[0]).toMatch(
					/^Could not connect to Boticord's gateway .*keeps trying to connect in the background\.$/,
				);
				await gateway.restart(0);
				await until(() => gateway.connected === 1, 'the connection', 5_000);
				gateway.notify(notifyData('up_added'));
				await until(() => received.length === 1, 'the notification');
			});

			it('still fails to start in the background when the token is refused', async () => {
				await expect(
					clientFor({ firstConnection: 'background', token: 'not-the-token' }).open(),
				).rejects.toThrow(GatewayRefusedError);
			});
		});
	},
);

describe("Boticord's gateway client, every client of the process together", () => {
	it("keeps within Boticord's 15 attempts in 10 seconds, first come first served", async () => {
		const gateway = await startFakeGateway({ tokens: [TOKEN] });
		const log = recordingLogger();
		const clients = Array.from(
			{ length: 18 },
			() =>
				new BoticordGatewayClient({
					url: gateway.url,
					token: TOKEN,
					logger: log.logger,
					firstConnection: 'required',
					onNotification: () => undefined,
					onRefused: () => undefined,
					onOutage: () => undefined,
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
			await gateway.close();
		}
	}, 60_000);
});
