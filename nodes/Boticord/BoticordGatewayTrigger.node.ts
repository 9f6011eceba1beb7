import {
	NodeConnectionTypes,
	NodeOperationError,
	type INodeType,
	type INodeTypeDescription,
	type ITriggerFunctions,
	type ITriggerResponse,
} from 'n8n-workflow';

import type { JsonObject } from '../shared/jsonBody';
import { eventOutcome, type EventSource } from '../shared/receivedEvents';
import { eventsProperty, optionsProperty, setupNotice } from '../shared/triggerDescription';
import {
	BOTICORD_GATEWAY_URL,
	BoticordGatewayClient,
	type GatewayClientOptions,
} from './boticordGateway';
import { boticordNotifications } from './boticordItems';
import {
	BOTICORD_CREDENTIAL,
	boticordCredentialTests,
	boticordEventOptions,
	boticordNotificationOptions,
} from './boticordNodes';

const source: EventSource = {
	name: 'Boticord',
	invalidPayloadHint:
		'To receive such notifications anyway, turn on the "Accept Invalid Payloads" option.',
};

/**
 * A gateway notification as the webhook route has it: the resource it is
 * about is `affected` here and `id` there, so that the same code builds the
 * same items, and a workflow can move from one route to the other.
 */
export function asWebhookNotification(data: JsonObject): JsonObject {
	const { affected, ...rest } = data;
	return affected === undefined ? rest : { ...rest, id: affected };
}

/** The gateway address: Boticord's, or one the user set (a proxy, a test server). */
function gatewayUrl(node: ITriggerFunctions, value: unknown): string {
	const url =
		typeof value === 'string' && value.trim() !== '' ? value.trim() : BOTICORD_GATEWAY_URL;
	if (!/^wss?:\/\/[^/\s]+/i.test(url)) {
		throw new NodeOperationError(
			node.getNode(),
			`The Gateway URL "${url}" is not a WebSocket address: use wss://… (or ws://… for a server you run yourself).`,
		);
	}
	return url;
}

export class BoticordGatewayTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Boticord Gateway Trigger',
		name: 'boticordGatewayTrigger',
		icon: { light: 'file:../../icons/boticord.svg', dark: 'file:../../icons/boticord.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description:
			"Starts the workflow on Boticord notifications received over Boticord's WebSocket gateway: no public URL needed",
		defaults: {
			name: 'Boticord Gateway Trigger',
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
		properties: [
			setupNotice(
				"n8n connects out to Boticord's gateway with the API token of this node's credential, so it needs no public address. Do not also set this n8n as the notification URL in your Boticord profile settings, or each notification arrives twice.",
			),
			eventsProperty(
				'The Boticord notifications that start the workflow. Others are ignored.',
				boticordEventOptions(['v3']),
			),
			optionsProperty([
				...boticordNotificationOptions('logging it in n8n and skipping it'),
				{
					displayName: 'Gateway URL',
					name: 'gatewayUrl',
					type: 'string',
					default: BOTICORD_GATEWAY_URL,
					description:
						"The address of Boticord's WebSocket gateway. Change it only to go through a proxy or to a test server.",
				},
			]),
		],
	};

	methods = { credentialTest: boticordCredentialTests };

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		const credentials = await this.getCredentials(BOTICORD_CREDENTIAL.type);
		const token = credentials[BOTICORD_CREDENTIAL.field];
		if (typeof token !== 'string' || token.length === 0) {
			throw new NodeOperationError(
				this.getNode(),
				'The Boticord credential of this trigger has no API token. Open the credential and paste the token from your Boticord profile settings (API tab).',
			);
		}
		const events = this.getNodeParameter('events', []) as string[];
		const options = this.getNodeParameter('options', {}) as JsonObject;
		const onNotification: GatewayClientOptions['onNotification'] = (data) => {
			const outcome = eventOutcome(source, boticordNotifications, asWebhookNotification(data), {
				events: () => events,
				options: () => options,
			});
			if (outcome.kind === 'accepted') {
				this.emit([this.helpers.returnJsonArray([outcome.item])]);
			} else if (outcome.kind === 'refused') {
				this.logger.warn(`Boticord Gateway Trigger skipped a notification: ${outcome.problem}`);
			}
		};
		const client = new BoticordGatewayClient({
			url: gatewayUrl(this, options.gatewayUrl),
			token,
			logger: this.logger,
			onNotification,
			// n8n reports the error and retries the activation in its own time.
			onRefused: (error) => this.emitError(new NodeOperationError(this.getNode(), error.message)),
		});
		try {
			await client.open();
		} catch (error) {
			await client.close();
			throw new NodeOperationError(
				this.getNode(),
				error instanceof Error ? error.message : String(error),
			);
		}
		return {
			closeFunction: async () => client.close(),
			// The connection is open already; the next notification is the test event.
			manualTriggerFunction: async () => undefined,
		};
	}
}
