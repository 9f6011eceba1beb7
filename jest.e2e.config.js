/**
 * The real-n8n suite: installs n8n (cached outside the repository), packs this
 * package, installs it as a community package and drives live webhooks.
 * `npm run test:e2e` (E2E_QUICK) runs what a change to a trigger needs, on one
 * n8n version; `npm run test:e2e:full`, what CI runs, adds load and queue
 * mode, on every version.
 * @type {import('jest').Config}
 */
const quick = [
	'triggers',
	'gateway',
	'gatewayClients',
	'boticordNode',
	'botisimoNode',
	'providerSecrets',
	'examples',
	'editor',
	'start',
];

module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: process.env.E2E_QUICK
		? quick.map((name) => `**/${name}.e2e.test.js`)
		: ['**/*.e2e.test.js'],
	globalSetup: '<rootDir>/test/e2e/globalSetup.js',
	testTimeout: 300_000,
	maxWorkers: 1,
};
