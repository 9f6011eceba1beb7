import {
	NodeConnectionTypes,
	NodeOperationError,
	type INodeType,
	type INodeTypeDescription,
	type ITriggerFunctions,
	type ITriggerResponse,
} from 'n8n-workflow';

import type { JsonObject } from '../shared/jsonBody';
import { isEventSelected } from '../shared/eventSelection';
import { eventOutcome, type EventSource } from '../shared/receivedEvents';
import { accountFrom, type Account } from './boticordApi';
import { eventsProperty, optionsProperty, setupNotice } from '../shared/triggerDescription';
import {
	BOTICORD_GATEWAY_URL,
	BoticordGatewayClient,
	type GatewayClientOptions,
} from './boticordGateway';
import {
	boticordNotifications,
	recoveredResources,
	resourceOptionsProblem,
	type BoticordOptions,
} from './boticordItems';
import { ReviewRecovery, MAX_LOOKBACK_MS, wantedRecovery } from './boticordRecovery';
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
 * A gateway notification as the webhook route has it, so that the same code
 * builds the same items and a workflow can move from one route to the other:
 * the resource is `id` there, and here `affected` (Boticord's documentation),
 * `id` (what some of Boticord's own clients read), or both, when `affected`
 * is the one documented.
 */
export function asWebhookNotification(data: JsonObject): JsonObject {
	const { affected, ...rest } = data;
	return affected === undefined ? rest : { ...rest, id: affected };
}

/** The options of this trigger. */
type GatewayTriggerOptions = BoticordOptions & {
	gatewayUrl?: string;
	outageAlertMinutes?: number;
	recoverMissed?: boolean;
};

const DEFAULT_OUTAGE_ALERT_MINUTES = 5;

/**
 * Emits a notification, live or recovered, through the same checks and item
 * building as the webhook route's; logs one it refuses as the `what` it
 * skipped. Whether it was emitted.
 */
function emitNotification(
	context: ITriggerFunctions,
	events: string[],
	options: GatewayTriggerOptions,
	notification: JsonObject,
	what: string,
): boolean {
	const outcome = eventOutcome(source, boticordNotifications, notification, {
		events: () => events,
		options: () => options,
	});
	if (outcome.kind === 'accepted') {
		context.emit([context.helpers.returnJsonArray([outcome.item])]);
		return true;
	}
	if (outcome.kind === 'refused') {
		context.logger.warn(`Boticord Gateway Trigger skipped ${what}: ${outcome.problem}`);
	}
	return false;
}

/** The gateway address: Boticord's, or one the user set (a proxy, a test server). */
function gatewayUrl(context: ITriggerFunctions, value: unknown): string {
	const url =
		typeof value === 'string' && value.trim() !== '' ? value.trim() : BOTICORD_GATEWAY_URL;
	if (!/^wss?:\/\/[^/\s]+/i.test(url)) {
		throw new NodeOperationError(
			context.getNode(),
			`The Gateway URL "${url}" is not a WebSocket address: use wss://… (or ws://… for a server you run yourself).`,
		);
	}
	return url;
}

function outageAlertMs(context: ITriggerFunctions, value: unknown): number {
	const minutes =
		value === undefined || value === '' ? DEFAULT_OUTAGE_ALERT_MINUTES : Number(value);
	if (!Number.isFinite(minutes) || minutes < 1) {
		throw new NodeOperationError(
			context.getNode(),
			`Report Outages After must be a number of minutes, 1 or more, not "${String(value)}".`,
		);
	}
	return minutes * 60_000;
}

/**
 * What the trigger gives its gateway client: where to connect, what to do
 * with notifications, and where the user learns of a refused token or an
 * outage.
 */
export function gatewayClientOptions(
	context: ITriggerFunctions,
	token: string,
	events: string[],
	options: GatewayTriggerOptions,
	recovery?: ReviewRecovery,
): GatewayClientOptions {
	const problem = resourceOptionsProblem(options);
	if (problem) throw new NodeOperationError(context.getNode(), problem);
	// n8n starting (or taking over in multi-main) must not depend on Boticord
	// being up: a failed activation there is retried with a backoff that grows
	// to hours. A user activating the workflow is told at once.
	const activation = context.getActivationMode?.();
	return {
		url: gatewayUrl(context, options.gatewayUrl),
		token,
		logger: context.logger,
		firstConnection:
			activation === 'init' || activation === 'leadershipChange' ? 'background' : 'required',
		timings: { outageReportMs: outageAlertMs(context, options.outageAlertMinutes) },
		onNotification(data) {
			const notification = asWebhookNotification(data);
			// Remembered first, so that the save n8n makes at an emit holds it.
			recovery?.received(notification);
			emitNotification(context, events, options, notification, 'a notification');
		},
		onConnected: recovery ? (ended) => recovery.connected(ended) : undefined,
		// n8n deactivates the workflow, reports the error and retries the activation in its own time.
		onRefused: (error) =>
			context.emitError(new NodeOperationError(context.getNode(), error.message)),
		// The workflow stays active and the client keeps reconnecting: emitError would have n8n
		// deactivate it. n8n 2.x lists a failed execution (and runs the error workflow); n8n 1.x
		// has no such call, only its log.
		onOutage(message) {
			context.logger.error(message);
			if (typeof context.saveFailedExecution === 'function') {
				context.saveFailedExecution(
					new NodeOperationError(context.getNode(), message, {
						description:
							"Check that n8n can reach Boticord's gateway (outgoing WebSocket connections to gateway.boticord.top, proxies, firewalls) and Boticord's status. n8n's log says when the connection is back.",
					}),
				);
			}
		},
	};
}

/**
 * The recovery of what Boticord sent during gaps, when the node's options
 * ask for it and there is something to recover: reviews (comment_added) or
 * ups counted (ups_missed) of the resources listed in Bot IDs and Server IDs.
 * Not while the editor listens for a test event.
 */
export function gatewayRecovery(
	context: ITriggerFunctions,
	events: string[],
	options: GatewayTriggerOptions,
	account: Account & { token: string },
	stopping: AbortSignal,
): ReviewRecovery | undefined {
	const resources = recoveredResources(options);
	if (options.recoverMissed === false || resources.length === 0) return undefined;
	if (context.getMode() === 'manual') return undefined;
	if (isEventSelected(events, 'ups_missed') && !wantedRecovery(events).ups) {
		context.logger.warn(
			'Boticord Gateway Trigger counts no missed ups: select Up Added in Events too, so that the ups it receives are told apart from those it missed.',
		);
	}
	return new ReviewRecovery({
		scope: {
			context,
			account,
			token: account.token,
			signal: stopping,
			cancelled: () => new Error('The trigger was closed.'),
		},
		resources,
		events,
		staticData: context.getWorkflowStaticData('node'),
		logger: context.logger,
		emitReview: (notification) =>
			emitNotification(context, events, options, notification, 'a recovered review'),
		emitUpsMissed: (item) => context.emit([context.helpers.returnJsonArray([item])]),
	});
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
				boticordEventOptions(['v3', 'gateway']),
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
				{
					displayName: 'Recover Missed Reviews',
					name: 'recoverMissed',
					type: 'boolean',
					default: true,
					description: `Whether, after each gap (n8n restarting, a gateway outage, a dropped connection), to emit the reviews of the bots and servers in Bot IDs and Server IDs created during it (at most ${MAX_LOOKBACK_MS / 3_600_000} h back) as Comment Added items marked recovered, once each, and to count the ups they got (Ups Missed). Needs Bot IDs or Server IDs: without them it does nothing. Edits and removals during a gap cannot be recovered, nor who gave the ups.`,
				},
				{
					displayName: 'Report Outages After (Minutes)',
					name: 'outageAlertMinutes',
					type: 'number',
					typeOptions: { minValue: 1 },
					default: DEFAULT_OUTAGE_ALERT_MINUTES,
					description:
						"When no connection to Boticord's gateway has stayed up for this long, the trigger reports it once (a failed execution on n8n 2.x, which also runs the error workflow; an error in n8n's log on 1.x) and keeps reconnecting",
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
		const options = this.getNodeParameter('options', {}) as JsonObject & GatewayTriggerOptions;
		const stopping = new AbortController();
		const client = new BoticordGatewayClient(
			gatewayClientOptions(
				this,
				token,
				events,
				options,
				gatewayRecovery(
					this,
					events,
					options,
					{ ...accountFrom(credentials), token },
					stopping.signal,
				),
			),
		);
		const close = async () => {
			stopping.abort();
			await client.close();
		};
		try {
			await client.open();
		} catch (error) {
			await close();
			throw new NodeOperationError(
				this.getNode(),
				error instanceof Error ? error.message : String(error),
			);
		}
		return {
			closeFunction: close,
			// The connection is open already; the next notification is the test event.
			manualTriggerFunction: async () => undefined,
		};
	}
}
