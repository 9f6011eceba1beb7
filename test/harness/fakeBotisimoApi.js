'use strict';
// A stand-in for Botisimo's Loyalty Admin API on loopback, as its
// documentation describes it: every request authenticated by the `client-id`
// header; GET /user gets the user with the SSO id (`id`) or email given, or
// creates one, with `tags` (comma-separated tag ids) and the documented user
// fields; POST /user/:id/points takes { points, message, key } and keeps at
// most one transaction per key and user; DELETE /user/:id; answers
// { success: true }, errors { message } with a non-2xx status. The
// documentation names no statuses, so those are HTTP's usual ones: 401 for a
// missing or wrong Client ID, 403 for a team without the enterprise plan
// (which the Loyalty API needs), 404 for an unknown user or path, 400 for a
// request without what it needs. Beside it, the loyalty API's public team
// page, GET /api/v1/loyalty/:team, which asks for no Client ID: the team's
// name, currency, memberships, tiers and tags; 404 for another name, and
// 403 while the team is not on the enterprise plan.
const http = require('node:http');

const { leakingAnswer } = require('./leakingAnswers');

/** The team's tags, as its public team page lists them. */
const TEAM_TAGS = [
	{ id: 3, name: 'Streams' },
	{ id: 4, name: 'Giveaways' },
];

/** The team's name in its Botisimo account, which its page's address ends with. */
const TEAM_NAME = 'n8n-test-team';

/** The team's page as Botisimo documents it, with what it sends beyond that. */
const TEAM_PAGE = {
	name: TEAM_NAME,
	currencyName: 'Stars',
	loyaltyMemberships: [
		{
			id: 7,
			enabled: true,
			archived: false,
			order: 0,
			name: 'Supporter',
			description: 'Double stars for every up',
			priceMonth: 300,
			priceYear: 3000,
			goldMultiplier: 2,
			resourceId: 501,
			badgeResourceId: null,
			createdAt: '2024-01-05T10:00:00.000Z',
			updatedAt: '2024-02-01T10:00:00.000Z',
		},
	],
	loyaltyTiers: [
		{
			id: 9,
			enabled: true,
			archived: false,
			order: 0,
			name: 'Regular',
			description: 'A thousand stars',
			gold: 1000,
			resourceId: 502,
			badgeResourceId: null,
			createdAt: '2024-01-05T10:00:00.000Z',
			updatedAt: '2024-01-05T10:00:00.000Z',
		},
	],
	tags: TEAM_TAGS.map((tag) => ({ ...tag, createdAt: '2024-01-06T10:00:00.000Z' })),
};

/** Where the first user created gets its id. */
const FIRST_USER_ID = 1001;

/**
 * @param {{ clientId: string }} options the team account's Client ID
 */
async function startFakeBotisimoApi({ clientId }) {
	/** Every request, as { method, path, query, clientId, contentType, body }. */
	const requests = [];
	/** Every transaction kept, as { userId, points, message, key }. */
	const transactions = [];
	/** The users by id, each with the email Botisimo keeps but does not send. */
	const users = new Map();
	const team = { enterprise: true };
	let nextId = FIRST_USER_ID;
	/** Answers to give instead of the real ones, first in, first out: { status, message, raw } or 'hang'. */
	const forced = [];
	const hanging = new Set();

	const answer = (res, status, body) => {
		res.writeHead(status, { 'content-type': 'application/json' });
		res.end(JSON.stringify(body));
	};
	const error = (res, status, message) => answer(res, status, { message });

	/** A user as GET /user documents it, without the email it was found by. */
	function sent(user) {
		const { email: _email, ...documented } = user;
		return documented;
	}

	function createUser({ ssoId, email, tags }) {
		const now = new Date().toISOString();
		const user = {
			avatar: null,
			createdAt: now,
			dateOfBirth: null,
			gold: 0,
			goldTotal: 0,
			goldSpent: 0,
			id: nextId++,
			ssoId: ssoId ?? null,
			loyaltyMembership: null,
			loyaltyTier: null,
			name: email ? email.split('@')[0] : `user-${ssoId}`,
			notifications: now,
			shippingAddressCity: null,
			shippingAddressCountry: null,
			shippingAddressName: null,
			shippingAddressState: null,
			shippingAddressStreet: null,
			shippingAddressSuite: null,
			shippingAddressZip: null,
			tags: TEAM_TAGS.filter((tag) => tags.includes(tag.id)),
			email: email ?? null,
		};
		users.set(user.id, user);
		return user;
	}

	function getOrCreate(res, query) {
		const ssoId = query.get('id') ?? undefined;
		const email = query.get('email') ?? undefined;
		if (!ssoId && !email) return error(res, 400, 'An id or an email is required');
		const tags = (query.get('tags') ?? '')
			.split(',')
			.filter((tag) => tag !== '')
			.map(Number);
		const all = [...users.values()];
		const found =
			(ssoId && all.find((user) => user.ssoId === ssoId)) ||
			(email && all.find((user) => user.email === email));
		return answer(res, 200, { user: sent(found || createUser({ ssoId, email, tags })) });
	}

	function addPoints(res, user, raw) {
		let body;
		try {
			body = JSON.parse(raw);
		} catch {
			return error(res, 400, 'Invalid JSON');
		}
		const { points, message, key } = body ?? {};
		if (typeof points !== 'number' || !Number.isFinite(points)) {
			return error(res, 400, 'points must be a number');
		}
		if (typeof message !== 'string' || message === '') {
			return error(res, 400, 'message is required');
		}
		const repeated =
			key !== undefined &&
			transactions.some((transaction) => transaction.userId === user.id && transaction.key === key);
		// One transaction per key and user: a repeat changes nothing, and succeeds.
		if (!repeated) {
			transactions.push({ userId: user.id, points, message, key });
			user.gold += points;
			user.goldTotal += points;
		}
		return answer(res, 200, { success: true });
	}

	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => {
			const raw = Buffer.concat(chunks).toString('utf8');
			const url = new URL(req.url, 'http://localhost');
			const path = url.pathname.replace(/^\/api\/v1\/loyalty\/admin/, '');
			requests.push({
				method: req.method,
				path,
				query: Object.fromEntries(url.searchParams),
				clientId: req.headers['client-id'],
				contentType: req.headers['content-type'],
				body: raw ? raw : undefined,
			});

			const next = forced.shift();
			if (next?.leak) {
				const { status, control } = next.leak;
				const envelope = {
					message: `Invalid client id ${req.headers['client-id']} (request ${control})`,
				};
				const { headers, body } = leakingAnswer(req, { ...next.leak, envelope });
				res.writeHead(status, headers);
				return res.end(body);
			}
			if (next === 'hang') {
				hanging.add(res);
				// Until n8n gives up on it and closes the connection.
				res.on('close', () => hanging.delete(res));
				return;
			}
			if (next?.raw !== undefined) {
				res.writeHead(next.status, { 'content-type': 'text/html' });
				return res.end(next.raw);
			}
			if (next) return error(res, next.status, next.message);
			const teamPath = /^\/api\/v1\/loyalty\/([^/]+)$/.exec(path);
			if (req.method === 'GET' && teamPath) {
				if (teamPath[1] !== encodeURIComponent(TEAM_NAME)) return error(res, 404, 'Team not found');
				if (!team.enterprise) {
					return error(res, 403, 'The loyalty API requires an enterprise team');
				}
				return answer(res, 200, { team: TEAM_PAGE });
			}
			if (!req.headers['client-id']) return error(res, 401, 'Missing client id');
			if (req.headers['client-id'] !== clientId) return error(res, 401, 'Invalid client id');
			if (!team.enterprise) {
				return error(res, 403, 'The loyalty API requires an enterprise team');
			}

			if (req.method === 'GET' && path === '/user') return getOrCreate(res, url.searchParams);
			const [, resource, id, action] = path.split('/');
			if (resource !== 'user' || !/^\d+$/.test(id ?? '')) return error(res, 404, 'Not found');
			const user = users.get(Number(id));
			if (req.method === 'POST' && action === 'points') {
				if (!user) return error(res, 404, 'User not found');
				return addPoints(res, user, raw);
			}
			if (req.method === 'DELETE' && action === undefined) {
				if (!user) return error(res, 404, 'User not found');
				users.delete(user.id);
				return answer(res, 200, { success: true });
			}
			return error(res, 404, 'Not found');
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		baseUrl: `http://127.0.0.1:${server.address().port}/api/v1/loyalty/admin`,
		/** The team's page, as the team's own request for it answers. */
		teamPage: TEAM_PAGE,
		requests,
		transactions,
		team,
		/** The user with this id as Botisimo would send it, or undefined. */
		user(id) {
			const user = users.get(id);
			return user && sent(user);
		},
		/** A user that exists before any request, as if made in Botisimo's dashboard. */
		addUser(fields) {
			return sent(createUser({ tags: [], ...fields }));
		},
		/**
		 * The next request is answered `status` with `{ message }` (or `raw`, as
		 * a proxy's HTML page), whatever it asks.
		 */
		failNext(status, message, { raw } = {}) {
			forced.push({ status, message, raw });
		},
		/**
		 * The next `count` requests are answered `status` by something that
		 * repeats the request's Client ID (see leakingAnswers.js): `as` 'quote'
		 * (Botisimo's `{ message }` quoting it), 'json' or 'html' (the request's
		 * headers echoed), 'huge' (a page of `size` bytes echoing them
		 * throughout), each with `control` beside the secret.
		 */
		leakNext(status, { as, control, count = 1, size }) {
			for (let index = 0; index < count; index++) {
				forced.push({ leak: { status, as, control, size } });
			}
		},
		/** The next request is never answered (until close). */
		hangNext() {
			forced.push('hang');
		},
		/** How many requests wait for an answer that never comes, their connections open. */
		get hangingRequests() {
			return hanging.size;
		},
		close: () =>
			new Promise((resolve) => {
				for (const res of hanging) res.destroy();
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

module.exports = { startFakeBotisimoApi, TEAM_TAGS, TEAM_NAME, FIRST_USER_ID };
