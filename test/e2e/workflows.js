const crypto = require('node:crypto');

const PACKAGE = 'n8n-nodes-boticord-botisimo';

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
					typeVersion: 1,
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

/** The JSON of the first item the trigger emitted in an execution read with its data. */
function emittedItem(execution) {
	const runs = execution.data.resultData.runData.Trigger;
	return runs[0].data.main[0][0].json;
}

module.exports = { PACKAGE, triggerWorkflow, emittedItem };
