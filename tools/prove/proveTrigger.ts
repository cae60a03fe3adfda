/**
 * `npm run prove:trigger`: the example workflow active in a real `n8n start`, firing on a change in the
 * MetaStudio emulator. Not part of `npm test` (it needs n8n 2.41.1 on Node 24 under .bench/, installed
 * once by tools/bench/n8nInstall.ts, and waits for n8n's minute-long poll interval).
 *
 * 1. Builds and packs the package and installs it into n8n's community nodes folder (as the bench does).
 * 2. Starts the emulator here, with two assets being uploaded (CREATING) and one that failed long ago.
 * 3. Imports the credential and the example workflow (its Slack nodes disabled, so that they pass the
 *    items on: there is no Slack here; Poll Times every minute), publishes it, runs `n8n start`.
 * 4. Once n8n has activated it (the first ListAssets arrives), one asset fails review in the emulator.
 * 5. Passes when n8n's next poll moves that asset to the recycle bin (one DeleteAsset arrives and lands)
 *    and leaves the asset that failed before activation alone.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

import { N8N_BIN, NODE24, prepareN8n, USER_FOLDER, CACHE } from '../bench/n8nInstall';
import { MetaStudioEmulator } from '../../test/emulators/metaStudio';

const PROOF_FOLDER = join(CACHE, 'trigger-proof');
const WORKFLOW_ID = 'mediaAssetsTriggerProof';
const CREDENTIAL_ID = 'huaweiAkSkProof';
const log = (text: string) => process.stdout.write(`[prove:trigger] ${text}\n`);

async function freePort(): Promise<number> {
	return await new Promise((resolve) => {
		const server = createServer().listen(0, '127.0.0.1', () => {
			const { port } = server.address() as { port: number };
			server.close(() => resolve(port));
		});
	});
}

function env(port: number): NodeJS.ProcessEnv {
	return {
		PATH: process.env.PATH,
		HOME: process.env.HOME,
		TMPDIR: process.env.TMPDIR,
		N8N_USER_FOLDER: PROOF_FOLDER,
		N8N_ENCRYPTION_KEY: 'media-assets-trigger-proof-not-a-secret',
		N8N_PORT: String(port),
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_RUNNERS_ENABLED: 'false',
		N8N_LOG_LEVEL: 'info',
		GENERIC_TIMEZONE: 'UTC',
	};
}

async function runCli(args: string[], port: number): Promise<string> {
	return await new Promise((resolve, reject) => {
		const child = spawn(NODE24, [N8N_BIN, ...args], { cwd: PROOF_FOLDER, env: env(port), stdio: ['ignore', 'pipe', 'pipe'] });
		let out = '';
		child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
		child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
		child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`n8n ${args.join(' ')} exited with ${code}:\n${out.slice(-4000)}`))));
	});
}

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
	const until = Date.now() + timeoutMs;
	while (Date.now() < until) {
		if (await check()) return;
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
}

function workflowToImport(): object {
	const example = JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', 'metastudio-failed-review-slack-and-recycle.json'), 'utf8'));
	for (const node of example.nodes) {
		if (node.type === 'n8n-nodes-base.slack') {
			node.disabled = true;
			delete node.credentials;
		}
		if (node.credentials?.huaweiCloudAkSkApi) node.credentials.huaweiCloudAkSkApi = { id: CREDENTIAL_ID, name: 'Huawei Cloud AK/SK (emulator)' };
		if (node.type === 'n8n-nodes-media-assets.mediaAssetsTrigger') node.parameters.pollTimes = { item: [{ mode: 'everyMinute' }] };
	}
	return { ...example, id: WORKFLOW_ID, active: false };
}

async function main(): Promise<void> {
	prepareN8n();
	rmSync(PROOF_FOLDER, { recursive: true, force: true });
	mkdirSync(join(PROOF_FOLDER, '.n8n'), { recursive: true });
	// The installed package and n8n's own n8n-workflow, as the bench installed them (see n8nInstall.ts).
	symlinkSync(join(USER_FOLDER, '.n8n', 'nodes'), join(PROOF_FOLDER, '.n8n', 'nodes'));

	const cloud = await MetaStudioEmulator.start({
		accessKeyId: 'AKPROOF0000000000016',
		secretAccessKey: 'proof-secret-000000000000000000000016',
		projectId: 'p0000000000000000000000000000062',
		assets: [
			{ asset_id: 'failed-long-ago', asset_name: 'old intro', asset_state: 'FAILED', create_time: Date.now() - 24 * 3600_000 },
			{ asset_id: 'spring-intro', asset_name: 'spring intro', asset_state: 'CREATING', create_time: Date.now() - 3600_000 },
			{ asset_id: 'spring-cover', asset_name: 'spring cover', asset_type: 'IMAGE', asset_state: 'CREATING', create_time: Date.now() - 3600_000 },
		],
	});
	const port = await freePort();
	let n8n: ReturnType<typeof spawn> | undefined;
	let n8nLog = '';
	try {
		const importDir = join(PROOF_FOLDER, 'import');
		mkdirSync(importDir, { recursive: true });
		writeFileSync(
			join(importDir, 'credentials.json'),
			JSON.stringify([{ id: CREDENTIAL_ID, name: 'Huawei Cloud AK/SK (emulator)', type: 'huaweiCloudAkSkApi', data: cloud.akSkCredential() }]),
		);
		writeFileSync(join(importDir, 'workflow.json'), JSON.stringify(workflowToImport()));
		log('importing the credential and the example workflow …');
		await runCli(['import:credentials', `--input=${join(importDir, 'credentials.json')}`], port);
		await runCli(['import:workflow', `--input=${join(importDir, 'workflow.json')}`], port);
		await runCli(['publish:workflow', `--id=${WORKFLOW_ID}`], port);

		log(`n8n start on port ${port} …`);
		n8n = spawn(NODE24, [N8N_BIN, 'start'], { cwd: PROOF_FOLDER, env: env(port), stdio: ['ignore', 'pipe', 'pipe'] });
		n8n.stdout!.on('data', (chunk: Buffer) => (n8nLog += chunk.toString('utf8')));
		n8n.stderr!.on('data', (chunk: Buffer) => (n8nLog += chunk.toString('utf8')));

		await waitFor('n8n to activate the workflow (its first poll)', () => cloud.requestsTo('ListAssets').length > 0, 180_000);
		const activatedAt = Date.now();
		log(`activated: first poll ${JSON.stringify(cloud.requestsTo('ListAssets')[0].query)}`);
		await new Promise((resolve) => setTimeout(resolve, 1500));

		cloud.setAssetState('spring-intro', 'FAILED');
		cloud.setAssetState('spring-cover', 'ACTIVED');
		log('in the emulator: spring-intro FAILED (review), spring-cover ACTIVED; waiting for the next poll (≤ 1 minute) …');
		await waitFor('n8n to move spring-intro to the recycle bin', () => cloud.assetState('spring-intro') === 'DELETING', 150_000);
		log(`spring-intro is DELETING ${Math.round((Date.now() - activatedAt) / 1000)} s after activation`);
		await new Promise((resolve) => setTimeout(resolve, 3000));

		const polls = cloud.requestsTo('ListAssets').length;
		const deletes = cloud.requestsTo('DeleteAsset').map((request) => request.path);
		if (cloud.assetState('failed-long-ago') !== 'FAILED') throw new Error('The asset that failed before activation was touched');
		if (deletes.length !== 1) throw new Error(`Expected one DeleteAsset, got ${JSON.stringify(deletes)}`);
		log(`ListAssets requests: ${polls}; DeleteAsset requests: ${JSON.stringify(deletes)}`);
		n8n.kill('SIGTERM');
		await new Promise((resolve) => n8n!.once('close', resolve));
		n8n = undefined;

		log('PASS: the workflow was active in n8n start and fired once on the emulator change');
	} catch (error) {
		process.stdout.write(`${n8nLog.slice(-6000)}\n`);
		throw error;
	} finally {
		if (n8n) n8n.kill('SIGKILL');
		await cloud.stop();
	}
}

main().catch((error: Error) => {
	process.stderr.write(`[prove:trigger] FAIL: ${error.message}\n`);
	process.exitCode = 1;
});
