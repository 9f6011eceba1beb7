const { VERSIONS } = require('./harness/install');

/** The n8n versions to test against: `N8N_E2E_VERSIONS=2.40.7,1.123.81`, or all supported. */
function e2eVersions() {
	const chosen = process.env.N8N_E2E_VERSIONS;
	return chosen ? chosen.split(',').map((v) => v.trim()) : VERSIONS;
}

module.exports = { e2eVersions };
