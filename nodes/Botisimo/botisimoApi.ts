import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestMethods,
	type ILoadOptionsFunctions,
	type JsonObject,
} from 'n8n-workflow';
import { z } from 'zod';

import { cancelSignal, credentialBaseUrl } from '../shared/actionNode';
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

/** Whether a request with transport code `code` ended because it took too long. */
function timedOut(code: string, error: unknown): boolean {
	return (
		code === 'ECONNABORTED' ||
		code === 'ETIMEDOUT' ||
		(isObject(error) && /timeout/i.test(String(error.message)))
	);
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
	const late = timedOut(code, error);
	const unsure =
		attempt.method === 'GET'
			? ''
			: ' Botisimo may have done it anyway: look before running it again, or use a De-Duplication Key for points.';
	// The code stays out of the error's response: n8n would put its own words in place of the message.
	return redactedApiError(context.getNode(), redact, {
		message: late
			? `Botisimo did not answer within ${REQUEST_TIMEOUT_MS / 1000} seconds`
			: `Botisimo could not be reached at ${baseUrl}`,
		description: `${late ? TRY_AGAIN : `The connection failed (${code}). ${CHECK_BASE_URL}`}${unsure}`,
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

/**
 * Botisimo's public team page, `GET <loyalty API>/:team`: the team's name,
 * points currency, memberships, tiers and tags, for anyone who asks. It is
 * read without the credential's authentication, so that the Client ID goes
 * only where it is needed. The page sits beside the admin API: the Base
 * URL's last segment (`admin`) becomes the team's name.
 */

/** The Botisimo API credential's field that names the team. */
export const BOTISIMO_TEAM_FIELD = 'team';

const teamAnswer = z.object({
	team: z
		.object({
			tags: z.array(z.object({ id: z.number().int(), name: z.string() }).passthrough()).optional(),
		})
		.passthrough(),
});

/** An item of Team → Get: the team as Botisimo sent it. */
export type BotisimoTeam = z.infer<typeof teamAnswer>['team'] & IDataObject;

/** What reads the team: a running node, or the editor loading a list of options. */
type TeamReader = IExecuteFunctions | ILoadOptionsFunctions;

/** Where Botisimo's loyalty API has a team's page, as its documentation writes it. */
const TEAM_PAGE = BOTISIMO_ADMIN_URL.replace(/admin$/, '<team>');
const TEAM_IS = `your team's name in your Botisimo account, as it stands in ${TEAM_PAGE}`;
const FILL_IN_TEAM = `Fill in Team in the Botisimo API credential: ${TEAM_IS}.`;
const CHECK_TEAM = `Check Team in the Botisimo API credential: ${TEAM_IS}.`;
const TRY_TEAM_LATER = 'Try again in a moment.';

/** The address of the team's page, beside the admin API at `baseUrl`. */
export function teamUrl(baseUrl: string, team: string): string {
	return new URL(encodeURIComponent(team), baseUrl).href;
}

function teamError(
	context: TeamReader,
	itemIndex: number | undefined,
	message: string,
	description: string,
	httpCode?: number,
): NodeApiError {
	return new NodeApiError(context.getNode(), {} as JsonObject, {
		message,
		description,
		...(httpCode === undefined ? {} : { httpCode: String(httpCode) }),
		...(itemIndex === undefined ? {} : { itemIndex }),
	});
}

/**
 * Botisimo's refusal to show the team, as an error that says what to do.
 * Botisimo documents no statuses: they are read by what HTTP's mean, and a
 * message about the enterprise plan as a team without the loyalty program.
 */
function teamAnswerError(
	context: TeamReader,
	itemIndex: number | undefined,
	team: string,
	statusCode: number,
	body: unknown,
	adminUrl: string,
): NodeApiError {
	// The page is public, so no secret went out; what Botisimo says is still bounded.
	const said = messageOf(redaction([]), body);
	const quoted = `(HTTP ${statusCode})${said === undefined ? '' : `: ${said}`}`;
	const orBaseUrl =
		adminUrl === BOTISIMO_ADMIN_URL
			? ''
			: ` If it is right, check the Base URL in the Botisimo API credential (Botisimo's is ${BOTISIMO_ADMIN_URL}).`;
	const error = (message: string, description: string) =>
		teamError(context, itemIndex, `${message} ${quoted}`, description, statusCode);
	if (statusCode === 403 || (said !== undefined && /enterprise/i.test(said))) {
		return error(
			`Botisimo has no loyalty program for the team "${team}"`,
			`${CHECK_PLAN} ${CHECK_TEAM}`,
		);
	}
	if (statusCode === 404) {
		return error(
			`Botisimo has no loyalty team named "${team}"`,
			`${CHECK_TEAM} ${CHECK_PLAN}${orBaseUrl}`,
		);
	}
	if (statusCode === 429 || statusCode >= 500) {
		return error(`Botisimo failed to answer about the team "${team}"`, TRY_TEAM_LATER);
	}
	return error(`Botisimo refused to show the team "${team}"`, `${CHECK_TEAM}${orBaseUrl}`);
}

/**
 * A request for the team that got no answer, as an error that says what to
 * do; anything else (a stopped execution) is n8n's, and left as it is.
 */
function teamUnanswered(
	context: TeamReader,
	itemIndex: number | undefined,
	team: string,
	url: string,
	error: unknown,
): unknown {
	const code = transportCode(error);
	if (code === undefined || code === 'ERR_CANCELED') return error;
	return timedOut(code, error)
		? teamError(
				context,
				itemIndex,
				`Botisimo did not answer about the team "${team}" within ${REQUEST_TIMEOUT_MS / 1000} seconds`,
				TRY_TEAM_LATER,
			)
		: teamError(
				context,
				itemIndex,
				`Botisimo could not be reached at ${url}`,
				`The connection failed (${code}). ${CHECK_BASE_URL}`,
			);
}

/**
 * The team named in the node's Botisimo API credential, read within
 * REQUEST_TIMEOUT_MS; in a running node, ended at once when the execution
 * is stopped. `itemIndex` is the item whose error a failure is, if any.
 */
export async function readTeam(context: TeamReader, itemIndex?: number): Promise<BotisimoTeam> {
	const credentials = await context.getCredentials(BOTISIMO_API_CREDENTIAL.type);
	const raw = credentials[BOTISIMO_TEAM_FIELD];
	const team = typeof raw === 'string' ? raw.trim() : '';
	if (team === '') {
		throw new NodeOperationError(context.getNode(), 'The Botisimo API credential names no team', {
			description: FILL_IN_TEAM,
			...(itemIndex === undefined ? {} : { itemIndex }),
		});
	}
	const adminUrl = credentialBaseUrl(credentials, BOTISIMO_ADMIN_URL);
	const url = teamUrl(adminUrl, team);
	// Only a running node has an execution to stop; the editor's lists end with their timeout.
	const signal = 'getExecutionCancelSignal' in context ? cancelSignal(context) : undefined;
	let response: { statusCode: number; body: unknown };
	try {
		// No authentication: the page is public, and the Client ID stays with the admin API.
		response = (await context.helpers.httpRequest({
			method: 'GET',
			url,
			json: true,
			timeout: REQUEST_TIMEOUT_MS,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			...(signal ? { abortSignal: signal } : {}),
		})) as { statusCode: number; body: unknown };
	} catch (error) {
		throw teamUnanswered(context, itemIndex, team, url, error);
	}
	const { statusCode, body } = response;
	if (statusCode < 200 || statusCode >= 300) {
		throw teamAnswerError(context, itemIndex, team, statusCode, body, adminUrl);
	}
	if (!teamAnswer.safeParse(body).success) {
		throw teamError(
			context,
			itemIndex,
			`Botisimo answered without the team "${team}"`,
			CHECK_BASE_URL,
			statusCode,
		);
	}
	// As Botisimo sent it: the schema only checked it.
	return (body as { team: BotisimoTeam }).team;
}
