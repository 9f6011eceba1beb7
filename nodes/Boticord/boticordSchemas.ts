import { z } from 'zod';

import { epochMilliseconds } from '../shared/epochMilliseconds';

const userId = z
	.string({ required_error: 'is required (the Discord id of the user)' })
	.min(1, 'must not be empty');

/** Fields every Boticord delivery has; unknown future types must pass this too. */
export const boticordEnvelopeSchema = z.object({
	type: z
		.string({
			required_error: 'is required (a string such as "new_bot_bump")',
			invalid_type_error: 'must be a string such as "new_bot_bump"',
		})
		.min(1, 'must not be empty'),
});

export type BoticordEnvelope = z.infer<typeof boticordEnvelopeSchema>;

/** Extra bump time a user got on top of the bump (Boticord's published docs). */
export const boticordBonusSchema = z.object({
	status: z.union([z.boolean(), z.string(), z.number()]).nullable().optional(),
	expiresAt: epochMilliseconds.nullable().optional(),
});

export const boticordBumpDataSchema = z.object({
	user: userId,
	at: epochMilliseconds,
});

const vote = z.number().int().min(-1).max(1).nullable();
const commentText = z.string().nullable();

export const boticordCommentDataSchema = z.object({
	user: userId,
	comment: z.object({
		vote: z.object({ old: vote, new: vote }),
		old: commentText,
		new: commentText,
	}),
	reason: z.enum(['self', 'moderation']).nullable().optional(),
	at: epochMilliseconds,
});

/** Boticord documents no shape for it; one client library models it as `{ hello, world }`. */
export const boticordTestDataSchema = z.object({});

// Only documented fields are checked; fields Boticord adds later pass through
// untouched, because items are built from the body as sent, not from the parse.
export const boticordPayloadSchemas = {
	bump: z.object({
		type: z.string(),
		data: boticordBumpDataSchema,
		bonus: boticordBonusSchema.optional(),
	}),
	comment: z.object({ type: z.string(), data: boticordCommentDataSchema }),
	test: z.object({ type: z.string(), data: boticordTestDataSchema }),
};

export type BoticordBumpPayload = z.infer<typeof boticordPayloadSchemas.bump>;
export type BoticordCommentPayload = z.infer<typeof boticordPayloadSchemas.comment>;
export type BoticordTestPayload = z.infer<typeof boticordPayloadSchemas.test>;
