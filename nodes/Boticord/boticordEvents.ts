/**
 * Every Boticord webhook event type, as data. The node's Events options, the
 * payload schemas and the README's event table are all derived from this list.
 */
export const boticordEvents = [
	{
		type: 'new_bot_bump',
		name: 'New Bot Bump',
		kind: 'bump',
		target: 'bot',
		action: 'bump',
		description: 'Someone bumped (upvoted) your bot on Boticord',
	},
	{
		type: 'new_server_bump',
		name: 'New Server Bump',
		kind: 'bump',
		target: 'server',
		action: 'bump',
		description: 'Someone bumped (upvoted) your server on Boticord',
	},
	{
		type: 'new_bot_comment',
		name: 'New Bot Comment',
		kind: 'comment',
		target: 'bot',
		action: 'new',
		description: 'Someone left a comment (review) on your bot',
	},
	{
		type: 'edit_bot_comment',
		name: 'Bot Comment Edited',
		kind: 'comment',
		target: 'bot',
		action: 'edit',
		description: 'A comment on your bot was changed (its text or vote)',
	},
	{
		type: 'delete_bot_comment',
		name: 'Bot Comment Deleted',
		kind: 'comment',
		target: 'bot',
		action: 'delete',
		description: 'A comment on your bot was removed, by its author or by moderators',
	},
	{
		type: 'new_server_comment',
		name: 'New Server Comment',
		kind: 'comment',
		target: 'server',
		action: 'new',
		description: 'Someone left a comment (review) on your server',
	},
	{
		type: 'edit_server_comment',
		name: 'Server Comment Edited',
		kind: 'comment',
		target: 'server',
		action: 'edit',
		description: 'A comment on your server was changed (its text or vote)',
	},
	{
		type: 'delete_server_comment',
		name: 'Server Comment Deleted',
		kind: 'comment',
		target: 'server',
		action: 'delete',
		description: 'A comment on your server was removed, by its author or by moderators',
	},
	{
		type: 'test_webhook_message',
		name: 'Test Message',
		kind: 'test',
		target: null,
		action: 'test',
		description:
			'The message Boticord sends when you press the test button next to the webhook URL',
	},
] as const;

export type BoticordEvent = (typeof boticordEvents)[number];
export type BoticordEventType = BoticordEvent['type'];

const eventsByType: ReadonlyMap<string, BoticordEvent> = new Map(
	boticordEvents.map((event) => [event.type, event]),
);

export function findBoticordEvent(type: string): BoticordEvent | undefined {
	return eventsByType.get(type);
}
