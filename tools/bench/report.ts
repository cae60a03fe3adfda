/** Turns the bench's records into the Markdown tables it prints. */
import type { ParallelRecord, RunRecord } from './runBench';
import type { Comparison, Scenario, Side } from './scenarios';
import { FASTEST_HTTP } from './scenarios';

const median = (values: number[]): number | undefined => {
	if (values.length === 0) return undefined;
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const defined = <T>(values: Array<T | undefined>): T[] => values.filter((v): v is T => v !== undefined);
const fixed = (n: number | undefined, digits = 0) => (n === undefined || !Number.isFinite(n) ? '–' : n.toFixed(digits));
const pct = (n: number | undefined) => (n === undefined ? '–' : `${Math.round(n * 100)} %`);
const ratio = (n: number | undefined) => (n === undefined ? '–' : `${n.toFixed(2)}×`);

function table(header: string[], rows: string[][]): string {
	const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
	const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
	return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** One cell for the repeats: the value once when every repeat agrees, else each repeat's. */
const perRepeat = (values: string[]) => (new Set(values).size <= 1 ? (values[0] ?? '–') : values.join(', '));

/** With a full bucket at the start, `burst` deletes come on top of the rate: the most `deletes` can reach. */
function goodputCeiling(deletes: number, perSecond: number, burst: number): number {
	return deletes <= burst ? Infinity : deletes / ((deletes - burst) / perSecond) / perSecond;
}

function rate(values: number[]): string {
	const mid = median(values);
	if (mid === undefined) return '–';
	if (values.length === 1) return fixed(mid);
	return `${fixed(mid)} (${fixed(Math.min(...values))}–${fixed(Math.max(...values))})`;
}

/** Ratio of a side to the baseline, paired by repeat (both ran in the same round), then the median. */
function pairedRatio(runs: RunRecord[], baseline: RunRecord[]): number | undefined {
	const ratios = defined(
		runs.map((run) => {
			const partner = baseline.find((b) => b.repeat === run.repeat);
			return run.itemsPerSecond && partner?.itemsPerSecond ? run.itemsPerSecond / partner.itemsPerSecond : undefined;
		}),
	);
	return median(ratios);
}

function throughputRows(scenario: Scenario, records: RunRecord[]): string[][] {
	const bySide = (side: Side) => records.filter((r) => r.scenario === scenario.name && r.side === side.label);
	const baselineSide = scenario.sides.find((s) => s.baseline);
	const baseline = baselineSide ? bySide(baselineSide) : [];
	return scenario.sides.map((side) => {
		const runs = bySide(side);
		const speeds = defined(runs.map((r) => r.itemsPerSecond));
		const mid = median(speeds);
		const cl = side.concurrency && scenario.latencyMs > 0 ? side.concurrency / (scenario.latencyMs / 1000) : undefined;
		const goodput = median(defined(runs.map((r) => r.goodputPerSecond)));
		const limited = scenario.limit !== undefined;
		return [
			scenario.title,
			side.label,
			rate(speeds),
			fixed(median(defined(runs.map((r) => r.cpuMsPerItem))), 2),
			// Under a limit the HTTP Request node's speed is bought with lost items: no ratio there.
			side === baselineSide || !baselineSide || limited ? '' : ratio(pairedRatio(runs, baseline)),
			cl && mid && !limited ? `${pct(mid / cl)} of ${fixed(cl)}/s` : '',
			limited && goodput !== undefined
				? `${pct(goodput / scenario.limit!.perSecond)} (max ${pct(goodputCeiling(median(runs.map((r) => r.server.deletes)) ?? 0, scenario.limit!.perSecond, scenario.limit!.burst))})`
				: '',
			perRepeat(runs.map((r) => `${r.succeeded}/${r.failed}`)),
			perRepeat(runs.map((r) => String(r.lost))),
			perRepeat(runs.map((r) => String(r.server.doubleDeletes))),
		];
	});
}

/** Seconds from the first request until deletes first reach `share` of the limit in a whole second. */
function secondsToReach(series: number[], limit: number, share: number): number | undefined {
	const index = series.findIndex((count) => count >= limit * share);
	return index < 0 ? undefined : index;
}

const MB = 1048576;

function metricOf(record: RunRecord, metric: Comparison['metric']): number | undefined {
	switch (metric) {
		case 'speed':
			return record.itemsPerSecond;
		case 'time':
			return record.nodeMs;
		case 'peak':
			return record.heap?.peakBytes;
		case 'peakAboveStart':
			return record.heap?.peakAboveStartBytes;
		case 'retained':
			return record.heap?.retainedBytes;
		case 'peakRssAboveStart':
			return record.heap?.peakRssAboveStartBytes;
	}
}

const runsOf = (records: RunRecord[], scenario: Scenario, label: string) =>
	records.filter((r) => r.scenario === scenario.name && r.side === label);

/** The label a comparison is against: FASTEST_HTTP resolves to the HTTP Request side with the highest median items/s. */
function resolveAgainst(scenario: Scenario, records: RunRecord[], against: string): string | undefined {
	if (against !== FASTEST_HTTP) return against;
	let best: { label: string; speed: number } | undefined;
	for (const side of scenario.sides.filter((s) => s.subject.kind.startsWith('http'))) {
		const speed = median(defined(runsOf(records, scenario, side.label).map((r) => r.itemsPerSecond)));
		if (speed !== undefined && (!best || speed > best.speed)) best = { label: side.label, speed };
	}
	return best?.label;
}

/** Per repeat, side ÷ against; the median and every repeat's value. */
function comparisonRatios(scenario: Scenario, records: RunRecord[], comparison: Comparison): { against?: string; median?: number; each: number[] } {
	const against = resolveAgainst(scenario, records, comparison.against);
	if (!against) return { each: [] };
	const partners = runsOf(records, scenario, against);
	const each = defined(
		runsOf(records, scenario, comparison.side).map((run) => {
			const partner = partners.find((p) => p.repeat === run.repeat);
			const a = metricOf(run, comparison.metric);
			const b = partner ? metricOf(partner, comparison.metric) : undefined;
			return a !== undefined && b !== undefined && b > 0 ? a / b : undefined;
		}),
	);
	return { against, median: median(each), each };
}

const ratioCell = (r: { median?: number; each: number[] }) =>
	r.median === undefined ? '–' : r.each.length > 1 ? `**${ratio(r.median)}** (${r.each.map((v) => v.toFixed(2)).join(', ')})` : `**${ratio(r.median)}**`;

function sideSpeed(scenario: Scenario, records: RunRecord[], label: string | undefined): [string, string] {
	if (!label) return ['–', '–'];
	const runs = runsOf(records, scenario, label);
	return [rate(defined(runs.map((r) => r.itemsPerSecond))), fixed(median(defined(runs.map((r) => r.cpuMsPerItem))), 2)];
}

/** The headline: each comparison with both sides' speed and CPU, then how every side was configured. */
function headlineSection(scenario: Scenario, records: RunRecord[]): string {
	const rows = scenario.comparisons!.map((comparison) => {
		const result = comparisonRatios(scenario, records, comparison);
		return [
			comparison.title,
			comparison.side,
			...sideSpeed(scenario, records, comparison.side),
			result.against ?? '–',
			...sideSpeed(scenario, records, result.against),
			ratioCell(result),
		];
	});
	const configs = scenario.sides.filter((s) => s.config).map((s) => `- ${s.label}: ${s.config}`);
	return [
		`${scenario.title} (${scenario.items} items, ${scenario.repeat} rounds, sides in rotating order; ratio = paired by round, median, then each round's)`,
		table(['comparison', 'Media Assets side', 'items/s median (range)', 'CPU ms/item', 'HTTP Request side', 'items/s median (range)', 'CPU ms/item', 'ratio (items/s)'], rows),
		configs.join('\n'),
	].join('\n\n');
}

function peakSection(scenario: Scenario, records: RunRecord[]): string {
	const mb = (bytes: number | undefined) => (bytes === undefined ? '–' : (bytes / MB).toFixed(1));
	const sides = table(
		['side', 'peak heap, MB (each round)', 'heap at start, MB', 'peak above start, MB (each round)', 'above start, bytes/item', 'highest after a GC, above start, MB', 'retained after GC, MB', 'retained bytes/item', 'GCs in window', 'items/s', 'ok/failed', 'lost'],
		scenario.sides.map((side) => {
			const runs = runsOf(records, scenario, side.label);
			const peak = median(defined(runs.map((r) => r.heap?.peakAboveStartBytes)));
			const retained = median(defined(runs.map((r) => r.heap?.retainedBytes)));
			const each = (pick: (r: RunRecord) => number | undefined) => runs.map((r) => mb(pick(r))).join(', ');
			return [
				side.label,
				`${mb(median(defined(runs.map((r) => r.heap?.peakBytes))))} (${each((r) => r.heap?.peakBytes)})`,
				mb(median(defined(runs.map((r) => r.heap?.startBytes)))),
				`${mb(peak)} (${each((r) => r.heap?.peakAboveStartBytes)})`,
				fixed(peak === undefined ? undefined : peak / scenario.items),
				each((r) => r.heap?.peakAfterGcAboveStartBytes),
				mb(retained),
				fixed(retained === undefined ? undefined : retained / scenario.items),
				perRepeat(runs.map((r) => String(r.heap?.collections ?? '–'))),
				rate(defined(runs.map((r) => r.itemsPerSecond))),
				perRepeat(runs.map((r) => `${r.succeeded}/${r.failed}`)),
				perRepeat(runs.map((r) => String(r.lost))),
			];
		}),
	);
	const ratios = table(
		['ratio', 'median (each round)'],
		(scenario.comparisons ?? []).map((comparison) => [comparison.title, ratioCell(comparisonRatios(scenario, records, comparison))]),
	);
	return [
		`${scenario.title} (${scenario.items} items, ${scenario.repeat} rounds, sides in rotating order). ` +
			"Peak heap = the highest used V8 heap of the n8n process from the probe right before the node (after a full GC) to the first probe after it (before its GC), exact from V8's GC profiler (the used heap before every collection and at the end); " +
			'heap at start = the used heap after the full GC at the probe before the node; peak above start = the difference; highest after a GC = the used heap right after the fullest collection in the window (live data plus old-space garbage not yet collected), less heap at start; retained = used heap after a full GC after the node, less heap at start.',
		sides,
		ratios,
	].join('\n\n');
}

function metaStudioSection(scenario: Scenario, records: RunRecord[]): string {
	const sides = table(
		['side', 'configured', 'items', 'wall time (s)', 'one request per asset needs at least (s)', 'requests by API', "429s", 'retained bytes/item', 'ok/failed', 'not in target state (lost)'],
		scenario.sides.map((side) => {
			const runs = runsOf(records, scenario, side.label);
			const limits = runs[0]?.metaStudio?.limits;
			const perAssetLimit = side.subject.kind === 'metaStudio' ? limits?.[side.subject.operation === 'delete' ? 'DeleteAsset' : 'RestoreAsset'] : undefined;
			const count = runs[0]?.items ?? scenario.items;
			return [
				side.label,
				side.config ?? '',
				String(count),
				perRepeat(runs.map((r) => fixed(r.nodeMs === undefined ? undefined : r.nodeMs / 1000, 1))),
				perAssetLimit ? fixed((count - perAssetLimit) / perAssetLimit, 0) : '–',
				perRepeat(runs.map((r) => Object.entries(r.metaStudio?.requestsByApi ?? {}).map(([api, n]) => `${api} ${n}`).join(', '))),
				perRepeat(runs.map((r) => String(r.metaStudio?.throttled ?? '–'))),
				perRepeat(runs.map((r) => fixed(r.heap?.retainedBytesPerItem))),
				perRepeat(runs.map((r) => `${r.succeeded}/${r.failed}`)),
				perRepeat(runs.map((r) => String(r.lost))),
			];
		}),
	);
	const limits = records.find((r) => r.scenario === scenario.name && r.metaStudio)?.metaStudio?.limits;
	const ratios = table(
		['ratio', 'median (each round)'],
		(scenario.comparisons ?? []).map((comparison) => [comparison.title, ratioCell(comparisonRatios(scenario, records, comparison))]),
	);
	return [
		`${scenario.title} (${scenario.items} items per side; limits in force: ${limits ? Object.entries(limits).map(([api, n]) => `${api} ${n}/s`).join(', ') : '–'})`,
		sides,
		ratios,
	].join('\n\n');
}

const MIB = 1048576;

/** Downloads: per side and round, time, speed, memory above idle, what the host served and what was stored. */
function downloadSection(scenario: Scenario, records: RunRecord[]): string {
	const mib = (bytes: number | undefined) => (bytes === undefined ? '–' : (bytes / MIB).toFixed(0));
	const rows = scenario.sides.flatMap((side) =>
		runsOf(records, scenario, side.label).map((r) => {
			const d = r.download;
			const host = d?.host;
			return [
				side.label,
				String(r.repeat + 1),
				fixed(r.nodeMs === undefined ? undefined : r.nodeMs / 1000, 1),
				fixed(r.itemsPerSecond, 2),
				fixed(d?.mbPerSecond, 0),
				fixed(r.cpuMsPerItem, 0),
				fixed(r.cpuMsPerItem === undefined || !scenario.fileBytes ? undefined : r.cpuMsPerItem / (scenario.fileBytes / 1e6), 1),
				`${mib(r.heap?.peakRssAboveStartBytes)} (${mib(r.heap?.startRssBytes)} → ${mib(r.heap?.peakRssBytes)})`,
				`${mib(r.heap?.peakAboveStartBytes)} (${mib(r.heap?.startBytes)} → ${mib(r.heap?.peakBytes)})`,
				`${r.succeeded}/${r.failed}`,
				host ? `${host.completeGets}/${host.gets}; ${host.pathsOnce} once, ${host.pathsNever} never, ${host.pathsMoreThanOnce} more` : '–',
				d?.metaStudioRequests ? `${Object.entries(d.metaStudioRequests).map(([api, n]) => `${api} ${n}`).join(', ')}; ${d.throttled ?? 0} × 429` : '–',
				d?.binary ? Object.entries(d.binary.byMode).map(([mode, n]) => `${mode} ${n}`).join(', ') || 'none' : '–',
				d?.intactFiles !== undefined ? `${d.intactFiles}/${r.items}` : `– (${d?.filesLeftOnDisk ?? 0} left on disk)`,
				side.subject.kind === 'metaStudioDownload' ? String(d?.binary?.verifiedItems ?? '–') : '–',
				String(r.lost),
				r.load ? `${r.load.before[0]} → ${r.load.after[0]}` : '–',
			];
		}),
	);
	const ratios = table(
		['ratio', 'median (each round)'],
		(scenario.comparisons ?? []).map((comparison) => [comparison.title, ratioCell(comparisonRatios(scenario, records, comparison))]),
	);
	const media = runsOf(records, scenario, scenario.sides[0].label);
	const peakRss = defined(media.map((r) => r.heap?.peakRssAboveStartBytes));
	const configs = scenario.sides.filter((s) => s.config).map((s) => `- ${s.label}: ${s.config}`);
	return [
		`${scenario.title} (${scenario.items} files of ${((scenario.fileBytes ?? 0) / 1e6).toFixed(0)} MB = ${((scenario.items * (scenario.fileBytes ?? 0)) / 1e9).toFixed(1)} GB per side, ` +
			`${scenario.repeat} rounds, sides in rotating order; n8n with N8N_DEFAULT_BINARY_DATA_MODE=filesystem). ` +
			'Time = the node\'s window (probe before → first probe after); MB/s = bytes of all files ÷ that time (MB = 10^6 bytes); ' +
			'peak RSS above idle = the kernel\'s high-water mark of the n8n process\'s RSS over the window, less its RSS at the window\'s start (after a full GC), MiB; ' +
			'peak heap above start as in the memory scenarios, MiB; host = whole GETs / GETs, files served whole once / never / more than once; ' +
			'intact = stored files whose size and MD5 the bench checked after n8n exited; verified = items whose files[] are all verified: true.',
		table(
			['side', 'round', 'time (s)', 'items/s', 'MB/s', 'CPU ms/item', 'CPU ms/MB', 'peak RSS above idle, MiB (idle → peak)', 'peak heap above start, MiB (start → peak)', 'ok/failed', 'host: whole GETs', 'MetaStudio requests', 'stored binary (mode)', 'intact', 'verified', 'lost', 'load 1 min (before → after)'],
			rows,
		),
		ratios,
		peakRss.length > 0
			? `Media Assets peak RSS above idle: ${peakRss.map((b) => (b / MIB).toFixed(0)).join(', ')} MiB (goal ≤ 256 MiB, not growing with the file size).`
			: '',
		configs.join('\n'),
	]
		.filter(Boolean)
		.join('\n\n');
}

/** Uploads: per round, time, speed, CPU, memory above idle, the requests, and every asset checked. */
function uploadSection(scenario: Scenario, records: RunRecord[]): string {
	const mib = (bytes: number | undefined) => (bytes === undefined ? '–' : (bytes / MIB).toFixed(0));
	const rows = scenario.sides.flatMap((side) =>
		runsOf(records, scenario, side.label).map((r) => {
			const u = r.upload;
			return [
				String(r.repeat + 1),
				fixed(r.nodeMs === undefined ? undefined : r.nodeMs / 1000, 1),
				fixed(u?.mbPerSecond, 0),
				fixed(r.cpuMsPerItem, 0),
				fixed(u?.cpuMsPerMb, 1),
				`${mib(r.heap?.peakRssAboveStartBytes)} (${mib(r.heap?.startRssBytes)} → ${mib(r.heap?.peakRssBytes)})`,
				`${mib(r.heap?.peakRssAboveWorkflowStartBytes)} (${mib(r.heap?.workflowStartRssBytes)} → ${mib(r.heap?.peakRssBytes)})`,
				`${mib(r.heap?.peakAboveStartBytes)} (${mib(r.heap?.startBytes)} → ${mib(r.heap?.peakBytes)})`,
				`${r.succeeded}/${r.failed}`,
				u?.input ? `${Object.entries(u.input.byMode).map(([mode, n]) => `${mode} ${n}`).join(', ') || 'none'}; ${(u.input.bytesOnDisk / 1e6).toFixed(0)} MB on disk` : '–',
				u ? `${Object.entries(u.metaStudioRequests).map(([api, n]) => `${api} ${n}`).join(', ')}; ${u.throttled} × 429; ${fixed(u.changeRequestsPerSecond, 1)}/s together` : '–',
				u ? `${u.host.accepted}/${u.host.puts}, ${(u.host.bytesReceived / 1e6).toFixed(0)} MB, ${u.host.pathsMoreThanOnce} retried, ${u.host.credentialHeaders} with credentials` : '–',
				u ? `${u.verifiedAssets}/${r.items} (created ${u.createdAssets}, missing ${u.missing}, twice ${u.duplicated}, stray ${u.stray}, uploads not CREATED ${u.uploadsNotCreated})` : '–',
				String(r.lost),
				r.load ? `${r.load.before[0]} → ${r.load.after[0]}` : '–',
			];
		}),
	);
	const configs = scenario.sides.filter((s) => s.config).map((s) => `- ${s.label}: ${s.config}`);
	const problems = runsOf(records, scenario, scenario.sides[0].label).flatMap((r) => (r.upload?.problems ?? []).map((p) => `- round ${r.repeat + 1}: ${p}`));
	return [
		`${scenario.title} (${scenario.items} files of ${((scenario.fileBytes ?? 0) / 1e6).toFixed(0)} MB = ${((scenario.items * (scenario.fileBytes ?? 0)) / 1e9).toFixed(1)} GB per round, ` +
			`${scenario.repeat} rounds; n8n with N8N_DEFAULT_BINARY_DATA_MODE=filesystem). ` +
			"Time = the node's window (probe before → first probe after); MB/s = bytes of all files ÷ that time (MB = 10^6 bytes); CPU = the n8n process's over the window; " +
			"peak RSS above idle = the kernel's high-water mark of the n8n process's RSS over the window, less its RSS at the window's start (after a full GC), MiB: " +
			'a lower bound, as reading the input files left memory resident that the node can reuse; above the process before the input = the same peak less the RSS at the workflow\'s first probe, before the files were read (an upper bound); ' +
			'MetaStudio requests: per API, and CreateDigitalAsset + CreateFile + ConfirmFileUpload per second together, first to last; ' +
			'input = the input items\' binary data by storage mode; PUTs = accepted / received by the upload host; ' +
			'verified = files that are exactly one ACTIVED VIDEO asset with one MAIN file of their size and MD5, received whole (size and MD5) by the upload host.',
		table(
			['round', 'time (s)', 'MB/s', 'CPU ms/file', 'CPU ms/MB', 'peak RSS above idle, MiB (idle → peak)', 'peak RSS above the process before the input, MiB', 'peak heap above start, MiB (start → peak)', 'ok/failed', 'input binary', 'MetaStudio requests', 'PUTs', 'assets verified', 'lost', 'load 1 min (before → after)'],
			rows,
		),
		problems.join('\n'),
		configs.join('\n'),
	]
		.filter(Boolean)
		.join('\n\n');
}

/** The node's memory above idle beside the file size: the goal is that it does not grow with it. */
function downloadMemoryBySize(scenarios: Scenario[], records: RunRecord[]): string {
	const mib = (values: number[]) => (values.length === 0 ? '–' : `${(median(values)! / MIB).toFixed(0)} (${values.map((v) => (v / MIB).toFixed(0)).join(', ')})`);
	const uploads = scenarios.some((s) => s.kind === 'upload');
	return table(
		[
			'scenario',
			'file size',
			'side',
			'peak RSS above idle, MiB median (each round)',
			...(uploads ? ['peak RSS above the process before the input, MiB median (each round)'] : []),
			'peak heap above start, MiB median (each round)',
		],
		scenarios.flatMap((scenario) =>
			scenario.sides.map((side) => {
				const runs = runsOf(records, scenario, side.label);
				return [
					scenario.name,
					`${((scenario.fileBytes ?? 0) / 1e6).toFixed(0)} MB`,
					side.label,
					mib(defined(runs.map((r) => r.heap?.peakRssAboveStartBytes))),
					...(uploads ? [mib(defined(runs.map((r) => r.heap?.peakRssAboveWorkflowStartBytes)))] : []),
					mib(defined(runs.map((r) => r.heap?.peakAboveStartBytes))),
				];
			}),
		),
	);
}

export function formatReport(scenarios: Scenario[], records: RunRecord[], parallel: ParallelRecord[]): string {
	const parts: string[] = [];
	for (const scenario of scenarios.filter((s) => s.kind === 'throughput' && s.comparisons)) parts.push(headlineSection(scenario, records));
	const main = scenarios.filter((s) => s.kind === 'throughput' || s.kind === 'limit');
	if (main.length > 0) {
		const rows = main.flatMap((s) => throughputRows(s, records));
		parts.push(
			table(
				['scenario', 'side', 'items/s median (range)', 'CPU ms/item', '÷ HTTP Request', 'of C/L', 'goodput of limit', 'ok/failed', 'lost', 'double deletes'],
				rows,
			),
		);
	}
	for (const scenario of scenarios.filter((s) => s.kind === 'parallel')) {
		const runs = parallel.filter((p) => p.scenario === scenario.name);
		const limit = scenario.limit!.perSecond;
		parts.push(
			table(
				['scenario', 'combined goodput', 'of limit', 'to 80 % of limit', 'per execution items/s', 'ok/failed', 'lost', 'double deletes'],
				runs.map((run) => [
					scenario.title,
					`${fixed(run.goodputPerSecond, 1)}/s`,
					pct(run.goodputPerSecond === undefined ? undefined : run.goodputPerSecond / limit),
					`${fixed(secondsToReach(run.deletesPerSecond, limit, 0.8))} s`,
					run.runs.map((r) => fixed(r.itemsPerSecond, 1)).join(', '),
					`${run.runs.reduce((n, r) => n + r.succeeded, 0)}/${run.runs.reduce((n, r) => n + r.failed, 0)}`,
					String(run.lost),
					String(run.server.doubleDeletes),
				]),
			),
		);
	}
	for (const scenario of scenarios.filter((s) => s.kind === 'peak')) parts.push(peakSection(scenario, records));
	for (const scenario of scenarios.filter((s) => s.kind === 'metastudio')) parts.push(metaStudioSection(scenario, records));
	const downloads = scenarios.filter((s) => s.kind === 'download');
	for (const scenario of downloads) parts.push(downloadSection(scenario, records));
	if (downloads.length > 1) parts.push(downloadMemoryBySize(downloads, records));
	const uploads = scenarios.filter((s) => s.kind === 'upload');
	for (const scenario of uploads) parts.push(uploadSection(scenario, records));
	if (uploads.length > 1) parts.push(downloadMemoryBySize(uploads, records));
	const memory = scenarios.filter((s) => s.kind === 'memory');
	if (memory.length > 0) {
		parts.push(
			table(
				['scenario', 'node', 'retained bytes/item', 'input items bytes/item', 'heap after (MB)', 'items/s'],
				memory.flatMap((scenario) =>
					scenario.sides.map((side) => {
						const run = records.find((r) => r.scenario === scenario.name && r.side === side.label);
						return [
							scenario.title,
							side.label,
							fixed(run?.heap?.retainedBytesPerItem),
							fixed(run?.heap?.inputBytesPerItem),
							fixed(run?.heap?.afterMb),
							fixed(run?.itemsPerSecond),
						];
					}),
				),
			),
		);
	}
	const profiled = records.filter((r) => r.profile);
	if (profiled.length > 0) {
		parts.push(
			table(
				['scenario', 'side', 'repeat', 'where the CPU went (µs per item, busy samples in the node\'s window)'],
				profiled.map((r) => [
					r.scenario,
					r.side,
					String(r.repeat),
					r
						.profile!.buckets.filter((b) => b.name !== 'idle' && (b.usPerItem ?? 0) >= 20)
						.map((b) => `${b.name.split(' (')[0]} ${b.usPerItem}`)
						.join('; '),
				]),
			),
		);
	}
	return parts.join('\n\n');
}
