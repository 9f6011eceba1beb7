import { boticordEvents } from '../nodes/Boticord/boticordEvents';
import { botisimoCategories, botisimoEvents } from '../nodes/Botisimo/botisimoEvents';
import { describeEventType } from '../nodes/Botisimo/botisimoItems';

/**
 * The README's event tables are rendered from the catalogues, so the docs can
 * never list an event the node does not offer (or miss one it does).
 */
export function renderBoticordEventTable(): string {
	const rows = boticordEvents.map(
		(event) =>
			`| \`${event.type}\` | ${event.name} | ${event.description} | \`${event.target}\` | \`${event.action}\` |`,
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
