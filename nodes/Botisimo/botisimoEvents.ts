/**
 * Every Botisimo webhook event type, as data: one entry per event family,
 * expanded below into one event per platform variant. The node's Events
 * options, the category groups and the README's event table are all derived
 * from `botisimoEvents`.
 */

/** Platform names as Botisimo spells them in event types, and as users read them. */
export const botisimoPlatforms = {
	twitch: 'Twitch',
	youtube: 'YouTube',
	facebook: 'Facebook',
	trovo: 'Trovo',
	dlive: 'DLive',
	brime: 'Brime',
	zoom: 'Zoom',
	twitter: 'Twitter',
	tiktok: 'TikTok',
} as const;

export type BotisimoPlatform = keyof typeof botisimoPlatforms;

const allPlatforms = Object.keys(botisimoPlatforms) as BotisimoPlatform[];
/** Zoom and Twitter connections do not stream. */
const streamingPlatforms = allPlatforms.filter(
	(platform) => platform !== 'zoom' && platform !== 'twitter',
);

interface EventFamily {
	/** The event type without a platform suffix. */
	type: string;
	/** What happened, in words a no-code user understands. */
	description: string;
	/** Platforms Botisimo also sends this event for, as `<type>.<platform>`. */
	platforms?: readonly BotisimoPlatform[];
}

const families: readonly EventFamily[] = [
	{ type: 'account.created', description: 'A team member created their Botisimo account' },
	{ type: 'account.updated', description: "A team member's account settings changed" },
	{ type: 'account.discord.updated', description: "A team member's Discord bot settings changed" },
	{ type: 'account.slack.updated', description: "A team member's Slack bot settings changed" },
	{
		type: 'account.custom_bot.updated',
		description: "A team member's custom bot account changed",
		platforms: allPlatforms,
	},
	{
		type: 'connection.created',
		description: 'A team member connected a platform account',
		platforms: allPlatforms,
	},
	{
		type: 'connection.updated',
		description: "A team member's platform connection changed",
		platforms: allPlatforms,
	},
	{
		type: 'connection.deleted',
		description: 'A team member disconnected a platform account',
		platforms: allPlatforms,
	},
	{
		type: 'connection.stream.started',
		description: "A team member's stream went live",
		platforms: streamingPlatforms,
	},
	{
		type: 'connection.stream.ended',
		description: "A team member's stream ended",
		platforms: streamingPlatforms,
	},
	{ type: 'stream_report.created', description: 'A report for a finished stream is ready' },
	{ type: 'creator_site.updated', description: "A team member's creator site changed" },
	{ type: 'stream_frame.updated', description: "A team member's stream frame changed" },
	{ type: 'stream_overlays.updated', description: "A team member's stream overlays changed" },
	{ type: 'spam_filter.updated', description: "A team member's spam filter settings changed" },
	{ type: 'music.updated', description: "A team member's music settings or queue changed" },
	{ type: 'command.created', description: 'A chat command was created' },
	{ type: 'command.updated', description: 'A chat command was changed' },
	{ type: 'command.deleted', description: 'A chat command was deleted' },
	{ type: 'giveaway.created', description: 'A giveaway was created' },
	{ type: 'giveaway.updated', description: 'A giveaway was changed' },
	{ type: 'giveaway.deleted', description: 'A giveaway was deleted' },
	{ type: 'giveaway.winner.created', description: 'A giveaway winner was drawn' },
	{ type: 'poll.created', description: 'A poll was created' },
	{ type: 'poll.updated', description: 'A poll was changed' },
	{ type: 'poll.deleted', description: 'A poll was deleted' },
	{ type: 'poll.winner.created', description: 'A poll closed with a winning option' },
	{ type: 'event.created', description: 'A scheduled event was created' },
	{ type: 'event.updated', description: 'A scheduled event was changed' },
	{ type: 'event.deleted', description: 'A scheduled event was deleted' },
	{ type: 'shop_item.created', description: 'A shop item was created' },
	{ type: 'shop_item.updated', description: 'A shop item was changed' },
	{ type: 'shop_item.deleted', description: 'A shop item was deleted' },
	{ type: 'shop_item.purchase.redeemed', description: 'A viewer redeemed a shop item' },
	{ type: 'shop_item.purchase.refunded', description: 'A shop item purchase was refunded' },
	{ type: 'video.created', description: 'A video was added' },
	{ type: 'video.updated', description: 'A video was changed' },
	{ type: 'video.deleted', description: 'A video was deleted' },
	{ type: 'timer.created', description: 'A chat timer was created' },
	{ type: 'timer.updated', description: 'A chat timer was changed' },
	{ type: 'timer.deleted', description: 'A chat timer was deleted' },
];

export interface BotisimoEvent {
	type: string;
	/** How the event reads in n8n, e.g. "Connection Stream Started (Twitch)". */
	name: string;
	description: string;
	/** The first segment of the type, e.g. `connection`. */
	category: string;
}

function titleCase(words: string): string {
	return words
		.split(/[._]/)
		.map((word) => word.charAt(0).toUpperCase() + word.slice(1))
		.join(' ');
}

function categoryOf(type: string): string {
	return type.split('.', 1)[0];
}

function expand(family: EventFamily): BotisimoEvent[] {
	const base: BotisimoEvent = {
		type: family.type,
		name: titleCase(family.type),
		description: `${family.description}, on any platform`,
		category: categoryOf(family.type),
	};
	if (!family.platforms) return [{ ...base, description: family.description }];
	return [
		base,
		...family.platforms.map((platform) => ({
			type: `${family.type}.${platform}`,
			name: `${base.name} (${botisimoPlatforms[platform]})`,
			description: `${family.description}, on ${botisimoPlatforms[platform]}`,
			category: base.category,
		})),
	];
}

export const botisimoEvents: readonly BotisimoEvent[] = families.flatMap(expand);

export interface BotisimoCategory {
	/** The first segment of the event types, e.g. `shop_item`. */
	category: string;
	/** The group's option value, e.g. `shop_item.*`. */
	group: string;
	name: string;
}

/** One group per top-level category, in catalogue order. */
export const botisimoCategories: readonly BotisimoCategory[] = [
	...new Set(botisimoEvents.map((event) => event.category)),
].map((category) => ({
	category,
	group: `${category}.*`,
	name: `All ${titleCase(category)} Events`,
}));
