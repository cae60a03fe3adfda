/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	// Type checking is `npm run typecheck`; here files are only transpiled, which keeps the run fast.
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json', diagnostics: false }],
	},
	setupFiles: ['<rootDir>/test/harness/jestSetup.ts'],
	testTimeout: 60000,
	reporters: ['default', '<rootDir>/test/harness/summaryReporter.js'],
};
