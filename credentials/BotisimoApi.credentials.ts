import type { IAuthenticateGeneric, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * The Client ID of a Botisimo account, which Botisimo's Loyalty Admin API
 * takes in a `client-id` header. Its one request that reads (GET /user)
 * creates the user it does not find, so the node that uses this credential
 * tests its form itself (`testedBy`) instead of calling Botisimo. The team's
 * name is for its public page (tags, tiers), read without the Client ID.
 */
export class BotisimoApi implements ICredentialType {
	name = 'botisimoApi';

	displayName = 'Botisimo API';

	documentationUrl =
		'https://github.com/n8n-nodes-boticord-botisimo/n8n-nodes-boticord-botisimo#botisimo-node';

	icon = { light: 'file:../icons/botisimo.svg', dark: 'file:../icons/botisimo.dark.svg' } as const;

	properties: INodeProperties[] = [
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				"The Client ID from your Botisimo account profile (botisimo.com/account/profile). Botisimo's Loyalty Admin API is for teams on its enterprise plan.",
		},
		{
			displayName: 'Team',
			name: 'team',
			type: 'string',
			default: '',
			placeholder: 'e.g. optic',
			description:
				"Optional: your team's name in your Botisimo account, as it stands in Botisimo's loyalty addresses (botisimo.com/api/v1/loyalty/<team>). With it, the Botisimo node lists the team's tags and gets the team.",
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://botisimo.com/api/v1/loyalty/admin',
			description:
				"The address of Botisimo's Loyalty Admin API. Change it only to go through a proxy or to a test server.",
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { 'client-id': '={{$credentials.clientId}}' },
		},
	};
}
