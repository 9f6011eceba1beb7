import {
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestMethods,
	type NodeApiError,
} from 'n8n-workflow';
import { z } from 'zod';

import { credentialBaseUrl } from '../shared/actionNode';
import { isJsonObject } from '../shared/jsonBody';
import { redactedApiError, redactedCopy, redaction, type Redaction } from '../shared/redaction';

/**
 * Botisimo's Loyalty Admin API, as its documentation describes it: one
 * endpoint, for teams on Botisimo's enterprise plan; the Client ID of the
 * team's account in a `client-id` header (by the credential); users got or
 * created by your own SSO id and/or email, points added with an optional
 * de-duplication key, users deleted; errors as `{ message }` with a non-2xx
 * status, which the documentation does not list, so they are read by what
 * HTTP statuses mean.
 */

export const BOTISIMO_ADMIN_URL = 'https://botisimo.com/api/v1/loyalty/admin';

export const BOTISIMO_API_CREDENTIAL = { type: 'botisimoApi', field: 'clientId' } as const;

/**
 * How long one request may take. Nothing is sent again after a timeout:
 * points without a key could be given twice.
 */
export const REQUEST_TIMEOUT_MS = 30_000;

/** How much of Botisimo's message an error quotes: its short messages whole, anything longer cut. */
const MAX_QUOTED_MESSAGE = 300;

/** Botisimo's user, as GET /user answers it; only the id, which Add Points and Delete take, is relied on. */
const userAnswer = z.object({ user: z.object({ id: z.number().int() }).passthrough() });

/** An item of Get or Create: the user as Botisimo sent it, which holds at least its `id`. */
export type BotisimoUser = z.infer<typeof userAnswer>['user'] & IDataObject;

export interface GetOrCreateInput {
	ssoId?: string;
	email?: string;
	tagIds?: number[];
}

export interface PointsInput {
	points: number;
	message: string;
	key?: string;
}

/** A request, with what an error needs to know of it to say what to do. */
interface Attempt {
	method: IHttpRequestMethods;
	path: string;
	qs?: IDataObject;
	body?: IDataObject;
	/** The Botisimo user the request is about, if any. */
	userId?: number;
	/** The de-duplication key sent with points, if any. */
	key?: string;
}

const CHECK_PLAN =
	"Botisimo's Loyalty Admin API is for teams on its enterprise plan: check that your team has it.";
const CHECK_CLIENT_ID =
	'Copy the Client ID again from your Botisimo account profile (botisimo.com/account/profile) into the Botisimo API credential.';
const CHECK_BASE_URL = `If every request fails like this, check the Base URL in the Botisimo API credential (Botisimo's is ${BOTISIMO_ADMIN_URL}).`;
const TRY_AGAIN =
	'Try again later, or turn on Retry On Fail in the node settings; with a De-Duplication Key, a retried Add Points gives the points once.';

/** What an HTTP status from Botisimo means for the user, and what to do about it. */
function meaningOf(statusCode: number, said: string | undefined, attempt: Attempt) {
	if (said && /enterprise/i.test(said)) {
		return { meaning: 'Botisimo refused the request for your plan', whatToDo: CHECK_PLAN };
	}
	if (statusCode === 401) {
		return {
			meaning: 'Botisimo refused the Client ID',
			whatToDo: `${CHECK_CLIENT_ID} ${CHECK_PLAN}`,
		};
	}
	if (statusCode === 403) {
		return {
			meaning: "Botisimo refused access to the team's Loyalty Admin API",
			whatToDo: `${CHECK_PLAN} ${CHECK_CLIENT_ID}`,
		};
	}
	if (statusCode === 404) {
		return attempt.userId === undefined
			? { meaning: 'Botisimo has no such endpoint', whatToDo: CHECK_BASE_URL }
			: {
					meaning: `Botisimo has no user with ID ${attempt.userId}`,
					whatToDo: `Use the id that Get or Create returns for the user (not the SSO ID). ${CHECK_BASE_URL}`,
				};
	}
	if (statusCode === 429) {
		return { meaning: 'Botisimo is limiting how often it is called', whatToDo: TRY_AGAIN };
	}
	if (statusCode >= 500) return { meaning: 'Botisimo failed to answer', whatToDo: TRY_AGAIN };
	if (statusCode >= 400) {
		return {
			meaning: 'Botisimo refused the request',
			whatToDo:
				attempt.key === undefined
					? "Check the node's fields against what Botisimo says."
					: "Check the node's fields against what Botisimo says. If this De-Duplication Key was used for this user before, Botisimo gave the points then.",
		};
	}
	return { meaning: 'Botisimo answered in a way it does not document', whatToDo: CHECK_BASE_URL };
}

function messageOf(redact: Redaction, body: unknown): string | undefined {
	// Botisimo's errors are JSON; a text body is a proxy's page, not worth quoting.
	const said = isJsonObject(body) ? body.message : undefined;
	if (typeof said !== 'string' || said.trim() === '') return undefined;
	return redact.text(said.trim(), MAX_QUOTED_MESSAGE);
}

/**
 * What is kept of Botisimo's answer with an error: its message, or, for an
 * answer that is not `{ message }` (a proxy's page), the start of it;
 * redaction blanks the Client ID out and bounds it.
 */
function keptOf(body: unknown, said: string | undefined): IDataObject {
	if (said !== undefined) return { message: said };
	if (body === undefined || body === null || body === '') return {};
	return { answer: typeof body === 'string' ? body : (body as IDataObject) };
}

/** Botisimo's answer as an error n8n shows: what happened, Botisimo's own words, and what to do. */
function apiError(
	context: IExecuteFunctions,
	redact: Redaction,
	itemIndex: number,
	statusCode: number,
	body: unknown,
	attempt: Attempt,
): NodeApiError {
	const said = messageOf(redact, body);
	const { meaning, whatToDo } = meaningOf(statusCode, said, attempt);
	return redactedApiError(context.getNode(), redact, {
		message: `${meaning} (HTTP ${statusCode})${said === undefined ? '' : `: ${said}`}`,
		description: whatToDo,
		httpCode: String(statusCode),
		itemIndex,
		kept: keptOf(body, said),
	});
}

/**
 * The transport's error code (ECONNREFUSED, ECONNABORTED…), wherever n8n's
 * wrapping put it: n8n 2.x keeps the transport's error as the cause, 1.x
 * drops it and keeps its code as the error's httpCode.
 */
function transportCode(error: unknown): string | undefined {
	for (let cause = error, depth = 0; isObject(cause) && depth < 5; cause = cause.cause, depth++) {
		for (const code of [cause.code, cause.httpCode]) {
			if (typeof code === 'string' && /^E[A-Z0-9_]+$/.test(code)) return code;
		}
	}
	return undefined;
}

function isObject(
	value: unknown,
): value is { code?: unknown; httpCode?: unknown; cause?: unknown; message?: unknown } {
	return typeof value === 'object' && value !== null;
}

/**
 * A request that got no answer, as an error of the node's own: n8n's error
 * would carry the request, and with it the client-id header, into the
 * execution's data. Anything else (a cancelled execution, a credential n8n
 * cannot read) keeps n8n's words, redacted, without its cause.
 */
function unanswered(
	context: IExecuteFunctions,
	{ baseUrl, redact }: Account,
	itemIndex: number,
	error: unknown,
	attempt: Attempt,
): unknown {
	const code = transportCode(error);
	if (code === undefined || code === 'ERR_CANCELED') {
		return redactedCopy(context.getNode(), redact, error, itemIndex);
	}
	const timedOut =
		code === 'ECONNABORTED' ||
		code === 'ETIMEDOUT' ||
		(isObject(error) && /timeout/i.test(String(error.message)));
	const unsure =
		attempt.method === 'GET'
			? ''
			: ' Botisimo may have done it anyway: look before running it again, or use a De-Duplication Key for points.';
	// The code stays out of the error's response: n8n would put its own words in place of the message.
	return redactedApiError(context.getNode(), redact, {
		message: timedOut
			? `Botisimo did not answer within ${REQUEST_TIMEOUT_MS / 1000} seconds`
			: `Botisimo could not be reached at ${baseUrl}`,
		description: `${timedOut ? TRY_AGAIN : `The connection failed (${code}). ${CHECK_BASE_URL}`}${unsure}`,
		itemIndex,
	});
}

export interface BotisimoAdmin {
	/** Botisimo's user with this SSO id and/or email, created if there is none. */
	getOrCreateUser(itemIndex: number, input: GetOrCreateInput): Promise<BotisimoUser>;
	addPoints(itemIndex: number, userId: number, input: PointsInput): Promise<IDataObject>;
	deleteUser(itemIndex: number, userId: number): Promise<IDataObject>;
}

/**
 * The Loyalty Admin API with the node's credential, whose base URL is read at
 * the first request of an execution (so that a credential error is the item's,
 * as Continue On Fail expects) and kept for the others.
 */
export function botisimoAdmin(context: IExecuteFunctions): BotisimoAdmin {
	let account: Promise<Account> | undefined;
	const accountFor = () => (account ??= accountOf(context));
	const send = async (itemIndex: number, attempt: Attempt) =>
		request(context, itemIndex, await accountFor(), attempt);
	return {
		async getOrCreateUser(itemIndex, { ssoId, email, tagIds }) {
			const qs: IDataObject = {};
			if (ssoId !== undefined) qs.id = ssoId;
			if (email !== undefined) qs.email = email;
			if (tagIds !== undefined && tagIds.length > 0) qs.tags = tagIds.join(',');
			const answer = await send(itemIndex, { method: 'GET', path: '/user', qs });
			if (!userAnswer.safeParse(answer).success) {
				throw redactedApiError(context.getNode(), (await accountFor()).redact, {
					message: 'Botisimo answered without a user',
					description: CHECK_BASE_URL,
					itemIndex,
				});
			}
			// As Botisimo sent it: the schema only checked it.
			return (answer as { user: BotisimoUser }).user;
		},
		async addPoints(itemIndex, userId, { points, message, key }) {
			const body: IDataObject = { points, message };
			if (key !== undefined) body.key = key;
			await send(itemIndex, { method: 'POST', path: `/user/${userId}/points`, body, userId, key });
			return { success: true, userId, points, key: key ?? null };
		},
		async deleteUser(itemIndex, userId) {
			await send(itemIndex, { method: 'DELETE', path: `/user/${userId}`, userId });
			return { success: true, userId, deleted: true };
		},
	};
}

/** Where requests go, and what keeps the Client ID out of their errors. */
interface Account {
	baseUrl: string;
	redact: Redaction;
}

async function accountOf(context: IExecuteFunctions): Promise<Account> {
	const credentials = await context.getCredentials(BOTISIMO_API_CREDENTIAL.type);
	return {
		baseUrl: credentialBaseUrl(credentials, BOTISIMO_ADMIN_URL),
		redact: redaction([credentials[BOTISIMO_API_CREDENTIAL.field]]),
	};
}

/**
 * One request, within REQUEST_TIMEOUT_MS; n8n's helper ends it when the
 * execution is cancelled (it passes the execution's cancel signal itself).
 * A 2xx answer's body is returned; anything else becomes a NodeApiError.
 */
async function request(
	context: IExecuteFunctions,
	itemIndex: number,
	account: Account,
	attempt: Attempt,
): Promise<unknown> {
	const { baseUrl, redact } = account;
	const { method, path, qs, body } = attempt;
	let response: { statusCode: number; body: unknown };
	try {
		response = (await context.helpers.httpRequestWithAuthentication.call(
			context,
			BOTISIMO_API_CREDENTIAL.type,
			{
				method,
				url: `${baseUrl}${path}`,
				...(qs ? { qs } : {}),
				...(body ? { body, headers: { 'Content-Type': 'application/json' } } : {}),
				json: true,
				timeout: REQUEST_TIMEOUT_MS,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
			},
		)) as { statusCode: number; body: unknown };
	} catch (error) {
		throw unanswered(context, account, itemIndex, error, attempt);
	}
	const { statusCode } = response;
	if (statusCode >= 200 && statusCode < 300) return response.body;
	throw apiError(context, redact, itemIndex, statusCode, response.body, attempt);
}
