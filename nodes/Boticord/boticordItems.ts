import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import { DISCORD_ID_EXAMPLE, isDiscordId } from '../shared/discordId';
import {
	check,
	epochMilliseconds,
	isEpochMilliseconds,
	quoted,
	requiredString,
	toIsoString,
	type Checked,
	type JsonObject,
	type LeftOut,
} from '../shared/jsonBody';
import type { EventFormat, ReceivedEvent } from '../shared/receivedEvents';
import { findBoticordEvent, type BoticordEvent, type BoticordEventOf } from './boticordEvents';

/**
 * What Boticord sends, in both its formats, and the item each delivery
 * becomes. Only documented fields are checked; fields Boticord adds later
 * pass through untouched, because items are built from the body as sent.
 */

/** Fields every delivery has, whatever its type; unknown future types must pass this too. */
const envelopeSchema = z.object({
	type: z
		.string({
			required_error: 'is required (a string such as "up_added")',
			invalid_type_error: 'must be a string such as "up_added"',
		})
		.min(1, 'must not be empty'),
});

// API v3 notifications.

const notificationSchema = z.object({
	type: z.string(),
	id: requiredString('the id of the bot or server'),
	user: requiredString('the Discord id of the user who caused it'),
	happened: epochMilliseconds,
});

function payloadSchema<Shape extends z.ZodRawShape>(shape: Shape) {
	return z.object(shape, {
		required_error: 'is required (an object)',
		invalid_type_error: 'must be an object',
	});
}

function finiteNumber(what: string) {
	return z
		.number({
			required_error: `is required (${what})`,
			invalid_type_error: `must be a number (${what})`,
		})
		.finite(`must be a finite number (${what})`);
}

export const boticordNotificationSchemas = {
	up: notificationSchema.extend({
		payload: payloadSchema({ upCount: finiteNumber('the number of ups, boosts included') }),
	}),
	comment: notificationSchema.extend({
		payload: payloadSchema({
			content: z.string({
				required_error: 'is required (the text of the comment)',
				invalid_type_error: 'must be a string (the text of the comment)',
			}),
			rating: finiteNumber('the rating, 1 to 5'),
		}),
	}),
};

export type BoticordUpNotification = z.infer<typeof boticordNotificationSchemas.up>;
export type BoticordCommentNotification = z.infer<typeof boticordNotificationSchemas.comment>;

// The older per-bot webhooks.

const legacyUser = z
	.string({ required_error: 'is required (the Discord id of the user)' })
	.min(1, 'must not be empty');

const legacyVote = z.number().int().min(-1).max(1).nullable();
const legacyText = z.string().nullable();

export const boticordLegacySchemas = {
	bump: z.object({
		type: z.string(),
		data: z.object({ user: legacyUser, at: epochMilliseconds }),
		/** Extra bump time a user got on top of the bump. */
		bonus: z
			.object({
				status: z.union([z.boolean(), z.string(), z.number()]).nullable().optional(),
				expiresAt: epochMilliseconds.nullable().optional(),
			})
			.optional(),
	}),
	comment: z.object({
		type: z.string(),
		data: z.object({
			user: legacyUser,
			comment: z.object({
				vote: z.object({ old: legacyVote, new: legacyVote }),
				old: legacyText,
				new: legacyText,
			}),
			reason: z
				.enum(['self', 'moderation'], {
					errorMap: () => ({ message: 'must be "self", "moderation" or null' }),
				})
				.nullable()
				.optional(),
			at: epochMilliseconds,
		}),
	}),
	/** Boticord documents no shape for it; one client library models it as `{ hello, world }`. */
	test: z.object({ type: z.string(), data: z.object({}) }),
};

export type BoticordLegacyBumpPayload = z.infer<typeof boticordLegacySchemas.bump>;
export type BoticordLegacyCommentPayload = z.infer<typeof boticordLegacySchemas.comment>;
export type BoticordLegacyTestPayload = z.infer<typeof boticordLegacySchemas.test>;

// Items.

/** `target` and `action` as the catalogue gives them for an event. */
type CatalogueFields<Event extends BoticordEvent> = Pick<Event, 'target' | 'action'>;

/** Fields the trigger adds to a v3 notification. */
export interface BoticordNotificationFields<Event extends BoticordEvent> {
	/** `user`: the Discord id of the user who caused the notification. */
	userId: string;
	/** `happened` as an ISO 8601 date. */
	at: string;
	/** `id`: the bot or server the notification is about. */
	resourceId: string;
	/** `bot` or `server` when the id is in the node's Bot IDs or Server IDs, otherwise `null`. */
	target: 'bot' | 'server' | null;
	action: Event['action'];
}

/**
 * A v3 notification as emitted: as sent, but for `webhookSettings.token` (the
 * owner's API token) and `webhookSettings.headers` (the owner's custom
 * headers), which never reach an item.
 */
export type BoticordUpItem = JsonObject &
	BoticordUpNotification &
	BoticordNotificationFields<Extract<BoticordEvent, { kind: 'up' }>>;
export type BoticordCommentItem = JsonObject &
	BoticordCommentNotification &
	BoticordNotificationFields<Extract<BoticordEventOf<'v3'>, { kind: 'comment' }>>;

/**
 * A v3 notification of a type this version does not know (received through
 * All Events): as sent, with the fields that could be read from it.
 */
export type BoticordOtherNotificationItem = JsonObject &
	Partial<Pick<BoticordNotificationFields<BoticordEvent>, 'userId' | 'at' | 'resourceId'>> & {
		target: 'bot' | 'server' | null;
		action: null;
	};

/** Fields the trigger adds to a legacy bump or comment. */
export interface BoticordLegacyFields<Event extends BoticordEvent> extends CatalogueFields<Event> {
	/** `data.user`: the Discord id of the user who bumped or commented. */
	userId: string;
	/** `data.at` as an ISO 8601 date. */
	at: string;
}

type LegacyOfKind<Kind extends BoticordEventOf<'legacy'>['kind']> = Extract<
	BoticordEventOf<'legacy'>,
	{ kind: Kind }
>;

export type BoticordLegacyBumpItem = JsonObject &
	BoticordLegacyBumpPayload &
	BoticordLegacyFields<LegacyOfKind<'bump'>>;
export type BoticordLegacyCommentItem = JsonObject &
	BoticordLegacyCommentPayload &
	BoticordLegacyFields<LegacyOfKind<'comment'>>;
export type BoticordLegacyTestItem = JsonObject &
	BoticordLegacyTestPayload &
	CatalogueFields<LegacyOfKind<'test'>>;

export type BoticordItem =
	| BoticordUpItem
	| BoticordCommentItem
	| BoticordOtherNotificationItem
	| BoticordLegacyBumpItem
	| BoticordLegacyCommentItem
	| BoticordLegacyTestItem;

/**
 * A selected event whose fields do not match Boticord's documented shape,
 * emitted because the node accepts invalid payloads: as sent, with the
 * problem and without the fields the trigger would have added.
 */
export type BoticordInvalidItem = JsonObject & { validationError: string };

/**
 * What the Bot IDs and Server IDs options hold: text (ids separated by
 * commas or spaces) as typed, or, from an expression, a number or a list.
 */
export type BoticordIdsOption = string | number | ReadonlyArray<string | number>;

/** The node options that shape Boticord items. */
export type BoticordOptions = {
	acceptInvalidPayloads?: boolean;
	botIds?: BoticordIdsOption;
	serverIds?: BoticordIdsOption;
};

/**
 * The ids an option lists, whatever an expression made of it. A number is
 * an id only if JavaScript holds it exactly: Discord ids beyond 2^53 lose
 * their last digits as numbers (resourceOptionsProblem says so at
 * activation), so they never match.
 */
function idList(value: unknown): string[] {
	if (typeof value === 'string') return value.split(/[\s,]+/).filter((id) => id.length > 0);
	if (typeof value === 'number') return Number.isSafeInteger(value) ? [String(value)] : [];
	if (Array.isArray(value)) {
		return value.flatMap((each: unknown) =>
			typeof each === 'string' || typeof each === 'number' ? idList(each) : [],
		);
	}
	return [];
}

function isSet(value: unknown): boolean {
	if (typeof value === 'string') return value.trim() !== '';
	return Array.isArray(value) ? value.length > 0 : value !== undefined && value !== null;
}

const ID_OPTIONS = [
	['botIds', 'Bot IDs'],
	['serverIds', 'Server IDs'],
] as const;

/**
 * Why the Bot IDs or Server IDs options cannot be used as they are, if they
 * cannot: a number an expression made of an id too long to be exact, a
 * value that is no list of ids at all, or an entry that is not a Discord id. Checked when the trigger starts, so
 * that the workflow does not run on, ignoring every notification.
 */
export function resourceOptionsProblem(options: BoticordOptions): string | undefined {
	for (const [name, label] of ID_OPTIONS) {
		const value: unknown = options[name];
		const values: unknown[] = Array.isArray(value) ? value : [value];
		for (const each of values) {
			if (typeof each === 'number' && !Number.isSafeInteger(each)) {
				return `${label} holds the number ${each}, which cannot be a Discord ID: IDs beyond 2^53 lose their last digits as JavaScript numbers. Give the IDs as text: type them in, or make the expression return a string.`;
			}
			if (
				each !== undefined &&
				each !== null &&
				typeof each !== 'string' &&
				typeof each !== 'number'
			) {
				return `${label} must be IDs separated by commas (or a list of IDs from an expression), not ${Array.isArray(each) ? 'a nested list' : typeof each === 'object' ? 'an object' : `a ${typeof each}`}.`;
			}
		}
		const notAnId = idList(value).find((id) => !isDiscordId(id));
		if (notAnId !== undefined) {
			return `${label} lists ${quoted(notAnId)}, which is not a Discord ID (its digits, e.g. ${DISCORD_ID_EXAMPLE}). Separate IDs with commas or spaces.`;
		}
	}
	return undefined;
}

/** The bots and servers Bot IDs and Server IDs list (their Discord IDs only). */
export function recoveredResources(
	options: BoticordOptions,
): Array<{ id: string; target: 'bot' | 'server' }> {
	const listed = (value: unknown, target: 'bot' | 'server') =>
		[...new Set(idList(value).filter(isDiscordId))].map((id) => ({ id, target }));
	return [...listed(options.botIds, 'bot'), ...listed(options.serverIds, 'server')];
}

/** The bot and server ids the node is limited to, and what each id is. */
function resourcesOf(options: BoticordOptions) {
	const bots = idList(options.botIds);
	const servers = idList(options.serverIds);
	return {
		// An option that holds something, even nothing usable as an id, limits the node:
		// a broken expression must not let every notification through.
		limited: isSet(options.botIds) || isSet(options.serverIds),
		targetOf: (id: unknown): 'bot' | 'server' | null =>
			typeof id !== 'string'
				? null
				: bots.includes(id)
					? 'bot'
					: servers.includes(id)
						? 'server'
						: null,
	};
}

/**
 * What never reaches an item: the fields the trigger documents as its own
 * (set by it, or absent, never taken from the body), and the owner's secrets
 * a notification carries (`webhookSettings.token` is the API token,
 * `webhookSettings.headers` the owner's custom headers), whichever header
 * the delivery came with.
 */
const leftOut: LeftOut = {
	userId: true,
	at: true,
	resourceId: true,
	target: true,
	action: true,
	validationError: true,
	webhookSettings: { token: true, headers: true },
};

/** Adds fields to the trigger's own copy of a body (no prototype keys, so assignment is safe). */
function completed<Body extends JsonObject, Fields extends IDataObject>(
	emitted: Body,
	fields: Fields,
): Body & Fields {
	return Object.assign(emitted, fields);
}

/**
 * Checks the trigger's copy of a body against a schema, then builds its item:
 * a problem is refused, or emitted with the problem when the user accepts
 * such events. The copy itself becomes the item, with the fields the schema
 * does not name.
 */
function itemFrom<Schema extends z.ZodTypeAny, Fields extends IDataObject>(
	schema: Schema,
	emitted: JsonObject,
	options: BoticordOptions,
	fields: (payload: z.infer<Schema>) => Fields,
): Checked<(JsonObject & z.infer<Schema> & Fields) | BoticordInvalidItem> {
	const checked = check(schema, emitted);
	if (checked.ok) {
		const payload = emitted as JsonObject & z.infer<Schema>;
		return { ok: true, value: completed(payload, fields(checked.value)) };
	}
	return options.acceptInvalidPayloads
		? { ok: true, value: completed(emitted, { validationError: checked.problem }) }
		: checked;
}

function notificationFields<Action extends BoticordEventOf<'v3'>['action']>(
	action: Action,
	options: BoticordOptions,
) {
	return ({ id, user, happened }: z.infer<typeof notificationSchema>) => ({
		userId: user,
		at: toIsoString(happened),
		resourceId: id,
		target: resourcesOf(options).targetOf(id),
		action,
	});
}

function notificationItem(
	emitted: JsonObject,
	event: BoticordEventOf<'v3'>,
	options: BoticordOptions,
): Checked<BoticordUpItem | BoticordCommentItem | BoticordInvalidItem> {
	const { up, comment } = boticordNotificationSchemas;
	return event.kind === 'up'
		? itemFrom(up, emitted, options, notificationFields(event.action, options))
		: itemFrom(comment, emitted, options, notificationFields(event.action, options));
}

/** A notification of a type this version does not know: the general fields it has. */
function otherNotificationItem(
	emitted: JsonObject,
	options: BoticordOptions,
): BoticordOtherNotificationItem {
	const { id, user, happened } = emitted;
	return completed(emitted, {
		...(typeof user === 'string' && user.length > 0 ? { userId: user } : {}),
		...(isEpochMilliseconds(happened) ? { at: toIsoString(happened) } : {}),
		...(typeof id === 'string' && id.length > 0 ? { resourceId: id } : {}),
		target: resourcesOf(options).targetOf(id),
		action: null,
	});
}

function legacyFields<
	Target extends BoticordEvent['target'],
	Action extends BoticordEvent['action'],
>(target: Target, action: Action) {
	return ({ data }: { data: { user: string; at: number } }) => ({
		userId: data.user,
		at: toIsoString(data.at),
		target,
		action,
	});
}

function legacyItem(
	emitted: JsonObject,
	event: BoticordEventOf<'legacy'>,
	options: BoticordOptions,
): Checked<
	BoticordLegacyBumpItem | BoticordLegacyCommentItem | BoticordLegacyTestItem | BoticordInvalidItem
> {
	const { bump, comment, test } = boticordLegacySchemas;
	switch (event.kind) {
		case 'bump':
			return itemFrom(bump, emitted, options, legacyFields(event.target, event.action));
		case 'comment':
			return itemFrom(comment, emitted, options, legacyFields(event.target, event.action));
		case 'test':
			return itemFrom(test, emitted, options, () => ({
				target: event.target,
				action: event.action,
			}));
	}
}

/**
 * A format's reader: the type every delivery has, then the rest of the event,
 * built by `received` from the type and the body.
 */
function formatReader(
	received: (type: string, body: JsonObject) => Omit<ReceivedEvent, 'type'>,
): EventFormat {
	return {
		leftOut,
		readEvent(body) {
			const envelope = check(envelopeSchema, body);
			if (!envelope.ok) return envelope;
			const { type } = envelope.value;
			return { ok: true, value: { type, ...received(type, body) } };
		},
	};
}

export const boticordNotifications = formatReader((type, body) => {
	const event = findBoticordEvent(type, 'v3');
	return {
		// One profile URL receives every bot and server of the owner.
		isLeftOut(options: BoticordOptions) {
			const resources = resourcesOf(options);
			return (
				resources.limited && typeof body.id === 'string' && resources.targetOf(body.id) === null
			);
		},
		toItem: (emitted, options: BoticordOptions) =>
			event
				? notificationItem(emitted, event, options)
				: { ok: true, value: otherNotificationItem(emitted, options) },
	};
});

export const boticordLegacyWebhooks = formatReader((type) => {
	const event = findBoticordEvent(type, 'legacy');
	return {
		// A type Boticord added after this release reaches here only with All
		// Events; nothing is known about its shape, so it stays as sent.
		toItem: (emitted, options: BoticordOptions) =>
			event ? legacyItem(emitted, event, options) : { ok: true, value: emitted },
	};
});

// Reviews from Boticord's search (its comments index).

/** A review as Boticord's search gives it, with the fields a comment notification's item has. */
export type BoticordReviewItem = JsonObject & {
	/** `author`: the Discord id of the user who wrote the review, when the hit has one. */
	userId: string | null;
	/** `created` as an ISO 8601 date, when it can be read (epoch ms, as a number or text, or a date). */
	at: string | null;
	/** `resource`: the bot or server the review is about. */
	resourceId: string | null;
	target: 'bot' | 'server';
};

/**
 * A time Boticord's search or pages give (a review's `created`, an up's
 * `expires`) as epoch ms: its docs type them as strings, its SDKs read epoch
 * ms, as numbers or digits; a date in text is read too.
 */
export function epochMsOf(value: unknown): number | undefined {
	if (typeof value === 'number') return isEpochMilliseconds(value) ? value : undefined;
	if (typeof value !== 'string' || value.trim() === '') return undefined;
	const text = value.trim();
	const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
	return isEpochMilliseconds(ms) ? ms : undefined;
}

function nonEmptyString(value: unknown): string | null {
	return typeof value === 'string' && value.length > 0 ? value : null;
}

/** A review hit as the Boticord node returns it: as sent, plus who, which resource and when. */
export function reviewItem(hit: JsonObject, target: 'bot' | 'server'): BoticordReviewItem {
	const created = epochMsOf(hit.created);
	return {
		...hit,
		userId: nonEmptyString(hit.author),
		at: created === undefined ? null : toIsoString(created),
		resourceId: nonEmptyString(hit.resource),
		target,
	};
}

/** Ups counted as missed while the gateway trigger was disconnected (no voter can be named). */
export type BoticordUpsMissedItem = JsonObject & {
	type: 'ups_missed';
	/** The bot or server. */
	resourceId: string;
	target: 'bot' | 'server';
	/** How many ups were given during the window and not received. */
	missed: number;
	/** The window, as ISO 8601 dates. */
	from: string;
	to: string;
	/** `to`: when the count was made. */
	at: string;
	action: Extract<BoticordEvent, { type: 'ups_missed' }>['action'];
};

export function upsMissedItem(
	resourceId: string,
	target: 'bot' | 'server',
	missed: number,
	from: number,
	to: number,
): BoticordUpsMissedItem {
	return {
		type: 'ups_missed',
		resourceId,
		target,
		missed,
		from: toIsoString(from),
		to: toIsoString(to),
		at: toIsoString(to),
		action: 'missed',
	};
}
