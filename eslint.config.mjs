// Lint for the code n8n loads (nodes/, credentials/, package.json) follows the rule sets of n8n's
// community package scanner (`npx @n8n/scan-community-package`, `buildScanConfig`) and `n8n-node lint`,
// so a finding here is one a reviewer would also see. Tests and tooling get their own, looser blocks;
// never relax the shipped-code blocks to make a test pass.
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

const SHIPPED_TS = ['nodes/**/*.ts', 'credentials/**/*.ts'];

// n8n parses package.json and codex files with the TypeScript parser: the package.json rules of both
// plugins walk the top-level ObjectExpression it produces.
const N8N_JSON = ['package.json', 'nodes/**/*.json', 'credentials/**/*.json'];

// The community rule `no-restricted-imports` also lets through lodash, luxon, zod, … and every
// devDependency (n8n-core, the Huawei SDK, jest), none of which exists when n8n loads this package.
const ONLY_WORKFLOW_AND_CRYPTO = {
	regex: '^(?!(?:n8n-workflow|crypto|node:crypto)$|\\.{1,2}/)',
	message:
		'Shipped code may import only n8n-workflow, crypto / node:crypto and its own files: the package has no runtime dependencies.',
};

const NODE_GLOBALS = {
	__dirname: 'readonly',
	__filename: 'readonly',
	Buffer: 'readonly',
	clearInterval: 'readonly',
	clearTimeout: 'readonly',
	console: 'readonly',
	exports: 'writable',
	module: 'writable',
	process: 'readonly',
	require: 'readonly',
	setInterval: 'readonly',
	setTimeout: 'readonly',
};

export default defineConfig(
	globalIgnores(['dist/', 'node_modules/', 'coverage/', '.bench/', 'package-lock.json']),

	{
		name: 'media-assets/typescript',
		files: ['**/*.ts'],
		extends: [tseslint.configs.recommended],
	},

	{
		name: 'media-assets/n8n-json',
		files: N8N_JSON,
		languageOptions: {
			parser: tseslint.parser,
			parserOptions: { extraFileExtensions: ['.json'] },
		},
	},

	{
		name: 'media-assets/community-nodes',
		files: [...SHIPPED_TS, ...N8N_JSON],
		extends: [n8nCommunityNodesPlugin.configs.recommended],
	},

	{ name: 'media-assets/n8n-nodes-base-plugin', plugins: { 'n8n-nodes-base': n8nNodesBase } },

	{
		name: 'media-assets/n8n-nodes-base-community',
		files: ['package.json'],
		rules: { ...n8nNodesBase.configs.community.rules },
	},

	{
		// A superset of *.credentials.ts, as in the scanner; the rules only act on ICredentialType classes.
		name: 'media-assets/n8n-nodes-base-credentials',
		files: ['credentials/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			// Off in the scanner: meant for n8n's own docs slugs, wrong for external URLs.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
			// Off in the scanner: @n8n/community-nodes/credential-password-field checks the same, better.
			'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
		},
	},

	{
		name: 'media-assets/n8n-nodes-base-nodes',
		files: ['nodes/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			// Off in the scanner: inputs/outputs are NodeConnectionTypes values, not the string 'main'.
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
			// Off in the scanner: a vendor limit is a legitimate maxValue.
			'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
		},
	},

	{
		name: 'media-assets/shipped-code',
		files: SHIPPED_TS,
		rules: {
			'no-console': 'error',
			'@typescript-eslint/no-restricted-imports': ['error', { patterns: [ONLY_WORKFLOW_AND_CRYPTO] }],
			'@typescript-eslint/no-require-imports': 'error',
			'no-restricted-syntax': [
				'error',
				{
					selector: 'ImportExpression',
					message: 'Shipped code must not load modules dynamically.',
				},
			],
		},
	},

	{
		// Tests, emulators and the harness (test/), the benchmark, proofs and demo (tools/) run under plain
		// Node: process, timers, node:http and fs are fine here. None of this is shipped (tsconfig.json
		// includes neither folder).
		name: 'media-assets/test',
		files: ['test/**/*.ts', 'tools/**/*.ts'],
		languageOptions: { globals: NODE_GLOBALS },
	},

	{
		name: 'media-assets/tooling-cjs',
		files: ['**/*.js'],
		languageOptions: { sourceType: 'commonjs', globals: NODE_GLOBALS },
		rules: { 'no-undef': 'error', 'no-unused-vars': 'error' },
	},

	{
		name: 'media-assets/tooling-esm',
		files: ['**/*.mjs'],
		languageOptions: { sourceType: 'module' },
		rules: { 'no-unused-vars': 'error' },
	},
);
