'use strict';
/**
 * A stand-in for n8n's IWebhookFunctions: what the triggers and n8n's own
 * Webhook node use of it, built fresh for every request as n8n builds one.
 * The unit tests and the benchmarks call nodes through it.
 */
const { recordingLogger } = require('./recordingLogger');

let workflowCounter = 0;

/**
 * @typedef {object} FakeRequest
 * @property {Record<string, string | string[] | undefined>} [headers]
 * @property {Record<string, unknown>} [query]
 * @property {unknown} [body]
 * @property {string[]} [events] the node's Events parameter (default: All Events)
 * @property {Record<string, unknown>} [options] the node's Options parameter
 * @property {Record<string, unknown>} [parameters] any other node parameters
 * @property {Record<string, unknown> | Error | (() => Record<string, unknown>)} [credentials]
 *   the credential's data, an error to throw when it is read, or a function giving its current data
 * @property {Record<string, { id: string, name: string }>} [nodeCredentials] as n8n stores them on the node
 * @property {string} [mode] n8n's execution mode (default `webhook`; `manual` for the Test URL)
 * @property {string} [workflowId] default: a workflow of its own, so that state kept per node never leaks
 * @property {string} [nodeName]
 * @property {string} [nodeType]
 * @property {number} [typeVersion]
 * @property {Record<string, unknown>} [staticData] the node's static data, as
 *   getWorkflowStaticData('node') gives it (default: empty, as n8n loads it for a new workflow);
 *   pass the same object to several requests for what n8n saved between them
 */

/**
 * @param {FakeRequest} request
 * @returns {{ context: import('n8n-workflow').IWebhookFunctions, answer: { status?: number, body?: unknown }, logLines: unknown[][] }}
 */
function fakeWebhookContext(request) {
	/** What the node wrote through the response object, if anything. */
	const answer = {};
	/** Every logger call, to prove keys never reach a log line. */
	const { logger, lines: logLines } = recordingLogger();
	const response = {
		status(code) {
			answer.status = code;
			return response;
		},
		json(body) {
			answer.body = body;
			return response;
		},
		writeHead(code) {
			answer.status = code;
			return response;
		},
		end: () => response,
	};
	const workflowId = request.workflowId ?? `fake-workflow-${++workflowCounter}`;
	const parameters = {
		events: request.events ?? ['*'],
		options: request.options ?? {},
		...request.parameters,
	};
	const headers = request.headers ?? {};
	const staticData = request.staticData ?? {};
	const query = request.query ?? {};
	const node = {
		id: `${request.nodeName ?? 'Trigger'}-id`,
		name: request.nodeName ?? 'Trigger',
		type: request.nodeType ?? 'n8n-nodes-boticord-botisimo.trigger',
		typeVersion: request.typeVersion ?? 1.1,
		parameters,
		credentials: request.nodeCredentials,
	};
	const context = {
		getNode: () => node,
		getWorkflow: () => ({ id: workflowId }),
		getMode: () => request.mode ?? 'webhook',
		getNodeParameter: (name, fallback) => parameters[name] ?? fallback,
		getCredentials: async () => {
			const { credentials } = request;
			if (credentials instanceof Error) throw credentials;
			if (typeof credentials === 'function') return credentials();
			return credentials ?? {};
		},
		getHeaderData: () => headers,
		getQueryData: () => query,
		getBodyData: () => request.body,
		getParamsData: () => ({}),
		getRequestObject: () => ({
			method: 'POST',
			ip: '127.0.0.1',
			ips: [],
			headers,
			query,
			params: {},
			body: request.body,
			contentType: 'application/json',
		}),
		getResponseObject: () => response,
		getWorkflowStaticData: () => staticData,
		getChildNodes: () => [],
		getParentNodes: () => [],
		getNodeWebhookUrl: () => 'http://127.0.0.1:5678/webhook/fake/webhook',
		logger,
	};
	return { context: /** @type {any} */ (context), answer, logLines };
}

module.exports = { fakeWebhookContext };
