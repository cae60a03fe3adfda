/**
 * Two projects, one per n8n engine line: every test that runs n8n's engine runs in both, with the same
 * expectations. "n8n 2.x" uses the root devDependencies; "n8n 1.x" maps n8n's packages, for every
 * module (the package's node code included, so `instanceof NodeApiError` and the engine agree), to the
 * install in test/engines/n8n-1.x (the versions n8n 1.123.81 pins). `npm test` installs that folder
 * first (test/engines/ensure.js).
 */
const { existsSync, readdirSync } = require('node:fs');
const { join } = require('node:path');

const ENGINE_1X_MODULES = join(__dirname, 'test', 'engines', 'n8n-1.x', 'node_modules');

// Tests that never load n8n's engine run once, under the 2.x project: the unit tests, the emulators
// and the install check (which loads the packed package with the root n8n-core in its own process).
// Any other folder, a new one included, runs on both lines.
const LINE_INDEPENDENT = ['<rootDir>/test/unit/', '<rootDir>/test/emulators/', '<rootDir>/test/install/'];

/** n8n's packages as the 1.x install holds them, each mapped with its subpaths (`n8n-core/dist/...`). */
function engine1xModuleMap() {
	if (!existsSync(join(ENGINE_1X_MODULES, 'n8n-core', 'package.json'))) {
		throw new Error('The n8n 1.x engine line is not installed: run `node test/engines/ensure.js` (npm test does).');
	}
	const scoped = readdirSync(join(ENGINE_1X_MODULES, '@n8n')).map((name) => `@n8n/${name}`);
	const names = ['n8n-core', 'n8n-workflow', 'n8n-nodes-base', ...scoped];
	const map = {};
	for (const name of names) {
		const escaped = name.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
		map[`^${escaped}$`] = join(ENGINE_1X_MODULES, name);
		map[`^${escaped}/(.*)$`] = `${join(ENGINE_1X_MODULES, name)}/$1`;
	}
	return map;
}

/** @type {import('jest').Config} */
const shared = {
	testEnvironment: 'node',
	// Only test/: the benchmark, the proofs and the demo in tools/ are never run by npm test.
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	// Type checking is `npm run typecheck`; here files are only transpiled, which keeps the run fast.
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json', diagnostics: false }],
	},
	setupFiles: ['<rootDir>/test/harness/jestSetup.ts'],
};

/** @type {import('jest').Config} */
module.exports = {
	testTimeout: 60000,
	reporters: ['default', '<rootDir>/test/harness/summaryReporter.js'],
	projects: [
		{
			...shared,
			displayName: 'n8n 2.x',
			globals: { n8nEngineLine: '2.x' },
		},
		{
			...shared,
			displayName: 'n8n 1.x',
			globals: { n8nEngineLine: '1.x' },
			testPathIgnorePatterns: ['/node_modules/', ...LINE_INDEPENDENT],
			moduleNameMapper: engine1xModuleMap(),
		},
	],
};
