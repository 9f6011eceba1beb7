import {
	ManualExecutionCancelledError,
	NodeApiError,
	NodeOperationError,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

/**
 * The execution's cancel signal, which aborts when the execution is stopped
 * (or times out): n8n 1.x and 2.x give it to action nodes, an older n8n
 * has no such method, and a run without a signal cannot be stopped.
 */
export function cancelSignal(context: IExecuteFunctions): AbortSignal | undefined {
	return context.getExecutionCancelSignal?.();
}

/**
 * Where an action node's requests go: its credential's Base URL (a proxy, a
 * test server), without trailing slashes, or the provider's own address
 * when the field is empty.
 */
export function credentialBaseUrl(
	credentials: ICredentialDataDecryptedObject,
	providerUrl: string,
): string {
	const { baseUrl } = credentials;
	return typeof baseUrl === 'string' && baseUrl.trim() !== ''
		? baseUrl.trim().replace(/\/+$/, '')
		: providerUrl;
}

/**
 * What ends a node once its execution is stopped: the error n8n's own nodes
 * (Execute Command) and n8n 1.x's cancellable sleep throw, which n8n records
 * as a cancellation, not as the node failing.
 */
export function executionCancelled(context: IExecuteFunctions): ManualExecutionCancelledError {
	return new ManualExecutionCancelledError(context.getExecutionId());
}

/**
 * What every action node of this package does with its input: one operation
 * per item, each result (or each of a list of results) paired with its item, and Continue On Fail per item
 * (the item's error becomes its output and the others go on). Once the
 * execution is stopped, no item starts and the item in flight ends with
 * n8n's cancellation, never as an error item.
 */
export async function forEachItem(
	context: IExecuteFunctions,
	operation: (itemIndex: number) => Promise<IDataObject | IDataObject[]>,
): Promise<INodeExecutionData[][]> {
	const items = context.getInputData();
	const signal = cancelSignal(context);
	const returned: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		if (signal?.aborted) throw executionCancelled(context);
		try {
			const results = await operation(itemIndex);
			for (const json of Array.isArray(results) ? results : [results]) {
				returned.push({ json, pairedItem: { item: itemIndex } });
			}
		} catch (error) {
			if (signal?.aborted) throw executionCancelled(context);
			if (context.continueOnFail()) {
				returned.push({
					json: { error: error instanceof Error ? error.message : String(error) },
					pairedItem: { item: itemIndex },
				});
				continue;
			}
			// The node's own errors already say what happened and what to do; others are n8n's.
			throw error instanceof NodeApiError || error instanceof NodeOperationError
				? error
				: new NodeOperationError(context.getNode(), error as Error, { itemIndex });
		}
	}
	return [returned];
}
