'use strict';
// The part of n8n's IWebhookFunctions that the triggers and n8n's Webhook node
// use, built fresh for every call as n8n builds one per request. Every
// candidate gets the same fake, so the comparison is of the nodes alone.

const noop = () => undefined;
const logger = { error: noop, warn: noop, info: noop, debug: noop };

function fakeResponse() {
	const response = {
		statusCode: 200,
		status(code) {
			response.statusCode = code;
			return response;
		},
		json: () => response,
		writeHead(code) {
			response.statusCode = code;
			return response;
		},
		end: () => response,
	};
	return response;
}

/**
 * @param {object} node        what getNode() returns (type, typeVersion, name, id, parameters)
 * @param {object} parameters  node parameters by name
 * @param {object} credentials credential data by credential type
 * @param {object} request     { headers, query, body }
 */
function fakeWebhookContext({ node, parameters, credentials, request }) {
	const response = fakeResponse();
	const expressRequest = {
		method: 'POST',
		ip: '127.0.0.1',
		ips: [],
		headers: request.headers,
		query: request.query,
		params: {},
		body: request.body,
		contentType: 'application/json',
	};
	return {
		response,
		context: {
			getNode: () => node,
			getWorkflow: () => ({ id: 'bench-workflow' }),
			getMode: () => 'webhook',
			getNodeParameter: (name, fallback) => (name in parameters ? parameters[name] : fallback),
			getCredentials: async (type) => credentials[type],
			getHeaderData: () => request.headers,
			getQueryData: () => request.query,
			getBodyData: () => request.body,
			getParamsData: () => ({}),
			getRequestObject: () => expressRequest,
			getResponseObject: () => response,
			getChildNodes: () => [],
			getParentNodes: () => [],
			getNodeWebhookUrl: () => 'http://127.0.0.1:5678/webhook/bench/webhook',
			logger,
		},
	};
}

module.exports = { fakeWebhookContext };
