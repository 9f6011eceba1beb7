import type { ICredentialType, INodeProperties } from 'n8n-workflow';

// eslint-disable-next-line @n8n/community-nodes/credential-test-required -- Boticord calls n8n with this key; there is no Boticord endpoint to test it against
export class BoticordWebhookApi implements ICredentialType {
	name = 'boticordWebhookApi';

	// eslint-disable-next-line n8n-nodes-base/cred-class-field-display-name-missing-api -- it holds a webhook key, not API access
	displayName = 'Boticord Webhook';

	// eslint-disable-next-line n8n-nodes-base/cred-class-field-documentation-url-miscased -- a community package links its own docs, not a docs.n8n.io slug
	documentationUrl =
		'https://github.com/n8n-nodes-boticord-botisimo/n8n-nodes-boticord-botisimo#boticord-setup';

	icon = { light: 'file:boticord.svg', dark: 'file:boticord.dark.svg' } as const;

	properties: INodeProperties[] = [
		// eslint-disable-next-line @n8n/community-nodes/credential-unnecessary-password -- the hook key is a secret despite its name
		{
			displayName: 'Hook Key',
			name: 'hookKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'The private key Boticord sends in the X-Hook-Key header of every webhook. Find it on your bot or server edit page on Boticord, under the Webhook URL field.',
		},
	];
}
