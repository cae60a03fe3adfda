/**
 * Runs n8n's own CLI from the cache: `import:credentials`, `import:workflow`, `execute --id`, each as a
 * separate Node 24 process, the way a user runs them.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { CACHE, IMPORT_DIR, N8N_BIN, NODE24, USER_FOLDER } from './n8nInstall';

/** Fixed, so that credentials imported once can be decrypted by every later run. */
const ENCRYPTION_KEY = 'media-assets-bench-not-a-secret';

export function n8nEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
	return {
		PATH: process.env.PATH,
		HOME: process.env.HOME,
		TMPDIR: process.env.TMPDIR,
		N8N_USER_FOLDER: USER_FOLDER,
		N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_LOG_LEVEL: 'warn',
		// The run data is read from the probes, not from the execution stored in the database.
		EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'none',
		EXECUTIONS_DATA_SAVE_ON_ERROR: 'none',
		EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS: 'false',
		...extra,
	};
}

const DEFAULT_TIMEOUT_MS = 20 * 60_000;

export interface CliResult {
	code: number | null;
	/** The signal that ended the process, when one did. */
	signal?: string;
	stdoutBytes: number;
	stdoutTail: string;
	stderr: string;
	ms: number;
}

export interface CliOptions {
	/** Node flags before n8n's bin (e.g. --cpu-prof, --expose-gc). */
	nodeFlags?: string[];
	env?: NodeJS.ProcessEnv;
	/** Keep stdout (else only its size and last 4 kB are kept: `execute` prints the whole run data). */
	keepStdout?: boolean;
	/** Killed after this long (default 20 minutes), so that a hung run cannot stall the bench. */
	timeoutMs?: number;
}

export function runN8n(args: string[], options: CliOptions = {}): Promise<CliResult & { stdout?: string }> {
	const started = Date.now();
	return new Promise((resolve, reject) => {
		const child = spawn(NODE24, [...(options.nodeFlags ?? []), N8N_BIN, ...args], {
			cwd: CACHE,
			env: n8nEnv(options.env),
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		const out: Buffer[] = [];
		let stdoutBytes = 0;
		let stdoutTail = '';
		let stderr = '';
		child.stdout.on('data', (chunk: Buffer) => {
			stdoutBytes += chunk.length;
			stdoutTail = (stdoutTail + chunk.toString('utf8')).slice(-4000);
			if (options.keepStdout) out.push(chunk);
		});
		child.stderr.on('data', (chunk: Buffer) => {
			stderr = (stderr + chunk.toString('utf8')).slice(-20_000);
		});
		const timer = setTimeout(() => {
			stderr += `\n[bench] killed after ${options.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms`;
			child.kill('SIGKILL');
		}, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
		child.on('error', reject);
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			resolve({
				code,
				...(signal ? { signal } : {}),
				stdoutBytes,
				stdoutTail,
				stderr,
				ms: Date.now() - started,
				stdout: options.keepStdout ? Buffer.concat(out).toString('utf8') : undefined,
			});
		});
	});
}

async function mustSucceed(args: string[]): Promise<void> {
	const result = await runN8n(args, { keepStdout: true });
	if (result.code !== 0) {
		throw new Error(`n8n ${args.join(' ')} exited with ${result.code}:\n${result.stdout ?? ''}\n${result.stderr}`.slice(-6000));
	}
}

/**
 * Imports credentials and workflows, skipping what an earlier run already imported unchanged (each
 * import is an n8n start-up of several seconds).
 */
export async function importAll(credentials: object[], workflows: Array<{ id: string }>): Promise<void> {
	const dir = IMPORT_DIR;
	mkdirSync(join(dir, 'workflows'), { recursive: true });
	const stampFile = join(USER_FOLDER, 'bench-imported.json');
	const stamps: Record<string, string> = existsSync(stampFile) ? JSON.parse(readFileSync(stampFile, 'utf8')) : {};
	const hash = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');

	const credentialsHash = hash(credentials);
	if (stamps.credentials !== credentialsHash) {
		const file = join(dir, 'credentials.json');
		writeFileSync(file, JSON.stringify(credentials, null, 2));
		await mustSucceed(['import:credentials', `--input=${file}`]);
		stamps.credentials = credentialsHash;
		writeFileSync(stampFile, JSON.stringify(stamps, null, 2));
	}

	const changed = workflows.filter((workflow) => stamps[`workflow:${workflow.id}`] !== hash(workflow));
	if (changed.length > 0) {
		const batch = join(dir, 'workflows', String(Date.now()));
		mkdirSync(batch, { recursive: true });
		for (const workflow of changed) writeFileSync(join(batch, `${workflow.id}.json`), JSON.stringify(workflow, null, 2));
		await mustSucceed(['import:workflow', '--separate', `--input=${batch}`]);
		for (const workflow of changed) stamps[`workflow:${workflow.id}`] = hash(workflow);
		writeFileSync(stampFile, JSON.stringify(stamps, null, 2));
	}
}
