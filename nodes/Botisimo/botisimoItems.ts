import type { IDataObject } from 'n8n-workflow';

import { toIsoString } from '../shared/epochMilliseconds';
import type { JsonObject } from '../shared/jsonBody';
import { botisimoPlatforms, type BotisimoPlatform } from './botisimoEvents';
import type { BotisimoEnvelope } from './botisimoSchemas';

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

export type BotisimoItem = BotisimoEnvelope & BotisimoEventFields;

function isPlatform(segment: string): segment is BotisimoPlatform {
	return Object.prototype.hasOwnProperty.call(botisimoPlatforms, segment);
}

/**
 * Reads category, action and platform from the event type itself, so types
 * Botisimo adds later (received through a group or All Events) get them too.
 */
export function describeEventType(eventType: string): Omit<BotisimoEventFields, 'at'> {
	const segments = eventType.split('.');
	const last = segments[segments.length - 1];
	const platform = segments.length > 2 && isPlatform(last) ? last : undefined;
	const action = platform ? segments[segments.length - 2] : last;
	return platform ? { category: segments[0], action, platform } : { category: segments[0], action };
}

export function toBotisimoItem(body: JsonObject, envelope: BotisimoEnvelope): IDataObject {
	return { ...body, at: toIsoString(envelope.timestamp), ...describeEventType(envelope.eventType) };
}
