import type { ICredentialType, INodeProperties } from 'n8n-workflow';

// eslint-disable-next-line @n8n/community-nodes/credential-test-required -- Boticord calls n8n with this key; there is no Boticord endpoint to test it against
export class BoticordWebhookApi implements ICredentialType {
	name = 'boticordWebhookApi';

	displayName = 'Boticord API';

	// eslint-disable-next-line n8n-nodes-base/cred-class-field-documentation-url-miscased -- a community package links its own docs, not a docs.n8n.io slug
	documentationUrl =
		'https://github.com/n8n-nodes-boticord-botisimo/n8n-nodes-boticord-botisimo#boticord-setup';

	icon = { light: 'file:boticord.svg', dark: 'file:boticord.dark.svg' } as const;

	// The field keeps its first name, hookKey, so credentials saved with it keep working.
	properties: INodeProperties[] = [
		// eslint-disable-next-line @n8n/community-nodes/credential-unnecessary-password -- the field holds a token despite its name
		{
			displayName: 'API Token',
			name: 'hookKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'The API token from your Boticord profile settings (API tab), which Boticord sends in the X-Boticord-Token header of every notification. For a legacy per-bot webhook, paste the hook key shown under its Webhook URL field instead.',
		},
	];
}
