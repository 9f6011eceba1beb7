'use strict';
// A stand-in for Boticord's WebSocket gateway on loopback, speaking its
// documented protocol: a client sends {"event":"auth","data":{"token"}} and
// gets {"event":"hello","data":{"id"}} for a known token (an error frame,
// code 4, then a close otherwise); pings get pongs; a client silent for
// longer than the silence limit is closed; notifications go to every
// authenticated client; a revoked token's connections are closed; the server
// can restart. `POST /notify` with a notification's data as its JSON body
// sends it too, so that another process (npm run deliver) can.
//
// It also misbehaves on demand, as networks and servers do (see `behave` and
// `silence`): connections that go silent without closing (a dead NAT entry,
// a hung proxy), hellos followed by a drop, error frames with any code,
// connections dropped before hello, tokens never answered.
const crypto = require('node:crypto');
const http = require('node:http');

const { WebSocketServer } = require('ws');

/**
 * How the stand-in treats new connections.
 * - `auth`: how it answers a known token: 'hello' (the default); 'drop' (the
 *   TCP connection is cut without a close frame: the client sees 1006, as
 *   Boticord's SDKs do for a refused token); 'ignore' (never answers);
 *   `{ error: { code, message }, close }` (an error frame, then a close with
 *   that code unless `close` is false).
 * - `dropAfterHelloMs`: cut each connection that long after its hello.
 * - `silentAfterHello`: black-hole each connection right after its hello.
 * @typedef {{ auth?: 'hello' | 'drop' | 'ignore' | { error: { code: number, message: string }, close?: number | false }, dropAfterHelloMs?: number, silentAfterHello?: boolean }} Behaviour
 */

/**
 * @param {{ tokens: string[], silenceLimitMs?: number, port?: number }} options
 */
async function startFakeGateway({ tokens, silenceLimitMs = 90_000, port = 0 }) {
	const valid = new Set(tokens);
	/** Every connection attempt, with the token it sent (if any) and its outcome. */
	const attempts = [];
	const pings = [];
	/** Authenticated clients that still get notifications. */
	const clients = new Set();
	/** Every TCP connection still open, silenced ones included. */
	const sockets = new Set();
	/** @type {Behaviour} */
	let behaviour = {};
	let server;
	let wss;
	let boundPort = port;

	/**
	 * Black-holes one connection: nothing more is read or written, no close
	 * frame is answered, and the TCP connection stays open, until the client
	 * gives up on it. What the client sends is still read off the wire, so
	 * that its FIN or RST is seen.
	 */
	function blackHole(socket, raw, attempt) {
		if (!sockets.has(raw)) return;
		attempt.silenced = true;
		clearTimeout(attempt.drop);
		for (const client of clients) if (client.socket === socket) clients.delete(client);
		clearTimeout(attempt.silence);
		raw.removeAllListeners('data');
		raw.on('data', () => undefined);
	}

	function onConnection(socket, request) {
		const raw = request.socket;
		sockets.add(raw);
		raw.once('close', () => sockets.delete(raw));
		const attempt = { at: Date.now(), token: undefined, accepted: false, silenced: false };
		attempts.push(attempt);
		const current = behaviour;
		const hush = () => {
			clearTimeout(attempt.silence);
			attempt.silence = setTimeout(() => socket.close(4000, 'silent for too long'), silenceLimitMs);
		};
		hush();
		socket.on('close', () => {
			clearTimeout(attempt.silence);
			clearTimeout(attempt.drop);
			for (const client of clients) if (client.socket === socket) clients.delete(client);
		});
		socket.on('error', () => undefined);
		attempt.blackHole = () => blackHole(socket, raw, attempt);
		socket.on('message', (data) => {
			// Frames already read off the wire when the connection was black-holed.
			if (attempt.silenced) return;
			let message;
			try {
				message = JSON.parse(String(data));
			} catch {
				return;
			}
			if (message.event === 'auth') {
				attempt.token = message.data?.token;
				authenticate(socket, attempt, current);
			} else if (message.event === 'ping') {
				pings.push(Date.now());
				hush();
				socket.send(JSON.stringify({ event: 'pong', data: {} }));
			}
		});
	}

	function authenticate(socket, attempt, { auth = 'hello', dropAfterHelloMs, silentAfterHello }) {
		if (!valid.has(attempt.token)) {
			socket.send(JSON.stringify({ event: 'error', data: { code: 4, message: 'Unauthorized' } }));
			socket.close(4001, 'unauthorized');
			return;
		}
		if (auth === 'drop') return socket.terminate();
		if (auth === 'ignore') return undefined;
		if (typeof auth === 'object') {
			socket.send(JSON.stringify({ event: 'error', data: auth.error }));
			if (auth.close !== false) socket.close(auth.close ?? 4000, 'error');
			return undefined;
		}
		attempt.accepted = true;
		clients.add({ socket, token: attempt.token });
		socket.send(JSON.stringify({ event: 'hello', data: { id: crypto.randomUUID() } }));
		if (silentAfterHello) attempt.blackHole();
		if (dropAfterHelloMs !== undefined) {
			attempt.drop = setTimeout(() => socket.terminate(), dropAfterHelloMs);
		}
		return undefined;
	}

	function listen() {
		server = http.createServer((req, res) => {
			if (req.method !== 'POST' || req.url !== '/notify') {
				res.writeHead(426).end();
				return;
			}
			const chunks = [];
			req.on('data', (chunk) => chunks.push(chunk));
			req.on('end', () => {
				try {
					const clientsReached = notify(JSON.parse(Buffer.concat(chunks).toString('utf8')));
					res.writeHead(200, { 'content-type': 'application/json' });
					res.end(JSON.stringify({ clients: clientsReached }));
				} catch {
					res.writeHead(400).end();
				}
			});
		});
		wss = new WebSocketServer({ server, path: '/websocket/' });
		wss.on('connection', onConnection);
		return new Promise((resolve) =>
			server.listen(boundPort, '127.0.0.1', () => {
				boundPort = server.address().port;
				resolve();
			}),
		);
	}

	function shutDown() {
		for (const attempt of attempts) clearTimeout(attempt.drop);
		for (const socket of wss.clients) socket.terminate();
		for (const raw of sockets) raw.destroy();
		return new Promise((resolve) => {
			wss.close();
			server.closeAllConnections();
			server.close(() => resolve());
		});
	}

	/** Sends a notification (`data` as Boticord documents it) to every authenticated client. */
	function notify(data) {
		for (const { socket } of clients) socket.send(JSON.stringify({ event: 'notify', data }));
		return clients.size;
	}

	await listen();
	return {
		url: `ws://127.0.0.1:${boundPort}/websocket/`,
		attempts,
		pings,
		/** Authenticated connections that get notifications. */
		get connected() {
			return clients.size;
		},
		/** TCP connections still open, silenced ones included: what clients have not let go of. */
		get open() {
			return sockets.size;
		},
		notifyUrl: `http://127.0.0.1:${boundPort}/notify`,
		notify,
		/** Sends any frame to every authenticated client: an object as JSON (an error frame, say), a string or Buffer as it is. */
		send(frame) {
			const data =
				typeof frame === 'string' || Buffer.isBuffer(frame) ? frame : JSON.stringify(frame);
			for (const { socket } of clients) socket.send(data);
		},
		/** How the stand-in treats connections from now on (see Behaviour); `{}` is the documented protocol. */
		behave(next) {
			behaviour = next;
		},
		/** Black-holes every open connection (see blackHole). */
		silence() {
			for (const attempt of attempts)
				if (attempt.blackHole && !attempt.silenced) attempt.blackHole();
		},
		/** Deletes a token, as a user who regenerates it does: its connections are closed. */
		revoke(token) {
			valid.delete(token);
			for (const { socket, token: used } of clients) {
				if (used === token) socket.close(4002, 'token revoked');
			}
		},
		/** Stops for `downMs`, dropping every connection, then listens again on the same port. */
		async restart(downMs = 0) {
			await shutDown();
			await new Promise((resolve) => setTimeout(resolve, downMs));
			await listen();
		},
		close: shutDown,
	};
}

module.exports = { startFakeGateway };
