import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import jsoncParser from 'jsonc-eslint-parser';
import tseslint from 'typescript-eslint';

const n8nNodesBasePlugin = { 'n8n-nodes-base': n8nNodesBase };

export default tseslint.config(
	{ ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
	{
		files: ['**/*.ts'],
		extends: [tseslint.configs.recommended],
	},
	{
		files: ['nodes/**/*.ts', 'credentials/**/*.ts'],
		...n8nCommunityNodesPlugin.configs.recommended,
	},
	{
		files: ['nodes/**/*.ts'],
		plugins: n8nNodesBasePlugin,
		rules: n8nNodesBase.configs.nodes.rules,
	},
	{
		files: ['credentials/**/*.ts'],
		plugins: n8nNodesBasePlugin,
		rules: n8nNodesBase.configs.credentials.rules,
	},
	{
		files: ['package.json'],
		languageOptions: { parser: jsoncParser },
		plugins: n8nNodesBasePlugin,
		rules: n8nNodesBase.configs.community.rules,
	},
);
