import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { verifySecret, type SecretCredential } from './configuredSecret';
import { isEventSelected } from './eventSelection';
import {
	copyWithoutPrototypeKeys,
	inspectJson,
	isJsonObject,
	MAX_JSON_DEPTH,
	type JsonObject,
} from './jsonBody';
import { readPresentedSecret } from './presentedSecret';
import { recentDeliveriesOf } from './recentDeliveries';
import { nodeKeyOf } from './nodeKey';
import { acknowledgeWithoutRunning, refuse } from './webhookResponses';

/** Either a value or a problem described for the person who sent the request. */
export type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };

export interface ReceivedEvent<Envelope> {
	/** The provider's event type, matched against the node's Events parameter. */
	type: string;
	/** The provider's id for this delivery, used to ignore retries of an accepted one. */
	deliveryId?: string;
	/** The checked fields every event of the provider has, for building the item. */
	envelope: Envelope;
}

/** Everything the shared webhook handling needs to know about one provider. */
export interface WebhookProvider<Envelope> {
	/** The provider's name as users know it, used in messages. */
	name: string;
	credential: SecretCredential;
	/** Where the caller's secret is, in words, e.g. `the X-Hook-Key header`. */
	secretLocation: string;
	/** The caller's secret as the request carries it (a header or query value). */
	presentedSecret(context: IWebhookFunctions): unknown;
	/** Checks the fields every event has; a problem is answered with 400. */
	readEvent(body: JsonObject): Checked<ReceivedEvent<Envelope>>;
	/**
	 * Checks the event's own fields and builds the item to emit. A problem is
	 * answered with 400 unless the user chose to accept invalid payloads.
	 */
	toItem(body: JsonObject, event: ReceivedEvent<Envelope>): Checked<IDataObject>;
}

/** The node options the shared handling reads (each node shows only those that apply). */
export interface TriggerOptions {
	acceptInvalidPayloads?: boolean;
	ignoreDuplicateDeliveries?: boolean;
}

async function checkSecret(
	context: IWebhookFunctions,
	provider: WebhookProvider<unknown>,
): Promise<IWebhookResponseData | undefined> {
	const presented = readPresentedSecret(provider.presentedSecret(context));
	if (presented.state === 'missing') {
		return refuse(
			context,
			401,
			`Missing key: send the ${provider.name} key in ${provider.secretLocation}.`,
		);
	}
	if (presented.state === 'repeated') {
		return refuse(context, 403, `Refused: ${provider.secretLocation} was sent more than once.`);
	}
	const verdict = await verifySecret(context, provider.credential, presented.value);
	if (verdict === 'unset') {
		return refuse(
			context,
			500,
			`The ${provider.name} credential of this trigger has no key. Open the credential in n8n and fill it in.`,
		);
	}
	if (verdict === 'wrong') {
		return refuse(context, 403, `Wrong key in ${provider.secretLocation}.`);
	}
	return undefined;
}

/**
 * Only what is emitted is walked: an unselected event is never stored, so its
 * depth does not matter, and the walk stays off the path that answers most
 * deliveries.
 */
function storable(item: IDataObject): Checked<IDataObject> {
	const shape = inspectJson(item);
	if (shape.tooDeep)
		return { ok: false, problem: `nested more than ${MAX_JSON_DEPTH} levels deep` };
	return { ok: true, value: shape.hasPrototypeKey ? copyWithoutPrototypeKeys(item) : item };
}

/** Remembers the delivery and answers whether the same one was accepted recently. */
function isRepeatedDelivery(
	context: IWebhookFunctions,
	deliveryId: string | undefined,
	options: TriggerOptions,
): boolean {
	return (
		deliveryId !== undefined &&
		options.ignoreDuplicateDeliveries !== false &&
		context.getMode() !== 'manual' &&
		recentDeliveriesOf(nodeKeyOf(context)).seenBefore(deliveryId)
	);
}

async function handle<Envelope>(
	context: IWebhookFunctions,
	provider: WebhookProvider<Envelope>,
): Promise<IWebhookResponseData> {
	const refusal = await checkSecret(context, provider);
	if (refusal) return refusal;

	const body: unknown = context.getBodyData();
	if (!isJsonObject(body)) {
		return refuse(
			context,
			400,
			`The request body must be a JSON object (a ${provider.name} event).`,
		);
	}
	const event = provider.readEvent(body);
	if (!event.ok) return refuse(context, 400, `Not a ${provider.name} event: ${event.problem}.`);

	const selected = context.getNodeParameter('events', []) as string[];
	if (!isEventSelected(selected, event.value.type)) return acknowledgeWithoutRunning();

	const options = context.getNodeParameter('options', {}) as TriggerOptions;
	const item = provider.toItem(body, event.value);
	if (!item.ok && !options.acceptInvalidPayloads) {
		return refuse(
			context,
			400,
			`Invalid ${provider.name} "${event.value.type}" event: ${item.problem}. ` +
				'To receive such events anyway, turn on the "Accept Invalid Payloads" option.',
		);
	}

	const emitted = storable(item.ok ? item.value : { ...body, validationError: item.problem });
	if (!emitted.ok) return refuse(context, 400, `The ${provider.name} event is ${emitted.problem}.`);

	// Last, so that only deliveries that really start the workflow are remembered.
	if (isRepeatedDelivery(context, event.value.deliveryId, options))
		return acknowledgeWithoutRunning();
	return { workflowData: [[{ json: emitted.value }]] };
}

/**
 * The whole webhook handling both triggers share: key check first, then the
 * body, the event's envelope, the event filter, the event's own fields,
 * duplicate suppression, and one item per accepted event.
 *
 * It never throws: a failure of n8n or of this package (never of the caller)
 * is logged without secrets and answered with 500, so that providers which
 * retry deliver the event again later.
 */
export async function receiveWebhook<Envelope>(
	context: IWebhookFunctions,
	provider: WebhookProvider<Envelope>,
): Promise<IWebhookResponseData> {
	try {
		return await handle(context, provider);
	} catch (error) {
		context.logger.error(`${provider.name} Trigger could not handle a delivery`, {
			error: error instanceof Error ? error.message : String(error),
		});
		return refuse(
			context,
			500,
			`n8n could not handle this ${provider.name} delivery. Check the n8n logs and the trigger's credential.`,
		);
	}
}
