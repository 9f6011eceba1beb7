import tseslint from 'typescript-eslint';

import { buildScanConfig, SOURCE_FILE_PATTERNS } from './scripts/scanConfig.mjs';

/**
 * The scanner's own configuration, on the files it lints (package.json and
 * the node and credential sources): a block's own `files` still narrow it,
 * since a nested array in `files` means "all of these".
 */
const scanConfig = (await buildScanConfig()).map((block) =>
	block.files
		? {
				...block,
				files: SOURCE_FILE_PATTERNS.flatMap((scanned) => block.files.map((own) => [scanned, own])),
			}
		: { ...block, files: SOURCE_FILE_PATTERNS },
);

export default tseslint.config(
	{ ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
	// The scanner ignores inline configuration, so a rule switched off in a
	// comment would pass here and fail at n8n's gate.
	{ linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: 'error' } },
	{
		files: ['**/*.ts'],
		extends: [tseslint.configs.recommended],
	},
	...scanConfig,
	{
		// The rule guesses from a field's name whether it holds a secret. These
		// hold Boticord's API token, which keeps the name it was first saved
		// under (hookKey) so that stored credentials keep working, and
		// Botisimo's Client ID, which is all its Loyalty Admin API asks to act
		// for a team. The scanner reports the same finding as a warning, which
		// does not fail its gate.
		files: [
			'credentials/BoticordWebhookApi.credentials.ts',
			'credentials/BotisimoApi.credentials.ts',
		],
		rules: { '@n8n/community-nodes/credential-unnecessary-password': 'off' },
	},
);
