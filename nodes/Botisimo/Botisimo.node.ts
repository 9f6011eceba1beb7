import {
	NodeConnectionTypes,
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
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
import { BOTISIMO_API_CREDENTIAL, botisimoAdmin, type GetOrCreateInput } from './botisimoApi';

/**
 * The longest SSO ID, message and key the node sends. Botisimo documents
 * them as strings without a limit; 255 holds any id or message meant for a
 * person, and stops a runaway expression before it reaches Botisimo.
 */
export const MAX_TEXT_LENGTH = 255;

/** What Botisimo's documentation shows in place of a Client ID. */
const DOCUMENTED_PLACEHOLDER = /^x{5}(-x{5}){3}$/i;

type Operation = 'getOrCreate' | 'addPoints' | 'delete';

/** Get or Create's fields, checked: an SSO ID or an email (or both), and tag ids. */
function getOrCreateInput(context: IExecuteFunctions, itemIndex: number): GetOrCreateInput {
	const field = (name: string) => context.getNodeParameter(name, itemIndex, '');
	const input: GetOrCreateInput = {
		ssoId: unlessBlank(field('ssoId'), (value) =>
			textInput(context, itemIndex, 'SSO ID', value, { maxLength: MAX_TEXT_LENGTH }),
		),
		email: unlessBlank(field('email'), (value) => emailInput(context, itemIndex, 'Email', value)),
		tagIds: unlessBlank(field('tagIds'), (value) =>
			integerListInput(context, itemIndex, 'Tag IDs', value, { min: 1 }),
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

export class Botisimo implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Botisimo',
		name: 'botisimo',
		icon: { light: 'file:../../icons/botisimo.svg', dark: 'file:../../icons/botisimo.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			"Find or create your viewers in Botisimo's loyalty program, give them points, delete them",
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
				options: [{ name: 'Loyalty User', value: 'loyaltyUser' }],
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
				displayName: 'Tag IDs',
				name: 'tagIds',
				type: 'string',
				default: '',
				placeholder: 'e.g. 3, 4',
				description:
					"Comma-separated IDs of your team's tags the user is interested in (your team's page in Botisimo's loyalty API lists them)",
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
