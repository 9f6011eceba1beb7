import type { IDataObject } from 'n8n-workflow';

import { toIsoString } from '../shared/epochMilliseconds';
import type { JsonObject } from '../shared/jsonBody';
import { describeValidationProblem } from '../shared/validationProblem';
import type { Checked } from '../shared/webhookTrigger';
import type { BoticordEvent } from './boticordEvents';
import {
	boticordPayloadSchemas,
	type BoticordBumpPayload,
	type BoticordCommentPayload,
	type BoticordTestPayload,
} from './boticordSchemas';

type EventOfKind<Kind extends BoticordEvent['kind']> = Extract<BoticordEvent, { kind: Kind }>;

/** Fields the trigger adds to a user's event, beside the payload as sent. */
interface UserEventFields<Kind extends 'bump' | 'comment'> {
	/** `data.user`: the Discord id of the user who bumped or commented. */
	userId: string;
	/** `data.at` as an ISO 8601 date. */
	at: string;
	target: EventOfKind<Kind>['target'];
	action: EventOfKind<Kind>['action'];
}

export type BoticordBumpItem = BoticordBumpPayload & UserEventFields<'bump'>;
export type BoticordCommentItem = BoticordCommentPayload & UserEventFields<'comment'>;
export type BoticordTestItem = BoticordTestPayload & {
	target: EventOfKind<'test'>['target'];
	action: EventOfKind<'test'>['action'];
};
export type BoticordItem = BoticordBumpItem | BoticordCommentItem | BoticordTestItem;

function toUserEventItem(
	body: JsonObject,
	data: { user: string; at: number },
	event: BoticordEvent,
): IDataObject {
	return {
		...body,
		userId: data.user,
		at: toIsoString(data.at),
		target: event.target,
		action: event.action,
	};
}

/**
 * Validates a known event against its documented shape and builds its item:
 * the payload as sent plus `userId`, `at`, `target` and `action`.
 */
export function toBoticordItem(body: JsonObject, event: BoticordEvent): Checked<IDataObject> {
	const parsed = boticordPayloadSchemas[event.kind].safeParse(body);
	if (!parsed.success) return { ok: false, problem: describeValidationProblem(parsed.error) };
	if (event.kind === 'test') {
		return { ok: true, value: { ...body, target: event.target, action: event.action } };
	}
	const { data } = parsed.data as BoticordBumpPayload | BoticordCommentPayload;
	return { ok: true, value: toUserEventItem(body, data, event) };
}
