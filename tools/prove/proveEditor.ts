/* eslint-disable @typescript-eslint/no-explicit-any -- REST and CDP answers are read loosely here */
/**
 * Proof in a real n8n (2.41.1 under Node 24, from .bench/, see tools/bench/n8nInstall.ts) that version
 * 2's Asset ID picker works where users meet it:
 *
 * 1. the package is built, packed and installed as n8n's Community Nodes installer does;
 * 2. n8n starts on a fresh database; the owner is set up and logged in over REST; an AK/SK credential
 *    pointing at the MetaStudio emulator (in this process) is created;
 * 3. POST /rest/dynamic-node-parameters/resource-locator-results, the editor's own request, is called
 *    for page 1, page 2 (its pagination token), a search text and the recycle-bin picker;
 * 4. headless Chromium opens a workflow with a version 2 Get node, opens the From list dropdown and
 *    takes a screenshot.
 *
 * `npm run prove:editor` (not part of npm test). Results: .bench/prove-editor/.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

import { MetaStudioEmulator } from '../../test/emulators/metaStudio';
import { generateAssets } from '../../test/emulators/metaStudioAssets';
import { n8nEnv } from '../bench/n8nCli';
import { CACHE, N8N_BIN, NODE24, prepareN8n } from '../bench/n8nInstall';

const OUT = join(CACHE, 'prove-editor');
const BROWSER_ID = 'prove-editor-browser';
const OWNER = { email: 'owner@example.com', firstName: 'Proof', lastName: 'Owner', password: 'Prove-editor-1' };
const NODE_TYPE = 'n8n-nodes-media-assets.mediaAssets';
const log = (text: string) => process.stderr.write(`[prove] ${text}\n`);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function freePort(): Promise<number> {
	return await new Promise((resolve) => {
		const server = createServer();
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as { port: number };
			server.close(() => resolve(port));
		});
	});
}

class Rest {
	cookie = '';

	constructor(readonly base: string) {}

	async call(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
		const response = await fetch(`${this.base}${path}`, {
			method,
			headers: { 'content-type': 'application/json', 'browser-id': BROWSER_ID, ...(this.cookie ? { cookie: this.cookie } : {}) },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const setCookie = response.headers.get('set-cookie');
		const auth = setCookie?.match(/n8n-auth=[^;]+/)?.[0];
		if (auth) this.cookie = auth;
		const text = await response.text();
		let json: unknown = text;
		try {
			json = JSON.parse(text);
		} catch {
			// Not JSON.
		}
		return { status: response.status, json };
	}
}

async function startN8n(port: number) {
	const dbFile = 'prove-editor.sqlite';
	const env = n8nEnv({
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_SECURE_COOKIE: 'false',
		DB_SQLITE_DATABASE: dbFile,
		N8N_LOG_LEVEL: 'warn',
		EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS: 'true',
	});
	rmSync(join(env.N8N_USER_FOLDER!, '.n8n', dbFile), { force: true });
	const child = spawn(NODE24, [N8N_BIN, 'start'], { cwd: CACHE, env, stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	child.stdout.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8000)));
	child.stderr.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8000)));
	const base = `http://127.0.0.1:${port}`;
	for (let i = 0; i < 240; i++) {
		if (child.exitCode !== null) throw new Error(`n8n exited:\n${output}`);
		const ok = await fetch(`${base}/healthz/readiness`).then((r) => r.ok).catch(() => false);
		if (ok) return { child, base };
		await pause(1000);
	}
	throw new Error(`n8n did not start:\n${output}`);
}

/** A minimal Chrome DevTools Protocol client over the WebSocket Node provides. */
async function cdp(wsUrl: string) {
	const ws = new WebSocket(wsUrl);
	await new Promise((resolve, reject) => {
		ws.onopen = resolve;
		ws.onerror = reject;
	});
	let id = 0;
	const waiting = new Map<number, (value: any) => void>();
	ws.onmessage = (event) => {
		const message = JSON.parse(String(event.data));
		if (message.id !== undefined) waiting.get(message.id)?.(message);
	};
	const send = (method: string, params: object = {}) =>
		new Promise<any>((resolve) => {
			const callId = ++id;
			waiting.set(callId, resolve);
			ws.send(JSON.stringify({ id: callId, method, params }));
		});
	const evaluate = async (expression: string) =>
		(await send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true })).result?.result?.value;
	return { send, evaluate, close: () => ws.close() };
}

async function screenshot(base: string, cookie: string, workflowId: string, nodeId: string) {
	const userDataDir = join(OUT, 'chromium-profile');
	rmSync(userDataDir, { recursive: true, force: true });
	const debugPort = await freePort();
	const chrome = spawn(
		'chromium',
		[
			'--headless',
			'--no-sandbox',
			'--disable-gpu',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			'--no-first-run',
			`--user-data-dir=${userDataDir}`,
			`--remote-debugging-port=${debugPort}`,
			'--window-size=1440,1000',
			'about:blank',
		],
		{ stdio: 'ignore' },
	);
	try {
		let pageWs: string | undefined;
		for (let i = 0; i < 60 && !pageWs; i++) {
			await pause(500);
			const targets = (await fetch(`http://127.0.0.1:${debugPort}/json/list`).then((r) => r.json()).catch(() => [])) as Array<{ type: string; webSocketDebuggerUrl: string }>;
			pageWs = targets.find((t) => t.type === 'page')?.webSocketDebuggerUrl;
		}
		if (!pageWs) throw new Error('Chromium did not start');
		const page = await cdp(pageWs);
		await page.send('Page.enable');
		await page.send('Network.enable');
		await page.send('Emulation.setDeviceMetricsOverride', { width: 1440, height: 1000, deviceScaleFactor: 1, mobile: false });
		const [name, value] = cookie.split('=');
		await page.send('Network.setCookie', { name, value, url: base });
		// The auth cookie is bound to the browser ID it was issued for: give the editor the same one.
		await page.send('Page.addScriptToEvaluateOnNewDocument', { source: `localStorage.setItem('n8n-browserId', '${BROWSER_ID}');` });
		await page.send('Page.navigate', { url: `${base}/workflow/${workflowId}/${nodeId}` });
		let opened = false;
		for (let i = 0; i < 60 && !opened; i++) {
			await pause(1000);
			opened = await page.evaluate(`!!document.querySelector('[data-test-id="rlc-input"]')`);
		}
		if (!opened) log('the node details view did not show the resource locator input');
		// A real mouse click, as a user opens the dropdown (a synthetic click() only focuses the input).
		const box = await page.evaluate(
			`(() => { const r = document.querySelector('[data-test-id="rlc-input"]')?.getBoundingClientRect(); return r ? { x: r.x + r.width / 2, y: r.y + r.height / 2 } : null; })()`,
		);
		if (box) {
			for (const type of ['mouseMoved', 'mousePressed', 'mouseReleased']) {
				await page.send('Input.dispatchMouseEvent', { type, x: box.x, y: box.y, button: 'left', clickCount: 1 });
			}
		}
		let items: string[] = [];
		for (let i = 0; i < 20 && items.length === 0; i++) {
			await pause(500);
			items = await page.evaluate(
				`[...document.querySelectorAll('[data-test-id="rlc-item"]')].map((el) => el.innerText.replace(/\\s+/g, ' ').trim())`,
			);
		}
		await pause(1000);
		const shot = await page.send('Page.captureScreenshot', { format: 'png' });
		const file = join(OUT, 'from-list.png');
		writeFileSync(file, Buffer.from(shot.result.data, 'base64'));
		const modeText = await page.evaluate(`document.querySelector('[data-test-id="rlc-mode-selector"] input')?.value ?? null`);
		page.close();
		return { file, items, modeText };
	} finally {
		chrome.kill('SIGKILL');
	}
}

async function main() {
	mkdirSync(OUT, { recursive: true });
	log('building, packing and installing the package into the cached n8n …');
	prepareN8n({ reuseBuild: process.argv.includes('--reuse-build') });

	const cloud = await MetaStudioEmulator.start({
		accessKeyId: 'HPUAXLPZQ7PROVEAK001',
		secretAccessKey: 'secretKeyProveEditor0123456789abcdefgh',
		projectId: '6a6a1f8354f64dd9b9a614def7b59d83',
		assets: generateAssets(120, {
			each: (i) => ({
				asset_name: i % 10 === 3 ? `Promo clip ${i}` : `Studio asset ${String(i).padStart(3, '0')}`,
				asset_type: (['VIDEO', 'IMAGE', 'HUMAN_MODEL_2D'] as const)[i % 3],
				asset_state: i % 7 === 5 ? 'DELETING' : 'ACTIVED',
			}),
		}),
	});
	const port = await freePort();
	log(`starting n8n on port ${port} …`);
	const { child, base } = await startN8n(port);
	try {
		const rest = new Rest(base);
		const setup = await rest.call('POST', '/rest/owner/setup', OWNER);
		if (setup.status !== 200) throw new Error(`owner setup: ${setup.status} ${JSON.stringify(setup.json)}`);
		const login = await rest.call('POST', '/rest/login', { emailOrLdapLoginId: OWNER.email, password: OWNER.password });
		if (login.status !== 200) throw new Error(`login: ${login.status} ${JSON.stringify(login.json)}`);

		const credential = await rest.call('POST', '/rest/credentials', {
			name: 'MetaStudio emulator',
			type: 'huaweiCloudAkSkApi',
			data: cloud.akSkCredential(),
		});
		if (credential.status !== 200) throw new Error(`credential: ${credential.status} ${JSON.stringify(credential.json)}`);
		const credentialRef = { id: credential.json.data.id as string, name: 'MetaStudio emulator' };

		const parameters = { resource: 'metaStudioAsset', operation: 'get', authentication: 'akSk', assetId: { __rl: true, mode: 'list', value: '' }, options: {} };
		const search = async (methodName: string, extra: object = {}) => {
			const answer = await rest.call('POST', '/rest/dynamic-node-parameters/resource-locator-results', {
				path: 'parameters.assetId',
				nodeTypeAndVersion: { name: NODE_TYPE, version: 2 },
				currentNodeParameters: parameters,
				methodName,
				credentials: { huaweiCloudAkSkApi: credentialRef },
				...extra,
			});
			if (answer.status !== 200) throw new Error(`${methodName}: ${answer.status} ${JSON.stringify(answer.json)}`);
			return answer.json.data as { results: Array<{ name: string; value: string; description?: string; url?: string }>; paginationToken?: string };
		};
		const page1 = await search('searchAssets');
		const page2 = await search('searchAssets', { paginationToken: page1.paginationToken });
		const page3 = await search('searchAssets', { paginationToken: page2.paginationToken });
		const filtered = await search('searchAssets', { filter: 'promo' });
		const recycleBin = await search('searchRecycleBinAssets');
		const summary = {
			n8nVersion: (await rest.call('GET', '/rest/settings')).json?.data?.versionCli,
			page1: { count: page1.results.length, first: page1.results[0], paginationToken: page1.paginationToken },
			page2: { count: page2.results.length, first: page2.results[0], paginationToken: page2.paginationToken },
			page3: { count: page3.results.length, last: page3.results.at(-1), paginationToken: page3.paginationToken ?? null },
			filterPromo: { count: filtered.results.length, names: filtered.results.map((r) => r.name) },
			recycleBin: { count: recycleBin.results.length, states: [...new Set(recycleBin.results.map((r) => r.description))] },
			anyUrl: [...page1.results, ...page2.results, ...page3.results].some((r) => r.url !== undefined),
			emulatorListRequests: cloud.requests.filter((r) => /\/digital-assets\?/.test(r.rawPath)).map((r) => r.rawPath.replace(/^.*\?/, '?')),
		};

		const nodeId = 'b1f0c2de-0000-4000-8000-000000000002';
		const workflow = await rest.call('POST', '/rest/workflows', {
			name: 'Prove editor: Media Assets v2 picker',
			active: false,
			settings: { executionOrder: 'v1' },
			connections: {},
			nodes: [
				{
					id: nodeId,
					name: 'Get a MetaStudio asset',
					type: NODE_TYPE,
					typeVersion: 2,
					position: [0, 0],
					parameters,
					credentials: { huaweiCloudAkSkApi: credentialRef },
				},
			],
		});
		if (workflow.status !== 200) throw new Error(`workflow: ${workflow.status} ${JSON.stringify(workflow.json)}`);
		log('taking the screenshot in headless Chromium …');
		const shot = await screenshot(base, rest.cookie, workflow.json.data.id as string, nodeId);
		const result = { ...summary, screenshot: shot };
		writeFileSync(join(OUT, 'results.json'), JSON.stringify(result, null, 2));
		process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
	} finally {
		child.kill('SIGTERM');
		await cloud.stop();
	}
}

main().catch((error) => {
	process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
	process.exit(1);
});
