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
import { discordIdInput, inputText, integerInput, refusedInput } from '../shared/nodeInputs';
import { boticordApi, type CallScope } from './boticordApi';
import { reviewItem, type BoticordReviewItem } from './boticordItems';
import { boticordCredentialTests } from './boticordNodes';
import {
	MAX_SEARCH_HITS,
	resourceFilter,
	searchHits,
	type SearchIndex,
	type SearchParameters,
} from './boticordSearch';

/** Boticord's resources: the ID field each is named by, and the path it lives under. */
const resources = {
	bot: { displayName: 'Bot ID', whose: "The bot's", segment: 'bots' },
	server: { displayName: 'Server ID', whose: "The server's", segment: 'servers' },
	user: { displayName: 'User ID', whose: "The user's", segment: 'users' },
} as const;

type Resource = keyof typeof resources;

/** The operations of each resource, as the editor names them. */
const operations: Record<Resource, Record<string, string>> = {
	bot: { get: 'Get', getReviews: 'Get Reviews', search: 'Search', updateStats: 'Update Stats' },
	server: { get: 'Get', getReviews: 'Get Reviews', search: 'Search' },
	user: { get: 'Get' },
};

/** The operations that read Boticord's search, and the resources they list. */
const searchedResources = ['bot', 'server'] as const;
const searchOperations = ['getReviews', 'search'];

/** The search index of each resource's Search operation. */
const searchIndexes = { bot: 'bots', server: 'servers' } as const;

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
		displayOptions: {
			show: { resource: [resource] },
			...(resource === 'user' ? {} : { hide: { operation: ['search'] } }),
		},
	};
}

/** Limit, Return All and the raw Meilisearch options of the search operations. */
const searchProperties: INodeProperties[] = [
	{
		displayName: 'Search Text',
		name: 'query',
		type: 'string',
		default: '',
		placeholder: 'e.g. music',
		description:
			'Words to look for in names and descriptions, as on the site; empty lists everything in the order Boticord ranks it',
		displayOptions: { show: { resource: [...searchedResources], operation: ['search'] } },
	},
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: { show: { resource: [...searchedResources], operation: searchOperations } },
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: MAX_SEARCH_HITS },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: {
			show: { resource: [...searchedResources], operation: searchOperations, returnAll: [false] },
		},
	},
	{
		displayName: 'Options',
		name: 'searchOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { resource: [...searchedResources], operation: searchOperations } },
		options: [
			{
				displayName: 'Filter',
				name: 'filter',
				type: 'string',
				default: '',
				placeholder: 'e.g. rating >= 4',
				description:
					"A Meilisearch filter expression on the index's filterable fields, added to what the operation filters by",
			},
			{
				displayName: 'Sort',
				name: 'sort',
				type: 'string',
				default: '',
				placeholder: 'e.g. created:asc',
				description:
					'Meilisearch sort rules, comma-separated (field:asc or field:desc), instead of the default order (reviews: newest first)',
			},
		],
	},
];

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
						name: 'Get Reviews',
						value: 'getReviews',
						description: "Get a bot's reviews from Boticord's search, newest first",
						action: 'Get the reviews of a bot',
					},
					{
						name: 'Search',
						value: 'search',
						description: "Search Boticord's bots by text",
						action: 'Search bots',
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
					{
						name: 'Get Reviews',
						value: 'getReviews',
						description: "Get a server's reviews from Boticord's search, newest first",
						action: 'Get the reviews of a server',
					},
					{
						name: 'Search',
						value: 'search',
						description: "Search Boticord's servers by text",
						action: 'Search servers',
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
			...searchProperties,
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
		const api = boticordApi(this);
		return forEachItem(this, async (itemIndex) => {
			const { resource, operation } = operationOf(this, itemIndex);
			if (isOneOf(searchIndexes, resource) && searchOperations.includes(operation)) {
				const search = searchOf(this, itemIndex, resource, operation);
				return searched(await api.scope(), search, itemIndex);
			}
			const { method, path, body } = requestOf(this, itemIndex, resource, operation);
			return api.request(itemIndex, method, path, body);
		});
	}
}

function isOneOf<Key extends string>(record: Record<Key, unknown>, value: unknown): value is Key {
	return typeof value === 'string' && Object.prototype.hasOwnProperty.call(record, value);
}

/** An item's resource and operation, checked: a known resource, and one of its operations. */
function operationOf(
	context: IExecuteFunctions,
	itemIndex: number,
): { resource: Resource; operation: string } {
	const resource = context.getNodeParameter('resource', itemIndex);
	if (!isOneOf(resources, resource)) {
		throw refusedInput(context, itemIndex, 'Resource', resource, 'Bot, Server or User');
	}
	const operation = context.getNodeParameter('operation', itemIndex);
	if (!isOneOf(operations[resource], operation)) {
		const known = Object.values(operations[resource]).join(' or ');
		throw refusedInput(context, itemIndex, 'Operation', operation, known);
	}
	return { resource, operation };
}

/**
 * The request an item's parameters ask for, every one of them checked first:
 * its path is built only from a known resource and a Discord ID, its body
 * only from the statistics Boticord knows, as whole numbers.
 */
function requestOf(
	context: IExecuteFunctions,
	itemIndex: number,
	resource: Resource,
	operation: string,
) {
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

/** A search an item asks for. */
interface SearchRequest {
	index: SearchIndex;
	parameters: Omit<SearchParameters, 'limit' | 'offset'>;
	max: number;
	/** For reviews: whose they are. */
	reviewsOf?: 'bot' | 'server';
}

/** A Meilisearch sort rule: a field (dots for nested ones), then asc or desc. */
const SORT_RULE = /^[A-Za-z_][A-Za-z0-9_.]*:(asc|desc)$/;

/**
 * The search a search operation's parameters ask for, every field checked
 * first: the ID as a Discord ID, the limit as a whole number, the sort as
 * Meilisearch's rules.
 */
function searchOf(
	context: IExecuteFunctions,
	itemIndex: number,
	resource: keyof typeof searchIndexes,
	operation: string,
): SearchRequest {
	const returnAll = context.getNodeParameter('returnAll', itemIndex, false) === true;
	const max = returnAll
		? MAX_SEARCH_HITS
		: integerInput(context, itemIndex, 'Limit', context.getNodeParameter('limit', itemIndex, 50), {
				min: 1,
				max: MAX_SEARCH_HITS,
			});
	const options: unknown = context.getNodeParameter('searchOptions', itemIndex, {});
	if (!isJsonObject(options)) {
		throw refusedInput(context, itemIndex, 'Options', options, 'a collection of options');
	}
	const filter = inputText(options.filter ?? '');
	if (filter === undefined) {
		throw refusedInput(
			context,
			itemIndex,
			'Filter',
			options.filter,
			'a Meilisearch filter as text',
		);
	}
	const sortText = inputText(options.sort ?? '');
	const sort = sortText === undefined ? undefined : sortText.split(',').map((rule) => rule.trim());
	if (sort === undefined || (sortText !== '' && !sort.every((rule) => SORT_RULE.test(rule)))) {
		throw refusedInput(
			context,
			itemIndex,
			'Sort',
			options.sort,
			'Meilisearch sort rules separated by commas, each a field then :asc or :desc (e.g. created:desc)',
		);
	}
	const rules = sortText === '' ? [] : sort;
	if (operation === 'search') {
		const query = inputText(context.getNodeParameter('query', itemIndex, ''));
		if (query === undefined) {
			throw refusedInput(
				context,
				itemIndex,
				'Search Text',
				context.getNodeParameter('query', itemIndex, ''),
				'text',
			);
		}
		return {
			index: searchIndexes[resource],
			parameters: {
				q: query,
				...(filter === '' ? {} : { filter: [filter] }),
				...(rules.length === 0 ? {} : { sort: rules }),
			},
			max,
		};
	}
	const { displayName } = resources[resource];
	const id = discordIdInput(
		context,
		itemIndex,
		displayName,
		context.getNodeParameter(`${resource}Id`, itemIndex),
	);
	return {
		index: 'comments',
		parameters: {
			q: '',
			filter: [resourceFilter(id), ...(filter === '' ? [] : [filter])],
			sort: rules.length === 0 ? ['created:desc'] : rules,
		},
		max,
		reviewsOf: resource,
	};
}

/** The hits of a search, one item each; reviews with the fields the trigger's comment items have. */
async function searched(
	scope: CallScope,
	{ index, parameters, max, reviewsOf }: SearchRequest,
	itemIndex: number,
): Promise<Array<IDataObject | BoticordReviewItem>> {
	const hits = await searchHits(scope, index, parameters, max, itemIndex);
	return reviewsOf ? hits.map((hit) => reviewItem(hit, reviewsOf)) : hits;
}
