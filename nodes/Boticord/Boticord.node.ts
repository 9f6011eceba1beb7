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
import { DISCORD_ID_EXAMPLE } from '../shared/discordId';
import { isJsonObject } from '../shared/jsonBody';
import { discordIdInput, integerInput, refusedInput } from '../shared/nodeInputs';
import { boticordApi } from './boticordApi';
import { boticordCredentialTests } from './boticordNodes';

/** Boticord's resources: the ID field each is named by, and the path it lives under. */
const resources = {
	bot: { displayName: 'Bot ID', whose: "The bot's", segment: 'bots' },
	server: { displayName: 'Server ID', whose: "The server's", segment: 'servers' },
	user: { displayName: 'User ID', whose: "The user's", segment: 'users' },
} as const;

type Resource = keyof typeof resources;

/** The operations of each resource, as the editor names them. */
const operations: Record<Resource, Record<string, string>> = {
	bot: { get: 'Get', updateStats: 'Update Stats' },
	server: { get: 'Get' },
	user: { get: 'Get' },
};

/** A Discord ID parameter, shown for the operations of one resource. */
function idParameter(resource: Resource): INodeProperties {
	const { displayName, whose } = resources[resource];
	return {
		displayName,
		name: `${resource}Id`,
		type: 'string',
		required: true,
		default: '',
		placeholder: `e.g. ${DISCORD_ID_EXAMPLE}`,
		description: `${whose} Discord ID, its digits. From an expression, give it as text: a number beyond 2^53 has lost its last digits.`,
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
			idParameter('bot'),
			idParameter('server'),
			idParameter('user'),
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
			const { method, path, body } = requestOf(this, itemIndex);
			return boticordRequest(itemIndex, method, path, body);
		});
	}
}

function isOneOf<Key extends string>(record: Record<Key, unknown>, value: unknown): value is Key {
	return typeof value === 'string' && Object.prototype.hasOwnProperty.call(record, value);
}

/**
 * The request an item's parameters ask for, every one of them checked first:
 * its path is built only from a known resource and a Discord ID, its body
 * only from the statistics Boticord knows, as whole numbers.
 */
function requestOf(context: IExecuteFunctions, itemIndex: number) {
	const resource = context.getNodeParameter('resource', itemIndex);
	if (!isOneOf(resources, resource)) {
		throw refusedInput(context, itemIndex, 'Resource', resource, 'Bot, Server or User');
	}
	const operation = context.getNodeParameter('operation', itemIndex);
	if (!isOneOf(operations[resource], operation)) {
		const known = Object.values(operations[resource]).join(' or ');
		throw refusedInput(context, itemIndex, 'Operation', operation, known);
	}
	const { displayName, segment } = resources[resource];
	const id = discordIdInput(
		context,
		itemIndex,
		displayName,
		context.getNodeParameter(`${resource}Id`, itemIndex),
	);
	const path = `/${segment}/${id}`;
	if (operation === 'updateStats') {
		return {
			method: 'POST' as const,
			path: `${path}/stats`,
			body: statisticsOf(context, itemIndex),
		};
	}
	return { method: 'GET' as const, path, body: undefined };
}

/** The statistics to post, each a whole number of 0 or more. */
function statisticsOf(context: IExecuteFunctions, itemIndex: number): IDataObject {
	const given: unknown = context.getNodeParameter('statistics', itemIndex, {});
	if (!isJsonObject(given)) {
		throw refusedInput(context, itemIndex, 'Statistics', given, 'a collection of counts');
	}
	const posted: IDataObject = {};
	for (const { name, displayName } of statistics) {
		if (given[name] === undefined) continue;
		posted[name] = integerInput(context, itemIndex, displayName, given[name], { min: 0 });
	}
	if (Object.keys(posted).length === 0) {
		throw new NodeOperationError(
			context.getNode(),
			'No statistics to post: add Server Count, Shard Count or Member Count under Statistics.',
			{ itemIndex },
		);
	}
	return posted;
}
