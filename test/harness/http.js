'use strict';
const httpClient = require('node:http');

// node:http rather than fetch: fetch folds repeated headers into one line and
// adds a content-type to string bodies, and tests need to control both. A header
// value that is an array goes out as repeated header lines.
function http(
	baseUrl,
	method,
	urlPath,
	{ body, headers = {}, raw = false, timeoutMs = 30000 } = {},
) {
	const hdrs = {};
	for (const [k, v] of Object.entries(headers)) if (v !== undefined) hdrs[k] = v;
	let payload;
	if (body !== undefined) {
		payload = raw ? Buffer.from(body) : Buffer.from(JSON.stringify(body));
		const hasType = Object.keys(hdrs).some((h) => h.toLowerCase() === 'content-type');
		if (!raw && !hasType) hdrs['content-type'] = 'application/json';
		hdrs['content-length'] = String(payload.length);
	}
	return new Promise((resolve, reject) => {
		const url = new URL(baseUrl + urlPath);
		// agent: false closes each connection after its answer: pooled keep-alive
		// sockets would outlive the tests and hold jest open.
		const options = { method, headers: hdrs, timeout: timeoutMs, agent: false };
		const req = httpClient.request(url, options, (res) => {
			const chunks = [];
			res.on('data', (c) => chunks.push(c));
			res.on('error', reject);
			res.on('end', () => {
				const text = Buffer.concat(chunks).toString('utf8');
				let json;
				try {
					json = text ? JSON.parse(text) : undefined;
				} catch {
					json = undefined;
				}
				resolve({ status: res.statusCode, headers: res.headers, text, json });
			});
		});
		req.on('timeout', () =>
			req.destroy(new Error(`${method} ${urlPath}: no answer in ${timeoutMs} ms`)),
		);
		req.on('error', reject);
		req.end(payload);
	});
}

module.exports = { http };
