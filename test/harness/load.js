'use strict';
// Load for real n8n: Boticord and Botisimo events with an id each, a bounded
// concurrent sender over keep-alive sockets, and latency percentiles. Used by
// the load and queue-mode e2e tests, the kill-a-worker trials and the bench.
const http = require('node:http');

const { envelope, notification } = require('../fixtures/deliveries');

/**
 * One event body. `seq` makes it unique within a run: a Boticord notification
 * has no id of its own, so its `happened` is `base + seq` (milliseconds); a
 * Botisimo event gets a fresh messageId. Boticord events are API v3
 * notifications, what Boticord sends today, sent with the X-Boticord-Token header.
 */
function eventBody(provider, type, { seq = 0, base = Date.now() } = {}) {
	return provider === 'boticord'
		? { ...notification(type), happened: base + seq }
		: { ...envelope(type, { channel: 'alice' }), timestamp: base + seq };
}

/** The id that tells one event of the provider from another (see eventBody). */
function eventId(provider, body) {
	return provider === 'boticord' ? `${body.type}@${body.happened}` : body.messageId;
}

function shuffle(list) {
	for (let i = list.length - 1; i > 0; i--) {
		const j = Math.floor(Math.random() * (i + 1));
		[list[i], list[j]] = [list[j], list[i]];
	}
	return list;
}

/**
 * `count` events of which round(count × (1 − unselected)) have the selected
 * type `types[0]` and the rest cycle through the other types, shuffled.
 * @returns {{ events: object[], selected: number }}
 */
function mixedEvents(provider, types, count, unselected, { base = Date.now(), seqStart = 0 } = {}) {
	const selected = Math.round(count * (1 - unselected));
	const events = [];
	for (let i = 0; i < count; i++) {
		const type = i < selected ? types[0] : types[1 + (i % (types.length - 1))];
		events.push(eventBody(provider, type, { seq: seqStart + i, base }));
	}
	return { events: shuffle(events), selected };
}

/**
 * Posts every delivery ({ url, headers, body }) as JSON with at most
 * `concurrency` in flight. Never throws for an answer: each result is
 * { status, latencyMs, text } in the deliveries' order, with status 0 and
 * `error` when no answer came. `onAnswer(done, result)` sees each one as it
 * arrives (e.g. to kill a worker mid-run).
 */
async function sendAll(deliveries, { concurrency, timeoutMs = 60_000, onAnswer } = {}) {
	const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
	const results = new Array(deliveries.length);
	let next = 0;
	let done = 0;
	const post = ({ url, headers = {}, body }) =>
		new Promise((resolve) => {
			const payload = Buffer.from(JSON.stringify(body));
			const started = process.hrtime.bigint();
			const latency = () => Number(process.hrtime.bigint() - started) / 1e6;
			const req = http.request(
				url,
				{
					method: 'POST',
					agent,
					timeout: timeoutMs,
					headers: {
						...headers,
						'content-type': 'application/json',
						'content-length': payload.length,
					},
				},
				(res) => {
					const chunks = [];
					res.on('data', (c) => chunks.push(c));
					res.on('error', (error) => resolve({ status: 0, latencyMs: latency(), error }));
					res.on('end', () =>
						resolve({
							status: res.statusCode,
							latencyMs: latency(),
							text: Buffer.concat(chunks).toString('utf8'),
						}),
					);
				},
			);
			req.on('timeout', () => req.destroy(new Error(`no answer in ${timeoutMs} ms`)));
			req.on('error', (error) => resolve({ status: 0, latencyMs: latency(), error }));
			req.end(payload);
		});
	const worker = async () => {
		while (next < deliveries.length) {
			const index = next++;
			results[index] = await post(deliveries[index]);
			done++;
			if (onAnswer) onAnswer(done, results[index]);
		}
	};
	await Promise.all(Array.from({ length: concurrency }, worker));
	agent.destroy();
	return results;
}

/** The value below which `p` percent of the sorted values lie. */
function percentile(sorted, p) {
	if (sorted.length === 0) return NaN;
	const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
	return sorted[Math.max(0, index)];
}

/** Counts by status and timing of one sendAll run that took `wallMs`. */
function summarize(results, wallMs) {
	const latencies = results.map((r) => r.latencyMs).sort((a, b) => a - b);
	const byStatus = {};
	const otherAnswers = {}; // what came instead of 200, by status and start of body
	for (const { status, text, error } of results) {
		byStatus[status] = (byStatus[status] ?? 0) + 1;
		if (status !== 200) {
			const key = `${status} ${(text ?? error?.message ?? '').slice(0, 120)}`;
			otherAnswers[key] = (otherAnswers[key] ?? 0) + 1;
		}
	}
	return {
		sent: results.length,
		byStatus,
		otherAnswers,
		errors5xx: results.filter((r) => r.status >= 500).length,
		noAnswer: results.filter((r) => r.status === 0).length,
		seconds: Number((wallMs / 1000).toFixed(2)),
		eventsPerSecond: Number((results.length / (wallMs / 1000)).toFixed(1)),
		p50ms: Number(percentile(latencies, 50).toFixed(1)),
		p99ms: Number(percentile(latencies, 99).toFixed(1)),
		maxMs: Number((latencies[latencies.length - 1] ?? NaN).toFixed(1)),
	};
}

module.exports = {
	eventBody,
	eventId,
	mixedEvents,
	sendAll,
	percentile,
	summarize,
};
