import type { IHookFunctions, IWebhookFunctions } from 'n8n-workflow';

/** Identifies one trigger node in one workflow, for state kept in this process. */
export function nodeKeyOf(context: IWebhookFunctions | IHookFunctions): string {
	const node = context.getNode();
	return `${context.getWorkflow().id ?? ''}\u0000${node.id ?? node.name}`;
}
