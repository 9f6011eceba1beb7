import {
	NodeConnectionTypes,
	type INodePropertyOptions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { localKeyTest } from '../shared/credentialTest';
import {
	allEventsOption,
	eventOption,
	eventsProperty,
	optionsProperty,
	receivedOnPostWebhooks,
	setupNotice,
	triggerVersions,
} from '../shared/triggerDescription';
import {
	manualWebhookRegistration,
	receiveWebhook,
	type DeliveryFormat,
	type WebhookProvider,
} from '../shared/webhookTrigger';
import { botisimoCategories, botisimoEvents } from './botisimoEvents';
import { botisimoDeliveries } from './botisimoItems';

/**
 * Botisimo signs nothing and sends no key: the user appends `?token=<secret>`
 * to the URL registered in Botisimo, and the trigger checks that parameter.
 */
export const BOTISIMO_TOKEN_PARAMETER = 'token';

const botisimoFormat: DeliveryFormat = {
	keyLocation: `the ${BOTISIMO_TOKEN_PARAMETER} query parameter of the webhook URL`,
	presentedKey: (context) =>
		(context.getQueryData() as Record<string, unknown>)[BOTISIMO_TOKEN_PARAMETER],
	...botisimoDeliveries,
};

/** About 95 bits of letters and digits: beyond guessing through a webhook URL. */
const MIN_SECRET_LENGTH = 16;

export const botisimoProvider: WebhookProvider = {
	name: 'Botisimo',
	credential: { type: 'botisimoWebhookApi', field: 'secret' },
	formatOf: () => botisimoFormat,
};

/** All Events, then each category's group followed by the category's events. */
function eventOptions(): INodePropertyOptions[] {
	return [
		allEventsOption,
		...botisimoCategories.flatMap(({ category, group, name }) => [
			eventOption(name, group, `Every ${category} event, including ones Botisimo adds later`),
			...botisimoEvents
				.filter((event) => event.category === category)
				.map(({ name, type, description }) => eventOption(name, type, description)),
		]),
	];
}

export class BotisimoTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Botisimo Trigger',
		name: 'botisimoTrigger',
		icon: { light: 'file:../../icons/botisimo.svg', dark: 'file:../../icons/botisimo.dark.svg' },
		group: ['trigger'],
		...triggerVersions,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description:
			'Starts the workflow when Botisimo sends a webhook (streams, accounts, giveaways, shop and more)',
		defaults: {
			name: 'Botisimo Trigger',
		},
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'botisimoWebhookApi',
				required: true,
				testedBy: 'botisimoSecretTest',
			},
		],
		webhooks: receivedOnPostWebhooks,
		properties: [
			setupNotice(
				"In Botisimo's integration dashboard, register the Production URL above with ?token= and your credential's secret appended, e.g. https://…/webhook?token=YOUR_SECRET",
			),
			eventsProperty(
				'The Botisimo events that start the workflow. A group such as "All Connection Events" also matches platform variants and event types Botisimo adds later. Other events are acknowledged and ignored.',
				eventOptions(),
			),
			optionsProperty([
				{
					displayName: 'Ignore Duplicate Deliveries',
					name: 'ignoreDuplicateDeliveries',
					type: 'boolean',
					default: true,
					description:
						'Whether to acknowledge a delivery whose message ID this trigger accepted in the last 24 hours (its newest 1,000 IDs, kept with the workflow, so across n8n restarts) without starting the workflow again. Botisimo retries deliveries, so this is on unless you turn it off.',
				},
			]),
		],
	};

	methods = {
		credentialTest: {
			// The secret is the user's own: no Botisimo endpoint knows it.
			botisimoSecretTest: localKeyTest(
				botisimoProvider.credential.field,
				[
					{
						holds: (secret) => /^[A-Za-z0-9]+$/.test(secret),
						problem:
							'Use only letters and digits, so that the secret stands in the webhook URL as it is (?token=YOUR_SECRET).',
					},
					{
						holds: (secret) => secret.length >= MIN_SECRET_LENGTH,
						problem: `Use at least ${MIN_SECRET_LENGTH} letters and digits (a password generator's 32 are fine): anyone who guesses the secret can start the workflow.`,
					},
				],
				'The secret has the right form. Append it to the Production URL you register in Botisimo as ?token=YOUR_SECRET.',
			),
		},
	};

	webhookMethods = manualWebhookRegistration(botisimoProvider);

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return receiveWebhook(this, botisimoProvider);
	}
}
