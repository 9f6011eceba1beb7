import type {
	ICredentialDataDecryptedObject,
	ICredentialTestFunctions,
	IDataObject,
	INodeType,
	IWebhookFunctions,
	IWebhookResponseData,
	WorkflowExecuteMode,
} from 'n8n-workflow';

import { fakeWebhookContext as fakeContext } from '../harness/webhookContext';

export interface FakeRequest {
	headers?: Record<string, string | string[] | undefined>;
	query?: Record<string, unknown>;
	body?: unknown;
	events?: string[];
	options?: IDataObject;
	/** The credential's data, an error to throw when it is read, or a function giving its current data. */
	credentials?: IDataObject | Error | (() => IDataObject);
	/** The node's credential references, as n8n stores them on the node. */
	nodeCredentials?: Record<string, { id: string; name: string }>;
	mode?: WorkflowExecuteMode;
	workflowId?: string;
	nodeName?: string;
	/** The node's type version, as n8n stores it on the node. */
	typeVersion?: number;
	/** The node's static data (getWorkflowStaticData('node')); the same object across requests for what n8n saved. */
	staticData?: IDataObject;
}

export interface FakeWebhookContext {
	context: IWebhookFunctions;
	/** What the node wrote through the response object, if anything. */
	answer: { status?: number; body?: unknown };
	/** Every logger call, to prove secrets never reach a log line. */
	logLines: unknown[][];
}

/** The shared stand-in for IWebhookFunctions (test/harness/webhookContext.js), typed for the tests. */
export function fakeWebhookContext(request: FakeRequest): FakeWebhookContext {
	return fakeContext(request);
}

/**
 * Sends one fake request to a trigger's webhook() and checks, for every
 * request of every test, that no secret appears in any item, answer or log line.
 */
export function deliveryTo(trigger: INodeType, secrets: string | string[], defaults: FakeRequest) {
	return async (request: FakeRequest) => {
		const fake = fakeWebhookContext({ ...defaults, ...request });
		const result = await (trigger.webhook as NonNullable<INodeType['webhook']>).call(fake.context);
		const everything = JSON.stringify([result.workflowData ?? null, fake.answer, fake.logLines]);
		for (const secret of [secrets].flat()) expect(everything).not.toContain(secret);
		return { ...fake, result };
	};
}

/**
 * Whether the trigger let the delivery through: n8n answers it (nothing
 * written), or the trigger answered it with an empty 200 itself (so that n8n
 * saves the static data it changed first: see startAndSaveStaticData).
 */
export function answeredAsAccepted(answer: FakeWebhookContext['answer']): boolean {
	return answer.status === undefined || (answer.status === 200 && answer.body === undefined);
}

export function emittedItems(result: IWebhookResponseData): IDataObject[] {
	return (result.workflowData ?? []).flat().map((item) => item.json);
}

/** Runs a node's credential test, as n8n does when a user tests a credential, on `data`. */
export function credentialTestOf(node: INodeType, testName: string, type: string) {
	const test = node.methods?.credentialTest?.[testName];
	if (!test) throw new Error(`${node.description.name} has no credential test ${testName}`);
	return (data: Record<string, unknown>) =>
		test.call({} as ICredentialTestFunctions, {
			id: '1',
			name: `${type} under test`,
			type,
			data: data as ICredentialDataDecryptedObject,
		});
}

/** Gives `value` an own `__proto__` key, as JSON.parse makes one, whose value would pollute if merged. */
export function withOwnProtoKey(value: Record<string, unknown>): Record<string, unknown> {
	return Object.defineProperty(value, '__proto__', {
		value: { polluted: true },
		enumerable: true,
		writable: true,
		configurable: true,
	});
}
