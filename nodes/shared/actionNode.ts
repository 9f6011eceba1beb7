import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

/**
 * What every action node of this package does with its input: one operation
 * per item, each result paired with its item, and Continue On Fail per item
 * (the item's error becomes its output and the others go on).
 */
export async function forEachItem(
	context: IExecuteFunctions,
	operation: (itemIndex: number) => Promise<IDataObject>,
): Promise<INodeExecutionData[][]> {
	const items = context.getInputData();
	const returned: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			returned.push({ json: await operation(itemIndex), pairedItem: { item: itemIndex } });
		} catch (error) {
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
