/**
 * Reads a V8 CPU profile (`node --cpu-prof`) of an n8n process and says where the time went inside a
 * window (the probes' `hrUs` before and after the node under test; V8 stamps samples with the same
 * monotonic clock as process.hrtime):
 *
 * - `buckets`: every sample in exactly one bucket, by the first rule (in order) that its stack matches;
 * - `inclusive`: for named frames, the share of samples with that frame anywhere on the stack;
 * - `selfByOrigin`: self time by package or Node module of the innermost frame.
 *
 * Usage: `ts-node tools/bench/profileSummary.ts <file.cpuprofile> [fromUs toUs] [items]`.
 */
import { readFileSync } from 'node:fs';

interface CallFrame {
	functionName: string;
	url: string;
	lineNumber: number;
}

interface ProfileNode {
	id: number;
	callFrame: CallFrame;
	parent?: number;
	children?: number[];
}

interface CpuProfile {
	nodes: ProfileNode[];
	startTime: number;
	endTime: number;
	samples: number[];
	timeDeltas: number[];
}

type Frame = { fn: string; url: string };
type StackTest = (stack: Frame[]) => boolean;

const inFile = (pattern: RegExp) => (frame: Frame) => pattern.test(frame.url);
const named = (fn: RegExp, file?: RegExp) => (frame: Frame) => fn.test(frame.fn) && (!file || file.test(frame.url));
const anyFrame = (test: (frame: Frame) => boolean): StackTest => (stack) => stack.some(test);
const leaf = (test: (frame: Frame) => boolean): StackTest => (stack) => stack.length > 0 && test(stack[0]);

const PACKAGE = /n8n-nodes-media-assets\//;
const N8N_CLI = /node_modules\/n8n\/dist\//;
const CORE = /node_modules\/n8n-core\/dist\//;
const WORKFLOW = /node_modules\/n8n-workflow\/dist\//;

/** Rules in order: the first that matches a sample's stack takes it. */
export const BUCKETS: Array<[string, StackTest]> = [
	['idle', leaf(named(/^\(idle\)$/))],
	['garbage collection', leaf(named(/^\(garbage collector\)$/))],
	['V8/native outside JS ("(program)")', leaf(named(/^\(program\)$/))],
	[
		'credential: authenticate (n8n resolves the credential\'s generic `authenticate` expressions)',
		anyFrame(named(/^authenticate$/, /credentials-helper/)),
	],
	[
		'credential: other (getCredentials, decrypt, preAuthentication, …)',
		anyFrame((f) => /credentials-helper|credentials\.js|cipher/.test(f.url) || /getCredentials|getDecrypted|preAuthentication/.test(f.fn)),
	],
	['HTTP: axios, follow-redirects, proxy/agent setup', anyFrame(inFile(/\/(axios|follow-redirects|proxy-from-env|https?-proxy-agent|agent-base)\//))],
	['HTTP: Node http/net/tls', anyFrame(inFile(/^node:(_http|http|https|net|tls|dns|_tls)/))],
	['HTTP: n8n-core request helpers (options → axios, response)', anyFrame((f) => CORE.test(f.url) && /request-helper|httpRequest|parseRequestObject|convertN8nRequestToAxios|invokeAxios/i.test(f.url + f.fn))],
	['parameter evaluation (getNodeParameter, expressions)', anyFrame(named(/^(getNodeParameter|getParameterValue|resolveSimpleParameterValue|getResolvedValue|resolveValue)$/))],
	['expression engine (other)', anyFrame((f) => /expression|isolated-vm|workflow-data-proxy/i.test(f.url))],
	['this package (engine, transport, operations)', anyFrame(inFile(PACKAGE))],
	['n8n-nodes-base (HTTP Request node)', anyFrame(inFile(/n8n-nodes-base\/dist\//))],
	['n8n-core workflow execution / hooks', anyFrame(inFile(CORE))],
	['n8n CLI (executions, events, DB)', anyFrame(inFile(N8N_CLI))],
	['n8n-workflow (other)', anyFrame(inFile(WORKFLOW))],
	['other', () => true],
];

/** Frames whose inclusive time is reported. */
export const INCLUSIVE: Array<[string, (frame: Frame) => boolean]> = [
	['httpRequestWithAuthentication', named(/^httpRequestWithAuthentication$/)],
	['requestWithAuthentication (HTTP Request node)', named(/^requestWithAuthentication$/)],
	['CredentialsHelper.authenticate', named(/^authenticate$/, /credentials-helper/)],
	['CredentialsHelper.getDecrypted', named(/^getDecrypted$/)],
	['getNodeParameter', named(/^getNodeParameter$/)],
	['Expression.getParameterValue', named(/^getParameterValue$/, WORKFLOW)],
	['WorkflowDataProxy.getDataProxy', named(/^getDataProxy$/)],
	['isolated-vm calls', inFile(/isolated-vm/)],
	['axios', inFile(/\/axios\//)],
	['follow-redirects', inFile(/\/follow-redirects\//)],
	['this package', inFile(PACKAGE)],
	['this package: engine/', inFile(/n8n-nodes-media-assets\/dist\/nodes\/MediaAssets\/engine\//)],
	['n8n-nodes-base', inFile(/n8n-nodes-base\/dist\//)],
];

function origin(frame: Frame): string {
	if (!frame.url) return frame.fn.startsWith('(') ? frame.fn : '(native)';
	if (frame.url.startsWith('node:')) return frame.url.replace(/^node:(internal\/)?/, 'node:').split('/').slice(0, 2).join('/');
	const parts = frame.url.split('node_modules/');
	if (parts.length === 1) return frame.url.replace(/^file:\/\//, '');
	const [scopeOrName, name] = parts[parts.length - 1].split('/');
	return scopeOrName.startsWith('@') ? `${scopeOrName}/${name}` : scopeOrName;
}

export interface ProfileSummary {
	windowMs: number;
	sampledMs: number;
	busyMs: number;
	items?: number;
	buckets: Array<{ name: string; ms: number; share: number; usPerItem?: number }>;
	inclusive: Array<{ name: string; ms: number; shareOfBusy: number; usPerItem?: number }>;
	selfByOrigin: Array<{ origin: string; ms: number; shareOfBusy: number }>;
}

export function summarizeProfile(file: string, fromUs?: number, toUs?: number, items?: number): ProfileSummary {
	const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
	const byId = new Map<number, ProfileNode>();
	for (const node of profile.nodes) byId.set(node.id, node);
	for (const node of profile.nodes) for (const child of node.children ?? []) byId.get(child)!.parent = node.id;

	const stackCache = new Map<number, Frame[]>();
	const stackOf = (id: number): Frame[] => {
		let stack = stackCache.get(id);
		if (!stack) {
			stack = [];
			for (let n: ProfileNode | undefined = byId.get(id); n; n = n.parent === undefined ? undefined : byId.get(n.parent)) {
				if (n.callFrame.functionName === '(root)') break;
				stack.push({ fn: n.callFrame.functionName, url: n.callFrame.url });
			}
			stackCache.set(id, stack);
		}
		return stack;
	};

	const from = fromUs ?? profile.startTime;
	const to = toUs ?? profile.endTime;
	const bucketUs = new Map<string, number>();
	const inclusiveUs = new Map<string, number>();
	const originUs = new Map<string, number>();
	let sampledUs = 0;
	let busyUs = 0;
	let t = profile.startTime;
	for (let i = 0; i < profile.samples.length; i++) {
		const delta = profile.timeDeltas[i];
		t += delta;
		if (t < from || t > to) continue;
		// A sample stands for the time until the next one.
		const weight = profile.timeDeltas[i + 1] ?? delta;
		sampledUs += weight;
		const stack = stackOf(profile.samples[i]);
		const bucket = BUCKETS.find(([, test]) => test(stack))![0];
		bucketUs.set(bucket, (bucketUs.get(bucket) ?? 0) + weight);
		if (bucket === 'idle') continue;
		busyUs += weight;
		for (const [name, test] of INCLUSIVE) if (stack.some(test)) inclusiveUs.set(name, (inclusiveUs.get(name) ?? 0) + weight);
		const o = stack.length ? origin(stack[0]) : '(unknown)';
		originUs.set(o, (originUs.get(o) ?? 0) + weight);
	}
	const perItem = (us: number) => (items ? Math.round(us / items) : undefined);
	const ms = (us: number) => Math.round(us / 100) / 10;
	return {
		windowMs: ms(to - from),
		sampledMs: ms(sampledUs),
		busyMs: ms(busyUs),
		items,
		buckets: BUCKETS.map(([name]) => name)
			.filter((name) => bucketUs.has(name))
			.map((name) => ({ name, ms: ms(bucketUs.get(name)!), share: Math.round((bucketUs.get(name)! / sampledUs) * 1000) / 10, usPerItem: perItem(bucketUs.get(name)!) })),
		inclusive: INCLUSIVE.map(([name]) => name)
			.filter((name) => inclusiveUs.has(name))
			.map((name) => ({ name, ms: ms(inclusiveUs.get(name)!), shareOfBusy: Math.round((inclusiveUs.get(name)! / busyUs) * 1000) / 10, usPerItem: perItem(inclusiveUs.get(name)!) })),
		selfByOrigin: [...originUs.entries()]
			.sort((a, b) => b[1] - a[1])
			.slice(0, 15)
			.map(([o, us]) => ({ origin: o, ms: ms(us), shareOfBusy: Math.round((us / busyUs) * 1000) / 10 })),
	};
}

/** Self time per function (name + file), top N, for digging deeper by hand. */
export function topFunctions(file: string, fromUs?: number, toUs?: number, limit = 40): Array<{ fn: string; ms: number }> {
	const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
	const byId = new Map(profile.nodes.map((n) => [n.id, n]));
	const self = new Map<string, number>();
	let t = profile.startTime;
	for (let i = 0; i < profile.samples.length; i++) {
		t += profile.timeDeltas[i];
		if ((fromUs !== undefined && t < fromUs) || (toUs !== undefined && t > toUs)) continue;
		const frame = byId.get(profile.samples[i])!.callFrame;
		const key = `${frame.functionName || '(anonymous)'} ${frame.url.replace(/^.*node_modules\//, '')}:${frame.lineNumber + 1}`;
		self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i + 1] ?? 0));
	}
	return [...self.entries()]
		.sort((a, b) => b[1] - a[1])
		.slice(0, limit)
		.map(([fn, us]) => ({ fn, ms: Math.round(us / 100) / 10 }));
}

if (require.main === module) {
	const [file, from, to, items] = process.argv.slice(2);
	const summary = summarizeProfile(file, from ? Number(from) : undefined, to ? Number(to) : undefined, items ? Number(items) : undefined);
	console.log(JSON.stringify(summary, null, 2));
	if (process.argv.includes('--top')) console.log(topFunctions(file, from ? Number(from) : undefined, to ? Number(to) : undefined));
}
