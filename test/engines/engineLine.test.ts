import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';

import { ENGINE_LINE } from './line';

/** The versions each line is pinned to: the root devDependencies, and what n8n 1.123.81 pins. */
const EXPECTED: Record<string, Record<string, string>> = {
	'2.x': { 'n8n-core': '2.41.1', 'n8n-workflow': '2.41.0', 'n8n-nodes-base': '2.41.1' },
	'1.x': { 'n8n-core': '1.122.48', 'n8n-workflow': '1.120.31', 'n8n-nodes-base': '1.121.53' },
};
const ENGINE_1X_FOLDER = join(__dirname, 'n8n-1.x', 'node_modules') + sep;

function packageJson(folder: string): { name?: string; version?: string } | undefined {
	const file = join(folder, 'package.json');
	return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string }) : undefined;
}

/** The folder of the package that owns a resolved file. */
function owningPackage(file: string, name: string): string {
	let folder = dirname(file);
	while (packageJson(folder)?.name !== name) {
		if (dirname(folder) === folder) throw new Error(`${file} is not inside ${name}`);
		folder = dirname(folder);
	}
	return folder;
}

/** Where the tests and the package's code get `name` from (Jest's resolution, moduleNameMapper included). */
function loadedFolder(name: string): string {
	return owningPackage(require.resolve(name), name);
}

describe(`n8n engine line ${ENGINE_LINE}`, () => {
	it.each(Object.entries(EXPECTED[ENGINE_LINE]))('should load %s %s', (name, version) => {
		const folder = loadedFolder(name);
		expect(packageJson(folder)?.version).toBe(version);
		expect(folder.startsWith(ENGINE_1X_FOLDER)).toBe(ENGINE_LINE === '1.x');
	});

	it('should give the node code the same n8n-workflow that n8n-core itself depends on', () => {
		// Node's own resolution from inside n8n-core: the copy the engine would load without Jest.
		const fromCore = createRequire(join(loadedFolder('n8n-core'), 'package.json')).resolve('n8n-workflow');
		expect(loadedFolder('n8n-workflow')).toBe(owningPackage(fromCore, 'n8n-workflow'));
	});
});
