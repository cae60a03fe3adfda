/**
 * The install check: what n8n does with a community package, done to this one.
 *
 * One `npm run build`, one `npm pack`, the tarball unpacked into a temporary directory with n8n-workflow
 * beside it (n8n provides its own copy of the peer dependency), then loaded by n8n-core's own loaders in a
 * separate plain Node process with NODE_ENV=production: outside Jest, n8n-core instantiates each class
 * through `vm.Script` exactly as a running n8n does (under NODE_ENV=test it takes a shortcut).
 *
 * What n8n-core 2.41 does and does not do, read from node_modules/n8n-core/dist/nodes-loader:
 * - `PackageDirectoryLoader` (used when a package is installed from the UI) requires every file listed in
 *   package.json `n8n.nodes` / `n8n.credentials`, instantiates the class named like the file, attaches the
 *   codex `<file>.json` (categories, subcategories, alias, primary and credential documentation only),
 *   rewrites `file:` icons to `icons/<package>/<path>` URLs (`iconUrl`, `icon` cleared) and fills each
 *   credential's `supportedNodes`.
 * - `LazyPackageDirectoryLoader` (used at startup) reads `dist/known/*.json` and `dist/types/*.json`; this
 *   package ships none, so it falls back to the eager load above.
 * - The `mediaAssetsTool` variant is not made by the loader: n8n's CLI (`LoadNodesAndCredentials.createAiTools`)
 *   copies every description with `usableAsTool` after loading, names it `<name>Tool`, adds the Tool
 *   Description parameters when resource/operation exist, and adds the copy to each credential's
 *   `supportedNodes`. This test asserts the inputs that step reads.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';

const ROOT = join(__dirname, '..', '..');

interface PackageJson {
	name: string;
	version: string;
	n8n: { n8nNodesApiVersion: number; nodes: string[]; credentials: string[] };
	dependencies?: Record<string, string>;
	peerDependencies?: Record<string, string>;
}

type IconUrl = string | { light: string; dark: string };

interface LoadedDescription {
	name: string;
	version?: number | number[];
	iconUrl?: IconUrl;
	icon?: unknown;
	usableAsTool?: unknown;
	polling?: boolean;
	communityNodePackageVersion?: string;
	credentials?: Array<{ name: string }>;
	properties?: Array<{ name: string; type: string }>;
	supportedNodes?: string[];
	codex?: {
		categories?: string[];
		subcategories?: Record<string, string[]>;
		alias?: string[];
		resources?: { primaryDocumentation?: Array<{ url: string }>; credentialDocumentation?: Array<{ url: string }> };
	};
}

interface LoaderReport {
	packageName: string;
	directory: string;
	isLazyLoaded: boolean;
	nodeTypes: string[];
	credentialTypes: string[];
	known: {
		nodes: Record<string, { className: string; sourcePath: string }>;
		credentials: Record<string, { className: string; sourcePath: string; supportedNodes?: string[] }>;
	};
	loadedNodes: Array<{ name: string; version: number }>;
	types: { nodes: LoadedDescription[]; credentials: LoadedDescription[] };
	execute: Record<string, string>;
	authenticate: Record<string, string>;
	credentialTest: Record<string, boolean>;
	workflowResolvedTo: string;
}

// Runs in a plain Node process: argv = [unpacked package dir, project root, output file].
const LOAD_SCRIPT = `
const { realpathSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const [pkgDir, root, outFile] = process.argv.slice(1);
const { PackageDirectoryLoader, LazyPackageDirectoryLoader } = require(require.resolve('n8n-core', { paths: [root] }));
(async () => {
	const report = {};
	for (const [kind, Loader] of [['package', PackageDirectoryLoader], ['lazy', LazyPackageDirectoryLoader]]) {
		const loader = new Loader(pkgDir);
		await loader.loadAll();
		const map = (types, fn) => Object.fromEntries(Object.entries(types).map(([name, { type }]) => [name, fn(type)]));
		report[kind] = {
			packageName: loader.packageName,
			directory: loader.directory,
			isLazyLoaded: loader.isLazyLoaded,
			nodeTypes: Object.keys(loader.nodeTypes),
			credentialTypes: Object.keys(loader.credentialTypes),
			known: loader.known,
			loadedNodes: loader.loadedNodes,
			types: JSON.parse(JSON.stringify(loader.types)),
			// A versioned node would run each version's own execute.
			execute: map(loader.nodeTypes, (t) =>
				t.nodeVersions ? Object.fromEntries(Object.entries(t.nodeVersions).map(([v, n]) => [v, typeof n.execute])) : typeof t.execute,
			),
			authenticate: map(loader.credentialTypes, (t) => typeof t.authenticate),
			credentialTest: map(loader.credentialTypes, (t) => Boolean(t.test && t.test.request)),
			workflowResolvedTo: realpathSync(require.resolve('n8n-workflow', { paths: [path.join(loader.directory, 'dist')] })),
		};
	}
	writeFileSync(outFile, JSON.stringify(report));
})().catch((error) => {
	console.error(error && error.stack ? error.stack : error);
	process.exit(1);
});
`;

function run(command: string, args: string[], cwd: string, env?: NodeJS.ProcessEnv): string {
	try {
		return execFileSync(command, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
	} catch (error) {
		const { stdout, stderr } = error as { stdout?: string; stderr?: string };
		throw new Error(`\`${command} ${args.join(' ')}\` failed in ${cwd}:\n${stdout ?? ''}\n${stderr ?? ''}`);
	}
}

/** Files below `dir`, not counting installed packages (the n8n 1.x engine line lives under test/engines). */
function filesUnder(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = join(dir, entry.name);
		if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : filesUnder(full);
		return [full];
	});
}

/**
 * Every credential value the test suite uses, collected from the test sources so a secret added to a test
 * later is covered too, plus the fixed sentinels. Header names and short words are not secrets.
 */
function testSecrets(): string[] {
	const assignment =
		/\b(?:apiKey|secretAccessKey|accessKeyId|securityToken|password|token|sk|ak)["']?\s*[:=]\s*["'`]([^"'`\n]{8,})["'`]/g;
	const found = new Set(['sk-kyy', 'secretKeyMustNeverLeak', 'P@ssw0rd', 'MustNeverLeak', 'never-leak', 'must-not-leak']);
	for (const file of filesUnder(join(ROOT, 'test')).filter((f) => /\.(?:[cm]?[jt]s|json)$/.test(f))) {
		if (file === __filename) continue;
		for (const [, value] of readFileSync(file, 'utf8').matchAll(assignment)) {
			const isExpression = /[{}$]/.test(value);
			const isHeaderName = /^[A-Z][A-Za-z]*(?:-[A-Z][A-Za-z]*)+$/.test(value);
			if (!isExpression && !isHeaderName) found.add(value);
		}
	}
	return [...found];
}

/** The source file a packed dist/ file was built or copied from. */
function sourceOf(distFile: string): string {
	const path = distFile.replace(/^dist\//, '');
	return path.replace(/\.d\.ts$|\.js\.map$|\.js$/, '.ts');
}

describe('the packed package, loaded the way n8n loads community nodes', () => {
	const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as PackageJson;
	let work: string;
	let unpacked: string;
	let files: string[];
	let packed: PackageJson;
	let loaded: LoaderReport;
	let lazy: LoaderReport;

	beforeAll(() => {
		run('npm', ['run', 'build'], ROOT);
		work = mkdtempSync(join(tmpdir(), 'n8n-media-assets-pack-'));
		const [{ filename }] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], ROOT)) as Array<{
			filename: string;
		}>;
		const tarball = join(work, filename);
		files = run('tar', ['-tzf', tarball], work)
			.split('\n')
			.filter((entry) => entry && !entry.endsWith('/'))
			.map((entry) => entry.replace(/^package\//, ''));
		run('tar', ['-xzf', tarball, '-C', work], work);
		unpacked = join(work, 'package');
		packed = JSON.parse(readFileSync(join(unpacked, 'package.json'), 'utf8')) as PackageJson;

		// n8n installs the package next to its own n8n-workflow (the peer dependency).
		mkdirSync(join(unpacked, 'node_modules'));
		symlinkSync(join(ROOT, 'node_modules', 'n8n-workflow'), join(unpacked, 'node_modules', 'n8n-workflow'), 'dir');

		const reportFile = join(work, 'loader-report.json');
		run(process.execPath, ['-e', LOAD_SCRIPT, unpacked, ROOT, reportFile], work, {
			...process.env,
			NODE_ENV: 'production',
			N8N_USER_FOLDER: work,
		});
		({ package: loaded, lazy } = JSON.parse(readFileSync(reportFile, 'utf8')) as Record<'package' | 'lazy', LoaderReport>);
	}, 240_000);

	afterAll(() => {
		if (work) rmSync(work, { recursive: true, force: true });
	});

	describe('the tarball', () => {
		it('should hold only the compiled package, its manifest and its documents', () => {
			const allowed = /^(?:dist\/.+\.(?:js|d\.ts|js\.map|svg|png|json)|package\.json|index\.js|README\.md|LICENSE|CHANGELOG\.md)$/;
			expect(files.filter((file) => !allowed.test(file))).toEqual([]);
			expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE']));
		});

		it('should hold no tests, TypeScript sources, environment or npm config files', () => {
			const forbidden = /(?:^|\/)(?:test|tests|__tests__|node_modules)\/|\.(?:test|spec)\.|(?:^|\/)\.env|(?:^|\/)\.npmrc$|\.tgz$/;
			expect(files.filter((file) => forbidden.test(file))).toEqual([]);
			expect(files.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))).toEqual([]);
		});

		it('should not embed the TypeScript sources in its source maps', () => {
			const maps = files.filter((file) => file.endsWith('.map'));
			const embedding = maps.filter((file) => 'sourcesContent' in JSON.parse(readFileSync(join(unpacked, file), 'utf8')));
			expect(embedding).toEqual([]);
		});

		it('should hold no stale build output: every dist/ file has a source in the repository', () => {
			const orphans = files.filter((file) => file.startsWith('dist/')).filter((file) => !existsSync(join(ROOT, sourceOf(file))));
			expect(orphans).toEqual([]);
		});

		it('should contain no secret used in the test suite and no literal credential', () => {
			const secrets = testSecrets();
			const literals = [
				/Bearer\s+(?![<{$])[A-Za-z0-9._~+/=-]{8,}/, // a Bearer header with a key in it
				/Access=[A-Z0-9]{16,}/, // a signed Huawei Authorization header
				/X-Auth-Token["']?\s*:\s*["']MII/, // a Huawei IAM token
			];
			const leaks: Array<{ file: string; leak: string }> = [];
			for (const file of files) {
				const text = readFileSync(join(unpacked, file), 'utf8');
				for (const secret of secrets) if (text.includes(secret)) leaks.push({ file, leak: secret });
				for (const literal of literals) {
					const match = literal.exec(text);
					if (match) leaks.push({ file, leak: match[0] });
				}
			}
			expect(secrets.length).toBeGreaterThan(5);
			expect(leaks).toEqual([]);
		});

		it('should carry a manifest n8n accepts: the n8n field, no runtime dependencies, n8n-workflow as a peer', () => {
			expect(packed.name).toBe(pkg.name);
			expect(packed.n8n.n8nNodesApiVersion).toBe(1);
			expect(Object.keys(packed.dependencies ?? {})).toEqual([]);
			expect(Object.keys(packed.peerDependencies ?? {})).toEqual(['n8n-workflow']);
			for (const path of [...packed.n8n.nodes, ...packed.n8n.credentials]) expect(files).toContain(path);
		});
	});

	describe("n8n-core's PackageDirectoryLoader", () => {
		it('should resolve n8n-workflow to the copy n8n provides', () => {
			expect(loaded.workflowResolvedTo.startsWith(realpathSync(resolve(ROOT, 'node_modules', 'n8n-workflow')))).toBe(true);
		});

		it('should load every node and credential named in the n8n field, and nothing else', () => {
			expect(loaded.packageName).toBe(pkg.name);
			expect(loaded.nodeTypes).toEqual(['mediaAssets', 'mediaAssetsTrigger']);
			expect([...loaded.credentialTypes].sort()).toEqual(['huaweiCloudAkSkApi', 'huaweiCloudIamApi', 'kyyVideo2Api']);
			// One node version each: the first release ships version 1 only.
			expect(loaded.loadedNodes).toEqual([
				{ name: 'mediaAssets', version: 1 },
				{ name: 'mediaAssetsTrigger', version: 1 },
			]);
			expect(loaded.execute).toEqual({ mediaAssets: 'function', mediaAssetsTrigger: 'undefined' });
			expect(loaded.types.nodes.map((node) => [node.name, node.version])).toEqual([
				['mediaAssets', 1],
				['mediaAssetsTrigger', 1],
			]);
			const trigger = loaded.types.nodes.find((node) => node.name === 'mediaAssetsTrigger')!;
			expect(trigger.polling).toBe(true);
			expect(trigger.properties?.[0].name).toBe('pollTimes');
			expect(loaded.types.credentials.map((credential) => credential.name).sort()).toEqual([...loaded.credentialTypes].sort());
		});

		it('should know each type by the file the n8n field names and the class inside it', () => {
			expect(loaded.known.nodes).toEqual({
				mediaAssets: { className: 'MediaAssets', sourcePath: 'dist/nodes/MediaAssets/MediaAssets.node.js' },
				mediaAssetsTrigger: {
					className: 'MediaAssetsTrigger',
					sourcePath: 'dist/nodes/MediaAssetsTrigger/MediaAssetsTrigger.node.js',
				},
			});
			expect(Object.values(loaded.known.credentials).map(({ sourcePath }) => sourcePath).sort()).toEqual(
				[...packed.n8n.credentials].sort(),
			);
		});

		it('should link every credential to the node, with a way to authenticate and a credential test', () => {
			const [node] = loaded.types.nodes;
			expect(node.credentials!.map((credential) => credential.name).sort()).toEqual([...loaded.credentialTypes].sort());
			for (const name of loaded.credentialTypes) {
				// The trigger watches MetaStudio only: the Huawei credentials serve both nodes.
				const supported = name === 'kyyVideo2Api' ? ['mediaAssets'] : ['mediaAssets', 'mediaAssetsTrigger'];
				expect(loaded.known.credentials[name].supportedNodes).toEqual(supported);
				expect(loaded.types.credentials.find((credential) => credential.name === name)!.supportedNodes).toEqual(supported);
				expect(['function', 'object']).toContain(loaded.authenticate[name]);
				expect(loaded.credentialTest[name]).toBe(true);
			}
		});

		it('should stamp the node with the package version, as n8n does for community nodes', () => {
			expect(loaded.types.nodes[0].communityNodePackageVersion).toBe(pkg.version);
		});

		it('should rewrite every file: icon to a URL that n8n resolves to an SVG inside the package', () => {
			// n8n's LoadNodesAndCredentials.resolveIcon: strip `icons/<package>/`, resolve against the package dir.
			const prefix = `icons/${pkg.name}/`;
			const iconFile = (url: string) => {
				expect(url.startsWith(prefix)).toBe(true);
				const file = resolve(loaded.directory, url.slice(prefix.length));
				const inside = relative(loaded.directory, file);
				expect(inside.startsWith('..') || isAbsolute(inside)).toBe(false);
				return inside;
			};
			const checkIcon = (iconUrl: IconUrl | undefined, themed: boolean) => {
				expect(iconUrl).toBeDefined();
				const urls = typeof iconUrl === 'string' ? [iconUrl] : [iconUrl!.light, iconUrl!.dark];
				if (themed) expect(typeof iconUrl).toBe('object');
				for (const url of urls) {
					const file = iconFile(url);
					expect(files).toContain(file);
					expect(readFileSync(join(unpacked, file), 'utf8')).toMatch(/^\s*(?:<\?xml[^>]*>\s*)?<svg[\s>]/);
				}
				if (typeof iconUrl === 'object') expect(iconUrl.light).not.toBe(iconUrl.dark);
			};

			const [node] = loaded.types.nodes;
			expect(node.icon).toBeUndefined();
			checkIcon(node.iconUrl, true);
			expect(loaded.types.credentials).toHaveLength(3);
			for (const credential of loaded.types.credentials) {
				expect(credential.icon).toBeUndefined();
				checkIcon(credential.iconUrl, false);
			}
		});

		it('should attach the codex file: categories, aliases and documentation links', () => {
			const codexFile = 'dist/nodes/MediaAssets/MediaAssets.node.json';
			expect(files).toContain(codexFile);
			const codex = JSON.parse(readFileSync(join(unpacked, codexFile), 'utf8')) as Record<string, unknown> & {
				node: string;
				nodeVersion: string;
				categories: string[];
				alias: string[];
				resources: { primaryDocumentation: unknown[]; credentialDocumentation: unknown[] };
			};
			expect(codex.node).toBe(`${pkg.name}.mediaAssets`);
			expect(codex.nodeVersion).toBe('1.0');

			const [node] = loaded.types.nodes;
			// The loader keeps only these keys of the codex file (`generic` links are for the docs site).
			expect(node.codex).toEqual({
				categories: codex.categories,
				alias: codex.alias,
				resources: {
					primaryDocumentation: codex.resources.primaryDocumentation,
					credentialDocumentation: codex.resources.credentialDocumentation,
				},
			});
			expect(node.codex!.categories).toEqual(['Marketing', 'Data & Storage']);
			expect(node.codex!.alias).toEqual(
				expect.arrayContaining(['Seedance', 'KyyVideo2', 'GlobalAiOpc', 'MetaStudio', 'Huawei', 'asset', 'media', 'delete', 'cleanup']),
			);
			expect(node.codex!.resources!.primaryDocumentation).toEqual([
				{ url: 'https://github.com/n8n-nodes-media-assets/n8n-nodes-media-assets#readme' },
			]);
			expect(node.codex!.resources!.credentialDocumentation!.map(({ url }) => url.split('#')[1])).toEqual([
				'kyyvideo2-seedance-20-api',
				'huawei-cloud-aksk-api',
				'huawei-cloud-iam-token-api',
			]);
		});

		it("should give n8n's AI-tool step what it needs to make mediaAssetsTool", () => {
			// createAiTools (n8n CLI) copies descriptions with usableAsTool, adds the Tool Description parameters
			// when a resource or operation parameter exists, and extends each credential's supportedNodes.
			const [node] = loaded.types.nodes;
			expect(node.usableAsTool).toBe(true);
			const names = node.properties!.map((property) => property.name);
			expect(names).toEqual(expect.arrayContaining(['resource', 'operation']));
			expect(names).not.toContain('toolDescription');
			expect(names).not.toContain('descriptionType');
			expect(loaded.types.nodes.some((description) => description.name === 'mediaAssetsTool')).toBe(false);
		});
	});

	describe("n8n-core's LazyPackageDirectoryLoader (n8n's start-up path)", () => {
		it('should fall back to loading the files, with the same result', () => {
			expect(lazy.isLazyLoaded).toBe(false);
			expect(lazy.nodeTypes).toEqual(loaded.nodeTypes);
			expect(lazy.credentialTypes).toEqual(loaded.credentialTypes);
			expect(lazy.known).toEqual(loaded.known);
			expect(lazy.types.nodes.map(({ name, iconUrl, codex }) => ({ name, iconUrl, codex }))).toEqual(
				loaded.types.nodes.map(({ name, iconUrl, codex }) => ({ name, iconUrl, codex })),
			);
		});
	});
});
