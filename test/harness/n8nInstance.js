'use strict';
// A running n8n driven over HTTP: its editor's REST API (as the owner), its
// public API (with an API key), its webhooks and its executions.
const crypto = require('node:crypto');

const { http } = require('./http');
const { isRunning, killGroup, sleep, stopProcess, removeDir } = require('./processes');

function expectOk(res, what) {
	if (res.status < 200 || res.status >= 300) {
		throw new Error(`${what} answered ${res.status}: ${res.text.slice(0, 500)}`);
	}
	return res.json;
}

// /rest wraps payloads in { data }; the public API does not.
function unwrap(json) {
	return json && typeof json === 'object' && 'data' in json ? json.data : json;
}

function authCookie(res) {
	const auth = (res.headers['set-cookie'] || []).find((c) => c.startsWith('n8n-auth='));
	return auth ? auth.split(';')[0] : undefined;
}

class N8nInstance {
	constructor({ version, command = 'start', baseUrl, child, userFolder, logLines, pkg }) {
		Object.assign(this, { version, command, baseUrl, child, userFolder, pkg });
		this.major = Number(version.split('.')[0]);
		this.apiKey = undefined;
		this.cookie = undefined;
		this.owner = undefined; // { email, firstName, lastName, password }
		this._logLines = logLines;
		this._stopped = undefined;
	}

	logs() {
		return this._logLines.join('\n');
	}

	// Internal API of the editor, authenticated by the owner's cookie.
	rest(method, urlPath, body) {
		return http(this.baseUrl, method, `/rest${urlPath}`, {
			body,
			headers: { cookie: this.cookie },
		});
	}

	// Public API, authenticated by the API key.
	api(method, urlPath, body) {
		return http(this.baseUrl, method, `/api/v1${urlPath}`, {
			body,
			headers: { 'X-N8N-API-KEY': this.apiKey },
		});
	}

	// Sends a request to /webhook/<path> (or /webhook-test/<path>). A string or
	// Buffer body goes out unchanged and without a content-type unless given;
	// anything else is sent as JSON. `query` is a string, an object, or [k, v]
	// pairs (for repeated keys).
	webhook(webhookPath, { method = 'POST', body, headers = {}, test = false, query } = {}) {
		const qs = query ? `?${typeof query === 'string' ? query : new URLSearchParams(query)}` : '';
		const raw = typeof body === 'string' || Buffer.isBuffer(body);
		const prefix = test ? 'webhook-test' : 'webhook';
		return http(this.baseUrl, method, `/${prefix}/${webhookPath}${qs}`, { body, headers, raw });
	}

	async createCredential(type, data, name = `${type} ${crypto.randomUUID().slice(0, 8)}`) {
		const res = await this.api('POST', '/credentials', { name, type, data });
		return expectOk(res, `create credential ${type}`);
	}

	// The public API rejects read-only and unknown properties (id, active, tags...),
	// so only the writable ones are sent.
	async createWorkflow(json) {
		const body = {
			name: json.name || `e2e ${crypto.randomUUID().slice(0, 8)}`,
			nodes: json.nodes,
			connections: json.connections || {},
			settings: json.settings || { executionOrder: 'v1' },
		};
		if (json.staticData) body.staticData = json.staticData;
		return expectOk(await this.api('POST', '/workflows', body), 'create workflow');
	}

	// n8n 1.x (de)activates inside the API call. n8n 2.x only queues it in a
	// publication outbox, so this waits until GET /rest/workflows/<id>/publication-status
	// has nothing in flight, and fails if a trigger could not start.
	// `webhookPath` additionally waits for that path (see waitForWebhook).
	async activateWorkflow(id, { webhookPath, timeoutMs = 30000 } = {}) {
		const res = await this.api('POST', `/workflows/${id}/activate`);
		const wf = expectOk(res, `activate workflow ${id}`);
		await this.waitForPublication(id, { timeoutMs, expect: 'published' });
		if (webhookPath) await this.waitForWebhook(webhookPath, { timeoutMs });
		return wf;
	}

	async deactivateWorkflow(id, { webhookPath, timeoutMs = 30000 } = {}) {
		const res = await this.api('POST', `/workflows/${id}/deactivate`);
		const wf = expectOk(res, `deactivate workflow ${id}`);
		await this.waitForPublication(id, { timeoutMs, expect: 'not_published' });
		if (webhookPath) await this.waitForWebhook(webhookPath, { timeoutMs, gone: true });
		return wf;
	}

	async waitForPublication(id, { timeoutMs = 30000, expect } = {}) {
		if (this.major < 2) return undefined;
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const res = await this.rest('GET', `/workflows/${id}/publication-status`);
			const status = unwrap(expectOk(res, 'publication status'));
			if (status.status !== 'in_progress') {
				if (expect && status.status !== expect) {
					const errors = (status.triggers || []).map((t) => t.errorMessage).filter(Boolean);
					throw new Error(
						`workflow ${id}: publication ended as ${status.status}, wanted ${expect}. ${errors.join('; ')}`,
					);
				}
				return status;
			}
			if (Date.now() > deadline) {
				throw new Error(`workflow ${id}: publication still in progress after ${timeoutMs} ms`);
			}
			await sleep(100);
		}
	}

	// A CORS preflight (OPTIONS with Origin) makes n8n look the path up without
	// running anything: 204 once registered, 404 before. `gone` waits for 404.
	async waitForWebhook(webhookPath, { test = false, timeoutMs = 30000, gone = false } = {}) {
		const deadline = Date.now() + timeoutMs;
		const prefix = test ? 'webhook-test' : 'webhook';
		for (;;) {
			const res = await http(this.baseUrl, 'OPTIONS', `/${prefix}/${webhookPath}`, {
				headers: { origin: this.baseUrl, 'access-control-request-method': 'POST' },
			});
			const registered = res.status >= 200 && res.status < 300;
			if (registered !== gone) return;
			if (Date.now() > deadline) {
				const state = gone ? 'still' : 'not';
				throw new Error(`webhook ${webhookPath} ${state} registered after ${timeoutMs} ms`);
			}
			await sleep(100);
		}
	}

	// What the editor's "Listen for test event" does: registers the workflow's
	// test webhook (/webhook-test/...) for one call. 2.x runs the stored workflow
	// and takes only the trigger's name; 1.x wants the whole workflow in the body.
	async listenForTestEvent(workflowId, triggerNodeName, { webhookPath } = {}) {
		const body = { triggerToStartFrom: { name: triggerNodeName } };
		if (this.major < 2) {
			const wf = await this.rest('GET', `/workflows/${workflowId}`);
			body.workflowData = unwrap(expectOk(wf, `get workflow ${workflowId}`));
		}
		const res = await this.rest('POST', `/workflows/${workflowId}/run`, body);
		const result = unwrap(expectOk(res, `run workflow ${workflowId}`));
		if (!result || result.waitingForWebhook !== true) {
			throw new Error(`workflow ${workflowId} is not waiting for a test webhook`);
		}
		if (webhookPath) await this.waitForWebhook(webhookPath, { test: true });
		return result;
	}

	// What the editor's "Execute workflow" does for a workflow that starts from
	// `triggerName` (a schedule, say): runs it now, in manual mode.
	async runManually(workflowId, triggerName) {
		const body = { triggerToStartFrom: { name: triggerName } };
		if (this.major < 2) {
			const wf = await this.rest('GET', `/workflows/${workflowId}`);
			body.workflowData = unwrap(expectOk(wf, `get workflow ${workflowId}`));
		}
		const res = await this.rest('POST', `/workflows/${workflowId}/run`, body);
		return unwrap(expectOk(res, `run workflow ${workflowId}`));
	}

	// All executions of a workflow, newest first (the public API's order).
	async listExecutions(workflowId, { includeData = false, status } = {}) {
		const all = [];
		let cursor;
		do {
			const params = new URLSearchParams({
				workflowId: String(workflowId),
				limit: '250',
				includeData: String(includeData),
			});
			if (status) params.set('status', status);
			if (cursor) params.set('cursor', cursor);
			const page = expectOk(await this.api('GET', `/executions?${params}`), 'list executions');
			all.push(...page.data);
			cursor = page.nextCursor;
		} while (cursor);
		return all;
	}

	// Resolves once at least `n` executions of the workflow have finished
	// (successfully or not), oldest first, with their data.
	async waitForExecutions(workflowId, n, timeoutMs = 30000) {
		const deadline = Date.now() + timeoutMs;
		let seen = [];
		while (Date.now() < deadline) {
			seen = await this.listExecutions(workflowId, { includeData: true });
			const done = seen.filter((e) => e.stoppedAt || e.finished);
			if (done.length >= n) return done.sort((a, b) => Number(a.id) - Number(b.id));
			await sleep(250);
		}
		throw new Error(
			`workflow ${workflowId}: ${seen.length} execution(s) seen, wanted ${n} finished within ${timeoutMs} ms`,
		);
	}

	// Node types the running n8n knows, as `<package>.<node>` names.
	// (/types/nodes.json works in 1.x and 2.x; there is no GET /rest/node-types.)
	async nodeTypes() {
		const res = await http(this.baseUrl, 'GET', '/types/nodes.json', {
			headers: { cookie: this.cookie },
		});
		return expectOk(res, 'GET /types/nodes.json');
	}

	async nodeTypeNames() {
		return (await this.nodeTypes()).map((t) => t.name);
	}

	// A node's list of options (its `loadOptions` method), asked for as the
	// editor asks when the list opens: POST /rest/dynamic-node-parameters/options
	// with the node's type, the parameter's path, the node's parameters and
	// credentials (the same body on 1.x and 2.x; 2.x's editor may add the
	// workflow's id, which changes nothing here). Answers n8n's response.
	nodeParameterOptions({ nodeType, version = 1, parameter, methodName, parameters, credentials }) {
		return this.rest('POST', '/dynamic-node-parameters/options', {
			nodeTypeAndVersion: { name: nodeType, version },
			path: `parameters.${parameter}`,
			methodName,
			currentNodeParameters: parameters,
			credentials,
		});
	}

	get running() {
		return isRunning(this.child);
	}

	// Sends `signal` to the whole process group (default SIGKILL, like `kill -9`
	// or a container dying) and resolves once the process is gone. The user
	// folder stays until stop().
	async kill(signal = 'SIGKILL') {
		if (!this.running) return;
		const gone = new Promise((r) => this.child.once('exit', r));
		killGroup(this.child, signal);
		await gone;
	}

	// Kills the whole process group and removes the user folder; safe to call twice.
	stop() {
		if (!this._stopped) {
			this._stopped = stopProcess(this.child).finally(() => removeDir(this.userFolder));
		}
		return this._stopped;
	}
}

/** An owner account for a new n8n; its password meets n8n's rules (8+ characters, a digit, an upper-case letter). */
function newOwner(email = 'owner@e2e.example.com') {
	return {
		email,
		firstName: 'E2E',
		lastName: 'Owner',
		password: `E2e-${crypto.randomBytes(12).toString('hex')}-A1`,
	};
}

async function setupOwner(inst, owner) {
	const res = await http(inst.baseUrl, 'POST', '/rest/owner/setup', { body: owner });
	expectOk(res, 'owner setup');
	inst.owner = owner;
	inst.cookie = authCookie(res);
	if (!inst.cookie) throw new Error('owner setup set no n8n-auth cookie');
}

// Both versions take { label, scopes, expiresAt }; scopes must come from the
// instance's own list (GET /rest/api-keys/scopes), and the raw key is only in
// the creation answer, as rawApiKey.
async function createApiKey(inst) {
	const scopes = unwrap(expectOk(await inst.rest('GET', '/api-keys/scopes'), 'API key scopes'));
	const body = { label: `e2e-${Date.now()}`, scopes, expiresAt: null };
	const created = unwrap(expectOk(await inst.rest('POST', '/api-keys', body), 'create API key'));
	inst.apiKey = created.rawApiKey;
	if (!inst.apiKey) throw new Error('API key answer had no rawApiKey');
}

/**
 * Signs `inst` in as an owner and with an API key that a previous process of
 * the same user folder created (n8n keeps both in its database).
 */
async function signIn(inst, { owner, apiKey }) {
	const res = await http(inst.baseUrl, 'POST', '/rest/login', {
		body: { emailOrLdapLoginId: owner.email, password: owner.password },
	});
	expectOk(res, 'login');
	inst.owner = owner;
	inst.cookie = authCookie(res);
	if (!inst.cookie) throw new Error('login set no n8n-auth cookie');
	inst.apiKey = apiKey;
	return inst;
}

/** Creates the owner and an API key in a freshly started main instance. */
async function setUpInstance(inst, owner = newOwner()) {
	await setupOwner(inst, owner);
	await createApiKey(inst);
	return inst;
}

module.exports = { N8nInstance, newOwner, setUpInstance, signIn };
