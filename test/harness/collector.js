'use strict';
// A loopback HTTP server that stands for the system a workflow writes to (an
// API, a Discord webhook): a workflow's node posts here, so a run of a workflow
// shows as a request even when n8n stores one execution for two runs of it.
const http = require('node:http');

/**
 * Starts the collector. Each POST body (JSON) is kept with its path and its
 * x-execution-id header; `idOf(body)` names the event it carries. The answer
 * comes after `delayMs`, like a slow API's, so executions stay in flight. A GET
 * is answered with `answers[path]` (JSON), as an API a workflow reads from.
 * @returns {Promise<{ url: string, received: { id: string, executionId: string, path: string, body: unknown }[],
 *   countsById(): Map<string, number>, bodiesTo(path: string): unknown[], close(): Promise<void> }>}
 */
function startCollector(idOf = () => undefined, { delayMs = 0, answers = {} } = {}) {
	const received = [];
	const server = http.createServer((req, res) => {
		if (req.method === 'GET') {
			const answer = answers[req.url];
			res.writeHead(answer ? 200 : 404, { 'content-type': 'application/json' });
			res.end(JSON.stringify(answer ?? { message: 'Not found' }));
			return;
		}
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			try {
				const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
				received.push({
					id: idOf(body),
					executionId: String(req.headers['x-execution-id']),
					path: req.url,
					body,
				});
				setTimeout(
					() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'),
					delayMs,
				);
			} catch {
				res.writeHead(400).end();
			}
		});
	});
	server.keepAliveTimeout = 1000;
	return new Promise((resolve, reject) => {
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			resolve({
				url: `http://127.0.0.1:${port}/record`,
				urlFor: (path) => `http://127.0.0.1:${port}${path}`,
				received,
				bodiesTo: (path) => received.filter((r) => r.path === path).map((r) => r.body),
				countsById() {
					const counts = new Map();
					for (const { id } of received) counts.set(id, (counts.get(id) ?? 0) + 1);
					return counts;
				},
				close: () =>
					new Promise((r) => {
						server.closeAllConnections();
						server.close(() => r());
					}),
			});
		});
	});
}

module.exports = { startCollector };
