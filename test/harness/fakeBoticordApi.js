'use strict';
// A stand-in for Boticord's API v3 on loopback, as its documentation
// describes it: GET /bots/:id, POST /bots/:id/stats (the Authorization header
// holding the owner's token, a JSON body), GET /servers/:id, GET /users/:id;
// every answer in the { ok, result, errors: [{ code, message }] } envelope,
// with the documented error codes; 25 requests in 10 seconds at most per
// account (per Authorization header), then 429.
//
// It also stands in for Boticord's search, as Boticord's SDKs use it: GET
// /search-key gives a Meilisearch key for the owner's token, and POST
// /search/indexes/<bots|servers|comments>/search with `Bearer <key>` searches
// (q, filter such as `resource = "<id>"`, sort such as `created:desc`,
// limit, offset), answering as Meilisearch does. Keys can be refused, expire,
// and answers can be slow (see searchMode); bot and server pages carry an
// `ups` list only when a test gives them one.
const http = require('node:http');

const { leakingAnswer } = require('./leakingAnswers');

const { BOT_ID, SERVER_ID, USER } = require('../fixtures/deliveries');

const { matchesFilter, searchIndex } = require('./fakeSearch');

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
	/** Reviews in the search's comments index. */
	const reviews = [];
	/** Search keys given, and whether each is still taken. */
	const searchKeys = new Map();
	/** See searchMode. */
	let search = { refuseKeys: false, delayMs: 0, answer: undefined };
	/** Search answers held back by delayMs, ended on close. */
	const delayed = new Set();

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
			if (req.method === 'GET' && kind === 'search-key') {
				if (req.headers.authorization !== token) return error(res, 401, 'Unauthorized');
				const key = `meili-${searchKeys.size + 1}-${Math.random().toString(36).slice(2)}`;
				searchKeys.set(key, true);
				return answer(res, 200, { key });
			}
			if (kind === 'search') {
				const reply = (status, body) => {
					const timer = setTimeout(() => {
						delayed.delete(timer);
						res.writeHead(status, { 'content-type': 'application/json' });
						res.end(typeof body === 'string' ? body : JSON.stringify(body));
					}, search.delayMs);
					delayed.add(timer);
				};
				const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
				if (!given) {
					return reply(401, {
						message: 'The Authorization header is missing.',
						code: 'missing_authorization_header',
						type: 'auth',
					});
				}
				if (search.refuseKeys || !searchKeys.get(given)) {
					return reply(403, {
						message: 'The provided API key is invalid.',
						code: 'invalid_api_key',
						type: 'auth',
					});
				}
				if (search.answer !== undefined) return reply(200, search.answer);
				let query;
				try {
					query = raw ? JSON.parse(raw) : {};
				} catch {
					return reply(400, {
						message: 'Malformed JSON.',
						code: 'bad_request',
						type: 'invalid_request',
					});
				}
				const documents = {
					bots: () =>
						Object.values(data.bots).map((bot) => ({
							id: bot.id,
							name: bot.name,
							shortDescription: bot.shortDescription,
							ups: bot.upCount,
							rating: 5,
							guilds: bot.guilds,
						})),
					servers: () =>
						Object.values(data.servers).map((found) => ({
							id: found.id,
							name: found.name,
							shortDescription: found.name,
							ups: found.upCount,
							rating: 4,
							members: found.memberCount,
						})),
					comments: () => reviews,
				}[action];
				if (id !== 'indexes' || !documents || path.split('/')[4] !== 'search') {
					return reply(404, {
						message: 'Index not found.',
						code: 'index_not_found',
						type: 'invalid_request',
					});
				}
				const result = searchIndex(
					documents(),
					query,
					action === 'comments' ? ['content'] : ['name', 'shortDescription'],
				);
				return result.error ? reply(400, result.error) : reply(200, result.page);
			}
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
		/** Reviews in the search's comments index; addReview adds one. */
		reviews,
		/**
		 * Adds a review to the comments index, as Boticord indexes one: `created`
		 * in epoch ms (a number; give a string to test that form).
		 * @param {{ id?: string, author?: string, resource?: string, content?: string, rating?: number, created?: number | string }} [review]
		 */
		addReview({
			id = `review-${reviews.length + 1}`,
			author = USER,
			resource = BOT_ID,
			content = 'Great bot',
			rating = 5,
			created = Date.now(),
		} = {}) {
			const review = { id, author, content, rating, resource, created, modReply: null };
			reviews.push(review);
			return review;
		},
		/** The reviews the stand-in would return for a filter, as Meilisearch matches it. */
		reviewsMatching: (filter) => reviews.filter((review) => matchesFilter(review, filter)),
		/**
		 * How the search behaves from now on: `refuseKeys` refuses every key
		 * (new ones too); `delayMs` delays each search answer; `answer` is sent
		 * (status 200) instead of a search result.
		 */
		searchMode(mode) {
			search = { refuseKeys: false, delayMs: 0, answer: undefined, ...mode };
		},
		/** Every key given so far stops working, as an expired key does; GET /search-key gives a new one. */
		expireSearchKeys() {
			for (const key of searchKeys.keys()) searchKeys.set(key, false);
		},
		/** Sets the `ups` list of a bot's or server's page (undefined: no such field, as Boticord's docs show pages). */
		setUps(resourceId, ups) {
			const page = data.bots[resourceId] ?? data.servers[resourceId];
			if (ups === undefined) delete page.ups;
			else page.ups = ups;
		},
		close: () =>
			new Promise((resolve) => {
				for (const timer of delayed) clearTimeout(timer);
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

module.exports = { startFakeBoticordApi };
