'use strict';
// A stand-in for Boticord's API v3 on loopback, as its documentation
// describes it: GET /bots/:id, POST /bots/:id/stats (the Authorization header
// holding the owner's token, a JSON body), GET /servers/:id, GET /users/:id;
// every answer in the { ok, result, errors: [{ code, message }] } envelope,
// with the documented error codes; 25 requests in 10 seconds at most per
// account (per Authorization header), then 429.
const http = require('node:http');

const { leakingAnswer } = require('./leakingAnswers');

const { BOT_ID, SERVER_ID, USER } = require('../fixtures/deliveries');

const CODES = {
	RateLimited: 1,
	Unauthorized: 4,
	BadRequest: 5,
	UnknownError: 8,
	UnknownUser: 10,
	TokenInvalid: 14,
	UnknownBot: 19,
	UnknownServer: 20,
	ResourceNotOwned: 55,
};

/** What the stand-in knows: one bot and one server owned by `owner`, and that user. */
function catalogue() {
	return {
		bots: {
			[BOT_ID]: {
				id: BOT_ID,
				name: 'Demo Bot',
				shortDescription: 'A bot for tests',
				owner: USER,
				guilds: 10,
				shards: 1,
				members: 1000,
				upCount: 42,
				tags: [2, 3],
			},
		},
		servers: {
			[SERVER_ID]: { id: SERVER_ID, name: 'Demo Server', owner: USER, memberCount: 77, upCount: 7 },
		},
		users: { [USER]: { id: USER, username: 'demo-user', bots: [], servers: [] } },
	};
}

/**
 * @param {{ token: string, limit?: number, windowMs?: number }} options the owner's API token
 */
async function startFakeBoticordApi({ token, limit = 25, windowMs = 10_000 }) {
	const data = catalogue();
	/** Every request, as { method, path, authorization, body }. */
	const requests = [];
	/** When each of `requests` arrived (epoch ms). */
	const arrivals = [];
	/** The arrival times of recent requests, per Authorization header. */
	const recent = new Map();
	/** Answers that repeat the request's secrets, first in, first out (see leakNext). */
	const leaks = [];
	let forced429 = 0;
	/** The Retry-After forced 429s carry, or null for none. */
	let forcedRetryAfter = '1';

	const answer = (res, status, result, errors) => {
		res.writeHead(status, { 'content-type': 'application/json' });
		res.end(JSON.stringify(errors ? { ok: false, result: null, errors } : { ok: true, result }));
	};
	const error = (res, status, name) =>
		answer(res, status, null, [{ code: CODES[name], message: name }]);

	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => {
			const raw = Buffer.concat(chunks).toString('utf8');
			const path = new URL(req.url, 'http://localhost').pathname.replace(/^\/v3/, '');
			const request = {
				method: req.method,
				path,
				authorization: req.headers.authorization,
				body: raw ? raw : undefined,
			};
			requests.push(request);
			const now = Date.now();
			arrivals.push(now);

			const account = String(req.headers.authorization);
			const times = recent.get(account) ?? [];
			recent.set(account, times);
			while (times.length > 0 && times[0] <= now - windowMs) times.shift();
			times.push(now);
			const leak = leaks.shift();
			if (leak) {
				const { quoted, ...echo } = leak;
				const envelope = {
					ok: false,
					result: null,
					errors: [{ code: quoted.code, message: quoted.message(req.headers.authorization) }],
				};
				const { headers, body } = leakingAnswer(req, { ...echo, envelope });
				res.writeHead(leak.status, headers);
				return res.end(body);
			}
			if (forced429 > 0) {
				forced429--;
				if (forcedRetryAfter !== null) res.setHeader('retry-after', forcedRetryAfter);
				return error(res, 429, 'RateLimited');
			}
			if (times.length > limit) {
				res.setHeader('retry-after', '1');
				return error(res, 429, 'RateLimited');
			}

			const [, kind, id, action] = path.split('/');
			if (req.method === 'GET' && !action) {
				const found = { bots: data.bots, servers: data.servers, users: data.users }[kind]?.[id];
				if (found) return answer(res, 200, found);
				const unknown = { bots: 'UnknownBot', servers: 'UnknownServer', users: 'UnknownUser' };
				return error(res, 404, unknown[kind] ?? 'UnknownError');
			}
			if (req.method === 'POST' && kind === 'bots' && action === 'stats') {
				if (!req.headers.authorization) return error(res, 401, 'Unauthorized');
				if (req.headers.authorization !== token) return error(res, 401, 'TokenInvalid');
				// Boticord answers a POST without this content type 500 UnknownError.
				if (!String(req.headers['content-type']).startsWith('application/json')) {
					return error(res, 500, 'UnknownError');
				}
				const bot = data.bots[id];
				if (!bot) return error(res, 404, 'UnknownBot');
				if (bot.owner !== USER) return error(res, 403, 'ResourceNotOwned');
				let stats;
				try {
					stats = JSON.parse(raw);
				} catch {
					return error(res, 400, 'BadRequest');
				}
				if (stats.servers !== undefined) bot.guilds = stats.servers;
				if (stats.shards !== undefined) bot.shards = stats.shards;
				if (stats.members !== undefined) bot.members = stats.members;
				return answer(res, 200, bot);
			}
			return error(res, 404, 'UnknownError');
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		baseUrl: `http://127.0.0.1:${server.address().port}/v3`,
		requests,
		arrivals,
		data,
		/**
		 * The next `count` requests are answered 429, as a busy limit would,
		 * with `retryAfter` as their Retry-After header (none when null).
		 */
		rateLimitNext(count, { retryAfter = '1' } = {}) {
			forced429 = count;
			forcedRetryAfter = retryAfter;
		},
		/**
		 * The next `count` requests are answered `status` by something that
		 * repeats the request's secret (see leakingAnswers.js): `as` 'quote'
		 * (Boticord's envelope, its message quoting the token), 'json' or 'html'
		 * (the request's headers echoed), 'huge' (a page of `size` bytes echoing
		 * them throughout), each with `control` beside the secret.
		 */
		leakNext(status, { as, control, count = 1, size, retryAfter }) {
			const code = { 401: CODES.TokenInvalid, 403: 3, 429: CODES.RateLimited, 500: 0 }[status] ?? 8;
			const quoted = {
				code,
				message: (token) => `Invalid token: ${token} (request ${control})`,
			};
			for (let index = 0; index < count; index++) {
				leaks.push({ status, as, control, size, retryAfter, quoted });
			}
		},
		close: () =>
			new Promise((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

module.exports = { startFakeBoticordApi };
