import type { IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

/** HTTP statuses this package answers with on its own (everything else is n8n's). */
export type RefusalStatus = 400 | 401 | 403 | 500;

/**
 * Answers the caller directly and tells n8n that no workflow runs.
 * The body is a small JSON object so that provider dashboards and curl show
 * the reason; it never contains a secret.
 */
export function refuse(
	context: IWebhookFunctions,
	status: RefusalStatus,
	message: string,
): IWebhookResponseData {
	context.getResponseObject().status(status).json({ message });
	return { noWebhookResponse: true };
}

/** A delivery that is understood but starts no execution (unselected or duplicate). */
export function acknowledgeWithoutRunning(): IWebhookResponseData {
	return {};
}
