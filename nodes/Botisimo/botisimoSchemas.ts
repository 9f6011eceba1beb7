import { z } from 'zod';

import { epochMilliseconds } from '../shared/epochMilliseconds';

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
	// An empty passthrough object rather than z.custom(isJsonObject): z.custom
	// is a refinement, whose per-call setup cost four times the whole
	// envelope's check; the shallow copy of data's (few) fields costs less.
	data: z
		.object(
			{},
			{
				required_error: 'is required (an object)',
				invalid_type_error: 'must be an object',
			},
		)
		.passthrough(),
});

export type BotisimoEnvelope = z.infer<typeof botisimoEnvelopeSchema>;
