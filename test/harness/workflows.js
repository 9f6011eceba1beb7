const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const PACKAGE = 'n8n-nodes-boticord-botisimo';
const EXAMPLES = path.resolve(__dirname, '..', '..', 'examples');

/**
 * A workflow with one of this package's triggers and nothing else: each
 * execution's item is read back through n8n's public API.
 */
function triggerWorkflow({ name, nodeType, credential, events, options = {} }) {
	const webhookId = crypto.randomUUID();
	return {
		webhookPath: `${webhookId}/webhook`,
		json: {
			name,
			nodes: [
				{
					id: crypto.randomUUID(),
					name: 'Trigger',
					type: `${PACKAGE}.${nodeType}`,
					// what the editor gives a new node (triggerVersions.defaultVersion)
					typeVersion: 1.1,
					position: [0, 0],
					webhookId,
					parameters: { events, options },
					credentials: { [credential.type]: { id: credential.id, name: credential.name } },
				},
			],
			connections: {},
			settings: { executionOrder: 'v1' },
		},
	};
}

/** A workflow with only the Boticord Gateway Trigger, pointed at `gatewayUrl`, with other `options` if given. */
function gatewayWorkflow({ name, credential, events, gatewayUrl, options = {} }) {
	const { json } = triggerWorkflow({
		name,
		nodeType: 'boticordGatewayTrigger',
		credential,
		events,
		options: { gatewayUrl, ...options },
	});
	json.nodes[0].typeVersion = 1;
	delete json.nodes[0].webhookId;
	return json;
}

/**
 * n8n's Webhook node at `path` (answering with the last node's output unless
 * `responseMode` says otherwise), then this package's action node `nodeType`
 * once per step, one after the other: `steps` are [name, parameters, node
 * settings] (settings such as continueOnFail), each node with `credential`
 * of `credentialType`.
 */
function webhookThen({
	name,
	path,
	responseMode = 'lastNode',
	nodeType,
	credentialType,
	credential,
	steps,
}) {
	const nodes = [
		{
			id: crypto.randomUUID(),
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: crypto.randomUUID(),
			parameters: { httpMethod: 'POST', path, responseMode, options: {} },
		},
		...steps.map(([stepName, parameters, settings = {}], index) => ({
			id: crypto.randomUUID(),
			name: stepName,
			type: `${PACKAGE}.${nodeType}`,
			typeVersion: 1,
			position: [220 * (index + 1), 0],
			parameters,
			credentials: { [credentialType]: { id: credential.id, name: credential.name } },
			...settings,
		})),
	];
	const connections = {};
	for (let index = 1; index < nodes.length; index++) {
		connections[nodes[index - 1].name] = {
			main: [[{ node: nodes[index].name, type: 'main', index: 0 }]],
		};
	}
	return { name, nodes, connections, settings: { executionOrder: 'v1' } };
}

/**
 * Adds an HTTP Request node after the trigger that posts each item, with the
 * execution's id in an x-execution-id header, to `url` (see
 * harness/collector.js). Returns the workflow JSON.
 */
function withRecorder(json, url) {
	return {
		...json,
		nodes: [
			...json.nodes,
			{
				id: crypto.randomUUID(),
				name: 'Record',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [220, 0],
				parameters: {
					method: 'POST',
					url,
					sendHeaders: true,
					headerParameters: {
						parameters: [{ name: 'x-execution-id', value: '={{ $execution.id }}' }],
					},
					sendBody: true,
					specifyBody: 'json',
					jsonBody: '={{ JSON.stringify($json) }}',
					options: {},
				},
			},
		],
		connections: { Trigger: { main: [[{ node: 'Record', type: 'main', index: 0 }]] } },
	};
}

/**
 * A Boticord credential's data as n8n's public API takes it. n8n adds an
 * "Allowed HTTP Request Domains" choice to every credential that can
 * authenticate requests, and n8n 1.x's API refuses the credential unless that
 * choice is made.
 */
function boticordCredentialData(token) {
	return { hookKey: token, allowedHttpRequestDomains: 'all' };
}

/**
 * A Botisimo API credential's data as n8n's public API takes it (see
 * boticordCredentialData); without `baseUrl`, the credential's default, Botisimo's;
 * with `team`, the team whose public page the node reads.
 */
function botisimoApiCredentialData(clientId, baseUrl, team) {
	return { clientId, baseUrl, allowedHttpRequestDomains: 'all', ...(team ? { team } : {}) };
}

/** The JSON of the first item the trigger emitted in an execution read with its data. */
function emittedItem(execution) {
	const runs = execution.data.resultData.runData.Trigger;
	return runs[0].data.main[0][0].json;
}

/** This package's nodes that n8n calls through a webhook. */
const WEBHOOK_TRIGGERS = [`${PACKAGE}.boticordTrigger`, `${PACKAGE}.botisimoTrigger`];

/** The credential type each of this package's nodes takes. */
function credentialTypeOf(nodeType) {
	if (nodeType === `${PACKAGE}.botisimo`) return 'botisimoApi';
	return nodeType.startsWith(`${PACKAGE}.boticord`) ? 'boticordWebhookApi' : 'botisimoWebhookApi';
}

/**
 * An example workflow of examples/ as a user imports it: each of this
 * package's nodes gets the credential of its type from `credentials` (by
 * credential type), each webhook trigger a fresh webhook id (the editor
 * assigns one on import); `prepareNode` may fill in any other node.
 * @returns {Promise<{ json: object, webhookPath: string | undefined }>}
 */
async function importedExample(file, { credentials, prepareNode = async () => {} }) {
	const json = JSON.parse(fs.readFileSync(path.join(EXAMPLES, file), 'utf8'));
	let webhookPath;
	for (const node of json.nodes) {
		if (node.type.startsWith(`${PACKAGE}.`)) {
			const type = credentialTypeOf(node.type);
			const credential = credentials[type];
			if (!credential)
				throw new Error(`importedExample: ${file} needs a credential of type ${type}`);
			node.credentials = { [type]: { id: credential.id, name: credential.name } };
			if (WEBHOOK_TRIGGERS.includes(node.type)) {
				node.webhookId = crypto.randomUUID();
				webhookPath = `${node.webhookId}/webhook`;
			}
		}
		await prepareNode(node);
	}
	return { json, webhookPath };
}

module.exports = {
	webhookThen,
	EXAMPLES,
	PACKAGE,
	boticordCredentialData,
	botisimoApiCredentialData,
	gatewayWorkflow,
	importedExample,
	triggerWorkflow,
	withRecorder,
	emittedItem,
};
