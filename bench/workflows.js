'use strict';
// The four contenders of the real-n8n benchmark, as n8n workflow JSON.
const crypto = require('node:crypto');

const uuid = () => crypto.randomUUID();

function webhookNode({ path, credential }) {
	return {
		id: uuid(),
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId: uuid(),
		parameters: {
			httpMethod: 'POST',
			path,
			authentication: credential ? 'headerAuth' : 'none',
			responseMode: 'onReceived',
			options: {},
		},
		...(credential
			? { credentials: { httpHeaderAuth: { id: credential.id, name: credential.name } } }
			: {}),
	};
}

/** The IF node a user adds after a Webhook node to keep one event type. */
function ifNode(typeField, selectedType) {
	return {
		id: uuid(),
		name: 'Only the selected event',
		type: 'n8n-nodes-base.if',
		typeVersion: 2.2,
		position: [220, 0],
		parameters: {
			conditions: {
				options: { caseSensitive: true, leftValue: '', typeValidation: 'strict', version: 2 },
				conditions: [
					{
						id: uuid(),
						leftValue: `={{ $json.body.${typeField} }}`,
						rightValue: selectedType,
						operator: { type: 'string', operation: 'equals' },
					},
				],
				combinator: 'and',
			},
			options: {},
		},
	};
}

const workflow = (name, nodes) => ({
	name,
	nodes,
	connections:
		nodes.length > 1
			? { [nodes[0].name]: { main: [[{ node: nodes[1].name, type: 'main', index: 0 }]] } }
			: {},
	settings: { executionOrder: 'v1' },
});

/**
 * (a) our trigger; (b) Webhook + Header Auth + IF; (c) Webhook + IF without
 * auth; (d) a bare Webhook node. Each entry: { json, path } where path is the
 * production URL path after /webhook/.
 */
function contenders({ provider, selectedType, triggerCredential, headerAuthCredential }) {
	const typeField = provider === 'boticord' ? 'type' : 'eventType';
	const triggerWebhookId = uuid();
	const trigger = {
		id: uuid(),
		name: 'Trigger',
		type: `n8n-nodes-boticord-botisimo.${provider}Trigger`,
		typeVersion: 1.1,
		position: [0, 0],
		webhookId: triggerWebhookId,
		parameters: { events: [selectedType], options: {} },
		credentials: {
			[triggerCredential.type]: { id: triggerCredential.id, name: triggerCredential.name },
		},
	};
	const paths = { b: uuid(), c: uuid(), d: uuid() };
	return {
		a: { json: workflow(`${provider} trigger`, [trigger]), path: `${triggerWebhookId}/webhook` },
		b: {
			json: workflow(`${provider} webhook + header auth + IF`, [
				webhookNode({ path: paths.b, credential: headerAuthCredential }),
				ifNode(typeField, selectedType),
			]),
			path: paths.b,
		},
		c: {
			json: workflow(`${provider} webhook + IF`, [
				webhookNode({ path: paths.c }),
				ifNode(typeField, selectedType),
			]),
			path: paths.c,
		},
		d: {
			json: workflow(`${provider} bare webhook`, [webhookNode({ path: paths.d })]),
			path: paths.d,
		},
	};
}

module.exports = { contenders };
