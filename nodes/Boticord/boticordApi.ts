import {
	NodeApiError,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestMethods,
	type JsonObject,
} from 'n8n-workflow';

import { isJsonObject } from '../shared/jsonBody';
import { pause, windowLimiter } from '../shared/rateLimit';
import { BOTICORD_CREDENTIAL } from './boticordNodes';

/**
 * Boticord's API v3, as its documentation describes it: one base URL, the
 * token in the Authorization header (by the credential), answers in an
 * `{ ok, result, errors: [{ code, message }] }` envelope, and a global limit of
 * 25 requests in 10 seconds, answered 429 beyond it.
 */

export const BOTICORD_API_URL = 'https://api.boticord.top/v3';

export const RATE_LIMIT = { limit: 25, windowMs: 10_000 };

/** How often a request refused for the rate limit is sent again, waiting out the window each time. */
export const RATE_LIMIT_RETRIES = 3;

/** Every error code Boticord documents, with what it means for the user. */
export const boticordErrorCodes: Readonly<Record<number, string>> = {
	0: 'Internal server error at Boticord',
	1: 'Rate limited: Boticord takes 25 requests in 10 seconds',
	2: 'Not found',
	3: 'Forbidden',
	4: 'Unauthorized: the API token is missing or wrong',
	5: 'Bad request',
	6: 'RPC error at Boticord',
	7: 'WebSocket error at Boticord',
	8: 'Unknown error at Boticord',
	9: 'A service Boticord depends on failed',
	10: 'Unknown user',
	11: 'Short link already taken',
	12: 'Unknown short domain',
	13: 'Unknown library',
	14: 'Invalid API token',
	15: 'Unknown resource',
	16: 'Unknown tag',
	17: 'Permission denied',
	18: 'Unknown comment',
	19: 'Unknown bot',
	20: 'Unknown server',
	21: 'Unknown badge',
	22: 'The user already has this badge',
	23: 'Invalid invite code',
	24: 'The server already exists',
	25: 'The bot is not on the queue server',
	26: 'Unknown up',
	27: 'Too many ups',
	28: 'Invalid status',
	29: 'Unknown report',
	30: 'Unsupported media type',
	31: 'Unknown application',
	32: 'Automated requests are not allowed',
	33: 'Invalid rating',
	34: 'The bot already exists',
	35: "Boticord cannot detect the requester's IP address",
	36: 'Third-party monitoring is not available',
	37: 'Third-party monitoring has not approved the application',
	38: 'Captcha error',
	39: 'Service configured incorrectly: contact Boticord support',
	40: 'Unknown boost',
	41: 'Boost expired',
	42: 'A review cannot be posted twice',
	43: 'Rating conflict between servers',
	44: 'Too many consecutive messages',
	45: 'No service bot',
	46: 'Already reported',
	47: 'The owner cannot be removed from the developers',
	48: 'The bot is blocked: unblock it first',
	49: 'Unknown automation',
	50: 'Only the owner can add a server',
	51: 'The review has an unsolved report',
	52: 'Premium level too low',
	53: 'Captcha service unavailable',
	54: 'Invalid captcha answer',
	55: "The bot or server is not owned by the API token's account",
	56: 'Resource fetch rate limited',
	57: 'Cannot fetch the owner',
	58: 'Too many captcha attempts',
	59: 'A review cannot be empty',
};

/** What to do about the errors a user of this node can meet. */
const whatToDo: Readonly<Record<number, string>> = {
	1: 'The node waited and retried; lower how often the workflow runs, or turn on Retry On Fail in the node settings.',
	4: 'Check the API token in the Boticord credential.',
	14: 'Copy the API token again from your Boticord profile settings (API tab): it changes when regenerated.',
	19: 'Check the bot ID.',
	20: 'Check the server ID.',
	10: 'Check the user ID.',
	55: 'Use the API token of the Boticord account that owns this bot or server.',
};

/** Every request of this process counts against Boticord's global limit. */
const takeRequest = windowLimiter(RATE_LIMIT);

interface BoticordError {
	code: number;
	message?: string;
}

function errorsOf(body: unknown): BoticordError[] {
	if (!isJsonObject(body) || !Array.isArray(body.errors)) return [];
	return body.errors.filter(
		(error): error is IDataObject & BoticordError =>
			isJsonObject(error) && typeof error.code === 'number',
	);
}

/** Boticord's answer as an error n8n shows: what happened, Boticord's own words, and what to do. */
function apiError(
	context: IExecuteFunctions,
	statusCode: number,
	body: unknown,
	itemIndex: number,
): NodeApiError {
	const [first] = errorsOf(body);
	const meaning = first
		? (boticordErrorCodes[first.code] ?? `Boticord error ${first.code}`)
		: `Boticord answered HTTP ${statusCode}`;
	const detail = first?.message ? ` (${first.message}, code ${first.code})` : '';
	return new NodeApiError(context.getNode(), (isJsonObject(body) ? body : {}) as JsonObject, {
		message: `${meaning}${detail}`,
		description: first ? whatToDo[first.code] : undefined,
		httpCode: String(statusCode),
		itemIndex,
	});
}

export type BoticordRequest = (
	itemIndex: number,
	method: IHttpRequestMethods,
	path: string,
	body?: IDataObject,
) => Promise<IDataObject>;

/**
 * Requests to Boticord's API with the node's credential, whose base URL is
 * read at the first request of an execution (so that a credential error is
 * the item's, as Continue On Fail expects) and kept for the others. Each
 * request keeps within the global rate limit, is sent again after a 429
 * (waiting out the window, or as long as Retry-After says), and is unwrapped
 * from the envelope; anything else than `ok` becomes a NodeApiError naming
 * the error code's meaning.
 */
export function boticordApi(context: IExecuteFunctions): BoticordRequest {
	let baseUrl: Promise<string> | undefined;
	return async (itemIndex, method, path, body) => {
		baseUrl ??= apiBaseUrl(context);
		return request(context, await baseUrl, itemIndex, method, path, body);
	};
}

async function apiBaseUrl(context: IExecuteFunctions): Promise<string> {
	const credentials = await context.getCredentials(BOTICORD_CREDENTIAL.type);
	return typeof credentials.baseUrl === 'string' && credentials.baseUrl.trim() !== ''
		? credentials.baseUrl.trim().replace(/\/+$/, '')
		: BOTICORD_API_URL;
}

async function request(
	context: IExecuteFunctions,
	baseUrl: string,
	itemIndex: number,
	method: IHttpRequestMethods,
	path: string,
	body?: IDataObject,
): Promise<IDataObject> {
	for (let attempt = 0; ; attempt++) {
		await takeRequest();
		const response = (await context.helpers.httpRequestWithAuthentication.call(
			context,
			BOTICORD_CREDENTIAL.type,
			{
				method,
				url: `${baseUrl}${path}`,
				json: true,
				...(body ? { body, headers: { 'Content-Type': 'application/json' } } : {}),
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
			},
		)) as { statusCode: number; headers: IDataObject; body: unknown };
		const { statusCode, headers } = response;
		const answer = response.body;
		const rateLimited = statusCode === 429 || errorsOf(answer).some((error) => error.code === 1);
		if (rateLimited && attempt < RATE_LIMIT_RETRIES) {
			const retryAfter = Number(headers['retry-after']);
			await pause(
				Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : RATE_LIMIT.windowMs,
			);
			continue;
		}
		if (statusCode >= 200 && statusCode < 300 && isJsonObject(answer) && answer.ok === true) {
			return isJsonObject(answer.result) ? answer.result : { result: answer.result ?? null };
		}
		throw apiError(context, statusCode, answer, itemIndex);
	}
}
