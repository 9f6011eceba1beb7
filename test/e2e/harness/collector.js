'use strict';
// A loopback HTTP server that stands for the system a workflow writes to: a
// workflow's last node posts each item here, so a run of a workflow shows as
// a request even when n8n stores one execution for two runs of it.
const http = require('node:http');

/**
 * Starts the collector. Each POST body (JSON) is kept with its
 * x-execution-id header; `idOf(body)` names the event it carries. The answer
 * comes after `delayMs`, like a slow API's, so executions stay in flight.
 * @returns {Promise<{ url: string, received: { id: string, executionId: string }[],
 *   countsById(): Map<string, number>, close(): Promise<void> }>}
 */
function startCollector(idOf, { delayMs = 0 } = {}) {
	const received = [];
	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			try {
				const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
				received.push({ id: idOf(body), executionId: String(req.headers['x-execution-id']) });
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
				received,
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
