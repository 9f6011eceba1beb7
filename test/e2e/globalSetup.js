const { installAll } = require('../harness/install');
const { buildAndPack } = require('../harness/package');
const { e2eVersions } = require('../harness/install');

/** Installs the n8n versions under test and packs this package for them to install. */
module.exports = async () => {
	installAll(e2eVersions());
	process.env.E2E_PACKAGE_TARBALL = buildAndPack();
};
