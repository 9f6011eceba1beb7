import type { Logger } from 'n8n-workflow';
import type { WebSocket as WsWebSocket } from 'ws';

import type { JsonObject } from '../shared/jsonBody';
import { isJsonObject } from '../shared/jsonBody';
import { pause, windowLimiter } from '../shared/rateLimit';

/**
 * A client of Boticord's WebSocket gateway: it connects out, so it needs no
 * public address. It authenticates with the API token, pings often enough
 * to be kept, hands every notification on, and reconnects when the
 * connection drops, within Boticord's limit, until it is closed.
 */

export const BOTICORD_GATEWAY_URL = 'wss://gateway.boticord.top/websocket/';

export interface GatewayTimings {
	/** Boticord closes a connection that sends nothing for 90 s. */
	pingIntervalMs: number;
	/** A connection whose pong does not come in this time is taken for dead. */
	pongTimeoutMs: number;
	/** How long the gateway may take to answer the token. */
	helloTimeoutMs: number;
	/** The first wait before reconnecting; each failure doubles it, up to `maxReconnectMs`. */
	firstReconnectMs: number;
	maxReconnectMs: number;
}

export const DEFAULT_GATEWAY_TIMINGS: GatewayTimings = {
	pingIntervalMs: 45_000,
	pongTimeoutMs: 30_000,
	helloTimeoutMs: 15_000,
	firstReconnectMs: 1_000,
	maxReconnectMs: 60_000,
};

/** Boticord accepts at most 15 connection attempts in 10 seconds; this process keeps under it. */
export const ATTEMPT_LIMIT = { limit: 15, windowMs: 10_000 };

/** Connections refused without a word this many times in a row are taken for a refused token. */
const SILENT_REFUSALS_BEFORE_GIVING_UP = 5;

/** Boticord answered the token with something other than hello: it is wrong, deleted or regenerated. */
export class GatewayRefusedError extends Error {}

/** The gateway closed the connection without answering the token. */
class ClosedBeforeHelloError extends Error {}

/** The subset of the WebSocket API both the platform's client and the `ws` package have. */
type GatewaySocket = Pick<WsWebSocket, 'send' | 'close' | 'readyState'> & {
	addEventListener(type: 'open', listener: () => void): void;
	addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
	addEventListener(
		type: 'close',
		listener: (event: { code: number; reason: string }) => void,
	): void;
	addEventListener(type: 'error', listener: (event: unknown) => void): void;
};
type GatewaySocketClass = new (url: string) => GatewaySocket;

// The platform's WebSocket client, on Node.js 22 and newer (n8n 2.x).
declare const WebSocket: GatewaySocketClass | undefined;

/**
 * The platform's client where there is one; elsewhere (n8n 1.x on Node.js 20)
 * the `ws` package that n8n itself ships, which n8n lets community packages
 * load. No WebSocket code of this package's own.
 */
async function socketClass(logger: Logger): Promise<GatewaySocketClass> {
	if (typeof WebSocket === 'function') {
		logger.debug("Boticord's gateway: using the platform's WebSocket client");
		return WebSocket;
	}
	logger.debug("Boticord's gateway: using the ws package n8n ships");
	const ws = await import('ws');
	return ws.WebSocket as unknown as GatewaySocketClass;
}

/** Every connection attempt of this process counts against Boticord's limit. */
const takeAttempt = windowLimiter(ATTEMPT_LIMIT);

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

/** What a caller gives a gateway client. */
export interface GatewayClientOptions {
	url: string;
	token: string;
	logger: Logger;
	/** Every notification's `data`, as Boticord sent it. */
	onNotification(data: JsonObject): void;
	/** The token was refused after the first connection: the client has stopped. */
	onRefused(error: GatewayRefusedError): void;
	timings?: Partial<GatewayTimings>;
}

/** A wait that ends when `parent` is aborted too; `end()` stops it and lets go of `parent`. */
function childSignal(parent: AbortSignal): { signal: AbortSignal; end(): void } {
	const child = new AbortController();
	const abort = () => child.abort();
	parent.addEventListener('abort', abort, { once: true });
	return {
		signal: child.signal,
		end() {
			parent.removeEventListener('abort', abort);
			child.abort();
		},
	};
}

/** One open, authenticated connection. */
interface Session {
	socket: GatewaySocket;
	/** Resolves once the connection has closed, for whatever reason. */
	closed: Promise<{ code: number; reason: string }>;
	lastPong: number;
}

type Greeting =
	| { kind: 'hello'; id: unknown }
	| { kind: 'refused' }
	| { kind: 'timeout' }
	| { kind: 'closed'; code: number }
	/** The connection itself failed: nothing was said about the token. */
	| { kind: 'unreachable' };

const REFUSED_MESSAGE =
	"Boticord's gateway refused the API token. Copy the token again from your Boticord profile settings (API tab) into the credential.";

export class BoticordGatewayClient {
	private readonly stopping = new AbortController();

	private readonly timings: GatewayTimings;

	private session: Session | undefined;

	private running: Promise<void> | undefined;

	constructor(private readonly options: GatewayClientOptions) {
		this.timings = { ...DEFAULT_GATEWAY_TIMINGS, ...options.timings };
	}

	/**
	 * Connects and authenticates. Rejects, with a message for the user, when
	 * the token is refused or the gateway cannot be reached; otherwise keeps
	 * the connection, reconnecting as needed, until `close()`.
	 */
	async open(): Promise<void> {
		const SocketClass = await socketClass(this.options.logger);
		this.session = await this.connect(SocketClass);
		this.running = this.keepConnected(SocketClass);
	}

	/** Stops: closes the connection and ends every wait, so nothing is left running. */
	async close(): Promise<void> {
		this.stopping.abort();
		this.session?.socket.close(1000, 'closing');
		await this.running;
		if (this.session) await this.session.closed;
	}

	private get stopped(): boolean {
		return this.stopping.signal.aborted;
	}

	/** Opens one connection and sends the token; throws when it is not accepted. */
	private async connect(SocketClass: GatewaySocketClass): Promise<Session> {
		await takeAttempt(this.stopping.signal);
		if (this.stopped) throw new Error('closing');
		const { url, token, logger } = this.options;
		const socket = new SocketClass(url);
		const closed = new Promise<{ code: number; reason: string }>((resolve) =>
			socket.addEventListener('close', ({ code, reason }) => resolve({ code, reason })),
		);
		// Errors are followed by a close, which is what is acted on.
		socket.addEventListener('error', () => undefined);
		const session: Session = { socket, closed, lastPong: Date.now() };

		let greet: (greeting: Greeting) => void = () => undefined;
		const greeted = new Promise<Greeting>((resolve) => (greet = resolve));
		let authenticated = false;
		let opened = false;
		socket.addEventListener('open', () => {
			opened = true;
			socket.send(JSON.stringify({ event: 'auth', data: { token } }));
		});
		socket.addEventListener('message', ({ data }) => {
			const message = parse(data);
			if (!authenticated) {
				authenticated = message?.event === 'hello';
				greet(
					authenticated
						? { kind: 'hello', id: isJsonObject(message?.data) ? message?.data.id : undefined }
						: { kind: 'refused' },
				);
			} else if (message?.event === 'pong') {
				session.lastPong = Date.now();
			} else if (message?.event === 'notify' && isJsonObject(message.data)) {
				this.options.onNotification(message.data);
			} else {
				logger.debug("Boticord's gateway sent a message this version does not know", {
					event: message?.event,
				});
			}
		});

		const wait = childSignal(this.stopping.signal);
		const greeting = await Promise.race<Greeting>([
			greeted,
			pause(this.timings.helloTimeoutMs, wait.signal).then(() => ({ kind: 'timeout' })),
			closed.then(({ code }) => (opened ? { kind: 'closed', code } : { kind: 'unreachable' })),
		]);
		wait.end();
		if (greeting.kind === 'hello') {
			logger.info(`Connected to Boticord's gateway (connection ${String(greeting.id ?? '?')})`);
			return session;
		}
		socket.close(1000, 'not accepted');
		if (greeting.kind === 'refused') throw new GatewayRefusedError(REFUSED_MESSAGE);
		if (greeting.kind === 'closed') {
			throw new ClosedBeforeHelloError(
				`Boticord's gateway at ${url} closed the connection (code ${greeting.code}) before accepting the API token. Check the token, and that n8n can reach the gateway.`,
			);
		}
		if (greeting.kind === 'unreachable') {
			throw new Error(
				`Could not connect to Boticord's gateway at ${url}. Check that n8n can reach it (outgoing WebSocket connections, proxies).`,
			);
		}
		throw new Error(
			`Boticord's gateway at ${url} did not answer the API token within ${this.timings.helloTimeoutMs / 1000} s.`,
		);
	}

	/** Pings while the connection lives; returns once it has closed (or was closed for silence). */
	private async ping(session: Session): Promise<void> {
		const wait = childSignal(this.stopping.signal);
		void session.closed.then(() => wait.end());
		while (!wait.signal.aborted) {
			await pause(this.timings.pingIntervalMs, wait.signal);
			if (wait.signal.aborted) break;
			if (
				Date.now() - session.lastPong >
				this.timings.pingIntervalMs + this.timings.pongTimeoutMs
			) {
				this.options.logger.warn("Boticord's gateway stopped answering pings: reconnecting");
				session.socket.close(4000, 'no pong');
				break;
			}
			session.socket.send(JSON.stringify({ event: 'ping', data: {} }));
		}
		await session.closed;
		wait.end();
	}

	private async keepConnected(SocketClass: GatewaySocketClass): Promise<void> {
		let failures = 0;
		let silentRefusals = 0;
		while (!this.stopped) {
			if (this.session) {
				await this.ping(this.session);
				const { code, reason } = await this.session.closed;
				this.session = undefined;
				if (this.stopped) return;
				this.options.logger.warn(
					`Boticord's gateway closed the connection (code ${code}${reason ? `, ${reason}` : ''}): reconnecting`,
				);
			}
			// Exponential, with jitter, so that clients cut off together do not return together.
			const ceiling = Math.min(
				this.timings.maxReconnectMs,
				this.timings.firstReconnectMs * 2 ** Math.min(failures, 16),
			);
			await pause(ceiling / 2 + Math.random() * (ceiling / 2), this.stopping.signal);
			if (this.stopped) return;
			try {
				this.session = await this.connect(SocketClass);
				failures = 0;
				silentRefusals = 0;
			} catch (error) {
				if (this.stopped) return;
				failures++;
				if (error instanceof ClosedBeforeHelloError) silentRefusals++;
				const refusal =
					error instanceof GatewayRefusedError
						? error
						: silentRefusals >= SILENT_REFUSALS_BEFORE_GIVING_UP
							? new GatewayRefusedError(
									`Boticord's gateway closed ${SILENT_REFUSALS_BEFORE_GIVING_UP} connections in a row before accepting the API token: the token was probably deleted or regenerated. Copy the current one from your Boticord profile settings into the credential.`,
								)
							: undefined;
				if (refusal) {
					this.options.logger.error(refusal.message);
					this.options.onRefused(refusal);
					return;
				}
				this.options.logger.warn(`Could not reconnect to Boticord's gateway: ${String(error)}`);
			}
		}
	}
}
