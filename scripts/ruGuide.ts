import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { Boticord } from '../nodes/Boticord/Boticord.node';
import { boticordEvents } from '../nodes/Boticord/boticordEvents';
import { BoticordGatewayTrigger } from '../nodes/Boticord/BoticordGatewayTrigger.node';
import { BoticordTrigger } from '../nodes/Boticord/BoticordTrigger.node';
import { markdownTable } from './markdownTable';

/**
 * The tables of the Russian guide (docs/ru/), rendered from the same
 * catalogue and node descriptions as the English README's, with Russian
 * words for what the catalogue says in English. A type, option or operation
 * without its Russian text fails the rendering, naming what to add where.
 */

/** What each Boticord event type means, in Russian, by type: every type of the catalogue. */
export const boticordEventTextsRu: Record<string, string> = {
	up_added: 'Вашему боту или серверу поставили ап; в `payload` — сколько апов он принёс',
	comment_added: 'На вашего бота или сервер оставили отзыв (с оценкой от 1 до 5)',
	comment_edited: 'Отзыв о вашем боте или сервере изменили; приходят только новый текст и оценка',
	comment_removed: 'Отзыв о вашем боте или сервере удалили; приходят его текст и оценка',
	new_bot_bump: 'Вашему боту поставили ап',
	new_server_bump: 'Вашему серверу поставили ап',
	new_bot_comment: 'На вашего бота оставили отзыв',
	edit_bot_comment: 'Отзыв о вашем боте изменили (текст или оценку)',
	delete_bot_comment: 'Отзыв о вашем боте удалил автор или модераторы',
	new_server_comment: 'На ваш сервер оставили отзыв',
	edit_server_comment: 'Отзыв о вашем сервере изменили (текст или оценку)',
	delete_server_comment: 'Отзыв о вашем сервере удалил автор или модераторы',
	ups_missed:
		'Только шлюз, после перерыва: сколько апов получил ваш бот или сервер, пока триггер был отключён (по его странице; нужно выбрать и **Up Added**); кто их поставил, узнать нельзя',
	test_webhook_message: 'Проверочное сообщение от кнопки рядом с URL вебхука бота или сервера',
};

/** What becomes of each notification type sent while the gateway trigger was away, in Russian. */
export const boticordAfterGapTextsRu: Record<string, string> = {
	up_added: 'Теряется, но учитывается в `ups_missed`, если страница показывает апы',
	comment_added: 'Восстанавливается из поиска Boticord, с `recovered: true`',
	comment_edited: 'Теряется: в поиске только текущий текст',
	comment_removed: 'Теряется: в поиске только текущий текст',
	ups_missed: 'Создаётся после перерыва',
};

/** What each option of the Boticord triggers does, in Russian, by the option's name. */
export const boticordOptionTextsRu: Record<string, string> = {
	acceptInvalidPayloads:
		'Выбранное событие, поля которого не совпадают с описанием Boticord, выдаётся как пришло (секреты всё равно убраны), а проблема — в поле `validationError`. Без этого вебхук отвечает 400, а шлюз пишет в журнал и пропускает событие. Тело без `type` отклоняется всегда.',
	botIds:
		'ID ваших ботов через запятую (или список из выражения; ID — текстом: числом они теряют цифры, и активация об этом скажет). Если заданы **Bot IDs** или **Server IDs**, уведомление об ID не из списков ничего не запускает (вебхук отвечает 200), а в элементе появляется `target: "bot"` или `"server"`. Уведомления без ID и старые вебхуки проходят.',
	serverIds:
		'ID ваших серверов Discord через запятую; работает вместе с **Bot IDs**, как описано выше.',
	gatewayUrl: 'Меняйте только ради прокси или тестового сервера (`ws://` тоже подходит).',
	recoverMissed:
		'После каждого перерыва (перезапуск n8n, сбой шлюза, обрыв связи) выдаёт отзывы о ботах и серверах из **Bot IDs** и **Server IDs**, оставленные за это время (не дальше чем на 24 ч назад), как **Comment Added** с `recovered: true`, каждый один раз, и считает пропущенные апы (**Ups Missed**). Без **Bot IDs** или **Server IDs** ничего не делает. Изменённые и удалённые за перерыв отзывы не восстановить, как и то, кто ставил апы.',
	outageAlertMinutes:
		'Сколько минут без устойчивого соединения проходит, прежде чем о сбое сообщается (один раз).',
};

/** What each operation of the Boticord node does, in Russian, by `<resource>.<operation>`. */
export const boticordOperationTextsRu: Record<string, string> = {
	'bot.get':
		'Страница бота: название, описания, владелец, число серверов, шардов и участников, апы, теги…',
	'bot.updateStats':
		'Отправляет статистику бота: **Server Count**, **Shard Count** и **Member Count** (те, что заданы)',
	'bot.search': 'Боты, найденные по **Search Text** в поиске Boticord, по элементу на каждого',
	'bot.getReviews':
		'Отзывы о боте из поиска Boticord, сначала новые, с `userId`, `resourceId`, `at`',
	'server.get': 'Страница сервера',
	'server.search': 'Серверы, найденные по **Search Text** в поиске Boticord, по элементу на каждый',
	'server.getReviews':
		'Отзывы о сервере из поиска Boticord, сначала новые, с `userId`, `resourceId`, `at`',
	'user.get': 'Профиль пользователя, с его ботами и серверами',
};

function ruText(texts: Record<string, string>, key: string, what: string, mapName: string): string {
	const text = texts[key];
	if (text === undefined) {
		throw new Error(
			`No Russian text for the ${what} "${key}": add it to ${mapName} in scripts/ruGuide.ts.`,
		);
	}
	return text;
}

/** What the gateway trigger does with each type after a gap, as docs/boticord-gateway.md lists it. */
export function renderBoticordGatewayEventTableRu(): string {
	return markdownTable(
		['Тип события', 'Название в n8n', 'Если пришло, пока триггер был отключён', '`action`'],
		boticordEvents
			.filter((event) => 'afterGap' in event)
			.map((event) => [
				`\`${event.type}\``,
				event.name,
				ruText(
					boticordAfterGapTextsRu,
					event.type,
					'gap of the Boticord event type',
					'boticordAfterGapTextsRu',
				),
				`\`${event.action}\``,
			]),
	);
}

/** Today's notification types, as the English README's table lists them. */
export function renderBoticordEventTableRu(): string {
	return markdownTable(
		['Тип события', 'Название в n8n', 'Когда приходит', '`action`'],
		boticordEvents
			.filter((event) => event.format === 'v3')
			.map((event) => [
				`\`${event.type}\``,
				event.name,
				ruText(boticordEventTextsRu, event.type, 'Boticord event type', 'boticordEventTextsRu'),
				`\`${event.action}\``,
			]),
	);
}

/** The legacy webhooks' types, as docs/boticord-legacy.md lists them. */
export function renderBoticordLegacyEventTableRu(): string {
	return markdownTable(
		['Тип события', 'Название в n8n', 'Когда приходит', '`target`', '`action`'],
		boticordEvents
			.filter((event) => event.format === 'legacy')
			.map((event) => [
				`\`${event.type}\``,
				event.name,
				ruText(boticordEventTextsRu, event.type, 'Boticord event type', 'boticordEventTextsRu'),
				`\`${event.target}\``,
				`\`${event.action}\``,
			]),
	);
}

/** The options of a trigger's Options collection. */
function optionsOf(properties: INodeProperties[]): INodeProperties[] {
	return (properties.find((property) => property.name === 'options')?.options ??
		[]) as INodeProperties[];
}

/** Each option of the Boticord triggers, once, with the triggers that have it. */
export function boticordTriggerOptions(): Array<{ option: INodeProperties; triggers: string[] }> {
	const found = new Map<string, { option: INodeProperties; triggers: string[] }>();
	for (const trigger of [new BoticordTrigger(), new BoticordGatewayTrigger()]) {
		for (const option of optionsOf(trigger.description.properties)) {
			const entry = found.get(option.name) ?? { option, triggers: [] };
			entry.triggers.push(trigger.description.displayName);
			found.set(option.name, entry);
		}
	}
	return [...found.values()];
}

/** A default as the Russian guide writes it. */
export function defaultRu(value: unknown): string {
	if (value === true) return 'вкл.';
	if (value === false) return 'выкл.';
	if (value === '' || (Array.isArray(value) && value.length === 0)) return 'пусто';
	if (typeof value === 'number') return String(value);
	return `\`${String(value)}\``;
}

export function renderBoticordOptionTableRu(): string {
	return markdownTable(
		['Параметр', 'Где', 'По умолчанию', 'Что делает'],
		boticordTriggerOptions().map(({ option, triggers }) => [
			`**${option.displayName}**`,
			triggers.length > 1 ? 'оба триггера' : `**${triggers[0]}**`,
			defaultRu(option.default),
			ruText(
				boticordOptionTextsRu,
				option.name,
				'Boticord trigger option',
				'boticordOptionTextsRu',
			),
		]),
	);
}

/** The Boticord node's resources and operations, as the editor shows them. */
export function boticordOperations(): Array<{
	resource: string;
	resourceName: string;
	operation: string;
	operationName: string;
}> {
	const { properties } = new Boticord().description;
	const resources = (properties.find((property) => property.name === 'resource')?.options ??
		[]) as INodePropertyOptions[];
	return resources.flatMap(({ name: resourceName, value }) => {
		const resource = String(value);
		const operations = properties
			.filter(
				(property) =>
					property.name === 'operation' &&
					property.displayOptions?.show?.resource?.includes(resource),
			)
			.flatMap((property) => (property.options ?? []) as INodePropertyOptions[]);
		return operations.map(({ name: operationName, value: operation }) => ({
			resource,
			resourceName,
			operation: String(operation),
			operationName,
		}));
	});
}

export function renderBoticordNodeTableRu(): string {
	return markdownTable(
		['Resource', 'Operation', 'Что делает'],
		boticordOperations().map(({ resource, resourceName, operation, operationName }) => [
			`**${resourceName}**`,
			`**${operationName}**`,
			ruText(
				boticordOperationTextsRu,
				`${resource}.${operation}`,
				'Boticord node operation',
				'boticordOperationTextsRu',
			),
		]),
	);
}
