/**
 * Pacing benchmark: what share of a server's limit the node uses, and whether it loses items, across
 * limit shapes, in one execution and in several that cannot see each other.
 *
 *   npx ts-node --transpile-only --prefer-ts-exts tools/bench/pacing.ts [--quick] [--sim] [--engine] [--concurrency]
 *
 * 1. Simulation (pacingSim.ts): the engine's scheduling, the real pacer and retry policy, and the
 *    emulators' TokenBucket on a virtual clock. Deterministic, seconds to run, means over several seeds.
 * 2. Engine: the node through the real n8n engine against the emulators, on the wall clock.
 * 3. Concurrency: the node at several Concurrency values beside n8n's HTTP Request node at its defaults,
 *    on an unlimited server and under a limit (for DEFAULT_CONCURRENCY).
 * Without a section flag, all three run. Results also go to .bench/pacing-results.json.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { FaultConfig } from '../../test/emulators/faults';
import { RequestPacer } from '../../nodes/MediaAssets/engine/pacer';
import type { LimitShape, SimExecution } from './pacingSim';
import { simulate } from './pacingSim';

process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'n8n-media-assets-pacing-'));

const args = process.argv.slice(2);
const QUICK = args.includes('--quick');
const sections = ['--sim', '--engine', '--concurrency'].filter((flag) => args.includes(flag));
const run = (flag: string) => sections.length === 0 || sections.includes(flag);

const LATENCY_MS = 20;
/** Seconds of work at the limit in each scenario: 600 deletes at 50/s. */
const SECONDS = 12;

const SHAPES: LimitShape[] = [
	{ name: 'burst 1, Retry-After: 1', perSecond: 50, burst: 1, retryAfterMs: 1000 },
	{ name: 'burst 10, Retry-After: 1', perSecond: 50, burst: 10, retryAfterMs: 1000 },
	{ name: 'burst 50, Retry-After: 1', perSecond: 50, burst: 50, retryAfterMs: 1000 },
	{ name: 'burst 10, Retry-After: 0', perSecond: 50, burst: 10, retryAfterMs: 0 },
	{ name: 'burst 10, no Retry-After', perSecond: 50, burst: 10 },
	{ name: 'APIGW.0308, 10/s (cn-north-4)', perSecond: 10, burst: 10, code: 'APIGW.0308' },
	{ name: 'APIGW.0308, 5/s', perSecond: 5, burst: 5, code: 'APIGW.0308' },
];

interface Variant {
	label: string;
	executions: (limit: number, concurrency: number) => SimExecution[];
}

const VARIANTS: Variant[] = [
	{ label: '1 run', executions: (r, c) => [{ items: r * SECONDS, concurrency: c, requestsPerSecond: 0 }] },
	{ label: '1 run, RPS = limit', executions: (r, c) => [{ items: r * SECONDS, concurrency: c, requestsPerSecond: r }] },
	{ label: '4 runs', executions: (r, c) => four(() => ({ items: (r * SECONDS) / 4, concurrency: c, requestsPerSecond: 0 })) },
	{
		label: '4 runs, staggered',
		executions: (r, c) => four((k) => ({ items: Math.round((r * SECONDS * (k + 1)) / 10), concurrency: c, requestsPerSecond: 0, startAt: k * 500 })),
	},
	{ label: '4 runs, RPS = limit', executions: (r, c) => four(() => ({ items: (r * SECONDS) / 4, concurrency: c, requestsPerSecond: r })) },
];

function four(make: (k: number) => SimExecution): SimExecution[] {
	return [0, 1, 2, 3].map(make);
}

const round = (n: number, digits = 0) => Math.round(n * 10 ** digits) / 10 ** digits;

function table(header: string[], rows: string[][]): string {
	const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
	const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
	return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}


async function simulationSection(results: Record<string, unknown>) {
	const seeds = QUICK ? 4 : 12;
	const concurrency = 16;
	const out: unknown[] = [];
	// As shipped: 429s do not spend Max Retries (retryPolicy.MAX_THROTTLED_IN_A_ROW); in the simulation
	// every failure is a 429, so the item's attempts are its refusals in a row.
	for (const title of ['as shipped']) {
		const rows: string[][] = [];
		for (const shape of SHAPES) {
			const row = [shape.name];
			for (const variant of VARIANTS) {
				let sum = 0;
				let worst = Infinity;
				let lost = 0;
				let throttled = 0;
				let requests = 0;
				for (let seed = 1; seed <= seeds; seed++) {
					const r = await simulate({
						shape,
						seed,
						latencyMs: LATENCY_MS,
						jitterMs: 5,
						executions: variant.executions(shape.perSecond, concurrency),
					});
					const share = (r.goodput / shape.perSecond) * 100;
					sum += share;
					worst = Math.min(worst, share);
					lost += r.lost;
					throttled += r.throttled;
					requests += r.requests;
				}
				const mean = sum / seeds;
				row.push(`${round(mean)} % (≥${round(worst)}), ${lost} lost, ${round((throttled / requests) * 100)} % 429`);
				out.push({ shape: shape.name, variant: variant.label, meanShare: round(mean, 1), worstShare: round(worst, 1), lost, share429: round(throttled / requests, 3) });
			}
			rows.push(row);
		}
		console.log(`\nSimulation, ${title}: share of the limit (mean over ${seeds} seeds, worst), items lost over all seeds, 429s among requests.`);
		console.log(`Concurrency ${concurrency}, ${LATENCY_MS} ms latency, ${SECONDS} s of work at the limit in total.`);
		console.log(table(['limit shape', ...VARIANTS.map((v) => v.label)], rows));
	}
	// Burst 1 (nginx's limit_req without burst) is capped by how unevenly requests arrive: the best fixed pace.
	const oracle: string[] = [];
	for (const factor of [0.7, 0.8, 0.9, 1]) {
		let sum = 0;
		for (let seed = 1; seed <= seeds; seed++) {
			const rate = 50 * factor;
			const r = await simulate({
				shape: SHAPES[0],
				seed,
				latencyMs: LATENCY_MS,
				jitterMs: 5,
				executions: [{ items: 50 * SECONDS, concurrency, requestsPerSecond: 0 }],
				maxRetries: 100,
				pacerFactory: (_rps, now, wait) => fixedPace(rate, now, wait),
			});
			sum += (r.goodput / 50) * 100;
		}
		oracle.push(`${factor} × limit: ${round(sum / seeds)} %`);
	}
	console.log(`\nBurst 1, one run, a fixed pace that never adapts (the physical bound with 0-6 ms arrival jitter): ${oracle.join('; ')}`);
	results.simulation = out;
}

function fixedPace(rate: number, now: () => number, wait: (ms: number) => Promise<void>) {
	let next = 0;
	return {
		async acquire() {
			const at = Math.max(now(), next);
			next = at + 1000 / rate;
			if (at > now()) await wait(at - now());
			return 0;
		},
		onSuccess() {},
		onThrottled() {},
	};
}

async function engineSection(results: Record<string, unknown>) {
	// Loaded here: n8n-core reads N8N_USER_FOLDER when it loads.
	const engine = await import('./pacingEngine');
	const emulator = await engine.startKyyEmulator();
	const out: unknown[] = [];
	const rows: string[][] = [];
	try {
		await engine.runKyy(emulator, {}, 1, 100, {});
		const limit = 50;
		const total = QUICK ? limit * 6 : limit * SECONDS;
		const kyyShapes: Array<[string, FaultConfig]> = [
			['burst 1, Retry-After: 1', { rateLimit: { perSecond: limit, burst: 1 }, retryAfterSeconds: 1 }],
			['burst 10, Retry-After: 1', { rateLimit: { perSecond: limit, burst: 10 }, retryAfterSeconds: 1 }],
			['burst 50, Retry-After: 1', { rateLimit: { perSecond: limit, burst: 50 }, retryAfterSeconds: 1 }],
			['burst 10, Retry-After: 0', { rateLimit: { perSecond: limit, burst: 10 }, retryAfterSeconds: 0 }],
		];
		const variants: Array<[string, number, Record<string, unknown>]> = [
			['1 run', 1, { requestsPerSecond: 0, concurrency: 16 }],
			['1 run, RPS = limit', 1, { requestsPerSecond: limit, concurrency: 16 }],
			['4 runs', 4, { requestsPerSecond: 0, concurrency: 16 }],
			['4 runs, RPS = limit', 4, { requestsPerSecond: limit, concurrency: 16 }],
		];
		for (const [name, shape] of QUICK ? kyyShapes.slice(1, 2) : kyyShapes) {
			const row = [`KyyVideo2, ${limit}/s, ${name}`];
			for (const [label, executions, options] of variants) {
				const r = await engine.runKyy(emulator, { latencyMs: LATENCY_MS, ...shape }, executions, total / executions, options);
				const share = (r.succeeded / r.ms) * 1000 / limit;
				row.push(`${round(share * 100)} %, ${r.failed} lost, ${r.throttled} × 429`);
				out.push({ shape: name, variant: label, share: round(share, 3), lost: r.failed, throttled: r.throttled, seconds: round(r.ms / 1000, 2) });
			}
			rows.push(row);
		}
		const apigw = { perSecond: 10, burst: 10 };
		const apigwTotal = QUICK ? 60 : apigw.perSecond * SECONDS;
		const row = ['MetaStudio, 10/s, APIGW.0308 (no Retry-After)'];
		for (const [label, executions, options] of variants) {
			const rps = options.requestsPerSecond === 0 ? 0 : apigw.perSecond;
			const r = await engine.runMetaStudio(apigw, LATENCY_MS, executions, apigwTotal / executions, { ...options, requestsPerSecond: rps });
			const share = (r.succeeded / r.ms) * 1000 / apigw.perSecond;
			row.push(`${round(share * 100)} %, ${r.failed} lost, ${r.throttled} × 429`);
			out.push({ shape: 'APIGW.0308 10/s', variant: label, share: round(share, 3), lost: r.failed, throttled: r.throttled, seconds: round(r.ms / 1000, 2) });
		}
		rows.push(row);
	} finally {
		await emulator.stop();
	}
	console.log(`\nThrough the n8n engine (wall clock): share of the limit, items lost, 429s. Concurrency 16, ${LATENCY_MS} ms latency.`);
	console.log(table(['limit', '1 run', '1 run, RPS = limit', '4 runs', '4 runs, RPS = limit'], rows));
	results.engine = out;
}

async function concurrencySection(results: Record<string, unknown>) {
	const engine = await import('./pacingEngine');
	const emulator = await engine.startKyyEmulator();
	const out: unknown[] = [];
	const rows: string[][] = [];
	const items = QUICK ? 300 : 1000;
	const limited: FaultConfig = { latencyMs: LATENCY_MS, rateLimit: { perSecond: 50, burst: 10 }, retryAfterSeconds: 1 };
	try {
		await engine.runKyy(emulator, {}, 1, 200, { concurrency: 16 });
		await engine.runHttpRequestNode(emulator, {}, 200);
		const http = await engine.runHttpRequestNode(emulator, { latencyMs: LATENCY_MS }, items);
		const httpRate = (http.succeeded / http.ms) * 1000;
		const httpLimited = await engine.runHttpRequestNode(emulator, limited, QUICK ? 300 : 600);
		rows.push([
			'HTTP Request node, defaults',
			`${round(httpRate)} /s`,
			'1.00',
			`${httpLimited.succeeded} deleted, ${httpLimited.failed} failed`,
		]);
		out.push({ node: 'httpRequest', perSecond: round(httpRate, 1), limited: httpLimited });
		for (const concurrency of [4, 8, 16, 32, 64]) {
			const free = await engine.runKyy(emulator, { latencyMs: LATENCY_MS }, 1, items, { concurrency });
			const rate = (free.succeeded / free.ms) * 1000;
			const underLimit = await engine.runKyy(emulator, limited, 1, QUICK ? 300 : 600, { concurrency });
			const share = (underLimit.succeeded / underLimit.ms) * 1000 / 50;
			rows.push([
				`Media Assets, concurrency ${concurrency}`,
				`${round(rate)} /s`,
				round(rate / httpRate, 2).toFixed(2),
				`${round(share * 100)} % of the limit, ${underLimit.failed} lost, ${underLimit.throttled} × 429`,
			]);
			out.push({ concurrency, perSecond: round(rate, 1), ratio: round(rate / httpRate, 3), limitedShare: round(share, 3), lost: underLimit.failed, throttled: underLimit.throttled });
		}
	} finally {
		await emulator.stop();
	}
	// What the pacer adds per request on a server that never throttles.
	const pacer = new RequestPacer(0, () => Date.now(), async () => {});
	const calls = 200_000;
	const start = process.hrtime.bigint();
	for (let i = 0; i < calls; i++) pacer.onSuccess(await pacer.acquire());
	const nsPerRequest = Number(process.hrtime.bigint() - start) / calls;
	out.push({ pacerNsPerRequestUnthrottled: round(nsPerRequest) });
	console.log(`\nConcurrency: ${items} deletes at ${LATENCY_MS} ms latency on an unlimited server, and under a 50/s limit (burst 10, Retry-After: 1).`);
	console.log(table(['node', 'unlimited', '÷ HTTP Request node', 'under the limit'], rows));
	console.log(`The pacer's own cost on a server that never throttles: ${round(nsPerRequest)} ns per request.`);
	results.concurrency = out;
}

async function main() {
	const results: Record<string, unknown> = { quick: QUICK, node: process.version, date: new Date().toISOString() };
	if (run('--sim')) await simulationSection(results);
	if (run('--engine')) await engineSection(results);
	if (run('--concurrency')) await concurrencySection(results);
	const folder = join(process.cwd(), '.bench');
	mkdirSync(folder, { recursive: true });
	writeFileSync(join(folder, 'pacing-results.json'), `${JSON.stringify(results, null, 2)}\n`);
	console.log('\nWritten to .bench/pacing-results.json');
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
