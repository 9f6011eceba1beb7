import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * A secret the user makes up and appends to the URL registered in Botisimo.
 * No Botisimo endpoint knows it, so the trigger tests its form (`testedBy`).
 */
export class BotisimoWebhookApi implements ICredentialType {
	name = 'botisimoWebhookApi';

	displayName = 'Botisimo Webhook API';

	documentationUrl =
		'https://github.com/n8n-nodes-boticord-botisimo/n8n-nodes-boticord-botisimo#botisimo-setup';

	icon = { light: 'file:../icons/botisimo.svg', dark: 'file:../icons/botisimo.dark.svg' } as const;

	properties: INodeProperties[] = [
		{
			displayName:
				"Botisimo does not sign its webhooks. Make up a long random secret, enter it here, and register the trigger's Production URL in Botisimo with ?token=YOUR_SECRET appended (YOUR_SECRET being this secret). Deliveries without the right token are refused.",
			name: 'notice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'A long random value of your choice (for example from a password generator). Use only letters and digits so that it can stand in a URL as it is.',
		},
	];
}
