import {
	NodeOperationError,
	type IDataObject,
	type IHookFunctions,
	type INodeExecutionData,
	type INodeType,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { eventOutcome, type EventFormat, type EventSource } from './receivedEvents';
import { deliveryFingerprint, recentDeliveriesOf } from './recentDeliveries';
import { isNewToStoredDeliveries } from './storedDeliveries';
import { redaction } from './redaction';
import { forgetKey, verifyKey, type KeyCredential } from './webhookKey';

/** One way a provider calls the webhook, recognised by where the request carries its key. */
export interface DeliveryFormat extends EventFormat {
	/** Where the caller's key is, in words, e.g. `the X-Hook-Key header`. */
	keyLocation: string;
	/** The caller's key as the request carries it (a header or query value). */
	presentedKey(context: IWebhookFunctions): unknown;
}

/** Everything the shared webhook handling needs to know about one provider. */
export interface WebhookProvider extends EventSource {
	credential: KeyCredential;
	/** How this request is formatted, told by where it carries its key. */
	formatOf(context: IWebhookFunctions): DeliveryFormat;
	/**
	 * Why the node's options cannot be used as they are, if they cannot:
	 * checked when the workflow is activated, which then fails with it,
	 * instead of every delivery being turned away.
	 */
	optionsProblem?(options: IDataObject): string | undefined;
}

/** Identifies one trigger node in one workflow, for state kept in this process. */
function nodeKeyOf(context: IWebhookFunctions | IHookFunctions): string {
	const node = context.getNode();
	return `${context.getWorkflow().id ?? ''}\u0000${node.id ?? node.name}`;
}

/** HTTP statuses this package answers with on its own (everything else is n8n's). */
type RefusalStatus = 400 | 401 | 403 | 500;

/**
 * Answers the caller directly and tells n8n that no workflow runs. The body
 * is a small JSON object so that provider dashboards and curl show the
 * reason; it never contains a key.
 */
function refuse(
	context: IWebhookFunctions,
	status: RefusalStatus,
	message: string,
): IWebhookResponseData {
	context.getResponseObject().status(status).json({ message });
	return { noWebhookResponse: true };
}

/** A delivery that is understood but starts no execution (unselected, left out or a retry). */
const acknowledgeWithoutRunning = (): IWebhookResponseData => ({});

async function checkKey(
	context: IWebhookFunctions,
	nodeKey: string,
	provider: WebhookProvider,
	format: DeliveryFormat,
): Promise<IWebhookResponseData | undefined> {
	const verdict = await verifyKey(
		context,
		nodeKey,
		provider.credential,
		format.presentedKey(context),
	);
	switch (verdict) {
		case 'match':
			return undefined;
		case 'missing':
			return refuse(
				context,
				401,
				`Missing key: send the ${provider.name} key in ${format.keyLocation}.`,
			);
		case 'unusable':
			return refuse(context, 403, `Refused: ${format.keyLocation} must hold one key, sent once.`);
		case 'wrong':
			return refuse(context, 403, `Wrong key in ${format.keyLocation}.`);
		case 'unset':
			return refuse(
				context,
				500,
				`The ${provider.name} credential of this trigger has no key. Open the credential in n8n and fill it in.`,
			);
	}
}

async function handle(
	context: IWebhookFunctions,
	provider: WebhookProvider,
): Promise<IWebhookResponseData> {
	const nodeKey = nodeKeyOf(context);
	const format = provider.formatOf(context);
	const refusal = await checkKey(context, nodeKey, provider, format);
	if (refusal) return refusal;

	const outcome = eventOutcome(provider, format, context.getBodyData(), {
		events: () => context.getNodeParameter('events', []) as string[],
		options: () => context.getNodeParameter('options', {}) as IDataObject,
	});
	if (outcome.kind === 'refused') return refuse(context, 400, outcome.problem);
	if (outcome.kind === 'ignored') return acknowledgeWithoutRunning();
	const { event, item, options } = outcome;

	// Last, so that only deliveries that really start the workflow are
	// remembered; test listens and the option turned off neither read nor write.
	if (
		event.deliveryId === undefined ||
		options.ignoreDuplicateDeliveries === false ||
		context.getMode() === 'manual'
	) {
		return { workflowData: [[{ json: item }]] };
	}
	const print = deliveryFingerprint(event.deliveryId);
	const memory = recentDeliveriesOf(nodeKey);
	if (memory.seenBefore(print)) return acknowledgeWithoutRunning();
	const nodeData = context.getWorkflowStaticData('node');
	if (!isNewToStoredDeliveries(nodeData, memory, print, Date.now())) {
		return acknowledgeWithoutRunning();
	}
	return startAndSaveStaticData(context, [[{ json: item }]]);
}

/**
 * Answers an accepted delivery (an empty 200, as n8n would) before handing
 * it to n8n, so that n8n saves the static data this delivery changed. n8n
 * saves a webhook's static data when the caller is answered, if it changed;
 * n8n 2.x answers "on received" only after it has set up the execution, and
 * setting it up wraps the same static data anew, which clears the mark that
 * it changed: what the webhook wrote was then never saved (n8n 1.x answers
 * first). A webhook that answers itself is answered, and its static data
 * saved, before the execution is set up, on every n8n version.
 */
function startAndSaveStaticData(
	context: IWebhookFunctions,
	workflowData: INodeExecutionData[][],
): IWebhookResponseData {
	context.getResponseObject().status(200).end();
	return { noWebhookResponse: true, workflowData };
}

/**
 * The whole webhook handling every trigger of this package shares: key check
 * first, then the body, the fields every event has, the event filter, the
 * node's options, the event's own fields, duplicate suppression, and one item
 * per accepted event.
 *
 * It never throws: a failure of n8n or of this package (never of the caller)
 * is logged without keys and answered with 500, so that providers which
 * retry deliver the event again later.
 */
export async function receiveWebhook(
	context: IWebhookFunctions,
	provider: WebhookProvider,
): Promise<IWebhookResponseData> {
	try {
		return await handle(context, provider);
	} catch (error) {
		// The caller's key, if it can be read, is the credential's when right: it stays out of the log.
		const redact = redaction([presentedKeyOf(context, provider)].flat());
		context.logger.error(`${provider.name} Trigger could not handle a delivery`, {
			error: redact.text(error instanceof Error ? error.message : String(error)),
		});
		return refuse(
			context,
			500,
			`n8n could not handle this ${provider.name} delivery. Check the n8n logs and the trigger's credential.`,
		);
	}
}

function presentedKeyOf(context: IWebhookFunctions, provider: WebhookProvider): unknown {
	try {
		return provider.formatOf(context).presentedKey(context);
	} catch {
		return undefined;
	}
}

/**
 * Boticord and Botisimo have no API to register a webhook: the user pastes the
 * node's URL into the provider's dashboard. So there is nothing to find,
 * create or delete remotely; creating it (activating the workflow, or a test
 * listen) checks the node's options. Removing the webhook forgets the key remembered for
 * the node; accepted delivery ids are kept until they expire (see
 * recentDeliveries), because n8n also removes a webhook when a test listen
 * ends or an active workflow is saved again.
 */
export function manualWebhookRegistration(
	provider: WebhookProvider,
): NonNullable<INodeType['webhookMethods']> {
	return {
		default: {
			// n8n calls create() only when this says no, and create() is where the
			// options are checked: nothing is registered anywhere to be found.
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return false;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const problem = provider.optionsProblem?.(
					this.getNodeParameter('options', {}) as IDataObject,
				);
				if (problem) throw new NodeOperationError(this.getNode(), problem);
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				forgetKey(nodeKeyOf(this));
				return true;
			},
		},
	};
}
