'use strict';

/**
 * A stand-in for n8n's Logger that records every call as [level, message,
 * ...metadata], so that tests can read what a node logged and prove that no
 * secret reached a log line.
 * @returns {{ logger: import('n8n-workflow').Logger, lines: unknown[][] }}
 */
function recordingLogger() {
	const lines = [];
	const record =
		(level) =>
		(...args) =>
			lines.push([level, ...args]);
	const logger = {
		error: record('error'),
		warn: record('warn'),
		info: record('info'),
		debug: record('debug'),
	};
	return { logger: /** @type {any} */ (logger), lines };
}

module.exports = { recordingLogger };
