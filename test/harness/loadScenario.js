'use strict';
// The load scenario shared by the load and queue-mode e2e tests
// and the kill-a-worker trials: an active Boticord and an active Botisimo
// workflow, a shuffled mix of selected and unselected events for both, and an
// account of what became of every acknowledged event.
const crypto = require('node:crypto');

const { eventId, mixedEvents, sendAll, summarize } = require('./load');
const {
	boticordCredentialData,
	emittedItem,
	triggerWorkflow,
	withRecorder,
} = require('./workflows');

/** Per provider: the selected type first, then unselected ones. */
const TYPES = {
	boticord: ['up_added', 'comment_added', 'test_notification'],
	botisimo: ['connection.stream.started.twitch', 'account.updated', 'poll.created'],
};
const PROVIDERS = ['boticord', 'botisimo'];
const FINISHED = ['success', 'error', 'crashed', 'canceled'];

/**
 * Given to every n8n process in queue mode. With n8n's defaults (a pool of 2
 * connections, a ping that fails after 5 s) a webhook processor under 100
 * concurrent deliveries fails its own database ping, and then answers every
 * request 503 "Database is not ready!" until a ping succeeds
 * (docs/reliability.md). n8n 1.x has no DB_PING_TIMEOUT_MS (its 5 s is fixed),
 * and its ping waits behind queued queries when the pool is full: with 20
 * connections a slow machine saw up to 63 of 300 deliveries answered 503,
 * with 40 fewer but not always none (resendRefusedByN8n). Four processes at 40
 * stay under the harness's 200 connections.
 */
const QUEUE_SETTINGS = { DB_POSTGRESDB_POOL_SIZE: '40', DB_PING_TIMEOUT_MS: '60000' };

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Creates the credentials and the two workflows on `main`, activates them and
 * waits until `webhookHost` (main itself, or a webhook processor) serves them.
 * With `recorderUrl`, each workflow ends in an HTTP Request to it.
 */
async function setUpWorkflows(main, { webhookHost = main, recorderUrl } = {}) {
	const key = `load-${crypto.randomUUID()}`;
	const workflows = {};
	for (const provider of PROVIDERS) {
		const type = `${provider}WebhookApi`;
		const credential = await main.createCredential(
			type,
			provider === 'boticord' ? boticordCredentialData(key) : { secret: key },
		);
		credential.type = type;
		const { json, webhookPath } = triggerWorkflow({
			name: `Load ${provider}`,
			nodeType: `${provider}Trigger`,
			credential,
			events: [TYPES[provider][0]],
		});
		// Every execution's data is read back to tell events apart.
		json.settings = {
			executionOrder: 'v1',
			saveDataSuccessExecution: 'all',
			saveDataErrorExecution: 'all',
			saveManualExecutions: true,
		};
		const { id } = await main.createWorkflow(recorderUrl ? withRecorder(json, recorderUrl) : json);
		await main.activateWorkflow(id);
		await webhookHost.waitForWebhook(webhookPath, { timeoutMs: 60000 });
		const url = `${webhookHost.baseUrl}/webhook/${webhookPath}`;
		workflows[provider] =
			provider === 'boticord'
				? { id, url, headers: { 'X-Boticord-Token': key } }
				: { id, url: `${url}?token=${encodeURIComponent(key)}`, headers: {} };
	}
	return workflows;
}

/**
 * `count` deliveries, half to each workflow, `unselected` of them with types
 * the workflow did not select, shuffled together.
 */
function deliveriesFor(workflows, count, unselected = 0.5) {
	const base = Date.now();
	const all = [];
	PROVIDERS.forEach((provider, p) => {
		const n = p === 0 ? Math.ceil(count / 2) : Math.floor(count / 2);
		const { events } = mixedEvents(provider, TYPES[provider], n, unselected, {
			base,
			seqStart: p * count,
		});
		const { url, headers } = workflows[provider];
		for (const body of events) {
			const type = provider === 'boticord' ? body.type : body.eventType;
			all.push({
				provider,
				id: eventId(provider, body),
				selected: type === TYPES[provider][0],
				url,
				headers,
				body,
			});
		}
	});
	for (let i = all.length - 1; i > 0; i--) {
		const j = Math.floor(Math.random() * (i + 1));
		[all[i], all[j]] = [all[j], all[i]];
	}
	return all;
}

/**
 * Sends the deliveries at `concurrency` and sorts the answers: `accepted`
 * holds the ids of selected events answered 200 with an empty body (one
 * execution each is owed), per provider.
 */
async function sendLoad(deliveries, { concurrency, onAnswer, timeoutMs = 120_000 }) {
	const started = Date.now();
	const results = await sendAll(deliveries, { concurrency, onAnswer, timeoutMs });
	const wallMs = Date.now() - started;
	return { results, ...sortAnswers(deliveries, results), timing: summarize(results, wallMs) };
}

function sortAnswers(deliveries, results) {
	const accepted = { boticord: new Set(), botisimo: new Set() };
	let unexpected = 0;
	results.forEach((r, i) => {
		const d = deliveries[i];
		if (d.selected && r.status === 200 && r.text === '') accepted[d.provider].add(d.id);
		else if (!d.selected && r.status === 200 && r.text.includes('Webhook call received')) {
			// acknowledged, nothing owed
		} else unexpected++;
	});
	return { accepted, unexpectedAnswers: unexpected };
}

/**
 * n8n's own refusal while its database ping fails (docs/reliability.md): its
 * middleware sends it before any webhook, so no node has run and no execution
 * started.
 */
const DATABASE_NOT_READY = '{"code":503,"message":"Database is not ready!"}';
const refusedByN8n = (r) => r.status === 503 && r.text === DATABASE_NOT_READY;

/**
 * Sends again, as a sender that retries would (Botisimo does), every delivery
 * of `sent` that n8n refused with DATABASE_NOT_READY, in up to `rounds` rounds
 * `pauseMs` apart. Returns `sent` with the last answers and their sorting, and
 * `refusedByN8n`: how many the first pass had refused that way.
 */
async function resendRefusedByN8n(
	deliveries,
	sent,
	{ concurrency = 10, rounds = 5, pauseMs = 3000 } = {},
) {
	const results = [...sent.results];
	const refusedAtFirst = results.filter(refusedByN8n).length;
	for (let round = 0; round < rounds; round++) {
		const again = results.flatMap((r, i) => (refusedByN8n(r) ? [i] : []));
		if (again.length === 0) break;
		if (round > 0) await sleep(pauseMs);
		const answers = await sendAll(
			again.map((i) => deliveries[i]),
			{ concurrency },
		);
		again.forEach((i, k) => {
			results[i] = answers[k];
		});
	}
	return {
		...sent,
		results,
		...sortAnswers(deliveries, results),
		refusedByN8n: refusedAtFirst,
	};
}

/** Executions of a workflow in the given statuses (exact below 100,000 rows). */
async function countExecutions(main, workflowId, statuses = FINISHED) {
	const filter = encodeURIComponent(JSON.stringify({ workflowId, status: statuses }));
	const res = await main.rest('GET', `/executions?filter=${filter}&limit=1`);
	if (res.status !== 200) throw new Error(`counting executions answered ${res.status}`);
	const { count } = res.json.data;
	if (count < 0) {
		const all = await main.listExecutions(workflowId);
		return all.filter((e) => statuses.includes(e.status)).length;
	}
	return count;
}

/**
 * Waits until no execution of the workflows is new, running or waiting and
 * the finished count has reached `atLeast` (per workflow) and stayed put for
 * `quietMs`. Returns false at the deadline instead of throwing: what is
 * missing then is reported as lost.
 */
async function settle(main, workflows, atLeast, { timeoutMs = 300000, quietMs = 3000 } = {}) {
	const deadline = Date.now() + timeoutMs;
	let last = '';
	let stableSince = Date.now();
	for (;;) {
		const counts = [];
		for (const provider of PROVIDERS) {
			const { id } = workflows[provider];
			counts.push(
				await countExecutions(main, id),
				await countExecutions(main, id, ['new', 'running', 'waiting']),
			);
		}
		const key = counts.join(',');
		if (key !== last) {
			last = key;
			stableSince = Date.now();
		}
		const reached = PROVIDERS.every((p, i) => counts[2 * i] >= (atLeast[p] ?? 0));
		const idle = PROVIDERS.every((p, i) => counts[2 * i + 1] === 0);
		if (reached && idle && Date.now() - stableSince >= quietMs) return true;
		if (Date.now() > deadline) return false;
		await sleep(1000);
	}
}

/**
 * What became of the accepted events, per provider and in total: executions
 * by status, events with exactly one successful execution, lost ones (no
 * successful execution), duplicates (successful executions beyond the first
 * for one event) and executions of events that were never accepted.
 * `failedExecutionIds` lists the executions that did not succeed and have
 * no successful retry yet.
 * With a collector, also the recorded runs (`sideEffects`) and duplicate runs.
 */
async function account(main, workflows, accepted, { collector } = {}) {
	const report = {};
	const recorded = collector ? collector.countsById() : undefined;
	for (const provider of PROVIDERS) {
		const executions = await main.listExecutions(workflows[provider].id, { includeData: true });
		const byStatus = {};
		const successes = new Map();
		let foreign = 0;
		const failedIds = [];
		const failures = {};
		for (const execution of executions) {
			byStatus[execution.status] = (byStatus[execution.status] ?? 0) + 1;
			let id;
			try {
				id = eventId(provider, emittedItem(execution));
			} catch {
				id = undefined; // no trigger data stored
			}
			if (id === undefined || !accepted[provider].has(id)) foreign++;
			if (execution.status === 'success' && id !== undefined)
				successes.set(id, (successes.get(id) ?? 0) + 1);
			else if (execution.status !== 'success' && !execution.retrySuccessId)
				failedIds.push(execution.id);
			if (execution.status !== 'success') {
				const message = execution.data?.resultData?.error?.message ?? '(no error stored)';
				failures[message.slice(0, 80)] = (failures[message.slice(0, 80)] ?? 0) + 1;
			}
		}
		let executedOnce = 0;
		let duplicates = 0;
		let lost = 0;
		let recordedRuns = 0;
		let duplicateRuns = 0;
		let recordedNotSucceeded = 0;
		for (const id of accepted[provider]) {
			const n = successes.get(id) ?? 0;
			if (n === 0) lost++;
			else executedOnce++;
			duplicates += Math.max(0, n - 1);
			if (recorded) {
				const runs = recorded.get(id) ?? 0;
				recordedRuns += runs;
				duplicateRuns += Math.max(0, runs - 1);
				if (runs > 0 && n === 0) recordedNotSucceeded++;
			}
		}
		report[provider] = {
			accepted: accepted[provider].size,
			executions: executions.length,
			byStatus,
			executedOk: executedOnce,
			lost,
			duplicates,
			foreign,
			failedExecutionIds: failedIds,
			failures,
			...(recorded ? { recordedRuns, duplicateRuns, recordedNotSucceeded } : {}),
		};
	}
	const sum = (k) => PROVIDERS.reduce((s, p) => s + report[p][k], 0);
	report.total = {
		accepted: sum('accepted'),
		executions: sum('executions'),
		executedOk: sum('executedOk'),
		failed:
			sum('executions') - PROVIDERS.reduce((s, p) => s + (report[p].byStatus.success ?? 0), 0),
		lost: sum('lost'),
		duplicates: sum('duplicates'),
		foreign: sum('foreign'),
		unrecovered: PROVIDERS.reduce((s, p) => s + report[p].failedExecutionIds.length, 0),
		...(recorded
			? {
					recordedRuns: sum('recordedRuns'),
					duplicateRuns: sum('duplicateRuns'),
					recordedNotSucceeded: sum('recordedNotSucceeded'),
				}
			: {}),
	};
	return report;
}

/**
 * Asks n8n to run each execution that did not succeed once more, from its
 * stored trigger data (POST /api/v1/executions/<id>/retry). Returns how many
 * retries n8n took and the answers of those it refused.
 */
async function retryFailed(main, report) {
	let retried = 0;
	const refused = [];
	for (const provider of PROVIDERS) {
		for (const id of report[provider].failedExecutionIds) {
			const res = await main.api('POST', `/executions/${id}/retry`, {});
			if (res.status >= 200 && res.status < 300) retried++;
			else refused.push({ id, status: res.status, text: res.text.slice(0, 200) });
		}
	}
	return { retried, refused };
}

module.exports = {
	QUEUE_SETTINGS,
	TYPES,
	PROVIDERS,
	setUpWorkflows,
	deliveriesFor,
	sendLoad,
	DATABASE_NOT_READY,
	resendRefusedByN8n,
	countExecutions,
	settle,
	account,
	retryFailed,
};
