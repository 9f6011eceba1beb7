// n8n's verification scanner (@n8n/scan-community-package), loaded from the
// package itself, so that `npm run lint` and `npm run scan` enforce the rules
// n8n's gate enforces, in the plugin versions it uses.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const scannerFile = require.resolve('@n8n/scan-community-package/scanner/scanner.mjs');

// The scanner makes a temporary folder when it is loaded, and removes it at
// exit only if told to.
createRequire(scannerFile)('tmp').setGracefulCleanup();

export const { analyzePackage, buildScanConfig, SOURCE_FILE_PATTERNS } = await import(
	pathToFileURL(scannerFile).href
);
