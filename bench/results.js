'use strict';
const fs = require('node:fs');
const path = require('node:path');

const { percentile } = require('../test/harness/load');
const { writeReport } = require('./report');

const RESULTS = path.join(__dirname, 'results.json');

/**
 * Writes bench/results.json. A quick run replaces the whole file, so a stale
 * `e2e` section never sits beside fresh micro figures.
 */
function writeResults(results) {
	const stamped = { measuredAt: new Date().toISOString(), ...results };
	fs.writeFileSync(RESULTS, `${JSON.stringify(stamped, null, 2)}\n`);
	writeReport(stamped);
}

function readResults() {
	return JSON.parse(fs.readFileSync(RESULTS, 'utf8'));
}

module.exports = { RESULTS, percentile, writeResults, readResults };
