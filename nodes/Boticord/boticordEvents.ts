/**
 * Every Boticord event type, as data. The node's Events options, the payload
 * schemas each type is checked against and the README's event tables are all
 * derived from this list.
 *
 * Boticord has sent two formats. Its API v3 notifications (`format: 'v3'`),
 * what it sends today, carry the owner's API token in `X-Boticord-Token` and
 * come to one URL for every bot and server the owner has, so the type does
 * not say which of them it is about (`target: null`; the node's Bot IDs and
 * Server IDs options tell). Its older per-bot webhooks (`format: 'legacy'`)
 * carry a hook key in `X-Hook-Key`, with one type per target. The gateway
 * trigger makes one type of its own (`format: 'gateway'`) when it recovers
 * after a gap; `afterGap` says what becomes of each v3 type sent during one.
 */
export const boticordEvents = [
	{
		type: 'up_added',
		format: 'v3',
		kind: 'up',
		name: 'Up Added',
		target: null,
		action: 'bump',
		description:
			'Someone gave your bot or server an up (a bump); the payload has its number of ups',
		afterGap: 'Lost, but counted in `ups_missed` where the page lists its ups',
	},
	{
		type: 'comment_added',
		format: 'v3',
		kind: 'comment',
		name: 'Comment Added',
		target: null,
		action: 'new',
		description: 'Someone left a comment (a review, rated 1 to 5) on your bot or server',
		afterGap: "Recovered from Boticord's search, marked `recovered: true`",
	},
	{
		type: 'comment_edited',
		format: 'v3',
		kind: 'comment',
		name: 'Comment Edited',
		target: null,
		action: 'edit',
		description:
			'A comment on your bot or server was edited; only its new text and rating are sent',
		afterGap: 'Lost: the search holds the current text only',
	},
	{
		type: 'comment_removed',
		format: 'v3',
		kind: 'comment',
		name: 'Comment Removed',
		target: null,
		action: 'delete',
		description: 'A comment on your bot or server was removed; its text and rating are sent',
		afterGap: 'Lost: the search holds the current text only',
	},
	{
		type: 'ups_missed',
		format: 'gateway',
		kind: 'upsMissed',
		name: 'Ups Missed (Counted)',
		target: null,
		action: 'missed',
		description:
			'Gateway trigger, after a gap: how many ups your bot or server got while it was disconnected, counted from its page (with Up Added selected too); voters cannot be named',
		afterGap: 'Made after a gap',
	},
	{
		type: 'new_bot_bump',
		format: 'legacy',
		kind: 'bump',
		name: 'New Bot Bump (Legacy Webhook)',
		target: 'bot',
		action: 'bump',
		description: 'Legacy webhook: someone bumped (upvoted) your bot',
	},
	{
		type: 'new_server_bump',
		format: 'legacy',
		kind: 'bump',
		name: 'New Server Bump (Legacy Webhook)',
		target: 'server',
		action: 'bump',
		description: 'Legacy webhook: someone bumped (upvoted) your server',
	},
	{
		type: 'new_bot_comment',
		format: 'legacy',
		kind: 'comment',
		name: 'New Bot Comment (Legacy Webhook)',
		target: 'bot',
		action: 'new',
		description: 'Legacy webhook: someone left a comment (review) on your bot',
	},
	{
		type: 'edit_bot_comment',
		format: 'legacy',
		kind: 'comment',
		name: 'Bot Comment Edited (Legacy Webhook)',
		target: 'bot',
		action: 'edit',
		description: 'Legacy webhook: a comment on your bot was changed (its text or vote)',
	},
	{
		type: 'delete_bot_comment',
		format: 'legacy',
		kind: 'comment',
		name: 'Bot Comment Deleted (Legacy Webhook)',
		target: 'bot',
		action: 'delete',
		description:
			'Legacy webhook: a comment on your bot was removed, by its author or by moderators',
	},
	{
		type: 'new_server_comment',
		format: 'legacy',
		kind: 'comment',
		name: 'New Server Comment (Legacy Webhook)',
		target: 'server',
		action: 'new',
		description: 'Legacy webhook: someone left a comment (review) on your server',
	},
	{
		type: 'edit_server_comment',
		format: 'legacy',
		kind: 'comment',
		name: 'Server Comment Edited (Legacy Webhook)',
		target: 'server',
		action: 'edit',
		description: 'Legacy webhook: a comment on your server was changed (its text or vote)',
	},
	{
		type: 'delete_server_comment',
		format: 'legacy',
		kind: 'comment',
		name: 'Server Comment Deleted (Legacy Webhook)',
		target: 'server',
		action: 'delete',
		description:
			'Legacy webhook: a comment on your server was removed, by its author or by moderators',
	},
	{
		type: 'test_webhook_message',
		format: 'legacy',
		kind: 'test',
		name: 'Test Message (Legacy Webhook)',
		target: null,
		action: 'test',
		description:
			'Legacy webhook: the message sent by the test button next to a bot or server webhook URL',
	},
] as const;

export type BoticordEvent = (typeof boticordEvents)[number];
export type BoticordFormat = BoticordEvent['format'];
export type BoticordEventOf<Format extends BoticordFormat> = Extract<
	BoticordEvent,
	{ format: Format }
>;

const eventsByType: ReadonlyMap<string, BoticordEvent> = new Map(
	boticordEvents.map((event) => [event.type, event]),
);

/** The catalogue entry of a type, when the delivery's format is the one the type belongs to. */
export function findBoticordEvent<Format extends BoticordFormat>(
	type: string,
	format: Format,
): BoticordEventOf<Format> | undefined {
	const event = eventsByType.get(type);
	return event?.format === format ? (event as BoticordEventOf<Format>) : undefined;
}
