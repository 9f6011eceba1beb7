import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { forEachItem } from '../shared/actionNode';
import { boticordApi } from './boticordApi';
import { boticordCredentialTests } from './boticordNodes';

/** A Discord ID parameter, shown for the operations of one resource. */
function idParameter(resource: string, displayName: string, description: string): INodeProperties {
	return {
		displayName,
		name: `${resource}Id`,
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 724663360934772797',
		description,
		displayOptions: { show: { resource: [resource] } },
	};
}

/** The statistics Boticord keeps for a bot, as its API names them and as users know them. */
const statistics = [
	{ name: 'servers', displayName: 'Server Count', description: 'How many servers the bot is in' },
	{
		name: 'shards',
		displayName: 'Shard Count',
		description: 'How many gateway shards the bot runs',
	},
	{ name: 'members', displayName: 'Member Count', description: 'How many users the bot serves' },
] as const;

export class Boticord implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Boticord',
		name: 'boticord',
		icon: { light: 'file:../../icons/boticord.svg', dark: 'file:../../icons/boticord.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: "Post your bot's statistics to Boticord and read its bots, servers and users",
		defaults: {
			name: 'Boticord',
		},
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'boticordWebhookApi',
				required: true,
				testedBy: 'boticordApiTokenTest',
			},
		],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Bot', value: 'bot' },
					{ name: 'Server', value: 'server' },
					{ name: 'User', value: 'user' },
				],
				default: 'bot',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['bot'] } },
				options: [
					{
						name: 'Get',
						value: 'get',
						description: "Get a bot's page on Boticord",
						action: 'Get a bot',
					},
					{
						name: 'Update Stats',
						value: 'updateStats',
						description: "Post a bot's server, shard and member counts to Boticord",
						action: 'Update the stats of a bot',
					},
				],
				default: 'get',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['server'] } },
				options: [
					{
						name: 'Get',
						value: 'get',
						description: "Get a server's page on Boticord",
						action: 'Get a server',
					},
				],
				default: 'get',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['user'] } },
				options: [
					{
						name: 'Get',
						value: 'get',
						description: "Get a user's Boticord profile",
						action: 'Get a user',
					},
				],
				default: 'get',
			},
			idParameter('bot', 'Bot ID', "The bot's Discord ID"),
			idParameter('server', 'Server ID', "The server's Discord ID"),
			idParameter('user', 'User ID', "The user's Discord ID"),
			{
				displayName: 'Statistics',
				name: 'statistics',
				type: 'collection',
				placeholder: 'Add Statistic',
				default: {},
				description: 'The counts to post; Boticord keeps the ones not given',
				displayOptions: { show: { resource: ['bot'], operation: ['updateStats'] } },
				options: statistics.map(({ name, displayName, description }) => ({
					displayName,
					name,
					type: 'number' as const,
					typeOptions: { minValue: 0, numberPrecision: 0 },
					default: 0,
					description,
				})),
			},
		],
	};

	methods = { credentialTest: boticordCredentialTests };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const boticordRequest = boticordApi(this);
		return forEachItem(this, async (itemIndex) => {
			const resource = this.getNodeParameter('resource', itemIndex) as 'bot' | 'server' | 'user';
			const operation = this.getNodeParameter('operation', itemIndex) as string;
			const id = encodeURIComponent(
				String(this.getNodeParameter(`${resource}Id`, itemIndex)).trim(),
			);
			const path = { bot: `/bots/${id}`, server: `/servers/${id}`, user: `/users/${id}` }[resource];
			if (resource === 'bot' && operation === 'updateStats') {
				const given = this.getNodeParameter('statistics', itemIndex, {}) as IDataObject;
				if (Object.keys(given).length === 0) {
					throw new NodeOperationError(
						this.getNode(),
						'No statistics to post: add Server Count, Shard Count or Member Count under Statistics.',
						{ itemIndex },
					);
				}
				return boticordRequest(itemIndex, 'POST', `${path}/stats`, given);
			}
			return boticordRequest(itemIndex, 'GET', path);
		});
	}
}
