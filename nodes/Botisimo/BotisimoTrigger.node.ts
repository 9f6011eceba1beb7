import {
	NodeConnectionTypes,
	type INodePropertyOptions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

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
		icon: { light: 'file:botisimo.svg', dark: 'file:botisimo.dark.svg' },
		group: ['trigger'],
		...triggerVersions,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description:
			'Starts the workflow when Botisimo sends a webhook (streams, accounts, giveaways, shop and more)',
		defaults: {
			name: 'Botisimo Trigger',
		},
		inputs: [],
		// eslint-disable-next-line n8n-nodes-base/node-class-description-outputs-wrong -- superseded by @n8n/community-nodes/node-connection-type-literal
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: botisimoProvider.credential.type,
				required: true,
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
						'Whether to acknowledge a delivery whose message ID this trigger accepted in the last 10 minutes (up to 10,000 IDs, in this n8n process) without starting the workflow again. Botisimo retries deliveries, so this is on unless you turn it off.',
				},
			]),
		],
	};

	webhookMethods = manualWebhookRegistration;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return receiveWebhook(this, botisimoProvider);
	}
}
