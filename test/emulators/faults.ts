/** Fault injection shared by the emulators: latency, throttling, server errors, dropped connections. */

export type FaultKind = 'http500' | 'http503' | 'throttle' | 'drop' | 'slow' | 'landedThenDrop';

export interface FaultConfig {
	/** Added to every answer: a fixed delay or a random one in [min, max]. */
	latencyMs?: number | [min: number, max: number];
	/** Token bucket across all requests of the affected methods; beyond it the request is throttled (429). */
	rateLimit?: { perSecond: number; burst?: number };
	/** KyyVideo2's Retry-After on a 429, in seconds (MetaStudio sends none). Default 1. */
	retryAfterSeconds?: number;
	/** Each request of an affected method gets one of `kinds` with this probability, from a seeded PRNG. */
	random?: { probability: number; kinds: FaultKind[]; seed?: number };
	/** Per ID: the faults its successive requests of an affected method get, then normal answers. */
	script?: Record<string, FaultKind[]>;
	/** How late a 'slow' answer comes. Default 2000. */
	slowMs?: number;
	/** Which methods faults apply to. Default ['DELETE']. */
	methods?: string[];
}

/** mulberry32: small, seeded, good enough to make chaos runs reproducible. */
export function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Decides, per request, which fault (if any) to inject. */
export class FaultInjector {
	private config: FaultConfig = {};
	private random: () => number = Math.random;
	private scripts = new Map<string, FaultKind[]>();
	private tokens = 0;
	private lastRefill = Date.now();
	throttled = 0;

	set(config: FaultConfig): void {
		this.config = config;
		this.random = seededRandom(config.random?.seed ?? 1);
		this.scripts = new Map(Object.entries(config.script ?? {}).map(([id, kinds]) => [id, [...kinds]]));
		this.tokens = config.rateLimit?.burst ?? config.rateLimit?.perSecond ?? 0;
		this.lastRefill = Date.now();
		this.throttled = 0;
	}

	latency(): number {
		const { latencyMs } = this.config;
		if (latencyMs === undefined) return 0;
		if (typeof latencyMs === 'number') return latencyMs;
		const [min, max] = latencyMs;
		return min + Math.random() * (max - min);
	}

	get slowMs(): number {
		return this.config.slowMs ?? 2000;
	}

	get retryAfterSeconds(): number {
		return this.config.retryAfterSeconds ?? 1;
	}

	/** The fault for this request, or undefined for a normal answer. */
	next(method: string, id: string | undefined): FaultKind | undefined {
		if (!(this.config.methods ?? ['DELETE']).includes(method)) return undefined;
		if (this.config.rateLimit && !this.takeToken()) {
			this.throttled++;
			return 'throttle';
		}
		const scripted = id === undefined ? undefined : this.scripts.get(id);
		if (scripted && scripted.length > 0) return scripted.shift();
		const { random } = this.config;
		if (random && random.kinds.length > 0 && this.random() < random.probability) {
			return random.kinds[Math.floor(this.random() * random.kinds.length)];
		}
		return undefined;
	}

	private takeToken(): boolean {
		const { perSecond, burst } = this.config.rateLimit!;
		const now = Date.now();
		this.tokens = Math.min(burst ?? perSecond, this.tokens + ((now - this.lastRefill) / 1000) * perSecond);
		this.lastRefill = now;
		if (this.tokens < 1) return false;
		this.tokens -= 1;
		return true;
	}
}
