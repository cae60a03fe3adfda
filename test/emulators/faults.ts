/**
 * Fault injection shared by the KyyVideo2 and MetaStudio emulators (test-only code).
 *
 * The injector decides, per request, what goes wrong; each emulator decides how that looks on its
 * wire (a KyyVideo2 429 carries `Retry-After`, MetaStudio's `APIGW.0308` does not, and so on).
 *
 * The kinds:
 * - `http500`, `http503`: answered at once with that status; nothing is processed (no delete).
 * - `throttle`: a 429, as if the rate limit had been hit; nothing is processed.
 * - `drop`: the socket is destroyed without an answer; nothing is processed.
 * - `slow`: the request is processed normally, but only after `slowMs` (default 2000): the delete
 *   happens when the answer is finally computed, i.e. late, and it happens even if the client gave up
 *   (timed out) in the meantime, as a real server would carry on.
 * - `landedThenDrop`: the request is processed normally (the delete lands), then the socket is
 *   destroyed instead of sending the answer.
 * - `foreignPage`: something else answers in the service's place (a captive portal, a proxy's login
 *   page): HTTP 200, `Content-Type: text/html`, an HTML body (`FOREIGN_PAGE_HTML`), none of the
 *   service's headers (no `X-Request-Id` from MetaStudio); nothing is processed.
 *
 * Order per request of an affected method: rate limit (token bucket, taken at arrival) → script
 * (the ID's queue) → random draw (seeded). Before all of that, for any method: a fault queued with
 * `queueNext` for the request's "next key" (an emulator names it: MetaStudio's is the API name), so that a
 * test can say "the next CreateDigitalAsset lands, then its answer is lost" without knowing an ID. Latency applies to every request of an affected method,
 * before its answer (429s included). Requests of other methods are never delayed or faulted.
 */

export type FaultKind = 'http500' | 'http503' | 'throttle' | 'drop' | 'slow' | 'landedThenDrop' | 'foreignPage';

export const FAULT_KINDS: readonly FaultKind[] = [
	'http500',
	'http503',
	'throttle',
	'drop',
	'slow',
	'landedThenDrop',
	'foreignPage',
];

/** What the `foreignPage` fault answers (HTTP 200, text/html): a captive portal's sign-in page. */
export const FOREIGN_PAGE_HTML =
	'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>Network sign-in</title></head>' +
	'<body><h1>Welcome to the guest network</h1><p>Sign in to continue.</p>' +
	'<form method="post" action="/login"><input name="user"><button>Sign in</button></form></body></html>\n';

export interface FaultConfig {
	/** Delay before each answer: fixed, or uniformly random in [min, max] (seeded). */
	latencyMs?: number | [min: number, max: number];
	/** Token bucket; beyond it: 429 (Kyy: with Retry-After; MetaStudio: APIGW.0308, none). Burst defaults to perSecond (at least 1). */
	rateLimit?: { perSecond: number; burst?: number };
	/** Kyy Retry-After value in seconds (default 1). */
	retryAfterSeconds?: number;
	/** With this probability an affected request gets one of `kinds` (uniformly). Seeded (default seed 1). */
	random?: { probability: number; kinds: FaultKind[]; seed?: number };
	/** Per ID: the faults its successive requests (of the affected methods; DELETE by default) get, then normal. */
	script?: Record<string, FaultKind[]>;
	/** How late a 'slow' answer comes (default 2000 ms). */
	slowMs?: number;
	/** Which methods faults, latency and the rate limit apply to (default ['DELETE']). */
	methods?: string[];
}

export interface FaultDecision {
	/** How long to wait before answering (0 when none). */
	latencyMs: number;
	/** The fault to inject, if any ('throttle' also when the rate limit was hit). */
	fault?: FaultKind;
	/** True when the fault is a 429 from the token bucket (not a scripted or random 'throttle'). */
	rateLimited: boolean;
}

export const DEFAULT_SLOW_MS = 2000;
export const DEFAULT_RETRY_AFTER_SECONDS = 1;

/** mulberry32: a tiny seeded PRNG, uniform in [0, 1). */
export function mulberry32(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** The same PRNG under the name the first draft of this file used. */
export const seededRandom = mulberry32;

/** A token bucket: `burst` tokens at most, refilled at `perSecond`; starts full. */
export class TokenBucket {
	private tokens: number;

	private last: number;

	readonly capacity: number;

	constructor(
		readonly perSecond: number,
		burst: number | undefined,
		now: number,
	) {
		if (!(perSecond > 0)) throw new Error(`rateLimit.perSecond must be > 0, got ${perSecond}`);
		this.capacity = Math.max(1, burst ?? perSecond);
		this.tokens = this.capacity;
		this.last = now;
	}

	/** Takes one token; false when none is left (the request is over the limit). */
	take(now: number): boolean {
		const elapsed = Math.max(0, now - this.last);
		this.last = Math.max(this.last, now);
		this.tokens = Math.min(this.capacity, this.tokens + (elapsed * this.perSecond) / 1000);
		if (this.tokens >= 1) {
			this.tokens -= 1;
			return true;
		}
		return false;
	}
}

/** Holds one FaultConfig and its state (PRNGs, bucket, script queues). `set` starts afresh. */
export class FaultInjector {
	private config: FaultConfig = {};

	private methods = new Set<string>(['DELETE']);

	private bucket?: TokenBucket;

	private faultRandom: () => number = mulberry32(1);

	private latencyRandom: () => number = mulberry32(2);

	private scripts = new Map<string, FaultKind[]>();

	private next = new Map<string, FaultKind[]>();

	/** How often each kind was injected ('throttle' includes rate-limit 429s). */
	readonly injected: Record<FaultKind, number> = emptyCounts();

	/** 429s answered because the token bucket was empty. */
	rateLimited = 0;

	constructor(
		config: FaultConfig = {},
		private readonly now: () => number = Date.now,
	) {
		this.set(config);
	}

	/** Replaces the configuration; PRNGs, bucket, script queues and counters start afresh. */
	set(config: FaultConfig = {}): void {
		validate(config);
		this.config = { ...config };
		this.methods = new Set((config.methods ?? ['DELETE']).map((m) => m.toUpperCase()));
		this.bucket = config.rateLimit
			? new TokenBucket(config.rateLimit.perSecond, config.rateLimit.burst, this.now())
			: undefined;
		const seed = config.random?.seed ?? 1;
		this.faultRandom = mulberry32(seed);
		this.latencyRandom = mulberry32(seed ^ 0x5bd1e995);
		this.scripts = new Map(Object.entries(config.script ?? {}).map(([id, kinds]) => [id, [...kinds]]));
		this.next = new Map();
		Object.assign(this.injected, emptyCounts());
		this.rateLimited = 0;
	}

	/** Every 429 injected so far: rate-limit ones and scripted or random 'throttle'. */
	get throttled(): number {
		return this.injected.throttle;
	}

	get current(): Readonly<FaultConfig> {
		return this.config;
	}

	get slowMs(): number {
		return this.config.slowMs ?? DEFAULT_SLOW_MS;
	}

	get retryAfterSeconds(): number {
		return this.config.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS;
	}

	affects(method: string): boolean {
		return this.methods.has(method.toUpperCase());
	}

	/** The faults still queued for an ID. */
	scriptRemaining(id: string): FaultKind[] {
		return [...(this.scripts.get(id) ?? [])];
	}

	/**
	 * Queues `kinds` for the next requests whose next key is `key`, whatever their method (see `decide`);
	 * `set` forgets them.
	 */
	queueNext(key: string, kinds: FaultKind[]): void {
		validate({ script: { [key]: kinds } });
		this.next.set(key, [...(this.next.get(key) ?? []), ...kinds]);
	}

	/** The faults still queued with `queueNext` for a key. */
	nextRemaining(key: string): FaultKind[] {
		return [...(this.next.get(key) ?? [])];
	}

	/**
	 * Decides the fate of one request; call once per request, at its arrival. `nextKey`: the key a fault
	 * queued with `queueNext` is taken from first (any method; no token is taken then).
	 */
	decide(method: string, id?: string, nextKey?: string): FaultDecision {
		const queued = nextKey === undefined ? undefined : this.next.get(nextKey)?.shift();
		if (queued !== undefined) {
			this.injected[queued]++;
			return { latencyMs: this.affects(method) ? this.latency() : 0, fault: queued, rateLimited: false };
		}
		if (!this.affects(method)) return { latencyMs: 0, rateLimited: false };
		const latencyMs = this.latency();
		if (this.bucket && !this.bucket.take(this.now())) {
			this.rateLimited++;
			this.injected.throttle++;
			return { latencyMs, fault: 'throttle', rateLimited: true };
		}
		let fault: FaultKind | undefined;
		const queue = id === undefined ? undefined : this.scripts.get(id);
		if (queue && queue.length > 0) {
			fault = queue.shift();
		} else if (this.config.random && this.config.random.kinds.length > 0) {
			const { probability, kinds } = this.config.random;
			if (this.faultRandom() < probability) fault = kinds[Math.floor(this.faultRandom() * kinds.length)];
		}
		if (fault) this.injected[fault]++;
		return { latencyMs, fault, rateLimited: false };
	}

	private latency(): number {
		const latency = this.config.latencyMs;
		if (latency === undefined) return 0;
		if (typeof latency === 'number') return Math.max(0, latency);
		const [min, max] = latency;
		return Math.max(0, min + this.latencyRandom() * (max - min));
	}
}

function emptyCounts(): Record<FaultKind, number> {
	return { http500: 0, http503: 0, throttle: 0, drop: 0, slow: 0, landedThenDrop: 0, foreignPage: 0 };
}

function validate(config: FaultConfig): void {
	const kinds = [...(config.random?.kinds ?? []), ...Object.values(config.script ?? {}).flat()];
	for (const kind of kinds) {
		if (!FAULT_KINDS.includes(kind)) throw new Error(`Unknown fault kind "${String(kind)}"`);
	}
	if (Array.isArray(config.latencyMs) && config.latencyMs[1] < config.latencyMs[0]) {
		throw new Error('latencyMs: [min, max] with max < min');
	}
	const probability = config.random?.probability;
	if (probability !== undefined && !(probability >= 0 && probability <= 1)) {
		throw new Error(`random.probability must be within [0, 1], got ${probability}`);
	}
}
