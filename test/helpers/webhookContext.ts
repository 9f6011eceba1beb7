import type {
	IDataObject,
	INodeType,
	IWebhookFunctions,
	IWebhookResponseData,
	WorkflowExecuteMode,
} from 'n8n-workflow';

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
}

export interface Answer {
	status?: number;
	body?: unknown;
}

export interface FakeWebhookContext {
	context: IWebhookFunctions;
	/** What the node wrote through the response object, if anything. */
	answer: Answer;
	/** Every logger call, to prove secrets never reach a log line. */
	logLines: unknown[][];
}

let workflowCounter = 0;

/**
 * A stand-in for n8n's IWebhookFunctions with only what the triggers use. Each
 * request belongs to a workflow of its own unless the test names one, so state
 * a trigger keeps per node (remembered secrets and message ids) never leaks
 * between tests.
 */
export function fakeWebhookContext(request: FakeRequest): FakeWebhookContext {
	const answer: Answer = {};
	const logLines: unknown[][] = [];
	const fake: FakeWebhookContext = {
		context: undefined as never,
		answer,
		logLines,
	};
	const response = {
		status(code: number) {
			answer.status = code;
			return response;
		},
		json(body: unknown) {
			answer.body = body;
			return response;
		},
	};
	const record =
		(level: string) =>
		(...args: unknown[]) =>
			logLines.push([level, ...args]);
	const workflowId = request.workflowId ?? `fake-workflow-${++workflowCounter}`;
	const parameters: IDataObject = {
		events: request.events ?? ['*'],
		options: request.options ?? {},
	};
	fake.context = {
		getHeaderData: () => request.headers ?? {},
		getQueryData: () => request.query ?? {},
		getBodyData: () => request.body as IDataObject,
		getNodeParameter: (name: string, fallback?: unknown) => parameters[name] ?? fallback,
		getCredentials: async () => {
			if (request.credentials instanceof Error) throw request.credentials;
			if (typeof request.credentials === 'function') return request.credentials();
			return request.credentials ?? {};
		},
		getResponseObject: () => response,
		getMode: () => request.mode ?? 'webhook',
		getNode: () => ({
			id: `${request.nodeName ?? 'Trigger'}-id`,
			name: request.nodeName ?? 'Trigger',
			typeVersion: request.typeVersion ?? 1.1,
			credentials: request.nodeCredentials,
		}),
		getWorkflow: () => ({ id: workflowId }),
		logger: {
			error: record('error'),
			warn: record('warn'),
			info: record('info'),
			debug: record('debug'),
		},
	} as unknown as IWebhookFunctions;
	return fake;
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

export function emittedItems(result: IWebhookResponseData): IDataObject[] {
	return (result.workflowData ?? []).flat().map((item) => item.json);
}
