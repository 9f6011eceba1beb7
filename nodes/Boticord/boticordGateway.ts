import type { Logger } from 'n8n-workflow';
import type { WebSocket as WsWebSocket } from 'ws';

import type { JsonObject } from '../shared/jsonBody';
import { isJsonObject } from '../shared/jsonBody';
import { pause, windowLimiter, type TakeStart } from '../shared/rateLimit';
import { redaction, type Redaction } from '../shared/redaction';
import { boticordErrorCodes } from './boticordErrors';

/**
 * A client of Boticord's WebSocket gateway: it connects out, so it needs no
 * public address. It authenticates with the API token, pings often enough
 * to be kept, hands every notification on, replaces a connection that stops
 * answering, and reconnects when the connection drops, within Boticord's
 * limit, until it is closed. Every wait in it is bounded, whatever the
 * gateway or the network does, and ends when the client is closed.
 */

export const BOTICORD_GATEWAY_URL = 'wss://gateway.boticord.top/websocket/';

export interface GatewayTimings {
	/** Boticord closes a connection that sends nothing for 90 s. */
	pingIntervalMs: number;
	/** A connection that sends nothing this long after a ping is taken for dead. */
	pongTimeoutMs: number;
	/** How long connecting and the answer to the token may take. */
	helloTimeoutMs: number;
	/** How long the peer may take to finish a close; after that the socket is let go of. */
	closeTimeoutMs: number;
	/** The first wait before reconnecting; each failure doubles it, up to `maxReconnectMs`. */
	firstReconnectMs: number;
	maxReconnectMs: number;
	/** A connection up this long ends an outage and the backoff starts over. */
	stableAfterMs: number;
	/** An outage this long is reported (once) where n8n users look. */
	outageReportMs: number;
}

export const DEFAULT_GATEWAY_TIMINGS: GatewayTimings = {
	pingIntervalMs: 45_000,
	pongTimeoutMs: 30_000,
	helloTimeoutMs: 15_000,
	closeTimeoutMs: 3_000,
	firstReconnectMs: 1_000,
	maxReconnectMs: 60_000,
	stableAfterMs: 60_000,
	outageReportMs: 5 * 60_000,
};

/** Boticord accepts at most 15 connection attempts in 10 seconds; this process keeps under it. */
export const ATTEMPT_LIMIT = { limit: 15, windowMs: 10_000 };

/** Error codes that answer a token Boticord does not take: Unauthorized and TokenInvalid. */
const REFUSING_CODES = new Set([4, 14]);

/**
 * Answers that Boticord's own clients take for a refused token, but that a
 * restart or a hiccup can also give: closes before hello (its Python and Java
 * clients, on code 1006) and error 6 (its Nim client). Only this many in a
 * row count as a refusal.
 */
const DOUBTFUL_ANSWERS_BEFORE_REFUSAL = 3;
const DOUBTFUL_CODES = new Set([6]);

/** How much of what the gateway says is logged. */
const MAX_LOGGED_TEXT = 200;

/** Boticord does not take the API token: it is wrong, deleted or regenerated. */
export class GatewayRefusedError extends Error {}

/** The subset of the WebSocket API both the `ws` package and the platform's client have. */
type GatewaySocket = Pick<WsWebSocket, 'send' | 'close' | 'readyState'> & {
	/** `ws` only: cuts the connection at once, without a close handshake. */
	terminate?: () => void;
	addEventListener(type: 'open', listener: () => void): void;
	addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
	addEventListener(
		type: 'close',
		listener: (event: { code: number; reason: string }) => void,
	): void;
	addEventListener(type: 'error', listener: (event: unknown) => void): void;
};
export type GatewaySocketClass = new (url: string) => GatewaySocket;

// The platform's WebSocket client, on Node.js 22 and newer.
declare const WebSocket: GatewaySocketClass | undefined;

const OPEN = 1;

/**
 * The `ws` package that n8n itself ships (both majors, loaded from n8n's own
 * modules, as `zod` is): unlike the platform's client, it can cut a
 * connection whose peer never finishes the close handshake. The platform's
 * client (Node.js 22 and newer) where `ws` cannot be loaded.
 */
async function defaultSocketClass(logger: Logger): Promise<GatewaySocketClass> {
	const ws = await import('ws').catch(() => undefined);
	if (ws) {
		logger.debug("Boticord's gateway: using the ws package n8n ships");
		return ws.WebSocket as unknown as GatewaySocketClass;
	}
	if (typeof WebSocket === 'function') {
		logger.debug("Boticord's gateway: using the platform's WebSocket client");
		return WebSocket;
	}
	throw new Error(
		"No WebSocket client to reach Boticord's gateway: n8n's ws package could not be loaded, and this Node.js has no WebSocket of its own. Run n8n on Node.js 22 or newer.",
	);
}

/** Every connection attempt of this process counts against Boticord's limit, first come first served. */
const processAttempts = windowLimiter(ATTEMPT_LIMIT);

interface Message {
	event: string;
	data: unknown;
}

function parse(data: unknown): Message | undefined {
	if (typeof data !== 'string') return undefined;
	try {
		const message: unknown = JSON.parse(data);
		return isJsonObject(message) && typeof message.event === 'string'
			? { event: message.event, data: message.data }
			: undefined;
	} catch {
		return undefined;
	}
}

/** A wait that ends when `parent` is aborted too; `end()` stops it and lets go of `parent`. */
function childSignal(parent: AbortSignal): { signal: AbortSignal; end(): void } {
	const child = new AbortController();
	const abort = () => child.abort();
	if (parent.aborted) child.abort();
	else parent.addEventListener('abort', abort, { once: true });
	return {
		signal: child.signal,
		end() {
			parent.removeEventListener('abort', abort);
			child.abort();
		},
	};
}

/** The first of `outcomes`, or `late()` after `ms` (sooner if `signal` aborts); its timer ends with it. */
async function firstWithin<T>(
	ms: number,
	signal: AbortSignal,
	outcomes: Array<Promise<T>>,
	late: () => T,
): Promise<T> {
	const timer = childSignal(signal);
	try {
		return await Promise.race([...outcomes, pause(ms, timer.signal).then(late)]);
	} finally {
		timer.end();
	}
}

interface Closed {
	code: number;
	reason: string;
}

/**
 * System error codes in words. n8n replaces an error message that names one
 * with a generic sentence of its own, which would hide where the trigger
 * tried to connect and what to check.
 */
export const SYSTEM_ERRORS: Readonly<Record<string, string>> = {
	ECONNREFUSED: 'connection refused',
	ECONNRESET: 'connection reset',
	ENOTFOUND: 'unknown host name',
	EAI_AGAIN: 'host name lookup failed',
	ETIMEDOUT: 'timed out',
	EHOSTUNREACH: 'host unreachable',
	ENETUNREACH: 'network unreachable',
};

/** What a socket's error event says went wrong, where the client says it (`ws` does). */
function errorText(event: unknown): string | undefined {
	const { message, error } = (typeof event === 'object' && event !== null ? event : {}) as {
		message?: unknown;
		error?: unknown;
	};
	const { code } = (error ?? {}) as { code?: unknown };
	if (typeof code === 'string' && SYSTEM_ERRORS[code]) return SYSTEM_ERRORS[code];
	const text = typeof message === 'string' ? message : error instanceof Error ? error.message : '';
	const words = text
		.replace(/getaddrinfo\s*/gi, '')
		.replace(/\bE[A-Z_]{3,}\b/g, (name) => SYSTEM_ERRORS[name] ?? 'system error');
	return words === '' ? undefined : words;
}

/**
 * One WebSocket connection, whatever the client: it never throws into the
 * socket's listeners, and it can always be let go of, so that nothing waits
 * on a peer that has gone silent.
 */
class Connection {
	readonly closed: Promise<Closed>;

	/** Aborted once the connection has ended or the client stops: its waits end with it. */
	private readonly life: { signal: AbortSignal; end(): void };

	opened = false;

	/** What the client said went wrong, if it said anything (`ws` does, the platform's client does not). */
	failure: string | undefined;

	private lastHeard = 0;

	private hearing: Array<() => void> = [];

	private settle: (closed: Closed) => void = () => undefined;

	private settled = false;

	onOpen: () => void = () => undefined;

	onMessage: (message: Message | undefined) => void = () => undefined;

	constructor(
		private readonly socket: GatewaySocket,
		stopping: AbortSignal,
		closeTimeoutMs: number,
		private readonly onListenerError: (error: unknown) => void,
	) {
		this.life = childSignal(stopping);
		this.closed = new Promise<Closed>((resolve) => {
			this.settle = (closed) => {
				if (this.settled) return;
				this.settled = true;
				this.life.end();
				resolve(closed);
			};
		});
		socket.addEventListener('open', () =>
			this.guarded(() => {
				this.opened = true;
				this.onOpen();
			}),
		);
		socket.addEventListener('message', ({ data }) =>
			this.guarded(() => {
				this.lastHeard = Date.now();
				for (const heard of this.hearing.splice(0)) heard();
				this.onMessage(parse(data));
			}),
		);
		socket.addEventListener('close', ({ code, reason }) => this.settle({ code, reason }));
		// An error is followed by a close, except on some clients (Node.js 20's
		// platform client after a failed connection): it ends the connection.
		socket.addEventListener('error', (event) => {
			this.failure ??= errorText(event);
			if (this.opened) void this.end(1000, 'error', closeTimeoutMs);
			else this.letGo();
		});
	}

	/** What the socket's listeners do, unless the connection is over: never an exception into the socket. */
	private guarded(listener: () => void) {
		if (this.ended.aborted) return;
		try {
			listener();
		} catch (error) {
			this.onListenerError(error);
		}
	}

	get ended(): AbortSignal {
		return this.life.signal;
	}

	send(message: Message): void {
		try {
			if (this.socket.readyState === OPEN) this.socket.send(JSON.stringify(message));
		} catch {
			// A socket that cannot send is closing; its close is what is acted on.
		}
	}

	/** Whether the peer says anything within `ms` after `since` (a pong, or any other frame). */
	async heardWithin(since: number, ms: number): Promise<boolean> {
		if (this.lastHeard > since) return true;
		let heard: () => void = () => undefined;
		const answer = new Promise<boolean>((resolve) => {
			heard = () => resolve(true);
			this.hearing.push(heard);
		});
		try {
			return await firstWithin(
				ms,
				this.ended,
				[answer, this.closed.then(() => false)],
				() => false,
			);
		} finally {
			this.hearing = this.hearing.filter((waiting) => waiting !== heard);
		}
	}

	/**
	 * Closes the connection, waiting at most `closeTimeoutMs` for the peer to
	 * finish the close handshake, then lets go of it.
	 */
	async end(code: number, reason: string, closeTimeoutMs: number): Promise<void> {
		if (this.settled) return;
		try {
			this.socket.close(code, reason);
		} catch {
			// Already closing: waiting for the close is all there is to do.
		}
		const waited = new AbortController();
		await firstWithin(
			closeTimeoutMs,
			waited.signal,
			[this.closed.then(() => undefined)],
			() => undefined,
		);
		this.letGo();
	}

	/**
	 * Stops waiting for the connection. `ws` cuts it at once; the platform's
	 * client has no such call, so its socket is left to the system to close.
	 */
	letGo(): void {
		if (this.settled) return;
		try {
			this.socket.terminate?.();
		} catch {
			// Nothing more can be done with this socket.
		}
		this.settle({ code: 1006, reason: 'no answer: let go' });
	}
}

type Failure = {
	/**
	 * refused: Boticord does not take the token; doubtful: a refusal if
	 * repeated; transient: try again later; unreachable: no connection at all;
	 * stopped: the client was closed meanwhile.
	 */
	kind: 'refused' | 'doubtful' | 'transient' | 'unreachable' | 'stopped';
	/** For the user and the log: what happened and what to do. */
	message: string;
};

const REFUSED_ADVICE =
	'Copy the token again from your Boticord profile settings (API tab) into the credential.';

/** The words of a number of milliseconds, for messages: "45 s", "5 min", "1 h 2 min". */
function duration(ms: number): string {
	const seconds = Math.round(ms / 1000);
	if (seconds < 60) return `${seconds} s`;
	const minutes = Math.floor(seconds / 60);
	if (minutes < 60) return seconds % 60 ? `${minutes} min ${seconds % 60} s` : `${minutes} min`;
	return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** What a caller gives a gateway client. */
export interface GatewayClientOptions {
	url: string;
	token: string;
	logger: Logger;
	/**
	 * `required`: `open()` fails unless the first connection is accepted (a
	 * user activating the workflow sees why at once). `background`: only a
	 * refused token fails it; otherwise the client keeps trying (n8n starting
	 * while the gateway is down must not cost hours of its activation backoff).
	 */
	firstConnection: 'required' | 'background';
	/** Every notification's `data`, as Boticord sent it. */
	onNotification(data: JsonObject): void;
	/** The token was refused after `open()`: the client has stopped. */
	onRefused(error: GatewayRefusedError): void;
	/** No connection has stayed up for `outageReportMs`: once per outage; reconnecting goes on. */
	onOutage(message: string): void;
	/** A connection was accepted (the first or a reconnection); `ended` aborts when it ends. */
	onConnected?(ended: AbortSignal): void;
	timings?: Partial<GatewayTimings>;
	/** The WebSocket client; by default `ws`, else the platform's. */
	webSocket?: GatewaySocketClass;
	/** The attempts this client counts against; by default Boticord's limit, shared by every client of this process. */
	takeAttempt?: TakeStart;
}

export class BoticordGatewayClient {
	private readonly stopping = new AbortController();

	private readonly timings: GatewayTimings;

	private SocketClass: GatewaySocketClass | undefined;

	/** Every connection not yet ended, the one being opened included. */
	private readonly connections = new Set<Connection>();

	private running: Promise<void> | undefined;

	/** Failures since the last connection that stayed up: what the backoff grows with. */
	private failures = 0;

	private doubtfulInARow = 0;

	/** Since when no connection has stayed up, while that lasts. */
	private downSince: number | undefined;

	private outageWatch: { end(): void } | undefined;

	private outageReported = false;

	private lastProblem = '';

	private failedNotifications = 0;

	/** Keeps the token out of everything the gateway says that this client repeats. */
	private readonly redact: Redaction;

	constructor(private readonly options: GatewayClientOptions) {
		this.timings = { ...DEFAULT_GATEWAY_TIMINGS, ...options.timings };
		this.redact = redaction([options.token]);
	}

	/**
	 * Connects and authenticates. Rejects, with a message for the user, when
	 * the token is refused, and also when the gateway cannot be reached if
	 * the first connection is required; otherwise keeps a connection,
	 * reconnecting as needed, until `close()`.
	 */
	async open(): Promise<void> {
		this.SocketClass = this.options.webSocket ?? (await defaultSocketClass(this.options.logger));
		const started = Date.now();
		for (;;) {
			const outcome = await this.attempt();
			if (outcome instanceof Connection) {
				this.running = this.keepConnected(outcome);
				return;
			}
			if (outcome.kind === 'stopped') throw new Error('The trigger was closed while connecting.');
			if (outcome.kind === 'refused') throw new GatewayRefusedError(outcome.message);
			this.failed(outcome);
			if (this.options.firstConnection === 'background') {
				this.options.logger.warn(
					`${outcome.message} The trigger keeps trying to connect in the background.`,
				);
				this.running = this.keepConnected(undefined);
				return;
			}
			// A passing error (the gateway busy, restarting) is retried for as long as a
			// first answer may take; anything else is for the user to fix now.
			const wait = this.backoff();
			if (
				outcome.kind !== 'transient' ||
				Date.now() + wait > started + this.timings.helloTimeoutMs
			) {
				throw new Error(outcome.message);
			}
			this.options.logger.warn(`${outcome.message} Trying again.`);
			await pause(wait, this.stopping.signal);
		}
	}

	/**
	 * Stops: ends every wait and closes every connection, letting go of one
	 * whose peer does not finish the close in time, so that it returns within
	 * about `closeTimeoutMs` whatever the gateway does.
	 */
	async close(): Promise<void> {
		this.stopping.abort();
		this.outageWatch?.end();
		await Promise.all(
			[...this.connections].map(async (connection) =>
				connection.end(1000, 'closing', this.timings.closeTimeoutMs),
			),
		);
		await this.running;
	}

	private get stopped(): boolean {
		return this.stopping.signal.aborted;
	}

	private get logger(): Logger {
		return this.options.logger;
	}

	/** The gateway's own words, for a message: never the token, never too long. */
	private said(text: unknown): string {
		return this.redact.text(text, MAX_LOGGED_TEXT);
	}

	/** What an error says, kept like the gateway's words. */
	private errorSaid(error: unknown): string {
		return this.said(error instanceof Error ? error.message : String(error));
	}

	/** An `error` frame, as a line: its code, what the code means, and the gateway's message. */
	private describeError(data: unknown): { code: unknown; text: string } {
		const { code, message } = isJsonObject(data) ? data : {};
		const meaning = typeof code === 'number' ? boticordErrorCodes[code] : undefined;
		return {
			code,
			text: `error ${typeof code === 'number' ? code : '(no code)'}${meaning ? ` (${meaning})` : ''}: "${this.said(message)}"`,
		};
	}

	/** What an answer to the token other than hello means. */
	private answerFailure(message: Message | undefined): Failure {
		const { url } = this.options;
		if (message?.event !== 'error') {
			return {
				kind: 'transient',
				message: `Boticord's gateway at ${url} answered the API token with ${message ? `a "${this.said(message.event)}" message` : 'something that is not a gateway message'} instead of hello.`,
			};
		}
		const { code, text } = this.describeError(message.data);
		if (typeof code === 'number' && REFUSING_CODES.has(code)) {
			return {
				kind: 'refused',
				message: `Boticord's gateway refused the API token (${text}). ${REFUSED_ADVICE}`,
			};
		}
		return {
			kind: typeof code === 'number' && DOUBTFUL_CODES.has(code) ? 'doubtful' : 'transient',
			message: `Boticord's gateway at ${url} answered the API token with ${text}.`,
		};
	}

	/** Opens one connection and sends the token: the connection once accepted, or why not. */
	private async attempt(): Promise<Connection | Failure> {
		const stopped: Failure = { kind: 'stopped', message: 'closed' };
		await (this.options.takeAttempt ?? processAttempts)(this.stopping.signal);
		if (this.stopped || !this.SocketClass) return stopped;
		const { url, token } = this.options;
		let socket: GatewaySocket;
		try {
			socket = new this.SocketClass(url);
		} catch (error) {
			return {
				kind: 'unreachable',
				message: `Could not connect to Boticord's gateway at ${url}: ${this.errorSaid(error)}.`,
			};
		}
		const connection = new Connection(
			socket,
			this.stopping.signal,
			this.timings.closeTimeoutMs,
			(error) => this.listenerFailed(error),
		);
		this.connections.add(connection);
		void connection.closed.then(() => this.connections.delete(connection));

		let answered: (outcome: Connection | Failure) => void = () => undefined;
		const answer = new Promise<Connection | Failure>((resolve) => (answered = resolve));
		connection.onOpen = () => connection.send({ event: 'auth', data: { token } });
		connection.onMessage = (message) => {
			if (message?.event !== 'hello') return answered(this.answerFailure(message));
			const { id } = isJsonObject(message.data) ? message.data : {};
			this.logger.info(
				`Connected to Boticord's gateway (connection ${this.said(id) || '?'})${this.downSince === undefined ? '' : ` after ${duration(Date.now() - this.downSince)} without a steady connection`}`,
			);
			connection.onMessage = (next) => this.received(next);
			answered(connection);
		};
		const outcome = await firstWithin<Connection | Failure>(
			this.timings.helloTimeoutMs,
			this.stopping.signal,
			[
				answer,
				connection.closed.then(({ code }) =>
					connection.opened
						? {
								kind: 'doubtful',
								message: `Boticord's gateway at ${url} closed the connection (code ${code}) before accepting the API token. Check the token, and that n8n can reach the gateway.`,
							}
						: {
								kind: 'unreachable',
								message: `Could not connect to Boticord's gateway at ${url}${connection.failure ? ` (${this.said(connection.failure)})` : ''}. Check that n8n can reach it (outgoing WebSocket connections, proxies).`,
							},
				),
			],
			() => ({
				kind: 'transient',
				message: `Boticord's gateway at ${url} did not ${connection.opened ? 'answer the API token' : 'accept a connection'} within ${duration(this.timings.helloTimeoutMs)}.`,
			}),
		);
		if (outcome instanceof Connection && !this.stopped) return outcome;
		await connection.end(1000, 'not accepted', this.timings.closeTimeoutMs);
		return this.stopped ? stopped : outcome;
	}

	/** A message after hello. */
	private received(message: Message | undefined): void {
		if (this.stopped) return;
		if (message?.event === 'notify' && isJsonObject(message.data)) {
			this.options.onNotification(message.data);
		} else if (message?.event === 'error') {
			this.logger.warn(`Boticord's gateway sent ${this.describeError(message.data).text}`);
		} else if (message?.event !== 'pong') {
			this.logger.debug("Boticord's gateway sent a message this version does not act on", {
				event: message ? this.said(message.event) : '(not a gateway message)',
			});
		}
	}

	/** A notification that could not be handled is logged and counted; the connection goes on. */
	private listenerFailed(error: unknown): void {
		this.failedNotifications++;
		this.logger.error(
			`Boticord Gateway Trigger could not handle a message from the gateway (${this.failedNotifications} so far); it goes on with the next ones`,
			{ error: this.errorSaid(error) },
		);
	}

	/** The wait before the next attempt: exponential, with jitter, so that clients cut off together do not return together. */
	private backoff(): number {
		const { firstReconnectMs, maxReconnectMs } = this.timings;
		const ceiling = Math.min(maxReconnectMs, firstReconnectMs * 2 ** Math.min(this.failures, 16));
		return ceiling / 2 + Math.random() * (ceiling / 2);
	}

	/** Counts a failed attempt, and starts an outage if none is running. */
	private failed(outcome: Failure): void {
		this.failures++;
		this.doubtfulInARow = outcome.kind === 'doubtful' ? this.doubtfulInARow + 1 : 0;
		this.down(outcome.message);
	}

	private down(problem: string): void {
		this.lastProblem = problem;
		if (this.downSince !== undefined) return;
		this.downSince = Date.now();
		const watch = childSignal(this.stopping.signal);
		this.outageWatch = watch;
		void pause(this.timings.outageReportMs, watch.signal).then(() => {
			if (watch.signal.aborted || this.downSince === undefined) return;
			this.outageReported = true;
			this.options.onOutage(
				`Boticord Gateway Trigger has had no steady connection to Boticord's gateway for ${duration(Date.now() - this.downSince)}. The last problem: ${this.lastProblem} The trigger keeps reconnecting; notifications Boticord sends meanwhile are lost.`,
			);
		});
	}

	/** A connection stayed up: the outage, if any, is over, and the backoff starts over. */
	private steady(upSince: number): void {
		this.failures = 0;
		if (this.downSince === undefined) return;
		if (this.outageReported) {
			this.logger.info(
				`Boticord's gateway is reachable again: the connection has been steady for ${duration(Date.now() - upSince)}, after ${duration(upSince - this.downSince)} without one`,
			);
		}
		this.downSince = undefined;
		this.outageReported = false;
		this.outageWatch?.end();
	}

	/**
	 * Pings while the connection lives, and cuts it when it stops answering;
	 * resolves once it has ended, with how long it was up and what ended it.
	 */
	private async serve(connection: Connection): Promise<{ lasted: number; problem: string }> {
		const { pingIntervalMs, pongTimeoutMs, closeTimeoutMs, stableAfterMs } = this.timings;
		const upSince = Date.now();
		this.doubtfulInARow = 0;
		try {
			this.options.onConnected?.(connection.ended);
		} catch (error) {
			this.logger.error(
				"Boticord Gateway Trigger could not act on a new connection to Boticord's gateway",
				{ error: this.errorSaid(error) },
			);
		}
		void pause(stableAfterMs, connection.ended).then(() => {
			if (!connection.ended.aborted) this.steady(upSince);
		});
		let dead = false;
		while (!connection.ended.aborted) {
			await pause(pingIntervalMs, connection.ended);
			if (connection.ended.aborted) break;
			const sentAt = Date.now();
			connection.send({ event: 'ping', data: {} });
			if (!(await connection.heardWithin(sentAt, pongTimeoutMs)) && !connection.ended.aborted) {
				dead = true;
				this.logger.warn(
					`Boticord's gateway has not answered a ping for ${duration(pongTimeoutMs)}: the connection is taken for dead and replaced`,
				);
				await connection.end(4000, 'no pong', closeTimeoutMs);
			}
		}
		const { code, reason } = await connection.closed;
		const problem = dead
			? `The connection to Boticord's gateway stopped answering pings.`
			: `Boticord's gateway closed the connection (code ${code}${reason ? `, "${this.said(reason)}"` : ''}).`;
		if (!dead && !this.stopped) this.logger.warn(`${problem} Reconnecting.`);
		return { lasted: Date.now() - upSince, problem };
	}

	private async keepConnected(first: Connection | undefined): Promise<void> {
		let connection = first;
		while (!this.stopped) {
			if (connection) {
				const { lasted, problem } = await this.serve(connection);
				connection = undefined;
				if (this.stopped) return;
				if (lasted < this.timings.stableAfterMs) this.failures++;
				this.down(problem);
			}
			await pause(this.backoff(), this.stopping.signal);
			const outcome = await this.attempt();
			if (outcome instanceof Connection) {
				connection = outcome;
				continue;
			}
			if (outcome.kind === 'stopped') return;
			this.failed(outcome);
			const refusal =
				outcome.kind === 'refused'
					? new GatewayRefusedError(outcome.message)
					: this.doubtfulInARow >= DOUBTFUL_ANSWERS_BEFORE_REFUSAL
						? new GatewayRefusedError(
								`Boticord's gateway turned down ${this.doubtfulInARow} connections in a row before accepting the API token (the last: ${outcome.message}), as it does when the token was deleted or regenerated. ${REFUSED_ADVICE}`,
							)
						: undefined;
			if (refusal) {
				this.logger.error(refusal.message);
				this.stopping.abort();
				this.outageWatch?.end();
				this.options.onRefused(refusal);
				return;
			}
			this.logger.warn(`Could not reconnect to Boticord's gateway: ${outcome.message}`);
		}
	}
}
