import { readFileSync, readdirSync } from 'fs';
import { join } from 'path';

import { MAX_REQUEST_WAIT_MS, MAX_WAIT_MS, RATE_LIMIT } from '../../nodes/Boticord/boticordApi';
import { boticordEvents } from '../../nodes/Boticord/boticordEvents';
import { ATTEMPT_LIMIT, DEFAULT_GATEWAY_TIMINGS } from '../../nodes/Boticord/boticordGateway';
import {
	boticordAfterGapTextsRu,
	boticordEventTextsRu,
	boticordOperationTextsRu,
	boticordOperations,
	boticordOptionTextsRu,
	boticordTriggerOptions,
	renderBoticordEventTableRu,
} from '../../scripts/ruGuide';

/**
 * The Russian guide (docs/ru/) against the English README and the docs it
 * links for Boticord: the same event types, item fields, options, defaults,
 * node operations and limits, named in one exactly when named in the other.
 */

const ROOT = join(__dirname, '..', '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

const readme = read('README.md');
const english = [
	readme,
	...[
		'boticord-gateway.md',
		'boticord-legacy.md',
		'boticord-node.md',
		'troubleshooting.md',
		'examples.md',
	].map((file) => read(join('docs', file))),
].join('\n');
const russianFiles = readdirSync(join(ROOT, 'docs', 'ru')).filter((file) => file.endsWith('.md'));
const russian = russianFiles.map((file) => read(join('docs', 'ru', file))).join('\n');

/** The part of `document` from the line `from` to the next heading of its level (or the end). */
function section(document: string, from: string): string {
	const start = document.indexOf(`${from}\n`);
	if (start < 0) throw new Error(`no "${from}" heading`);
	const level = /^#+/.exec(from)?.[0] ?? '#';
	const rest = document.slice(start + from.length);
	const next = rest.search(new RegExp(`\\n#{1,${level.length}} `));
	return next < 0 ? rest : rest.slice(0, next);
}

/** The cells of a Markdown table's body rows (not its header or rule). */
function rows(text: string): string[][] {
	const lines = text.split('\n').filter((line) => line.startsWith('|'));
	return lines.slice(2).map((line) =>
		line
			.slice(1, -1)
			.split(' | ')
			.map((cell) => cell.trim()),
	);
}

const eventTypes: string[] = boticordEvents.map((event) => event.type);
const namedTypes = (text: string) =>
	new Set(
		[...text.matchAll(/`([a-z_]+)`/g)]
			.map(([, code]) => code)
			.filter((code) => eventTypes.includes(code)),
	);

describe('the Russian guide (docs/ru/)', () => {
	it('exists, and the top of the English README links it as «Русский»', () => {
		expect(russianFiles).toContain('README.md');
		const top = readme.split('\n').slice(0, 12).join('\n');
		expect(top).toContain('[Русский](docs/ru/README.md)');
	});

	it('has a Russian text for every Boticord event type, trigger option and node operation, and for nothing else', () => {
		expect(Object.keys(boticordEventTextsRu).sort()).toEqual([...eventTypes].sort());
		expect(Object.keys(boticordAfterGapTextsRu).sort()).toEqual(
			boticordEvents
				.filter((event) => 'afterGap' in event)
				.map((event) => event.type)
				.sort(),
		);
		expect(Object.keys(boticordOptionTextsRu).sort()).toEqual(
			boticordTriggerOptions()
				.map(({ option }) => option.name)
				.sort(),
		);
		expect(Object.keys(boticordOperationTextsRu).sort()).toEqual(
			boticordOperations()
				.map(({ resource, operation }) => `${resource}.${operation}`)
				.sort(),
		);
	});

	it('says which text is missing when the catalogue has a type without one', () => {
		const [event] = boticordEvents;
		const text = boticordEventTextsRu[event.type];
		delete boticordEventTextsRu[event.type];
		try {
			expect(renderBoticordEventTableRu).toThrow(
				`No Russian text for the Boticord event type "${event.type}": add it to boticordEventTextsRu in scripts/ruGuide.ts.`,
			);
		} finally {
			boticordEventTextsRu[event.type] = text;
		}
	});

	it('names the same Boticord event types as the English docs', () => {
		expect([...namedTypes(russian)].sort()).toEqual([...namedTypes(english)].sort());
		expect(namedTypes(russian).size).toBe(eventTypes.length);
	});

	it('names the same options of the Boticord triggers as the English docs, and every one of them', () => {
		const names = boticordTriggerOptions().map(({ option }) => option.displayName);
		const named = (text: string) => names.filter((name) => text.includes(name));
		expect(named(russian)).toEqual(named(english));
		expect(named(russian)).toEqual(names);
	});

	it("gives in the English README's options table the options and defaults the triggers have", () => {
		const options = boticordTriggerOptions().map(({ option }) => option);
		const listed = rows(section(readme, '## Options')).filter(([trigger]) =>
			/Boticord|Gateway/.test(trigger),
		);
		const defaults = new Map<string, string>();
		for (const [, names, value] of listed) {
			for (const name of names.split(', ')) defaults.set(name, value);
		}
		expect([...defaults.keys()].sort()).toEqual(options.map((o) => o.displayName).sort());
		/** The README's word for a default, as the value the node has. */
		const meaning = (word: string): unknown => {
			if (word === 'off') return false;
			if (word === 'on') return true;
			if (word === 'empty') return '';
			if (/^\d+$/.test(word)) return Number(word);
			if (word === "Boticord's") return expect.stringMatching(/^wss:\/\/[^/]*boticord\.top\//);
			throw new Error(`The README's default "${word}" has no meaning in this test yet`);
		};
		for (const option of options) {
			expect({ [option.displayName]: option.default }).toEqual({
				[option.displayName]: meaning(defaults.get(option.displayName) ?? ''),
			});
		}
	});

	it('lists the same item fields as the English README', () => {
		const fields = (table: string) =>
			rows(table)
				.map(([field]) => field)
				.filter((field) => /^`\w+`$/.test(field));
		const englishFields = fields(section(section(readme, '## Boticord'), '### Output'));
		expect(englishFields).toEqual(['`userId`', '`at`', '`resourceId`', '`target`', '`action`']);
		expect(fields(section(russian, '## Что в элементе'))).toEqual(englishFields);
	});

	it("lists the Boticord node's operations as the English README does", () => {
		// A row may stand for several resources ("Bot, Server").
		const listed = rows(section(readme, '### Boticord node')).flatMap(([resources, operation]) =>
			resources.split(', ').map((resource) => `${resource} ${operation}`),
		);
		expect(listed.sort()).toEqual(
			boticordOperations()
				.map(({ resourceName, operationName }) => `${resourceName} ${operationName}`)
				.sort(),
		);
	});

	it.each([
		[
			`${RATE_LIMIT.limit} requests in ${RATE_LIMIT.windowMs / 1000} seconds`,
			`${RATE_LIMIT.limit} запросов за ${RATE_LIMIT.windowMs / 1000} секунд`,
		],
		[
			`at most ${MAX_WAIT_MS / 1000} s at a time and ${MAX_REQUEST_WAIT_MS / 60_000} min per request`,
			`не больше ${MAX_WAIT_MS / 1000} секунд за раз и ${MAX_REQUEST_WAIT_MS / 60_000} минут на запрос`,
		],
		[
			`pings every ${DEFAULT_GATEWAY_TIMINGS.pingIntervalMs / 1000} s`,
			`ping каждые ${DEFAULT_GATEWAY_TIMINGS.pingIntervalMs / 1000} секунд`,
		],
		[
			`${ATTEMPT_LIMIT.limit} attempts in ${ATTEMPT_LIMIT.windowMs / 1000} s`,
			`${ATTEMPT_LIMIT.limit} попыток за ${ATTEMPT_LIMIT.windowMs / 1000} секунд`,
		],
		[
			`stayed up for ${DEFAULT_GATEWAY_TIMINGS.outageReportMs / 60_000} minutes`,
			`продержалось ${DEFAULT_GATEWAY_TIMINGS.outageReportMs / 60_000} минут`,
		],
		['`2a06:98c0::/29`', '`2a06:98c0::/29`'],
	])('states the limit "%s" as the English README does', (inEnglish, inRussian) => {
		const flowing = (text: string) => text.replace(/\s+/g, ' ');
		expect(flowing(readme)).toContain(inEnglish);
		expect(flowing(russian)).toContain(inRussian);
	});
});
