import { NodeApiError, NodeOperationError, type IDataObject } from 'n8n-workflow';

import { isJsonObject, type JsonObject } from '../shared/jsonBody';
import { redaction, type Redaction } from '../shared/redaction';
import {
	apiError,
	exchangeWithinLimit,
	request,
	sentOrUnreachable,
	type CallScope,
	type FullAnswer,
} from './boticordApi';

/**
 * Boticord's search: Meilisearch, behind Boticord's API address (its
 * `/search/` path, so it follows the credential's Base URL), with a key that
 * `GET /search-key` gives for the API token. The key is kept per token in
 * this process and fetched again once when the search refuses it (keys
 * expire). Searches count against the account's rate limit like any other
 * request, and the key never leaves this module: not in errors, items or logs.
 */

/** Boticord's three indexes. */
export type SearchIndex = 'bots' | 'servers' | 'comments';

/** Meilisearch's search parameters this package sends. */
export interface SearchParameters {
	q: string;
	filter?: string[];
	sort?: string[];
	limit: number;
	offset: number;
}

/** A page of hits, each as Boticord sent it. */
export interface SearchPage {
	hits: JsonObject[];
}

/** Meilisearch returns at most this many hits for a query (its maxTotalHits default). */
export const MAX_SEARCH_HITS = 1000;

/** The hits asked for in one request when paging. */
export const SEARCH_PAGE_SIZE = 100;

/** Tokens whose keys are kept at once: enough for every credential of a busy n8n. */
const MAX_KEPT_KEYS = 100;

/** The search key of each account (by the token's digest and the Base URL). */
const keys = new Map<string, Promise<string>>();

function keyId({ account }: CallScope): string {
	return `${account.key} ${account.baseUrl}`;
}

/** The kept key's promise itself (not a new one), so that a refused key can be told apart from a newer one. */
function searchKey(scope: CallScope, itemIndex: number): Promise<string> {
	const id = keyId(scope);
	let key = keys.get(id);
	if (!key) {
		if (keys.size >= MAX_KEPT_KEYS) keys.delete(keys.keys().next().value as string);
		key = request(scope, itemIndex, 'GET', '/search-key').then(({ key: given }) => {
			if (typeof given === 'string' && given.length > 0) return given;
			throw new NodeOperationError(
				scope.context.getNode(),
				"Boticord's answer to GET /search-key holds no search key",
				{
					itemIndex,
					description:
						"Boticord's API may have changed: try again later, and report it to this package's maintainers if it lasts.",
				},
			);
		});
		keys.set(id, key);
		// A failed fetch is not kept: the next search asks again.
		key.catch(() => keys.get(id) === key && keys.delete(id));
	}
	return key;
}

/** Forgets a key the search refused, unless another search has fetched a new one meanwhile. */
function forgetKey(scope: CallScope, refused: Promise<string>): void {
	if (keys.get(keyId(scope)) === refused) keys.delete(keyId(scope));
}

/** A search carries the search key as well as the account's token: both stay out of its errors. */
function searchRedaction({ account }: CallScope, key: string): Redaction {
	return redaction([...account.secrets, key]);
}

/** Meilisearch refuses a key with 401 (none) or 403 (invalid or expired). */
function refusesKey({ statusCode }: FullAnswer): boolean {
	return statusCode === 401 || statusCode === 403;
}

async function send(
	scope: CallScope,
	index: SearchIndex,
	parameters: SearchParameters,
	key: string,
	itemIndex: number,
): Promise<FullAnswer> {
	const url = `${scope.account.baseUrl}/search/indexes/${index}/search`;
	return exchangeWithinLimit(scope, itemIndex, async (signal) =>
		sentOrUnreachable(scope, url, itemIndex, signal, async () =>
			scope.context.helpers.httpRequest({
				method: 'POST',
				url,
				json: true,
				body: parameters as unknown as IDataObject,
				headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				abortSignal: signal,
			}),
		),
	);
}

/** A page of hits from what Meilisearch answered, or an error saying what was wrong with it. */
function pageOf(scope: CallScope, answer: FullAnswer, key: string, itemIndex: number): SearchPage {
	const { statusCode, body } = answer;
	if (statusCode < 200 || statusCode >= 300)
		throw apiError(scope.context, searchRedaction(scope, key), statusCode, body, itemIndex);
	if (!isJsonObject(body) || !Array.isArray(body.hits) || !body.hits.every(isJsonObject)) {
		throw new NodeApiError(
			scope.context.getNode(),
			{},
			{
				message:
					"Boticord's search answered with something that is not a search result (no list of hits)",
				description:
					"Boticord's search may be changing or failing: try again later. A proxy in between (the credential's Base URL) can also answer this way.",
				httpCode: String(statusCode),
				itemIndex,
			},
		);
	}
	return { hits: body.hits as JsonObject[] };
}

/**
 * One search request: the key kept for the token (fetched at the first
 * search), and, when the search refuses it, a new key once.
 */
async function searchPage(
	scope: CallScope,
	index: SearchIndex,
	parameters: SearchParameters,
	itemIndex: number,
): Promise<SearchPage> {
	for (let attempt = 0; ; attempt++) {
		const key = searchKey(scope, itemIndex);
		const given = await key;
		const answer = await send(scope, index, parameters, given, itemIndex);
		if (!refusesKey(answer)) return pageOf(scope, answer, given, itemIndex);
		forgetKey(scope, key);
		if (attempt >= 1) {
			const error = apiError(
				scope.context,
				searchRedaction(scope, given),
				answer.statusCode,
				answer.body,
				itemIndex,
			);
			error.description =
				"Boticord's search refused a search key just given for this API token. Check the token in the Boticord credential (its Base URL too); if it is right, Boticord's search is refusing keys: try again later.";
			throw error;
		}
	}
}

/**
 * Hits of a search, page by page through Meilisearch's offset, up to `max`
 * (at most MAX_SEARCH_HITS), or until `enough` says the hits so far suffice
 * (a page past a date, say).
 */
export async function searchHits(
	scope: CallScope,
	index: SearchIndex,
	parameters: Omit<SearchParameters, 'limit' | 'offset'>,
	max: number,
	itemIndex: number,
	enough: (hits: JsonObject[]) => boolean = () => false,
): Promise<JsonObject[]> {
	const wanted = Math.min(max, MAX_SEARCH_HITS);
	const hits: JsonObject[] = [];
	while (hits.length < wanted) {
		const limit = Math.min(SEARCH_PAGE_SIZE, wanted - hits.length);
		const page = await searchPage(
			scope,
			index,
			{ ...parameters, limit, offset: hits.length },
			itemIndex,
		);
		hits.push(...page.hits.slice(0, limit));
		if (page.hits.length < limit || enough(hits)) break;
	}
	return hits;
}

/** Meilisearch's filter for one bot's or server's reviews. */
export function resourceFilter(id: string): string {
	return `resource = "${id}"`;
}
