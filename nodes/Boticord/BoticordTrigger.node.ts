import {
	NodeConnectionTypes,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { localKeyTest, noWhitespace } from '../shared/credentialTest';
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
import { boticordEvents } from './boticordEvents';
import {
	boticordLegacyWebhooks,
	boticordNotifications,
	type BoticordFormatReader,
} from './boticordItems';

/** Boticord's API v3 notifications carry the owner's API token in this header. */
export const BOTICORD_TOKEN_HEADER = 'x-boticord-token';
/** Boticord's older per-bot webhooks carry the hook key in this header. */
export const BOTICORD_LEGACY_KEY_HEADER = 'x-hook-key';

function headerFormat(
	header: string,
	headerName: string,
	reader: BoticordFormatReader,
): DeliveryFormat {
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
	credential: { type: 'boticordWebhookApi', field: 'hookKey' },
	formatOf(context) {
		const headers = context.getHeaderData();
		return headers[BOTICORD_TOKEN_HEADER] === undefined &&
			headers[BOTICORD_LEGACY_KEY_HEADER] !== undefined
			? legacyFormat
			: notificationFormat;
	},
	invalidPayloadHint:
		'To receive such events anyway, turn on the "Accept Invalid Payloads" option.',
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
				{
					displayName: 'Bot IDs',
					name: 'botIds',
					type: 'string',
					default: '',
					placeholder: 'e.g. 724663360934772797, 974297735559806986',
					description:
						'Comma-separated IDs of your bots. When Bot IDs or Server IDs are set, only notifications about the IDs listed start the workflow, and items say which of them is a bot (target).',
				},
				{
					displayName: 'Server IDs',
					name: 'serverIds',
					type: 'string',
					default: '',
					placeholder: 'e.g. 722424773233213460',
					description:
						'Comma-separated IDs of your Discord servers. When Bot IDs or Server IDs are set, only notifications about the IDs listed start the workflow, and items say which of them is a server (target).',
				},
			]),
		],
	};

	methods = {
		credentialTest: {
			// Boticord documents no request that proves a token without changing
			// anything (its one authenticated request posts a bot's stats).
			boticordApiTokenTest: localKeyTest(
				boticordProvider.credential.field,
				[noWhitespace],
				'The token has the right form. Boticord has no request that checks a token without changing anything: the first notification or test notification confirms it.',
			),
		},
	};

	webhookMethods = manualWebhookRegistration;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return receiveWebhook(this, boticordProvider);
	}
}
