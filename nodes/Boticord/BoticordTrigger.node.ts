import {
	NodeConnectionTypes,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { manualWebhookRegistration } from '../shared/manualWebhookRegistration';
import {
	allEventsOption,
	eventOption,
	eventsProperty,
	optionsProperty,
	receivedOnPostWebhooks,
	setupNotice,
	triggerVersions,
} from '../shared/triggerDescription';
import { receiveWebhook } from '../shared/webhookTrigger';
import { boticordEvents } from './boticordEvents';
import { boticordProvider } from './boticordProvider';

export class BoticordTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Boticord Trigger',
		name: 'boticordTrigger',
		icon: { light: 'file:boticord.svg', dark: 'file:boticord.dark.svg' },
		group: ['trigger'],
		...triggerVersions,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description:
			'Starts the workflow when Boticord sends a webhook (bumps, comments, test messages)',
		defaults: {
			name: 'Boticord Trigger',
		},
		inputs: [],
		// eslint-disable-next-line n8n-nodes-base/node-class-description-outputs-wrong -- superseded by @n8n/community-nodes/node-connection-type-literal
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'boticordWebhookApi',
				required: true,
			},
		],
		webhooks: receivedOnPostWebhooks,
		properties: [
			setupNotice(
				"Copy the Production URL above into the Webhook URL field of your bot or server edit page on Boticord, and save the key shown under it in this node's credential",
			),
			eventsProperty(
				'The Boticord events that start the workflow. Other events are acknowledged and ignored.',
				[
					allEventsOption,
					...boticordEvents.map(({ name, type, description }) =>
						eventOption(name, type, description),
					),
				],
			),
			optionsProperty([
				{
					displayName: 'Accept Invalid Payloads',
					name: 'acceptInvalidPayloads',
					type: 'boolean',
					default: false,
					description:
						"Whether to emit a selected event whose data does not match Boticord's documented shape, with the problem in a validationError field, instead of refusing it with HTTP 400",
				},
			]),
		],
	};

	webhookMethods = manualWebhookRegistration;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return receiveWebhook(this, boticordProvider);
	}
}
