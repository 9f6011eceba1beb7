import { boticordEvents } from '../nodes/Boticord/boticordEvents';
import { botisimoCategories, botisimoEvents } from '../nodes/Botisimo/botisimoEvents';
import { describeEventType } from '../nodes/Botisimo/botisimoItems';
import { markdownTable } from './markdownTable';
import {
	renderBoticordEventTableRu,
	renderBoticordGatewayEventTableRu,
	renderBoticordLegacyEventTableRu,
	renderBoticordNodeTableRu,
	renderBoticordOptionTableRu,
} from './ruGuide';

/**
 * The event tables of the README and docs/ are rendered from the catalogues,
 * so the documents can never list an event the node does not offer (or miss
 * one it does).
 */
/** Today's notification types. Their `target` depends on the node's options, not on the type. */
export function renderBoticordEventTable(): string {
	return markdownTable(
		['Event type', 'Name in n8n', 'When', '`action`'],
		boticordEvents
			.filter((event) => event.format === 'v3')
			.map((event) => [`\`${event.type}\``, event.name, event.description, `\`${event.action}\``]),
	);
}

/** What the gateway trigger does with each type after a gap, and the type it makes itself. */
export function renderBoticordGatewayEventTable(): string {
	return markdownTable(
		['Event type', 'Name in n8n', 'Sent while the trigger was disconnected', '`action`'],
		boticordEvents.flatMap((event) =>
			'afterGap' in event
				? [[`\`${event.type}\``, event.name, event.afterGap, `\`${event.action}\``]]
				: [],
		),
	);
}

/** "Legacy webhook: someone bumped…" → "Someone bumped…": the table's heading already says legacy. */
function withoutLegacyPrefix(description: string): string {
	const text = description.replace(/^Legacy webhook: /, '');
	return text.charAt(0).toUpperCase() + text.slice(1);
}

export function renderBoticordLegacyEventTable(): string {
	return markdownTable(
		['Event type', 'Name in n8n', 'When', '`target`', '`action`'],
		boticordEvents
			.filter((event) => event.format === 'legacy')
			.map((event) => [
				`\`${event.type}\``,
				event.name,
				withoutLegacyPrefix(event.description),
				`\`${event.target}\``,
				`\`${event.action}\``,
			]),
	);
}

export function renderBotisimoEventTable(): string {
	return markdownTable(
		['Event type', 'Name in n8n', 'When', '`category`', '`action`', '`platform`'],
		botisimoEvents.map((event) => {
			const { category, action, platform } = describeEventType(event.type);
			return [
				`\`${event.type}\``,
				event.name,
				event.description,
				`\`${category}\``,
				`\`${action}\``,
				platform ? `\`${platform}\`` : '—',
			];
		}),
	);
}

export function renderBotisimoGroupTable(): string {
	return markdownTable(
		['Group value', 'Name in n8n', 'Event types today'],
		botisimoCategories.map(({ category, group, name }) => [
			`\`${group}\``,
			name,
			String(botisimoEvents.filter((event) => event.category === category).length),
		]),
	);
}

/** Each generated section, by name, with the document (from the repository's root) it is in. */
export const generatedSections: Record<string, { file: string; render: () => string }> = {
	'boticord-events': { file: 'README.md', render: renderBoticordEventTable },
	'botisimo-groups': { file: 'README.md', render: renderBotisimoGroupTable },
	'boticord-legacy-events': {
		file: 'docs/boticord-legacy.md',
		render: renderBoticordLegacyEventTable,
	},
	'botisimo-events': { file: 'docs/botisimo-events.md', render: renderBotisimoEventTable },
	'boticord-events-ru': { file: 'docs/ru/README.md', render: renderBoticordEventTableRu },
	'boticord-options-ru': { file: 'docs/ru/README.md', render: renderBoticordOptionTableRu },
	'boticord-node-ru': { file: 'docs/ru/README.md', render: renderBoticordNodeTableRu },
	'boticord-legacy-events-ru': {
		file: 'docs/ru/README.md',
		render: renderBoticordLegacyEventTableRu,
	},
	'boticord-gateway-events-ru': {
		file: 'docs/ru/README.md',
		render: renderBoticordGatewayEventTableRu,
	},
	'boticord-gateway-events': {
		file: 'docs/boticord-gateway.md',
		render: renderBoticordGatewayEventTable,
	},
};

/** Replaces the text between `<!-- name:start -->` and `<!-- name:end -->`. */
export function withSection(document: string, name: string, content: string): string {
	const start = `<!-- ${name}:start -->`;
	const end = `<!-- ${name}:end -->`;
	const from = document.indexOf(start);
	const to = document.indexOf(end);
	if (from < 0 || to < from) throw new Error(`no ${start} … ${end} section`);
	return `${document.slice(0, from + start.length)}\n${content}\n${document.slice(to)}`;
}
