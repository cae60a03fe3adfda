/**
 * `npm run bench -- --harness`: the node through the test harness (n8n-core's WorkflowExecute on Node 20,
 * the harness's credentials helper, the project's emulator), beside a raw HTTP client doing the same
 * calls at the same concurrency. Cheaper to start and to profile than the real n8n of runBench.ts
 * (`node --cpu-prof -r ts-node/register/transpile-only tools/bench/harnessBench.ts`), but not what a
 * user runs: the figures to quote come from runBench.ts.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { KYY_KEY, startKyyEmulator } from './emulatorClient';

process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'n8n-media-assets-bench-'));
// Imported after N8N_USER_FOLDER is set: n8n-core reads it on load.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { runMediaAssets } = require('../../test/harness/runWorkflow') as typeof import('../../test/harness/runWorkflow');

const QUICK = process.argv.includes('--quick');
const scale = (n: number) => (QUICK ? Math.max(50, Math.round(n / 10)) : n);

/**
 * The baseline: Node's own http client sending the same DELETEs at the same concurrency. With
 * keep-alive it reuses connections; without, it opens one per request, as n8n's HTTP helper does
 * (n8n-core builds a new agent for every request).
 */
async function rawClient(baseUrl: string, assetIds: string[], concurrency: number, keepAlive = true): Promise<number> {
	const agent = new http.Agent({ keepAlive, maxSockets: concurrency });
	const url = new URL(baseUrl);
	let next = 0;
	let failures = 0;
	const one = (id: string) =>
		new Promise<void>((resolve) => {
			const req = http.request(
				{
					host: url.hostname,
					port: url.port,
					method: 'DELETE',
					path: `${url.pathname}/kyyVideo2/asset/${encodeURIComponent(id)}`,
					headers: { authorization: `Bearer ${KYY_KEY}`, accept: 'application/json' },
					agent,
				},
				(res) => {
					const chunks: Buffer[] = [];
					res.on('data', (c: Buffer) => chunks.push(c));
					res.on('end', () => {
						const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { code: unknown };
						if (res.statusCode !== 200 || String(body.code) !== '0') failures++;
						resolve();
					});
				},
			);
			req.on('error', () => {
				failures++;
				resolve();
			});
			req.end();
		});
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			while (next < assetIds.length) await one(assetIds[next++]);
		}),
	);
	agent.destroy();
	return failures;
}

async function runNode(baseUrl: string, assetIds: string[], options: Record<string, unknown>) {
	const result = await runMediaAssets({
		items: assetIds.map((assetId) => ({ assetId })),
		parameters: { resource: 'asset', operation: 'delete', assetId: '={{ $json.assetId }}', options } as never,
		onError: 'continueErrorOutput',
		credentials: { kyyVideo2Api: { apiKey: KYY_KEY, baseUrl } },
	});
	if (result.error) throw result.error;
	return { succeeded: result.outputs[0]?.length ?? 0, failed: result.outputs[1]?.length ?? 0 };
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
	const start = process.hrtime.bigint();
	const value = await fn();
	return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

const ids = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

async function main() {
	const emulator = await startKyyEmulator();
	const results: Record<string, unknown> = { quick: QUICK, node: process.version, date: new Date().toISOString() };
	const rows: string[][] = [];
	try {
		// Warm both paths up once (JIT, n8n-core's lazy loading) so the first measurement is not penalised.
		await emulator.reset(200, 'warm-');
		await rawClient(emulator.baseUrl, ids(200, 'warm-'), 4);
		await emulator.reset(200, 'warm-');
		await runNode(emulator.baseUrl, ids(200, 'warm-'), { concurrency: 4 });

		// 1. Throughput at 20 ms server latency.
		const throughput: unknown[] = [];
		const count = scale(2000);
		for (const concurrency of [1, 4, 16]) {
			const n = concurrency === 1 ? Math.round(count / 4) : count;
			await emulator.reset(n, 'raw-', { latencyMs: 20 });
			const raw = await timed(() => rawClient(emulator.baseUrl, ids(n, 'raw-'), concurrency));
			await emulator.reset(n, 'fresh-', { latencyMs: 20 });
			const fresh = await timed(() => rawClient(emulator.baseUrl, ids(n, 'fresh-'), concurrency, false));
			await emulator.reset(n, 'node-', { latencyMs: 20 });
			const node = await timed(() => runNode(emulator.baseUrl, ids(n, 'node-'), { concurrency }));
			const rawRate = (n / raw.ms) * 1000;
			const freshRate = (n / fresh.ms) * 1000;
			const nodeRate = (n / node.ms) * 1000;
			throughput.push({
				concurrency,
				items: n,
				rawKeepAlivePerSecond: round(rawRate),
				rawNewConnectionPerSecond: round(freshRate),
				nodePerSecond: round(nodeRate),
				ratioToKeepAlive: round(nodeRate / rawRate, 3),
				ratioToNewConnection: round(nodeRate / freshRate, 3),
				nodeFailed: node.value.failed,
			});
			rows.push([
				`1. ${n} deletes, 20 ms latency, concurrency ${concurrency}`,
				`${round(rawRate)} /s keep-alive; ${round(freshRate)} /s new conn.`,
				`${round(nodeRate)} /s`,
				`${round((nodeRate / rawRate) * 100)} % / ${round((nodeRate / freshRate) * 100)} %`,
				concurrency === 16 ? '≥ 85 %' : '',
			]);
		}
		results.throughput = throughput;

		// 2. Goodput under a server limit of 50 requests/s (429 with Retry-After beyond it).
		const goodput: unknown[] = [];
		const limited = scale(600);
		for (const requestsPerSecond of [0, 50]) {
			await emulator.reset(limited, 'limit-', { rateLimit: { perSecond: 50, burst: 50 }, retryAfterSeconds: 1 });
			const node = await timed(() => runNode(emulator.baseUrl, ids(limited, 'limit-'), { requestsPerSecond }));
			const stats = await emulator.stats();
			const rate = (node.value.succeeded / node.ms) * 1000;
			goodput.push({ requestsPerSecond, items: limited, deletesPerSecond: round(rate), failed: node.value.failed, throttled: stats.throttled, shareOfLimit: round(rate / 50, 3) });
			rows.push([`2. ${limited} deletes, server limit 50/s, node requestsPerSecond ${requestsPerSecond}`, '50 /s allowed', `${round(rate)} /s, ${node.value.failed} failed, ${stats.throttled} × 429`, `${round((rate / 50) * 100)} %`, '≥ 90 %, 0 failed']);
		}
		results.goodput = goodput;

		// 3. Per-item overhead at zero latency.
		const overheadItems = scale(2000);
		await emulator.reset(overheadItems, 'raw0-');
		const raw0 = await timed(() => rawClient(emulator.baseUrl, ids(overheadItems, 'raw0-'), 1));
		await emulator.reset(overheadItems, 'fresh0-');
		const fresh0 = await timed(() => rawClient(emulator.baseUrl, ids(overheadItems, 'fresh0-'), 1, false));
		await emulator.reset(overheadItems, 'node0-');
		const node0 = await timed(() => runNode(emulator.baseUrl, ids(overheadItems, 'node0-'), { concurrency: 1 }));
		const rawPer = raw0.ms / overheadItems;
		const freshPer = fresh0.ms / overheadItems;
		const nodePer = node0.ms / overheadItems;
		results.overhead = {
			items: overheadItems,
			rawKeepAliveMsPerItem: round(rawPer, 3),
			rawNewConnectionMsPerItem: round(freshPer, 3),
			nodeMsPerItem: round(nodePer, 3),
			addedMsPerItemVsNewConnection: round(nodePer - freshPer, 3),
		};
		rows.push([
			`3. per-item time at 0 ms latency, concurrency 1 (${overheadItems} items)`,
			`${round(rawPer, 3)} ms keep-alive; ${round(freshPer, 3)} ms new conn.`,
			`${round(nodePer, 3)} ms`,
			`+${round(nodePer - rawPer, 3)} / +${round(nodePer - freshPer, 3)} ms/item`,
			'',
		]);

		// 4. Peak memory for 10,000 items.
		const many = scale(10_000);
		await emulator.reset(many, 'mem-');
		global.gc?.();
		const before = process.memoryUsage().rss;
		let peak = before;
		const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
		const memRun = await timed(() => runNode(emulator.baseUrl, ids(many, 'mem-'), { concurrency: 16 }));
		clearInterval(sampler);
		peak = Math.max(peak, process.memoryUsage().rss);
		const growthMb = (peak - before) / 1024 / 1024;
		results.memory = { items: many, rssBeforeMb: round(before / 1048576), rssPeakMb: round(peak / 1048576), growthMb: round(growthMb), seconds: round(memRun.ms / 1000, 2), failed: memRun.value.failed };
		rows.push([`4. RSS growth for ${many} items, concurrency 16`, `${round(before / 1048576)} MB before`, `${round(peak / 1048576)} MB peak`, `+${round(growthMb)} MB`, '≤ 100 MB']);
	} finally {
		await emulator.stop();
	}

	const header = ['scenario', 'raw client (same run) / server limit', 'node through n8n', 'node ÷ raw (keep-alive / new conn.)', 'target'];
	const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
	const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
	console.log([line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n'));
	const out = join(__dirname, '..', '..', '.bench', 'harness-results.json');
	mkdirSync(dirname(out), { recursive: true });
	writeFileSync(out, `${JSON.stringify({ ...results, table: rows }, null, 2)}\n`);
	console.log(`\nWritten to ${out}`);
}

export async function runHarnessBench(): Promise<void> {
	await main();
}

if (require.main === module) {
	main().catch((error) => {
		console.error(error);
		process.exit(1);
	});
}
