/**
 * What `npm run bench` measures. Each scenario runs its sides one after the other on a freshly reset
 * server, `repeat` times, rotating the order of the sides between repeats so that a slow spell on this
 * shared machine does not always land on the same side.
 */
import { DEFAULT_CONCURRENCY } from '../../nodes/MediaAssets/helpers/constants';
import type { LimitConfig, LimitShape } from './kyyServer';
import type { Subject } from './workflows';

export interface Side {
	label: string;
	subject: Subject;
	/** Requests this side may have in flight (C of C/L), when it has such a bound. */
	concurrency?: number;
	/** The side the other sides' ratios are taken against. */
	baseline?: boolean;
}

export interface Scenario {
	name: string;
	title: string;
	kind: 'throughput' | 'limit' | 'parallel' | 'memory';
	items: number;
	latencyMs: number;
	limit?: LimitConfig;
	sides: Side[];
	repeat: number;
	/** Separate `n8n execute` processes started together, each with items / executions of the items. */
	executions?: number;
	/** Heap after a full GC at the probes (n8n runs with --expose-gc). */
	gc?: boolean;
	/** Items of the warm-up pass before the measured node (see workflows.ts). */
	warmup: number;
}

const mediaAssets = (label: string, options: Record<string, unknown>, concurrency?: number): Side => ({
	label,
	subject: { kind: 'mediaAssets', options },
	concurrency: concurrency ?? (options.concurrency as number | undefined) ?? DEFAULT_CONCURRENCY,
});
const httpHeader = (label: string, batchSize?: number): Side => ({
	label,
	subject: { kind: 'httpHeader', batchSize },
	baseline: true,
});
const httpPredefined = (label: string, batchSize?: number): Side => ({
	label,
	subject: { kind: 'httpPredefined', batchSize },
});

const SHAPES: Array<{ key: string; burst: number; shape: LimitShape; text: string }> = [
	{ key: 'b1-ra1', burst: 1, shape: 'retry-after-1', text: 'burst 1, 429 + Retry-After: 1' },
	{ key: 'b10-ra1', burst: 10, shape: 'retry-after-1', text: 'burst 10, 429 + Retry-After: 1' },
	{ key: 'b50-ra1', burst: 50, shape: 'retry-after-1', text: 'burst 50, 429 + Retry-After: 1' },
	{ key: 'b10-ra0', burst: 10, shape: 'retry-after-0', text: 'burst 10, 429 + Retry-After: 0' },
	{ key: 'b10-none', burst: 10, shape: 'no-retry-after', text: 'burst 10, 429 without Retry-After' },
	{ key: 'b10-apigw', burst: 10, shape: 'apigw', text: 'burst 10, 429 APIGW.0308 (MetaStudio form)' },
];

export const LIMIT_PER_SECOND = 50;

/** Under a limit the CPU is not what limits: a short warm-up is enough there. */
const PACED_WARMUP = 300;

export interface ScenarioOptions {
	items?: number;
	repeat?: number;
	quick: boolean;
	/** Shape key for the parallel scenario. */
	shape: string;
	executions: number;
	warmup: number;
}

export function allScenarios(options: ScenarioOptions): Scenario[] {
	const items = (n: number) => options.items ?? n;
	const repeat = (n: number) => options.repeat ?? (options.quick ? 1 : n);
	const scenarios: Scenario[] = [
		{
			name: 'c16',
			title: '20 ms latency, concurrency / batch size 16',
			kind: 'throughput',
			items: items(600),
			latencyMs: 20,
			repeat: repeat(3),
			warmup: options.warmup,
			sides: [
				mediaAssets('Media Assets, concurrency 16', { concurrency: 16 }),
				httpHeader('HTTP Request, batch size 16, Bearer typed in as Header Auth', 16),
				httpPredefined('HTTP Request, batch size 16, kyyVideo2Api predefined credential', 16),
			],
		},
		{
			// The set-up: each `n8n execute` a freshly started process, no warm-up.
			name: 'c16-cold',
			title: '20 ms latency, concurrency / batch size 16, cold process',
			kind: 'throughput',
			items: items(600),
			latencyMs: 20,
			repeat: repeat(3),
			warmup: 0,
			sides: [
				mediaAssets('Media Assets, concurrency 16', { concurrency: 16 }),
				httpHeader('HTTP Request, batch size 16, Bearer typed in as Header Auth', 16),
			],
		},
		{
			name: 'defaults',
			title: '20 ms latency, defaults',
			kind: 'throughput',
			items: items(600),
			latencyMs: 20,
			repeat: repeat(3),
			warmup: options.warmup,
			sides: [
				mediaAssets(`Media Assets, defaults (concurrency ${DEFAULT_CONCURRENCY})`, {}),
				httpHeader('HTTP Request, defaults (every item at once), Header Auth'),
			],
		},
		{
			name: 'zero',
			title: '0 ms latency, concurrency / batch size 16',
			kind: 'throughput',
			items: items(600),
			latencyMs: 0,
			repeat: repeat(3),
			warmup: options.warmup,
			sides: [
				mediaAssets('Media Assets, concurrency 16', { concurrency: 16 }),
				httpHeader('HTTP Request, batch size 16, Header Auth', 16),
			],
		},
		...SHAPES.map(
			(shape): Scenario => ({
				name: `limit-${shape.key}`,
				title: `server limit ${LIMIT_PER_SECOND}/s, ${shape.text}`,
				kind: 'limit',
				items: items(600),
				latencyMs: 20,
				limit: { perSecond: LIMIT_PER_SECOND, burst: shape.burst, shape: shape.shape },
				repeat: repeat(1),
				warmup: Math.min(options.warmup, PACED_WARMUP),
				sides: [
					mediaAssets('Media Assets, defaults (unpaced)', {}),
					mediaAssets(`Media Assets, Requests per Second ${LIMIT_PER_SECOND}`, { requestsPerSecond: LIMIT_PER_SECOND }),
					// The HTTP Request node has no answer to a 429 but its own retry: shown once, for the shape.
					...(shape.key === 'b10-ra1' ? [httpHeader('HTTP Request, defaults, Header Auth')] : []),
				],
			}),
		),
		{
			name: 'parallel',
			title: `${options.executions} executions in parallel on one ${LIMIT_PER_SECOND}/s limit (${SHAPES.find((s) => s.key === options.shape)?.text ?? options.shape})`,
			kind: 'parallel',
			items: items(600),
			latencyMs: 20,
			limit: limitOf(options.shape),
			executions: options.executions,
			repeat: repeat(1),
			warmup: Math.min(options.warmup, PACED_WARMUP),
			sides: [mediaAssets('Media Assets, defaults (unpaced), each execution', {})],
		},
		...(options.quick && options.items === undefined ? [10_000] : options.items !== undefined ? [options.items] : [10_000, 50_000]).map(
			(count): Scenario => ({
				name: `memory-${count}`,
				title: `retained heap after GC, ${count} items, 0 ms latency`,
				kind: 'memory',
				items: count,
				latencyMs: 0,
				gc: true,
				repeat: 1,
				warmup: options.warmup,
				sides: [
					mediaAssets('Media Assets, concurrency 16', { concurrency: 16 }),
					{ label: 'n8n floor: NoOp (passes items on)', subject: { kind: 'noOp' } },
					{ label: 'n8n floor: Set (adds the same fields to each item)', subject: { kind: 'set' } },
				],
			}),
		),
	];
	return scenarios;
}

function limitOf(key: string): LimitConfig {
	const shape = SHAPES.find((s) => s.key === key);
	if (!shape) throw new Error(`unknown limit shape "${key}"; one of ${SHAPES.map((s) => s.key).join(', ')}`);
	return { perSecond: LIMIT_PER_SECOND, burst: shape.burst, shape: shape.shape };
}

/** `--scenario` accepts names, and the groups `throughput`, `limits` (every limit shape) and `memory`. */
export function selectScenarios(all: Scenario[], wanted: string[]): Scenario[] {
	if (wanted.length === 0) return all;
	const picked = all.filter(
		(s) =>
			wanted.includes(s.name) ||
			(wanted.includes('throughput') && s.kind === 'throughput') ||
			(wanted.includes('limits') && s.kind === 'limit') ||
			(wanted.includes('memory') && s.kind === 'memory'),
	);
	const unknown = wanted.filter(
		(w) => !['throughput', 'limits', 'memory'].includes(w) && !all.some((s) => s.name === w),
	);
	if (unknown.length > 0) {
		throw new Error(`unknown scenario ${unknown.join(', ')}; one of: ${all.map((s) => s.name).join(', ')}, throughput, limits, memory`);
	}
	return picked;
}
