import type { ICredentialType, INodeProperties } from 'n8n-workflow';

// eslint-disable-next-line @n8n/community-nodes/credential-test-required -- Botisimo calls n8n with this secret; there is no Botisimo endpoint to test it against
export class BotisimoWebhookApi implements ICredentialType {
	name = 'botisimoWebhookApi';

	// eslint-disable-next-line n8n-nodes-base/cred-class-field-display-name-missing-api -- it holds a webhook secret, not API access
	displayName = 'Botisimo Webhook';

	// eslint-disable-next-line n8n-nodes-base/cred-class-field-documentation-url-miscased -- a community package links its own docs, not a docs.n8n.io slug
	documentationUrl =
		'https://github.com/n8n-nodes-boticord-botisimo/n8n-nodes-boticord-botisimo#botisimo-setup';

	icon = { light: 'file:botisimo.svg', dark: 'file:botisimo.dark.svg' } as const;

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
