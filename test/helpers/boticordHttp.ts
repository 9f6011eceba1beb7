import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

/** What n8n's request helpers answer with returnFullResponse. */
export type Answer = { statusCode: number; headers: IDataObject; body: unknown };

/** The request options every request of a test sent, in order (to check that no secret leaks). */
export type SentLog = IHttpRequestOptions[];

/**
 * n8n's two request helpers over real HTTP (fetch): httpRequestWithAuthentication
 * adds what the Boticord credential's `authenticate` says (the token in the
 * Authorization header), httpRequest sends the headers given. A failed
 * connection throws as n8n's helper does, with the request's options on the
 * error (as axios' errors carry their config), so that a test can check that
 * nothing of them reaches the user.
 */
export function boticordHelpers(token: string, sent: SentLog = []) {
	async function send(options: IHttpRequestOptions, headers: Record<string, string>) {
		sent.push(options);
		let response: Response;
		try {
			response = await fetch(options.url, {
				method: options.method,
				headers,
				body: options.body === undefined ? undefined : JSON.stringify(options.body),
				signal: options.abortSignal as AbortSignal | undefined,
			});
		} catch (error) {
			throw Object.assign(new Error(`request to ${options.url} failed`), {
				cause: error,
				code: (error as { cause?: { code?: string } }).cause?.code,
				config: options,
			});
		}
		const text = await response.text();
		let body: unknown = text;
		try {
			body = text ? JSON.parse(text) : undefined;
		} catch {
			// Not JSON: n8n gives the text.
		}
		return { statusCode: response.status, headers: Object.fromEntries(response.headers), body };
	}
	return {
		async httpRequestWithAuthentication(type: string, options: IHttpRequestOptions) {
			if (type !== 'boticordWebhookApi') throw new Error(`unexpected credential type ${type}`);
			return send(options, {
				...(options.headers as Record<string, string>),
				Authorization: token,
			});
		},
		async httpRequest(options: IHttpRequestOptions) {
			return send(options, { ...(options.headers as Record<string, string>) });
		},
	};
}
