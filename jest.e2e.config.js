/**
 * The real-n8n suite: installs n8n (cached outside the repository), packs this
 * package, installs it as a community package and drives live webhooks.
 * @type {import('jest').Config}
 */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.e2e.test.js'],
	globalSetup: '<rootDir>/test/e2e/globalSetup.js',
	testTimeout: 300_000,
	maxWorkers: 1,
};
