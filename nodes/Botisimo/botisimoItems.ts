import { z } from 'zod';

import {
	check,
	epochMilliseconds,
	toIsoString,
	type Checked,
	type JsonObject,
	type LeftOut,
} from '../shared/jsonBody';
import type { EventFormat, ReceivedEvent } from '../shared/receivedEvents';
import { botisimoPlatforms, type BotisimoPlatform } from './botisimoEvents';

/**
 * What Botisimo sends and the item each delivery becomes. Every event comes
 * in the same envelope; Botisimo documents no fields inside `data`, so it is
 * only required to be an object and is passed through as sent.
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
	// Checked as an object without looking inside: zod strips unknown keys
	// without visiting them, so a `data` with a million keys costs nothing here.
	data: z.object(
		{},
		{
			required_error: 'is required (an object)',
			invalid_type_error: 'must be an object',
		},
	),
});

/** The envelope as sent: `data` is whatever object Botisimo sent. */
export type BotisimoEnvelope = Omit<z.infer<typeof botisimoEnvelopeSchema>, 'data'> & {
	data: JsonObject;
};

/** Fields the trigger adds to an event, beside the envelope as sent. */
export interface BotisimoEventFields {
	/** `timestamp` as an ISO 8601 date. */
	at: string;
	/** The first segment of the event type, e.g. `connection`. */
	category: string;
	/** The verb of the event type, e.g. `started` for `connection.stream.started.twitch`. */
	action: string;
	/** Present when the event type ends in a platform name, e.g. `twitch`. */
	platform?: BotisimoPlatform;
}

export type BotisimoItem = JsonObject & BotisimoEnvelope & BotisimoEventFields;

function isPlatform(segment: string): segment is BotisimoPlatform {
	return Object.prototype.hasOwnProperty.call(botisimoPlatforms, segment);
}

/**
 * Reads category, action and platform from the event type itself, so types
 * Botisimo adds later (received through a group or All Events) get them too.
 * It looks only at the first and last two segments, so a type of millions of
 * dots costs no more than a real one.
 */
export function describeEventType(eventType: string): Omit<BotisimoEventFields, 'at'> {
	const firstDot = eventType.indexOf('.');
	const category = firstDot < 0 ? eventType : eventType.slice(0, firstDot);
	const lastDot = eventType.lastIndexOf('.');
	const last = eventType.slice(lastDot + 1);
	// A platform is only ever the third segment or later: `connection.twitch` is not a variant.
	if (firstDot >= 0 && firstDot < lastDot && isPlatform(last)) {
		const action = eventType.slice(eventType.lastIndexOf('.', lastDot - 1) + 1, lastDot);
		return { category, action, platform: last };
	}
	return { category, action: last };
}

/** The fields the trigger documents as its own: set by it, or absent, never taken from the body. */
const ownFields: LeftOut = { at: true, category: true, action: true, platform: true };

export const botisimoDeliveries: EventFormat = {
	leftOut: ownFields,
	readEvent(body: JsonObject): Checked<ReceivedEvent> {
		const envelope = check(botisimoEnvelopeSchema, body);
		if (!envelope.ok) return envelope;
		const { eventType, messageId, timestamp } = envelope.value;
		return {
			ok: true,
			value: {
				type: eventType,
				deliveryId: messageId,
				toItem(emitted): Checked<BotisimoItem> {
					const fields: BotisimoEventFields = {
						at: toIsoString(timestamp),
						...describeEventType(eventType),
					};
					const sent = emitted as JsonObject & BotisimoEnvelope;
					return { ok: true, value: Object.assign(sent, fields) };
				},
			},
		};
	},
};
