import {
	NodeConnectionTypes,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import {
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
import type { EventFormat } from '../shared/receivedEvents';
import {
	boticordLegacyWebhooks,
	boticordNotifications,
	resourceOptionsProblem,
} from './boticordItems';
import {
	BOTICORD_CREDENTIAL,
	boticordCredentialTests,
	boticordEventOptions,
	boticordNotificationOptions,
} from './boticordNodes';

/** Boticord's API v3 notifications carry the owner's API token in this header. */
export const BOTICORD_TOKEN_HEADER = 'x-boticord-token';
/** Boticord's older per-bot webhooks carry the hook key in this header. */
export const BOTICORD_LEGACY_KEY_HEADER = 'x-hook-key';

function headerFormat(header: string, headerName: string, reader: EventFormat): DeliveryFormat {
	return {
		keyLocation: `the ${headerName} header`,
		presentedKey: (context) => context.getHeaderData()[header],
		...reader,
	};
}

const notificationFormat = headerFormat(
	BOTICORD_TOKEN_HEADER,
	'X-Boticord-Token',
	boticordNotifications,
);
const legacyFormat = headerFormat(BOTICORD_LEGACY_KEY_HEADER, 'X-Hook-Key', boticordLegacyWebhooks);

/**
 * Each delivery says which format it is by the header its key is in: today's
 * notifications and the older webhooks reach the same node, at every type
 * version, with no setting to choose. A request with neither header is
 * answered as a notification would be (401, naming X-Boticord-Token).
 */
export const boticordProvider: WebhookProvider = {
	name: 'Boticord',
	credential: BOTICORD_CREDENTIAL,
	formatOf(context) {
		const headers = context.getHeaderData();
		return headers[BOTICORD_TOKEN_HEADER] === undefined &&
			headers[BOTICORD_LEGACY_KEY_HEADER] !== undefined
			? legacyFormat
			: notificationFormat;
	},
	invalidPayloadHint:
		'To receive such events anyway, turn on the "Accept Invalid Payloads" option.',
	optionsProblem: resourceOptionsProblem,
};

export class BoticordTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Boticord Trigger',
		name: 'boticordTrigger',
		icon: { light: 'file:../../icons/boticord.svg', dark: 'file:../../icons/boticord.dark.svg' },
		group: ['trigger'],
		...triggerVersions,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description:
			'Starts the workflow when Boticord notifies you of ups and comments on your bots and servers',
		defaults: {
			name: 'Boticord Trigger',
		},
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'boticordWebhookApi',
				required: true,
				testedBy: 'boticordApiTokenTest',
			},
		],
		webhooks: receivedOnPostWebhooks,
		properties: [
			setupNotice(
				"On Boticord, open your profile settings, paste the Production URL above as the notification URL, and save the API token shown there in this node's credential",
			),
			eventsProperty(
				'The Boticord events that start the workflow. Other events are acknowledged and ignored.',
				boticordEventOptions(['v3', 'legacy']),
			),
			optionsProperty(boticordNotificationOptions('refusing it with HTTP 400')),
		],
	};

	methods = { credentialTest: boticordCredentialTests };

	webhookMethods = manualWebhookRegistration(boticordProvider);

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return receiveWebhook(this, boticordProvider);
	}
}
