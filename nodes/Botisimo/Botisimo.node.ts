import {
	NodeConnectionTypes,
	NodeOperationError,
	type IExecuteFunctions,
	type ILoadOptionsFunctions,
	type INodeExecutionData,
	type INodePropertyOptions,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { forEachItem } from '../shared/actionNode';
import { localKeyTest, noWhitespace } from '../shared/credentialTest';
import {
	emailInput,
	integerInput,
	integerListInput,
	textInput,
	unlessBlank,
} from '../shared/nodeInputs';
import {
	BOTISIMO_API_CREDENTIAL,
	botisimoAdmin,
	readTeam,
	type BotisimoTeam,
	type GetOrCreateInput,
} from './botisimoApi';

/**
 * The longest SSO ID, message and key the node sends. Botisimo documents
 * them as strings without a limit; 255 holds any id or message meant for a
 * person, and stops a runaway expression before it reaches Botisimo.
 */
export const MAX_TEXT_LENGTH = 255;

/** What Botisimo's documentation shows in place of a Client ID. */
const DOCUMENTED_PLACEHOLDER = /^x{5}(-x{5}){3}$/i;

type Operation = 'getOrCreate' | 'addPoints' | 'delete' | 'get';

/** Get or Create's fields, checked: an SSO ID or an email (or both), and tag ids. */
function getOrCreateInput(context: IExecuteFunctions, itemIndex: number): GetOrCreateInput {
	const field = (name: string) => context.getNodeParameter(name, itemIndex, '');
	const input: GetOrCreateInput = {
		ssoId: unlessBlank(field('ssoId'), (value) =>
			textInput(context, itemIndex, 'SSO ID', value, { maxLength: MAX_TEXT_LENGTH }),
		),
		email: unlessBlank(field('email'), (value) => emailInput(context, itemIndex, 'Email', value)),
		tagIds: unlessBlank(field('tagIds'), (value) =>
			integerListInput(context, itemIndex, 'Tag Names or IDs', value, { min: 1 }),
		),
	};
	if (input.ssoId === undefined && input.email === undefined) {
		throw new NodeOperationError(
			context.getNode(),
			'Get or Create needs an SSO ID or an Email (or both): Botisimo finds or creates the user by them.',
			{ itemIndex, description: 'Fill in SSO ID or Email, or check the expression that fills it.' },
		);
	}
	return input;
}

/**
 * A list's error as the editor shows it: only its message reaches the
 * field, so what to do goes into the message.
 */
function listError(context: ILoadOptionsFunctions, error: unknown): NodeOperationError {
	const { message, description } = error as { message?: unknown; description?: unknown };
	const what = typeof message === 'string' && message !== '' ? message : String(error);
	const toDo = typeof description === 'string' && description !== '' ? description : undefined;
	return new NodeOperationError(
		context.getNode(),
		toDo === undefined ? what : `${what}${/[.!?]$/.test(what) ? '' : '.'} ${toDo}`,
	);
}

export class Botisimo implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Botisimo',
		name: 'botisimo',
		icon: { light: 'file:../../icons/botisimo.svg', dark: 'file:../../icons/botisimo.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			"Find or create your viewers in Botisimo's loyalty program, give them points, delete them; get your team's tags and tiers",
		defaults: {
			name: 'Botisimo',
		},
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'botisimoApi',
				required: true,
				testedBy: 'botisimoClientIdTest',
			},
		],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Loyalty User', value: 'loyaltyUser' },
					{ name: 'Team', value: 'team' },
				],
				default: 'loyaltyUser',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['loyaltyUser'] } },
				options: [
					{
						name: 'Add Points',
						value: 'addPoints',
						description: "Add loyalty points to a user's balance",
						action: 'Add points to a loyalty user',
					},
					{
						name: 'Delete',
						value: 'delete',
						description: 'Delete a user from the loyalty program',
						action: 'Delete a loyalty user',
					},
					{
						name: 'Get or Create',
						value: 'getOrCreate',
						description: 'Find a user by your SSO ID or their email, or create them',
						action: 'Get or create a loyalty user',
					},
				],
				default: 'getOrCreate',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['team'] } },
				options: [
					{
						name: 'Get',
						value: 'get',
						description:
							'Get the team named in the Botisimo API credential: its points currency, memberships, tiers and tags',
						action: 'Get the team',
					},
				],
				default: 'get',
			},
			{
				displayName: 'SSO ID',
				name: 'ssoId',
				type: 'string',
				default: '',
				placeholder: 'e.g. 178404926869733376',
				description: `Your own ID for the user (for example their Discord user ID), up to ${MAX_TEXT_LENGTH} characters. Give it, an email, or both.`,
				displayOptions: { show: { resource: ['loyaltyUser'], operation: ['getOrCreate'] } },
			},
			{
				displayName: 'Email',
				name: 'email',
				type: 'string',
				default: '',
				placeholder: 'name@email.com',
				description: "The user's email address. Give it, an SSO ID, or both.",
				displayOptions: { show: { resource: ['loyaltyUser'], operation: ['getOrCreate'] } },
			},
			{
				displayName: 'Tag Names or IDs',
				name: 'tagIds',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getTeamTags' },
				default: [],
				description:
					'Your team\'s tags the user is interested in, listed from the Team in the Botisimo API credential. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
				displayOptions: { show: { resource: ['loyaltyUser'], operation: ['getOrCreate'] } },
			},
			{
				displayName: 'Botisimo User ID',
				name: 'userId',
				type: 'string',
				required: true,
				default: '',
				placeholder: 'e.g. 1024',
				description:
					"Botisimo's number for the user: the ID that Get or Create returns (not your SSO ID)",
				displayOptions: { show: { resource: ['loyaltyUser'], operation: ['addPoints', 'delete'] } },
			},
			{
				displayName: 'Points',
				name: 'points',
				type: 'number',
				required: true,
				default: 100,
				typeOptions: { minValue: 1, numberPrecision: 0 },
				description:
					"How many points to add, a whole number of 1 or more (Botisimo's API adds points; it documents no way to take them away)",
				displayOptions: { show: { resource: ['loyaltyUser'], operation: ['addPoints'] } },
			},
			{
				displayName: 'Message',
				name: 'message',
				type: 'string',
				required: true,
				default: '',
				placeholder: 'e.g. Up on BotiCord',
				description: `Why the user gets the points, logged with the transaction in Botisimo (up to ${MAX_TEXT_LENGTH} characters)`,
				displayOptions: { show: { resource: ['loyaltyUser'], operation: ['addPoints'] } },
			},
			{
				displayName: 'De-Duplication Key',
				name: 'key',
				type: 'string',
				default: '',
				placeholder: 'e.g. boticord-up:178404926869733376:1688747542930',
				description: `Botisimo gives points at most once per key and user: use an ID of what earns them (an event's ID, or its user and time) so that a repeated or retried run does not give them twice. Up to ${MAX_TEXT_LENGTH} characters; empty for no limit.`,
				displayOptions: { show: { resource: ['loyaltyUser'], operation: ['addPoints'] } },
			},
		],
	};

	methods = {
		loadOptions: {
			/** The tags of the team named in the credential, by name, for Tag Names or IDs. */
			async getTeamTags(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
				let team: BotisimoTeam;
				try {
					team = await readTeam(this);
				} catch (error) {
					throw listError(this, error);
				}
				const { tags = [] } = team;
				return tags
					.map((tag) => ({ name: tag.name, value: tag.id, description: `Tag ID ${tag.id}` }))
					.sort((a, b) => a.name.localeCompare(b.name));
			},
		},
		credentialTest: {
			// Botisimo's one admin request that reads, GET /user, creates the user it does not find.
			botisimoClientIdTest: localKeyTest(
				BOTISIMO_API_CREDENTIAL.field,
				[
					noWhitespace,
					{
						holds: (clientId) => /^[A-Za-z0-9-]+$/.test(clientId),
						problem:
							'A Client ID is letters, digits and hyphens (like xxxxx-xxxxx-xxxxx-xxxxx): copy it again from your Botisimo account profile.',
					},
					{
						holds: (clientId) => !DOCUMENTED_PLACEHOLDER.test(clientId),
						problem:
							"This is the example from Botisimo's documentation: copy your own Client ID from your Botisimo account profile.",
					},
				],
				"The Client ID has the right form. Botisimo has no request that checks it without creating a user: the node's first request confirms it.",
			),
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const botisimo = botisimoAdmin(this);
		return forEachItem(this, async (itemIndex) => {
			const operation = this.getNodeParameter('operation', itemIndex) as Operation;
			if (operation === 'get') return readTeam(this, itemIndex);
			if (operation === 'getOrCreate') {
				return botisimo.getOrCreateUser(itemIndex, getOrCreateInput(this, itemIndex));
			}
			const field = (name: string) => this.getNodeParameter(name, itemIndex, '');
			const userId = integerInput(this, itemIndex, 'Botisimo User ID', field('userId'), { min: 1 });
			if (operation === 'delete') return botisimo.deleteUser(itemIndex, userId);
			return botisimo.addPoints(itemIndex, userId, {
				points: integerInput(this, itemIndex, 'Points', field('points'), { min: 1 }),
				message: textInput(this, itemIndex, 'Message', field('message'), {
					maxLength: MAX_TEXT_LENGTH,
				}),
				key: unlessBlank(field('key'), (value) =>
					textInput(this, itemIndex, 'De-Duplication Key', value, { maxLength: MAX_TEXT_LENGTH }),
				),
			});
		});
	}
}
