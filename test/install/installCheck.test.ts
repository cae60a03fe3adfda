/**
 * Does what n8n does with a community package: pack it, unpack the tarball, and load it with
 * n8n-core's own PackageDirectoryLoader. Proves the published package (not the sources) works.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

import { PackageDirectoryLoader } from 'n8n-core';

const ROOT = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
	name: string;
	n8n: { nodes: string[]; credentials: string[] };
};

function filesUnder(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const full = join(dir, name);
		return statSync(full).isDirectory() ? filesUnder(full) : [full];
	});
}

describe('the packed package, loaded the way n8n loads community nodes', () => {
	let unpacked: string;
	let files: string[];
	let loader: PackageDirectoryLoader;

	beforeAll(async () => {
		execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'pipe' });
		const work = mkdtempSync(join(tmpdir(), 'n8n-media-assets-pack-'));
		const [packed] = JSON.parse(
			execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: ROOT, encoding: 'utf8' }),
		) as Array<{ filename: string }>;
		execFileSync('tar', ['-xzf', join(work, packed.filename), '-C', work]);
		unpacked = join(work, 'package');
		files = filesUnder(unpacked).map((f) => relative(unpacked, f));
		// n8n installs the package beside its own n8n-workflow (the peer dependency).
		mkdirSync(join(unpacked, 'node_modules'));
		symlinkSync(join(ROOT, 'node_modules', 'n8n-workflow'), join(unpacked, 'node_modules', 'n8n-workflow'));

		loader = new PackageDirectoryLoader(unpacked);
		await loader.loadAll();
	}, 180_000);

	it('should hold only the compiled package, its manifest and documents', () => {
		for (const file of files) {
			expect(file).toMatch(/^(dist\/|package\.json$|index\.js$|README\.md$|LICENSE$|CHANGELOG\.md$)/);
			expect(file).not.toMatch(/(^|\/)test\/|\.test\.|\.spec\.|\.env|\.npmrc/);
			if (file.endsWith('.ts')) expect(file).toMatch(/\.d\.ts$/);
		}
		expect(files).toContain('dist/nodes/MediaAssets/MediaAssets.node.js');
	});

	it('should contain no secret used anywhere in the test suite', () => {
		const secrets = /sk-kyy|MustNeverLeak|never-leak|P@ssw0rd|MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc|Bearer [A-Za-z0-9._-]{12,}/;
		for (const file of files) {
			expect({ file, leak: secrets.exec(readFileSync(join(unpacked, file), 'utf8'))?.[0] }).toEqual({ file, leak: undefined });
		}
	});

	it('should load every node and credential named in the n8n field', () => {
		expect(loader.packageName).toBe(pkg.name);
		expect(Object.keys(loader.nodeTypes)).toEqual(['mediaAssets']);
		expect(Object.keys(loader.credentialTypes).sort()).toEqual(['huaweiCloudAkSkApi', 'huaweiCloudIamApi', 'kyyVideo2Api']);
		expect(pkg.n8n.nodes.every((p) => files.includes(p))).toBe(true);
		expect(pkg.n8n.credentials.every((p) => files.includes(p))).toBe(true);
		const node = loader.nodeTypes.mediaAssets.type as { description: { usableAsTool?: unknown; credentials?: Array<{ name: string }> } };
		expect(node.description.usableAsTool).toBe(true);
		expect(node.description.credentials!.map((c) => c.name).sort()).toEqual(Object.keys(loader.credentialTypes).sort());
	});

	it('should resolve every icon to a file inside the package, light and dark', () => {
		const iconFile = (url: string) => join(unpacked, url.replace(`icons/${pkg.name}/`, ''));
		const described = [
			...loader.types.nodes,
			...loader.types.credentials,
		] as Array<{ name: string; iconUrl?: string | { light: string; dark: string } }>;
		expect(described).toHaveLength(4);
		for (const type of described) {
			expect(typeof type.iconUrl).toBe('object');
			const { light, dark } = type.iconUrl as { light: string; dark: string };
			expect(light).not.toBe(dark);
			expect(existsSync(iconFile(light))).toBe(true);
			expect(existsSync(iconFile(dark))).toBe(true);
		}
	});

	it('should pick up the codex: categories, aliases and documentation', () => {
		const [node] = loader.types.nodes as Array<{ codex?: { categories?: string[]; alias?: string[]; resources?: { primaryDocumentation?: unknown[] } } }>;
		expect(node.codex?.categories).toEqual(expect.arrayContaining(['Marketing']));
		expect(node.codex?.alias).toEqual(expect.arrayContaining(['Seedance', 'KyyVideo2', 'GlobalAiOpc', 'MetaStudio', 'Huawei', 'cleanup']));
		expect(node.codex?.resources?.primaryDocumentation).toHaveLength(1);
	});
});
