import type { IWebhookFunctions } from 'n8n-workflow';

import { describeValidationProblem } from '../shared/validationProblem';
import type { WebhookProvider } from '../shared/webhookTrigger';
import { findBoticordEvent } from './boticordEvents';
import { toBoticordItem } from './boticordItems';
import { boticordEnvelopeSchema, type BoticordEnvelope } from './boticordSchemas';

/** Boticord sends the key copied from the bot or server edit page in this header. */
export const BOTICORD_KEY_HEADER = 'x-hook-key';

export const boticordProvider: WebhookProvider<BoticordEnvelope> = {
	name: 'Boticord',
	credential: { type: 'boticordWebhookApi', field: 'hookKey' },
	secretLocation: 'the X-Hook-Key header',
	presentedSecret: (context: IWebhookFunctions) => context.getHeaderData()[BOTICORD_KEY_HEADER],
	readEvent(body) {
		const envelope = boticordEnvelopeSchema.safeParse(body);
		return envelope.success
			? { ok: true, value: { type: envelope.data.type, envelope: envelope.data } }
			: { ok: false, problem: describeValidationProblem(envelope.error) };
	},
	toItem(body, { type }) {
		const event = findBoticordEvent(type);
		// A type Boticord added after this release reaches here only when "All
		// Events" is selected; nothing is known about its shape, so it stays as sent.
		return event ? toBoticordItem(body, event) : { ok: true, value: { ...body } };
	},
};
