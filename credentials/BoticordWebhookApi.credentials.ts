import type { ICredentialType, INodeProperties } from 'n8n-workflow';

export class BoticordWebhookApi implements ICredentialType {
	name = 'boticordWebhookApi';

	displayName = 'Boticord Webhook';

	documentationUrl = 'https://github.com/n8n-nodes-boticord-botisimo/n8n-nodes-boticord-botisimo#boticord-setup';

	icon = 'file:boticord.svg' as const;

	properties: INodeProperties[] = [
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
