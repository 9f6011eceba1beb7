import { boticordEvents } from '../nodes/Boticord/boticordEvents';

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

export const generatedSections: Record<string, () => string> = {
	'boticord-events': renderBoticordEventTable,
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
