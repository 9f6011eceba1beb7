import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type ICredentialDataDecryptedObject,
	type IExecuteFunctions,
	type IHttpRequestMethods,
	type ITriggerFunctions,
} from 'n8n-workflow';

import { cancelSignal, credentialBaseUrl, executionCancelled } from '../shared/actionNode';
import { isJsonObject } from '../shared/jsonBody';
import { keyedWindowLimiter, pause, retryAfterMs, takeWithin } from '../shared/rateLimit';
import { redactedApiError, redactedCopy, redaction, type Redaction } from '../shared/redaction';
import { keyDigest } from '../shared/webhookKey';
import { boticordErrorCodes } from './boticordErrors';
import { SYSTEM_ERRORS } from './boticordGateway';
import { BOTICORD_CREDENTIAL } from './boticordNodes';

/**
 * Boticord's API v3, as its documentation describes it: one base URL, the
 * token in the Authorization header (by the credential), answers in an
 * `{ ok, result, errors: [{ code, message }] }` envelope, and a limit of
 * 25 requests in 10 seconds per account, answered 429 beyond it.
 */

export const BOTICORD_API_URL = 'https://api.boticord.top/v3';

export const RATE_LIMIT = { limit: 25, windowMs: 10_000 };

/** How often a request refused for the rate limit is sent again. */
export const RATE_LIMIT_RETRIES = 3;

/**
 * The longest single wait (for a turn within the rate limit, or as long as
 * a Retry-After asks), and the longest a request waits in all: Boticord may
 * ask for hours, and an execution parked that long helps no one. A request
 * that would have to wait longer fails at once, saying how long Boticord asks.
 */
export const MAX_WAIT_MS = 60_000;
export const MAX_REQUEST_WAIT_MS = 120_000;

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

/**
 * Boticord counts requests per account, that is per API token: one limiter
 * per token in this process, known by the token's digest (the token itself
 * is kept nowhere), so that accounts do not slow each other and two
 * credentials holding one token share its limit.
 */
const turns = keyedWindowLimiter(RATE_LIMIT);

/** The nodes that call Boticord: action nodes, and the gateway trigger (for its recovery). */
export type BoticordContext = IExecuteFunctions | ITriggerFunctions;

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

/** How much of Boticord's message an error quotes: its short messages whole, anything longer cut. */
const MAX_QUOTED_MESSAGE = 300;

const CHECK_BASE_URL = `If every request fails like this, check the Base URL in the Boticord credential (Boticord's is ${BOTICORD_API_URL}).`;

/**
 * What is kept of Boticord's answer with an error: its first error's code and
 * message, or, for an answer that is not its envelope (a proxy's page), the
 * start of it; redaction blanks the token out and bounds it.
 */
function keptOf(body: unknown, first: BoticordError | undefined): IDataObject {
	if (first) return { code: first.code, message: first.message ?? null };
	if (body === undefined || body === null || body === '') return {};
	return { answer: typeof body === 'string' ? body : (body as IDataObject) };
}

/** Boticord's answer as an error n8n shows: what happened, Boticord's own words, and what to do. */
export function apiError(
	context: BoticordContext,
	redact: Redaction,
	statusCode: number,
	body: unknown,
	itemIndex: number,
): NodeApiError {
	const [first] = errorsOf(body);
	const meaning = first
		? (boticordErrorCodes[first.code] ?? `Boticord error ${first.code}`)
		: `Boticord answered HTTP ${statusCode}`;
	const said = first ? redact.text(first.message, MAX_QUOTED_MESSAGE) : '';
	const detail = first && said ? ` (${said}, code ${first.code})` : '';
	return redactedApiError(context.getNode(), redact, {
		message: `${meaning}${detail}`,
		description: first
			? (whatToDo[first.code] ?? `Boticord answered HTTP ${statusCode}.`)
			: `The answer is not Boticord's API's. ${CHECK_BASE_URL}`,
		httpCode: String(statusCode),
		itemIndex,
		kept: keptOf(body, first),
	});
}

/** A wait as a message says it: seconds, or a larger unit with the seconds beside it. */
function duration(ms: number): string {
	const seconds = Math.ceil(ms / 1000);
	if (seconds < 120) return `${seconds} s`;
	const minutes = seconds / 60;
	const larger =
		minutes < 120
			? `${Math.round(minutes)} min`
			: minutes < 48 * 60
				? `${Math.round(minutes / 60)} h`
				: `${Math.round(minutes / 60 / 24)} days`;
	return `${larger} (${seconds} s)`;
}

const LIMITS_SAID = `The node waits at most ${duration(MAX_WAIT_MS)} at a time and ${duration(MAX_REQUEST_WAIT_MS)} per request`;

/** Boticord asks this account to wait longer than a request may. */
function rateLimitedError(
	context: BoticordContext,
	redact: Redaction,
	waitMs: number,
	body: unknown,
	itemIndex: number,
): NodeApiError {
	return redactedApiError(context.getNode(), redact, {
		message: `Boticord is rate limiting this account: it asks to wait ${duration(waitMs)} before the next request`,
		description: `${LIMITS_SAID}, so it stopped instead. Run the workflow less often (a slower schedule) or later; for a short limit, turn on Retry On Fail in the node's settings.`,
		httpCode: '429',
		itemIndex,
		kept: keptOf(body, errorsOf(body)[0]),
	});
}

/** More requests of this account at once than the rate limit lets through in time. */
function noTurnError(context: BoticordContext, waitedMs: number, itemIndex: number) {
	return new NodeOperationError(
		context.getNode(),
		`Too many Boticord requests for this account at once: this one waited ${duration(waitedMs)} for a turn within Boticord's 25 requests in 10 seconds`,
		{
			itemIndex,
			description: `${LIMITS_SAID}. Run fewer executions with this credential at once, or spread them out (a slower schedule), or turn on Retry On Fail in the node's settings.`,
		},
	);
}

export type BoticordRequest = (
	itemIndex: number,
	method: IHttpRequestMethods,
	path: string,
	body?: IDataObject,
) => Promise<IDataObject>;

/** Where requests go, and whose limit they count against. */
export interface Account {
	baseUrl: string;
	/** The digest of the API token, in hex. */
	key: string;
	/** The secrets a request of this account carries (the token). */
	secrets: readonly string[];
	/** Keeps the secrets out of every error. */
	redact: Redaction;
}

/**
 * What a call runs under: the node's context (for its errors and n8n's
 * request helpers), the account, the signal that ends its waits, and what
 * is thrown once that signal has aborted.
 */
export interface CallScope {
	context: BoticordContext;
	account: Account;
	signal?: AbortSignal;
	cancelled(): Error;
	/**
	 * The API token, for a trigger: n8n 2.x evaluates the credential's
	 * Authorization expression in an isolate that is held only while the
	 * workflow activates, so the trigger's later requests send the token
	 * themselves. Action nodes leave it out and authenticate through n8n.
	 */
	token?: string;
}

/** An HTTP answer as n8n's helpers give it with returnFullResponse. */
export interface FullAnswer {
	statusCode: number;
	headers: IDataObject;
	body: unknown;
}

/**
 * Requests to Boticord's API with the node's credential, which is read at the
 * first request of an execution (so that a credential error is the item's,
 * as Continue On Fail expects) and kept for the others. Each request keeps
 * within its account's rate limit, is sent again after a 429 (waiting as long
 * as Retry-After says, or out the window), within MAX_WAIT_MS and
 * MAX_REQUEST_WAIT_MS, and is unwrapped from the envelope; anything else than
 * `ok` becomes a NodeApiError naming the error code's meaning. Every wait
 * ends at once when the execution is stopped, with n8n's cancellation.
 */
export function boticordApi(context: IExecuteFunctions): BoticordCalls {
	let scope: Promise<CallScope> | undefined;
	const scopeOf = async () => (scope ??= executionScope(context));
	return {
		request: async (itemIndex, method, path, body) =>
			request(await scopeOf(), itemIndex, method, path, body),
		scope: scopeOf,
	};
}

/**
 * An execution's calls to Boticord: its API's requests, and the scope they
 * run under (for the search), with the credential read once for both.
 */
export interface BoticordCalls {
	request: BoticordRequest;
	scope(): Promise<CallScope>;
}

/** An action node's scope: its credential's account, and its execution's cancellation. */
async function executionScope(context: IExecuteFunctions): Promise<CallScope> {
	return {
		context,
		account: await accountOf(context),
		signal: cancelSignal(context),
		cancelled: () => executionCancelled(context),
	};
}

async function accountOf(context: BoticordContext): Promise<Account> {
	return accountFrom(await context.getCredentials(BOTICORD_CREDENTIAL.type));
}

/** The account of a Boticord credential's values, for a node that has read them already. */
export function accountFrom(credentials: ICredentialDataDecryptedObject): Account {
	const token = credentials[BOTICORD_CREDENTIAL.field];
	const secrets = typeof token === 'string' && token !== '' ? [token] : [];
	return {
		baseUrl: credentialBaseUrl(credentials, BOTICORD_API_URL),
		key: keyDigest(typeof token === 'string' ? token : '').toString('hex'),
		secrets,
		redact: redaction(secrets),
	};
}

/** A request to Boticord's API, unwrapped from its envelope (see boticordApi). */
export async function request(
	scope: CallScope,
	itemIndex: number,
	method: IHttpRequestMethods,
	path: string,
	body?: IDataObject,
): Promise<IDataObject> {
	const { context, account, token } = scope;
	const url = `${account.baseUrl}${path}`;
	const answer = await exchangeWithinLimit(scope, itemIndex, async (signal) => {
		const options = {
			method,
			url,
			json: true,
			...(body ? { body, headers: { 'Content-Type': 'application/json' } } : {}),
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			abortSignal: signal,
		};
		// n8n ends the request itself when the execution is stopped (forEachItem says so).
		if (token === undefined) {
			try {
				return (await context.helpers.httpRequestWithAuthentication.call(
					context,
					BOTICORD_CREDENTIAL.type,
					options,
				)) as FullAnswer;
			} catch (error) {
				if (signal?.aborted) throw scope.cancelled();
				// n8n's error keeps the request, with the token, as its cause: only its words are kept.
				throw redactedCopy(context.getNode(), account.redact, error, itemIndex);
			}
		}
		return sentOrUnreachable(scope, url, itemIndex, signal, async () =>
			context.helpers.httpRequest({
				...options,
				headers: { ...options.headers, Authorization: token },
			}),
		);
	});
	const { statusCode } = answer;
	const result = answer.body;
	if (statusCode >= 200 && statusCode < 300 && isJsonObject(result) && result.ok === true) {
		return isJsonObject(result.result) ? result.result : { result: result.result ?? null };
	}
	throw apiError(context, account.redact, statusCode, result, itemIndex);
}

/**
 * A request this module sent with a secret in its headers (the token, a
 * search key): a failure to connect becomes an error that says where and
 * why in words, and carries nothing of the request. (n8n replaces a message
 * naming a system error code with a generic sentence of its own.)
 */
export async function sentOrUnreachable(
	scope: CallScope,
	url: string,
	itemIndex: number,
	signal: AbortSignal | undefined,
	send: () => Promise<unknown>,
): Promise<FullAnswer> {
	try {
		return (await send()) as FullAnswer;
	} catch (error) {
		if (signal?.aborted) throw scope.cancelled();
		const { code, cause } = (error ?? {}) as { code?: unknown; cause?: { code?: unknown } };
		const named = [code, cause?.code].find(
			(each): each is string => typeof each === 'string' && SYSTEM_ERRORS[each] !== undefined,
		);
		throw new NodeOperationError(
			scope.context.getNode(),
			`Could not reach Boticord at ${scope.account.redact.text(url)} (${named ? SYSTEM_ERRORS[named] : 'no answer'})`,
			{
				itemIndex,
				description:
					"Check that n8n can reach Boticord's API address (the credential's Base URL), then try again.",
			},
		);
	}
}

/**
 * Sends with `send` within the account's rate limit, again after a 429, and
 * returns the first answer that is not a 429 (see boticordApi for the waits).
 */
export async function exchangeWithinLimit(
	{ context, account: { key, redact }, signal, cancelled }: CallScope,
	itemIndex: number,
	send: (signal?: AbortSignal) => Promise<FullAnswer>,
): Promise<FullAnswer> {
	let waited = 0;
	for (let attempt = 0; ; attempt++) {
		const mayWait = Math.min(MAX_WAIT_MS, MAX_REQUEST_WAIT_MS - waited);
		// Boticord asked this account to wait (an earlier 429): fail now rather than in a minute.
		const held = turns.heldUntil(key) - Date.now();
		if (held > mayWait) throw rateLimitedError(context, redact, held, undefined, itemIndex);
		const asked = Date.now();
		const turn = await takeWithin((leave) => turns(key, leave), mayWait, signal);
		waited += Date.now() - asked;
		if (turn === 'cancelled') throw cancelled();
		if (turn === 'late') throw noTurnError(context, Date.now() - asked, itemIndex);

		const response = await send(signal);
		const { statusCode, headers } = response;
		const answer = response.body;
		const rateLimited = statusCode === 429 || errorsOf(answer).some((error) => error.code === 1);
		if (!rateLimited) return response;
		const waitMs = retryAfterMs(headers['retry-after']) ?? RATE_LIMIT.windowMs;
		// Boticord asked the account, not this request: its other requests wait too.
		turns.holdUntil(key, Date.now() + waitMs);
		if (attempt >= RATE_LIMIT_RETRIES)
			throw apiError(context, redact, statusCode, answer, itemIndex);
		if (waitMs > MAX_WAIT_MS || waited + waitMs > MAX_REQUEST_WAIT_MS) {
			throw rateLimitedError(context, redact, waitMs, answer, itemIndex);
		}
		await pause(waitMs, signal);
		if (signal?.aborted) throw cancelled();
		waited += waitMs;
	}
}
