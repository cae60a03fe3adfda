/**
 * A deterministic simulation of the engine's workers, its pacer and a rate-limited server on a
 * virtual clock: minutes of pacing in milliseconds, the same figures on every run.
 *
 * The server is the emulators' own TokenBucket (a token taken when a request arrives, a little after
 * it was sent; over the limit: a 429 after the same latency). Each execution schedules as
 * engine/calls.ts and runItems.ts do: a request slot (retries first) → acquire → request →
 * onSuccess / onThrottled → the item's own wait from retryDelayMs without its slot → again, up to
 * Max Retries. Items are counted lost when their retries run out.
 */
import { DEFAULT_MAX_RETRIES } from '../../nodes/MediaAssets/helpers/constants';
import type { CallFailure } from '../../nodes/MediaAssets/helpers/interfaces';
import type { PacerTuning } from '../../nodes/MediaAssets/engine/pacer';
import { RequestSlots } from '../../nodes/MediaAssets/engine/calls';
import { RequestPacer } from '../../nodes/MediaAssets/engine/pacer';
import { mayRetry, retryDelayMs } from '../../nodes/MediaAssets/engine/retryPolicy';
import { mulberry32, TokenBucket } from '../../test/emulators/faults';
import { VirtualClock } from '../../test/harness/virtualClock';

/** How a server refuses a request over its limit. */
export interface LimitShape {
	name: string;
	perSecond: number;
	burst: number;
	/** Retry-After in ms on each 429; undefined: no header. */
	retryAfterMs?: number;
	/** The API's code on the 429 (MetaStudio: APIGW.0308). */
	code?: string;
}

export interface SimExecution {
	items: number;
	/** When it starts, in ms after the first. */
	startAt?: number;
	concurrency: number;
	/** 0: not set. */
	requestsPerSecond: number;
}

export interface SimScenario {
	shape?: LimitShape;
	/** Server time per request (ms); each request gets latency ± jitter. */
	latencyMs: number;
	jitterMs?: number;
	/** How unevenly requests reach the server's bucket: a delay uniform in [0, this] (default 6 ms, as measured on loopback through n8n). */
	arrivalJitterMs?: number;
	executions: SimExecution[];
	maxRetries?: number;
	/**
	 * How many items may be under way at once, as runItems.ts does it: `concurrency` without
	 * continue-on-fail (an item waiting for its retry keeps its place), max(16, 4 × concurrency) with it
	 * (the default here).
	 */
	engine?: 'stopOnFail' | 'continueOnFail';
	seed?: number;
	tuning?: PacerTuning;
	/** An alternative to mayRetry, to compare policies. */
	mayRetry?: (failure: CallFailure, attemptsMade: number, maxRetries: number) => boolean;
	/** An alternative to retryDelayMs, to compare policies. */
	retryDelay?: (attemptsMade: number, failure: CallFailure, random: number) => number;
	/** An alternative pacer, to compare designs. */
	pacerFactory?: (rps: number, now: () => number, wait: (ms: number) => Promise<void>) => SimPacer;
}

export interface SimPacer {
	acquire(): Promise<unknown>;
	onSuccess(ticket: unknown): void;
	onThrottled(ticket: unknown, failure: CallFailure): void;
}

export interface ExecutionResult {
	succeeded: number;
	lost: number;
	requests: number;
	throttled: number;
	startedAt: number;
	endedAt: number;
	/** Items that needed more than one attempt. */
	retried: number;
	maxAttempts: number;
}

export interface ScenarioResult {
	executions: ExecutionResult[];
	succeeded: number;
	lost: number;
	throttled: number;
	requests: number;
	/** Successes per second from the first start to the last end. */
	goodput: number;
	elapsedMs: number;
}

class SimServer {
	private readonly bucket?: TokenBucket;

	constructor(
		private readonly clock: VirtualClock,
		private readonly shape: LimitShape | undefined,
		private readonly latency: () => number,
		private readonly random: () => number,
		private readonly arrivalJitterMs: number,
	) {
		if (shape) this.bucket = new TokenBucket(shape.perSecond, shape.burst, 0);
	}

	async request(): Promise<CallFailure | undefined> {
		// Requests reach the bucket a little late, by a random amount: the send times that the pacer
		// spaces evenly arrive unevenly, as on a real network and event loop.
		const total = this.latency();
		const there = Math.min(total, this.random() * this.arrivalJitterMs);
		await this.clock.wait(there);
		const accepted = !this.bucket || this.bucket.take(this.clock.now());
		await this.clock.wait(total - there);
		if (accepted) return undefined;
		return {
			reason: 'throttled',
			summary: 'the service is throttling requests',
			httpStatus: 429,
			code: this.shape?.code ?? '429',
			retryable: true,
			outcomeUnknown: false,
			retryAfterMs: this.shape?.retryAfterMs,
		};
	}
}

async function runExecution(
	clock: VirtualClock,
	server: SimServer,
	execution: SimExecution,
	scenario: SimScenario,
	random: () => number,
): Promise<ExecutionResult> {
	if (execution.startAt) await clock.wait(execution.startAt);
	const pacer: SimPacer = scenario.pacerFactory
		? scenario.pacerFactory(execution.requestsPerSecond, clock.now, clock.wait)
		: wrapPacer(new RequestPacer(execution.requestsPerSecond, clock.now, clock.wait, scenario.tuning));
	const maxRetries = scenario.maxRetries ?? DEFAULT_MAX_RETRIES;
	const result: ExecutionResult = {
		succeeded: 0,
		lost: 0,
		requests: 0,
		throttled: 0,
		startedAt: clock.now(),
		endedAt: clock.now(),
		retried: 0,
		maxAttempts: 0,
	};
	// As engine/calls.ts: a request holds one of `concurrency` slots only while it is sent, retries that
	// are due go before items not yet started, and at most `underWay` items are started and unfinished.
	const slots = new RequestSlots(execution.concurrency);
	const attempt = async (attempts: number): Promise<'done' | number> => {
		await slots.take(attempts > 1);
		let failure: CallFailure | undefined;
		try {
			const ticket = await pacer.acquire();
			result.requests++;
			failure = await server.request();
			if (failure) pacer.onThrottled(ticket, failure);
			else pacer.onSuccess(ticket);
		} finally {
			slots.give();
		}
		if (!failure) {
			result.succeeded++;
			if (attempts > 1) result.retried++;
			result.maxAttempts = Math.max(result.maxAttempts, attempts);
			return 'done';
		}
		result.throttled++;
		if (!(scenario.mayRetry ?? mayRetry)(failure, attempts, maxRetries)) {
			result.lost++;
			result.maxAttempts = Math.max(result.maxAttempts, attempts);
			return 'done';
		}
		return (scenario.retryDelay ?? retryDelayMs)(attempts, failure, random());
	};
	const item = async () => {
		for (let attempts = 1; ; attempts++) {
			const outcome = await attempt(attempts);
			if (outcome === 'done') return;
			await clock.wait(outcome);
		}
	};
	const underWayLimit =
		scenario.engine === 'stopOnFail' ? execution.concurrency : Math.max(16, execution.concurrency * 4);
	const underWay = new Set<Promise<void>>();
	for (let i = 0; i < execution.items; i++) {
		if (underWay.size >= underWayLimit) await Promise.race(underWay);
		const task: Promise<void> = item().finally(() => underWay.delete(task));
		underWay.add(task);
	}
	await Promise.all(underWay);
	result.endedAt = clock.now();
	return result;
}

function wrapPacer(pacer: RequestPacer): SimPacer {
	return {
		acquire: () => pacer.acquire(),
		onSuccess: (ticket) => pacer.onSuccess(ticket as number),
		onThrottled: (ticket) => pacer.onThrottled(ticket as number),
	};
}

export async function simulate(scenario: SimScenario): Promise<ScenarioResult> {
	const clock = new VirtualClock();
	const random = mulberry32(scenario.seed ?? 7);
	const jitter = scenario.jitterMs ?? 0;
	const latency = () => Math.max(0, scenario.latencyMs + (random() * 2 - 1) * jitter);
	const server = new SimServer(clock, scenario.shape, latency, random, scenario.arrivalJitterMs ?? 6);
	const executions = await clock.run(
		Promise.all(scenario.executions.map((e) => runExecution(clock, server, e, scenario, random))),
	);
	const start = Math.min(...executions.map((e) => e.startedAt));
	const end = Math.max(...executions.map((e) => e.endedAt));
	const sum = (pick: (e: ExecutionResult) => number) => executions.reduce((n, e) => n + pick(e), 0);
	const succeeded = sum((e) => e.succeeded);
	return {
		executions,
		succeeded,
		lost: sum((e) => e.lost),
		throttled: sum((e) => e.throttled),
		requests: sum((e) => e.requests),
		goodput: end > start ? (succeeded * 1000) / (end - start) : Infinity,
		elapsedMs: end - start,
	};
}
