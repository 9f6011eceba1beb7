import type { IWebhookFunctions } from 'n8n-workflow';

export interface SecretCredential {
	/** n8n credential type name, e.g. `boticordWebhookApi`. */
	type: string;
	/** The credential field holding the secret. */
	field: string;
}

/** Reads the secret the user stored in the node's credential; undefined when it is empty. */
export async function readConfiguredSecret(
	context: IWebhookFunctions,
	credential: SecretCredential,
): Promise<string | undefined> {
	const data = await context.getCredentials(credential.type);
	const secret = data[credential.field];
	return typeof secret === 'string' && secret.length > 0 ? secret : undefined;
}
