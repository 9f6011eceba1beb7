import { z } from 'zod';

import { epochMilliseconds } from '../shared/epochMilliseconds';
import { isJsonObject, type JsonObject } from '../shared/jsonBody';

/**
 * The envelope every Botisimo webhook has. Botisimo documents no fields inside
 * `data`, so it is only required to be an object and is passed through as sent.
 */
export const botisimoEnvelopeSchema = z.object({
	messageId: z
		.string({
			required_error: 'is required (the id Botisimo gives each message)',
			invalid_type_error: 'must be a string',
		})
		.min(1, 'must not be empty'),
	timestamp: epochMilliseconds,
	eventType: z
		.string({
			required_error: 'is required (a string such as "account.updated")',
			invalid_type_error: 'must be a string such as "account.updated"',
		})
		.min(1, 'must not be empty'),
	// A check rather than z.object().passthrough(): the item is built from the
	// body as sent, so copying every field of data on each delivery is wasted.
	data: z.custom<JsonObject>(isJsonObject, (input: unknown) => ({
		message: input === undefined ? 'is required (an object)' : 'must be an object',
	})),
});

export type BotisimoEnvelope = z.infer<typeof botisimoEnvelopeSchema>;
