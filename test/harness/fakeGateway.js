'use strict';
// A stand-in for Boticord's WebSocket gateway on loopback, speaking its
// documented protocol: a client sends {"event":"auth","data":{"token"}} and
// gets {"event":"hello","data":{"id"}} for a known token (anything else
// otherwise, then a close); pings get pongs; a client silent for longer than
// the silence limit is closed; notifications go to every authenticated
// client; a revoked token's connections are closed; the server can restart.
// `POST /notify` with a notification's data as its JSON body sends it too, so
// that another process (npm run deliver) can.
const crypto = require('node:crypto');
const http = require('node:http');

const { WebSocketServer } = require('ws');

/**
 * @param {{ tokens: string[], silenceLimitMs?: number, port?: number }} options
 */
async function startFakeGateway({ tokens, silenceLimitMs = 90_000, port = 0 }) {
	const valid = new Set(tokens);
	/** Every connection attempt, with the token it sent (if any) and its outcome. */
	const attempts = [];
	const pings = [];
	/** @type {Set<{ socket: import('ws').WebSocket, token: string }>} */
	const clients = new Set();
	let server;
	let wss;
	let boundPort = port;

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
		wss.on('connection', (socket) => {
			const attempt = { at: Date.now(), token: undefined, accepted: false };
			attempts.push(attempt);
			let silence;
			const hush = () => {
				clearTimeout(silence);
				silence = setTimeout(() => socket.close(4000, 'silent for too long'), silenceLimitMs);
			};
			hush();
			socket.on('close', () => {
				clearTimeout(silence);
				for (const client of clients) if (client.socket === socket) clients.delete(client);
			});
			socket.on('message', (raw) => {
				let message;
				try {
					message = JSON.parse(String(raw));
				} catch {
					return;
				}
				if (message.event === 'auth') {
					attempt.token = message.data?.token;
					if (valid.has(attempt.token)) {
						attempt.accepted = true;
						clients.add({ socket, token: attempt.token });
						socket.send(JSON.stringify({ event: 'hello', data: { id: crypto.randomUUID() } }));
					} else {
						socket.send(
							JSON.stringify({ event: 'error', data: { code: 4, message: 'Unauthorized' } }),
						);
						socket.close(4001, 'unauthorized');
					}
				} else if (message.event === 'ping') {
					pings.push(Date.now());
					hush();
					socket.send(JSON.stringify({ event: 'pong', data: {} }));
				}
			});
		});
		return new Promise((resolve) =>
			server.listen(boundPort, '127.0.0.1', () => {
				boundPort = server.address().port;
				resolve();
			}),
		);
	}

	function shutDown() {
		for (const { socket } of clients) socket.terminate();
		for (const socket of wss.clients) socket.terminate();
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
		get connected() {
			return clients.size;
		},
		notifyUrl: `http://127.0.0.1:${boundPort}/notify`,
		notify,
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
