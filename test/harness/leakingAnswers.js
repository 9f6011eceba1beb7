'use strict';
// Answers that repeat the secret a request carried, as the stand-in APIs give
// them on demand: a provider quoting the token in its error, a proxy's or a
// debugging gateway's page echoing the request's headers, a misconfigured
// Base URL answering with a page megabytes long. Each holds a control value
// beside the secret, so that a test finds what was kept and can tell it read
// the right places.

/** The request's secret-carrying headers, in the forms an echo may show them. */
function echoedForms(req) {
	const forms = [];
	for (const name of ['authorization', 'client-id']) {
		const value = req.headers[name];
		if (typeof value !== 'string') continue;
		forms.push(
			`${name} (URL-encoded): ${encodeURIComponent(`${value}`)}`,
			`${name} (Basic): ${Buffer.from(`n8n:${value}`).toString('base64')}`,
			`${name} (base64): ${Buffer.from(value).toString('base64')}`,
		);
	}
	return forms;
}

const escapeHtml = (text) =>
	String(text).replace(
		/[&<>"]/g,
		(c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c],
	);

/** The request as a debugging page shows it: its line, then every header, as text. */
function requestLines(req) {
	return [
		`${req.method} ${req.url}`,
		...Object.entries(req.headers).map(([name, value]) => `${name}: ${value}`),
		...echoedForms(req),
	];
}

/**
 * @param {import('node:http').IncomingMessage} req
 * @param {{ as: 'quote' | 'json' | 'html' | 'huge', control: string, size?: number,
 *   retryAfter?: string, envelope?: object }} how `envelope` is the provider's own error
 *   answer, for 'quote'
 * @returns {{ headers: Record<string, string>, body: string }}
 */
function leakingAnswer(req, { as, control, size = 3 * 1024 * 1024, retryAfter, envelope }) {
	const headers = retryAfter === undefined ? {} : { 'retry-after': retryAfter };
	if (as === 'quote') {
		return {
			headers: { ...headers, 'content-type': 'application/json' },
			body: JSON.stringify(envelope),
		};
	}
	if (as === 'json') {
		const body = {
			control,
			error: 'upstream rejected the request',
			request: { method: req.method, url: req.url, headers: req.headers },
			echoed: echoedForms(req),
		};
		return {
			headers: { ...headers, 'content-type': 'application/json' },
			body: JSON.stringify(body),
		};
	}
	const echo = `<pre>${requestLines(req).map(escapeHtml).join('\n')}</pre>`;
	const top = `<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1><p>Trace ${control}</p>${echo}`;
	if (as === 'html') {
		return { headers: { ...headers, 'content-type': 'text/html' }, body: `${top}</body></html>` };
	}
	// 'huge': the headers again on every side of the 2 KB that is kept, and all through the page.
	const filler = '<p>padding padding padding padding padding padding padding</p>\n';
	const parts = [top];
	let length = top.length;
	while (length < size) {
		const part =
			length > 1500 && length < 2600 ? echo : `${filler}${length % 50_000 < 70 ? echo : ''}`;
		parts.push(part);
		length += part.length;
	}
	parts.push(echo, '</body></html>');
	return { headers: { ...headers, 'content-type': 'text/html' }, body: parts.join('') };
}

module.exports = { leakingAnswer };
