import type { IAuthenticateGeneric, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * Boticord's API token. Boticord sends it with every notification (the
 * trigger compares it), and its API takes it in the Authorization header.
 * No request proves a token without changing anything, so the nodes that use
 * this credential test it themselves (`testedBy`).
 */
export class BoticordWebhookApi implements ICredentialType {
	name = 'boticordWebhookApi';

	displayName = 'Boticord API';

	documentationUrl =
		'https://github.com/n8n-nodes-boticord-botisimo/n8n-nodes-boticord-botisimo#boticord-setup';

	icon = { light: 'file:../icons/boticord.svg', dark: 'file:../icons/boticord.dark.svg' } as const;

	properties: INodeProperties[] = [
		// Named hookKey since the first release, so credentials saved with it keep working.
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
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.boticord.top/v3',
			description:
				"The address of Boticord's API. Change it only to go through a proxy or to a test server.",
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { Authorization: '={{$credentials.hookKey}}' },
		},
	};
}
