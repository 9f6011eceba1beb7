import { boticordEvents } from '../nodes/Boticord/boticordEvents';
import { botisimoCategories, botisimoEvents } from '../nodes/Botisimo/botisimoEvents';
import { describeEventType } from '../nodes/Botisimo/botisimoItems';

/**
 * The README's event tables are rendered from the catalogues, so the docs can
 * never list an event the node does not offer (or miss one it does).
 */
/** Today's notification types. Their `target` depends on the node's options, not on the type. */
export function renderBoticordEventTable(): string {
	const rows = boticordEvents
		.filter((event) => event.format === 'v3')
		.map(
			(event) =>
				`| \`${event.type}\` | ${event.name} | ${event.description} | \`${event.action}\` |`,
		);
	return [
		'| Event type | Name in n8n | When | `action` |',
		'| --- | --- | --- | --- |',
		...rows,
	].join('\n');
}

/** "Legacy webhook: someone bumped…" → "Someone bumped…": the table's heading already says legacy. */
function withoutLegacyPrefix(description: string): string {
	const text = description.replace(/^Legacy webhook: /, '');
	return text.charAt(0).toUpperCase() + text.slice(1);
}

export function renderBoticordLegacyEventTable(): string {
	const rows = boticordEvents
		.filter((event) => event.format === 'legacy')
		.map(
			(event) =>
				`| \`${event.type}\` | ${event.name} | ${withoutLegacyPrefix(event.description)} | \`${event.target}\` | \`${event.action}\` |`,
		);
	return [
		'| Event type | Name in n8n | When | `target` | `action` |',
		'| --- | --- | --- | --- | --- |',
		...rows,
	].join('\n');
}

export function renderBotisimoEventTable(): string {
	const rows = botisimoEvents.map((event) => {
		const { category, action, platform } = describeEventType(event.type);
		return `| \`${event.type}\` | ${event.name} | ${event.description} | \`${category}\` | \`${action}\` | ${platform ? `\`${platform}\`` : '—'} |`;
	});
	return [
		'| Event type | Name in n8n | When | `category` | `action` | `platform` |',
		'| --- | --- | --- | --- | --- | --- |',
		...rows,
	].join('\n');
}

export function renderBotisimoGroupTable(): string {
	const rows = botisimoCategories.map(({ category, group, name }) => {
		const count = botisimoEvents.filter((event) => event.category === category).length;
		return `| \`${group}\` | ${name} | ${count} |`;
	});
	return ['| Group value | Name in n8n | Event types today |', '| --- | --- | --- |', ...rows].join(
		'\n',
	);
}

export const generatedSections: Record<string, () => string> = {
	'boticord-events': renderBoticordEventTable,
	'boticord-legacy-events': renderBoticordLegacyEventTable,
	'botisimo-events': renderBotisimoEventTable,
	'botisimo-groups': renderBotisimoGroupTable,
};

/** Replaces the text between `<!-- name:start -->` and `<!-- name:end -->`. */
export function withSection(readme: string, name: string, content: string): string {
	const start = `<!-- ${name}:start -->`;
	const end = `<!-- ${name}:end -->`;
	const from = readme.indexOf(start);
	const to = readme.indexOf(end);
	if (from < 0 || to < from) throw new Error(`README.md has no ${start} … ${end} section`);
	return `${readme.slice(0, from + start.length)}\n${content}\n${readme.slice(to)}`;
}
