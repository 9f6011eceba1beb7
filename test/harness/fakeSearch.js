'use strict';
// The part of Meilisearch's search that the stand-in Boticord API serves
// (fakeBoticordApi.js): q as a case-insensitive match of every word in some
// of the searched fields, filters as `field op value` conditions (=, !=, >,
// >=, <, <=) ANDed in an array, sort rules `field:asc|desc`, limit and offset,
// and Meilisearch's answer and error shapes.

const CONDITION =
	/^\s*([A-Za-z_][A-Za-z0-9_.]*)\s*(=|!=|>=|<=|>|<)\s*(?:"([^"]*)"|'([^']*)'|(\S+))\s*$/;

function conditionsOf(filter) {
	if (filter === undefined || filter === null) return [];
	const list = Array.isArray(filter) ? filter : [filter];
	return list.flatMap((each) => (Array.isArray(each) ? each : [each]));
}

function parseCondition(text) {
	const match = typeof text === 'string' ? CONDITION.exec(text) : null;
	if (!match) return undefined;
	const [, field, op, double, single, bare] = match;
	return { field, op, value: double ?? single ?? bare };
}

function compare(actual, op, expected) {
	const bothNumbers =
		actual !== '' && !Number.isNaN(Number(actual)) && !Number.isNaN(Number(expected));
	const [a, b] = bothNumbers
		? [Number(actual), Number(expected)]
		: [String(actual), String(expected)];
	switch (op) {
		case '=':
			return a === b;
		case '!=':
			return a !== b;
		case '>':
			return a > b;
		case '>=':
			return a >= b;
		case '<':
			return a < b;
		default:
			return a <= b;
	}
}

/** Whether a document matches a filter (conditions this stand-in cannot read never match). */
function matchesFilter(document, filter) {
	return conditionsOf(filter).every((text) => {
		const condition = parseCondition(text);
		return (
			condition !== undefined && compare(document[condition.field], condition.op, condition.value)
		);
	});
}

/** Numbers, digits and dates in text compare as times; other text as text. */
function sortValue(value) {
	if (typeof value === 'number') return value;
	if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
	const date = typeof value === 'string' ? Date.parse(value) : Number.NaN;
	return Number.isFinite(date) ? date : String(value ?? '');
}

/**
 * Meilisearch's search over `documents`: { page } as it answers, or { error }
 * (its 400 body) for a filter or sort it would refuse.
 */
function searchIndex(documents, query, textFields) {
	const { q = '', filter, sort = [], limit = 20, offset = 0 } = query ?? {};
	const conditions = conditionsOf(filter);
	const unreadable = conditions.find((text) => parseCondition(text) === undefined);
	if (unreadable !== undefined) {
		return {
			error: {
				message: `Invalid filter: ${String(unreadable)}`,
				code: 'invalid_search_filter',
				type: 'invalid_request',
			},
		};
	}
	const rules = Array.isArray(sort) ? sort : [];
	const badRule = rules.find((rule) => !/^[A-Za-z_][A-Za-z0-9_.]*:(asc|desc)$/.test(String(rule)));
	if (badRule !== undefined) {
		return {
			error: {
				message: `Invalid sort: ${String(badRule)}`,
				code: 'invalid_search_sort',
				type: 'invalid_request',
			},
		};
	}
	const words = String(q).toLowerCase().split(/\s+/).filter(Boolean);
	const matched = documents.filter(
		(document) =>
			matchesFilter(document, conditions) &&
			words.every((word) =>
				textFields.some((field) =>
					String(document[field] ?? '')
						.toLowerCase()
						.includes(word),
				),
			),
	);
	const sorted = [...matched].sort((a, b) => {
		for (const rule of rules) {
			const [field, direction] = String(rule).split(':');
			const [x, y] = [sortValue(a[field]), sortValue(b[field])];
			if (x < y) return direction === 'asc' ? -1 : 1;
			if (x > y) return direction === 'asc' ? 1 : -1;
		}
		return 0;
	});
	return {
		page: {
			hits: sorted.slice(offset, offset + limit),
			query: String(q),
			processingTimeMs: 1,
			limit,
			offset,
			estimatedTotalHits: sorted.length,
		},
	};
}

module.exports = { matchesFilter, searchIndex };
