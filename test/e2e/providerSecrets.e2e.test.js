const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const { BOT_ID } = require('../fixtures/deliveries');
const { startFakeBoticordApi } = require('../harness/fakeBoticordApi');
const { startFakeBotisimoApi } = require('../harness/fakeBotisimoApi');
const { e2eVersions } = require('../harness/install');
const { startN8n } = require('../harness/n8n');
const {
	boticordCredentialData,
	botisimoApiCredentialData,
	webhookThen,
} = require('../harness/workflows');

/**
 * Both action nodes in a real n8n, against stand-in APIs that repeat the
 * secret the request carried: quoted in their error message, or the
 * request's headers echoed (as JSON, as an HTML page, in a page megabytes
 * long), answering 401, 403, 429 and 500. Each failure runs with the node
 * failing the execution, with Continue On Fail and with the error output, in
 * workflows started by a webhook. Then every place n8n keeps what happened is
 * read back: the executions through n8n's public API (with their data), n8n's
 * answers to the webhooks, every line n8n logged (at debug level), its event
 * log, and the runs of the error workflow. No form of any secret may be in
 * any of them; the control value each stand-in put beside the secret must be
 * found where the node keeps what the provider said, so that a search that
 * read nothing could not pass.
 */

const STATUSES = [401, 403, 429, 500];
const LEAKS = ['quote', 'json', 'html', 'huge'];
const MODES = ['fail', 'continueRegularOutput', 'continueErrorOutput'];

/** The forms of a secret that must appear nowhere: as it is, URL-encoded, in base64. */
function formsOf(secret) {
	return [
		secret,
		encodeURIComponent(secret),
		Buffer.from(secret).toString('base64').slice(0, 16),
		// After `n8n:` (as in Basic), the characters that depend on the secret alone.
		Buffer.from(`n8n:${secret}`).toString('base64').slice(8, 24),
	];
}

/** A Webhook node answering with the last node's first item, then the node, then a No Op on its error output. */
function leakWorkflow({
	name,
	nodeType,
	credentialType,
	credential,
	parameters,
	mode,
	errorWorkflow,
}) {
	const webhookPath = crypto.randomUUID();
	const { nodes, connections } = webhookThen({
		name,
		path: webhookPath,
		nodeType,
		credentialType,
		credential,
		steps: [['Provider', parameters, mode === 'fail' ? {} : { onError: mode }]],
	});
	if (mode === 'continueErrorOutput') {
		nodes.push({
			id: crypto.randomUUID(),
			name: 'Error output',
			type: 'n8n-nodes-base.noOp',
			typeVersion: 1,
			position: [440, 100],
			parameters: {},
		});
		connections.Provider = { main: [[], [{ node: 'Error output', type: 'main', index: 0 }]] };
	}
	return {
		webhookPath,
		json: {
			name,
			nodes,
			connections,
			settings: { executionOrder: 'v1', errorWorkflow },
		},
	};
}

/** A workflow that n8n runs when another fails: its Error Trigger's item holds the failure. */
function errorWorkflowJson() {
	return {
		name: 'Failures',
		nodes: [
			{
				id: crypto.randomUUID(),
				name: 'Error Trigger',
				type: 'n8n-nodes-base.errorTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
		],
		connections: {},
		settings: { executionOrder: 'v1' },
	};
}

describe.each(e2eVersions())('n8n %s: secrets a provider repeats', (version) => {
	let n8n;
	let boticord;
	let botisimo;
	let errorWorkflowId;
	/** Every secret given to n8n. */
	const secrets = [];
	/** Every line n8n wrote, from its start. */
	const lines = [];
	/** What each failure gave, for the searches at the end. */
	const runs = [];

	beforeAll(async () => {
		boticord = await startFakeBoticordApi({ token: 'unused' });
		botisimo = await startFakeBotisimoApi({ clientId: 'unused' });
		n8n = await startN8n({
			version,
			packageTarball: process.env.E2E_PACKAGE_TARBALL,
			env: { N8N_LOG_LEVEL: 'debug' },
		});
		n8n.child.on('line', (line) => lines.push(line));
		const errors = await n8n.createWorkflow(errorWorkflowJson());
		errorWorkflowId = errors.id;
		// n8n 2.x runs only a published error workflow; n8n 1.x runs it as saved.
		if (n8n.major >= 2) await n8n.activateWorkflow(errorWorkflowId);
	});

	afterAll(async () => {
		if (n8n) {
			const all = [...lines, n8n.logs()].join('\n');
			await n8n.stop();
			for (const secret of secrets) {
				for (const form of formsOf(secret)) expect(all).not.toContain(form);
			}
		}
		if (boticord) await boticord.close();
		if (botisimo) await botisimo.close();
	});

	/** A fresh Boticord token or Botisimo Client ID, as each provider's credential takes it. */
	function newSecret(provider) {
		const secret =
			provider === 'boticord'
				? `bc/${crypto.randomUUID()}+t=`
				: `${crypto.randomBytes(5).toString('hex')}-${crypto.randomBytes(5).toString('hex')}`;
		secrets.push(secret);
		return secret;
	}

	/** An active workflow of the provider's node with a credential of its own, failing as `mode` says. */
	async function activeWorkflow(provider, mode) {
		const secret = newSecret(provider);
		const boticordNode = provider === 'boticord';
		const credentialType = boticordNode ? 'boticordWebhookApi' : 'botisimoApi';
		const credential = await n8n.createCredential(
			credentialType,
			boticordNode
				? { ...boticordCredentialData(secret), baseUrl: boticord.baseUrl }
				: botisimoApiCredentialData(secret, botisimo.baseUrl),
		);
		const { webhookPath, json } = leakWorkflow({
			name: `${provider} ${mode}`,
			nodeType: provider,
			credentialType,
			credential,
			parameters: boticordNode
				? { resource: 'bot', operation: 'get', botId: BOT_ID }
				: { resource: 'loyaltyUser', operation: 'getOrCreate', ssoId: 'voter-1' },
			mode,
			errorWorkflow: errorWorkflowId,
		});
		const { id } = await n8n.createWorkflow(json);
		await n8n.activateWorkflow(id, { webhookPath });
		return { id, webhookPath, secret, runs: 0 };
	}

	/**
	 * One failure: the stand-in answers the next request as `as` says, with a
	 * control value beside the secret; the webhook starts the workflow.
	 */
	async function fail(workflow, provider, status, as) {
		const control = `control-${crypto.randomUUID()}`;
		const options = { as, control, size: 4 * 1024 * 1024 };
		// Boticord asks for a day: the node fails at once, keeping what it said.
		if (provider === 'boticord') boticord.leakNext(status, { ...options, retryAfter: '86400' });
		else botisimo.leakNext(status, options);
		const answer = await n8n.webhook(workflow.webhookPath, { body: {} });
		const executions = await n8n.waitForExecutions(workflow.id, ++workflow.runs, 60_000);
		return { answer, execution: executions[executions.length - 1], control };
	}

	/** Whether the node's error message quotes the provider (the rate-limit error says the wait instead). */
	const quotes = (provider, status, as) =>
		as === 'quote' && !(provider === 'boticord' && status === 429);

	describe.each(['boticord', 'botisimo'])('the %s node', (provider) => {
		it.each(MODES)('keeps every secret out of what n8n keeps, the node set to %s', async (mode) => {
			let workflow;
			for (const status of STATUSES) {
				workflow = await activeWorkflow(provider, mode);
				for (const as of LEAKS) {
					// A 429 holds the account's requests in n8n's process: each gets a token of its own.
					if (provider === 'boticord' && status === 429 && as !== LEAKS[0]) {
						workflow = await activeWorkflow(provider, mode);
					}
					const { answer, execution, control } = await fail(workflow, provider, status, as);
					const stored = JSON.stringify(execution);
					const answered = answer.text;
					for (const form of formsOf(workflow.secret)) {
						expect(stored).not.toContain(form);
						expect(answered).not.toContain(form);
					}
					const quoted = quotes(provider, status, as);
					if (mode === 'fail') {
						expect(execution.status).toBe('error');
						const { error } = execution.data.resultData;
						expect(error.httpCode).toBe(String(status));
						// What the provider said is kept with the error (its message, or the start of the
						// page it sent), bounded.
						expect(stored).toContain(control);
						expect(JSON.stringify(error).length).toBeLessThan(16_000);
						if (as === 'huge') expect(JSON.stringify(error)).toMatch(/cut: [\d,]+ KB in all/);
					} else {
						expect(execution.status).toBe('success');
						expect(answer.status).toBe(200);
						// The error item (on the error output, with the item the node was given).
						expect(answer.json).toMatchObject({ error: expect.any(String) });
						expect(answered.includes(control)).toBe(quoted);
						expect(stored.includes(control)).toBe(quoted);
					}
					runs.push({ provider, mode, status, as, control, quoted, secret: workflow.secret });
				}
			}
		});
	});

	it("leaves no secret in n8n's log, its event log or the error workflow's runs, which hold the controls", async () => {
		expect(runs).toHaveLength(2 * MODES.length * STATUSES.length * LEAKS.length);
		const failed = runs.filter((run) => run.mode === 'fail');

		// The error workflow ran once per failed execution, with the failure's error.
		const errorRuns = await n8n.waitForExecutions(errorWorkflowId, failed.length, 120_000);
		const errorData = JSON.stringify(errorRuns);
		// n8n's event log, as it writes it in its folder.
		const folder = path.join(n8n.userFolder, '.n8n');
		const eventLog = fs
			.readdirSync(folder)
			.filter((file) => file.startsWith('n8nEventLog'))
			.map((file) => fs.readFileSync(path.join(folder, file), 'utf8'))
			.join('\n');
		const log = lines.join('\n');
		expect(eventLog.length).toBeGreaterThan(0);
		for (const secret of secrets) {
			for (const form of formsOf(secret)) {
				expect(errorData).not.toContain(form);
				expect(eventLog).not.toContain(form);
				expect(log).not.toContain(form);
			}
		}
		// The failed executions' errors, with what they kept of the answers, are in the error
		// workflow's runs and n8n's debug log; the event log has their messages.
		for (const run of failed) {
			expect(errorData).toContain(run.control);
			expect(log).toContain(run.control);
			expect(eventLog.includes(run.control)).toBe(run.quoted);
		}
		const found = (text) => runs.filter((run) => text.includes(run.control)).length;
		console.log(
			`n8n ${version}: ${runs.length} failures, no secret anywhere; controls found in the error workflow's runs: ${found(errorData)}, the event log: ${found(eventLog)}, n8n's log: ${found(log)}`,
		);
	});
});
