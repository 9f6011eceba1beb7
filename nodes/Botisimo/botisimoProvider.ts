import type { IWebhookFunctions } from 'n8n-workflow';

import { describeValidationProblem } from '../shared/validationProblem';
import type { WebhookProvider } from '../shared/webhookTrigger';
import { toBotisimoItem } from './botisimoItems';
import { botisimoEnvelopeSchema, type BotisimoEnvelope } from './botisimoSchemas';

/**
 * Botisimo signs nothing and sends no key: the user appends `?token=<secret>`
 * to the URL registered in Botisimo, and the trigger checks that parameter.
 */
export const BOTISIMO_TOKEN_PARAMETER = 'token';

export const botisimoProvider: WebhookProvider<BotisimoEnvelope> = {
	name: 'Botisimo',
	credential: { type: 'botisimoWebhookApi', field: 'secret' },
	secretLocation: `the ${BOTISIMO_TOKEN_PARAMETER} query parameter of the webhook URL`,
	presentedSecret: (context: IWebhookFunctions) =>
		context.getQueryData()[BOTISIMO_TOKEN_PARAMETER as never],
	readEvent(body) {
		const envelope = botisimoEnvelopeSchema.safeParse(body);
		if (!envelope.success) return { ok: false, problem: describeValidationProblem(envelope.error) };
		const { eventType, messageId } = envelope.data;
		return { ok: true, value: { type: eventType, deliveryId: messageId, envelope: envelope.data } };
	},
	toItem: (body, { envelope }) => ({ ok: true, value: toBotisimoItem(body, envelope) }),
};
