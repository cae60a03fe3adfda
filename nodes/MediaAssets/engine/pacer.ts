/**
 * Finds and keeps to the rate a server accepts, shared by every worker of one execution.
 *
 * The engine's calls, per request (deletes and lookups alike):
 *
 *     const ticket = await pacer.acquire();
 *     const answer = await send();
 *     if (answer is a 429) pacer.onThrottled(ticket);
 *     else pacer.onSuccess(ticket);     // any other answer: the server accepted the request for work
 *     // a throttled item then waits retryDelayMs(attempts, failure, Math.random()) on its own
 *
 * - Until the first 429 and without Requests per Second, `acquire` never waits: an unlimited server
 *   costs nothing.
 * - A 429 means the server's bucket was empty when that request arrived. Between two such requests,
 *   the successes are exactly what the server let through (this execution's share, when others
 *   share the limit), whatever its burst: the pace drops to just under that measurement, so one cut
 *   lands near the limit instead of creeping up from a small share. Without a long enough
 *   measurement yet, the pace is cut by a fixed factor instead.
 * - After a cut the pace grows on a cubic curve: slowly near the rate that was throttled, then
 *   faster, so capacity that other executions free is found again within seconds.
 * - A 429 for a request sent before the last cut belongs to the episode that cut already handled.
 * - Retry-After delays the refused item, not every worker: the lowered pace already keeps the
 *   server under its limit, and stopping everyone would waste that time's capacity.
 */

/** Tuning; the defaults are what the pacing benchmark (test/bench/pacing.ts) settled on. */
export interface PacerTuning {
	/** After a 429 the pace becomes this share of the measured rate. */
	backoff: number;
	/** A cut never goes below this share of the rate it replaces. */
	maxCut: number;
	/** Cubic growth: relative rate gain per second³ (CUBIC's C, scaled to the plateau). */
	growth: number;
	/** A measurement spans at most this long... */
	horizonMs: number;
	/** ...and at least this long, with at least `minSuccesses` in it. */
	minSpanMs: number;
	minSuccesses: number;
	/** The rate actually sent is measured over this window. */
	sendWindowMs: number;
}

export const DEFAULT_PACER_TUNING: PacerTuning = {
	backoff: 0.95,
	maxCut: 0.5,
	growth: 0.02,
	horizonMs: 2_000,
	minSpanMs: 200,
	minSuccesses: 5,
	sendWindowMs: 500,
};

/** Lets the pacer match an answer with when its request was sent. */
export type PacerTicket = number;

const MIN_RATE = 0.5;

interface Answer {
	sentAt: number;
	answeredAt: number;
	throttled: boolean;
}

export class RequestPacer {
	/** The user's Requests per Second; never exceeded. Infinity when not set. */
	private readonly ceiling: number;

	/** The pace set by the last cut; Infinity until a 429 (or the ceiling) sets one. */
	private base: number;

	/** Where the server's limit seemed to be at the last cut: growth is slow near it. */
	private plateau = Infinity;

	private cutAt = -Infinity;

	/** Bumped on every cut, so callers that were given a slot under the old pace line up again. */
	private generation = 0;

	private nextSlotAt = -Infinity;

	private readonly sends: number[] = [];

	private readonly answers: Answer[] = [];

	constructor(
		requestsPerSecond: number,
		private readonly now: () => number,
		private readonly wait: (ms: number) => Promise<void>,
		private readonly tuning: PacerTuning = DEFAULT_PACER_TUNING,
	) {
		this.ceiling = requestsPerSecond > 0 ? requestsPerSecond : Infinity;
		this.base = this.ceiling;
	}

	/** Resolves when the caller may send its next request. */
	async acquire(): Promise<PacerTicket> {
		for (;;) {
			const now = this.now();
			const rate = this.rateAt(now);
			if (rate === Infinity) return this.sent(now);
			const startAt = Math.max(now, this.nextSlotAt);
			this.nextSlotAt = startAt + 1000 / rate;
			if (startAt <= now) return this.sent(now);
			const generation = this.generation;
			await this.wait(startAt - now);
			if (generation === this.generation) return this.sent(this.now());
		}
	}

	onSuccess(ticket: PacerTicket): void {
		this.answered(ticket, false);
	}

	/** The server said 429 to the request that `ticket` let through. */
	onThrottled(ticket: PacerTicket): void {
		this.answered(ticket, true);
		if (ticket < this.cutAt) return;
		const now = this.now();
		const { tuning } = this;
		const sending = Math.min(this.rateAt(now), this.sendRate(now));
		const measured = this.measuredRate(ticket, now);
		let next: number;
		if (measured === undefined) {
			// The share of this pace's requests that got through says how far over the limit it is: a lone
			// 429 after many successes is a graze, one right after a cut means the pace is still far too high.
			let accepted = 1;
			let refused = 0;
			for (const answer of this.answers) {
				if (answer.sentAt < this.cutAt) continue;
				if (answer.throttled) refused++;
				else accepted++;
			}
			next = sending * Math.min(tuning.backoff, accepted / (accepted + refused));
			this.plateau = next;
		} else {
			next = Math.min(measured, sending) * tuning.backoff;
			this.plateau = Math.min(measured, sending);
		}
		next = Math.min(this.ceiling, Math.max(next, sending * tuning.maxCut, MIN_RATE));
		this.plateau = Math.max(this.plateau, next);
		this.base = next;
		this.cutAt = now;
		this.generation++;
		this.nextSlotAt = now + 1000 / next;
	}

	/** The pace right now (requests per second; Infinity when unpaced). */
	get currentRate(): number {
		return this.rateAt(this.now());
	}

	private sent(at: number): PacerTicket {
		this.sends.push(at);
		if (this.sends.length > 4096) this.sends.splice(0, 2048);
		return at;
	}

	private answered(sentAt: number, throttled: boolean): void {
		const answeredAt = this.now();
		this.answers.push({ sentAt, answeredAt, throttled });
		const horizon = answeredAt - this.tuning.horizonMs;
		if (this.answers.length > 64 && this.answers[0].answeredAt < horizon) {
			const keep = this.answers.findIndex((a) => a.answeredAt >= horizon);
			this.answers.splice(0, keep < 0 ? this.answers.length : keep);
		}
	}

	/**
	 * Successes per second between the earliest recent throttled request and this one: the bucket was
	 * empty at both ends, so everything in between came from its refill.
	 */
	private measuredRate(throttledSentAt: number, now: number): number | undefined {
		const from = now - this.tuning.horizonMs;
		let first: number | undefined;
		for (const answer of this.answers) {
			if (answer.throttled && answer.sentAt >= from && (first === undefined || answer.sentAt < first)) {
				first = answer.sentAt;
			}
		}
		if (first === undefined) return undefined;
		const span = throttledSentAt - first;
		if (span < this.tuning.minSpanMs) return undefined;
		let successes = 0;
		for (const answer of this.answers) {
			if (!answer.throttled && answer.sentAt > first && answer.sentAt < throttledSentAt) successes++;
		}
		if (successes < this.tuning.minSuccesses) return undefined;
		return (successes * 1000) / span;
	}

	/** What was actually sent lately: with few workers free, the pace may be far above it. */
	private sendRate(now: number): number {
		const window = Math.min(this.tuning.sendWindowMs, Math.max(1, now - (this.sends[0] ?? now)));
		const from = now - window;
		let lo = 0;
		let hi = this.sends.length;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (this.sends[mid] < from) lo = mid + 1;
			else hi = mid;
		}
		return Math.max(MIN_RATE, ((this.sends.length - lo) * 1000) / window);
	}

	private rateAt(now: number): number {
		if (this.cutAt === -Infinity) return this.base;
		const seconds = (now - this.cutAt) / 1000;
		const { growth } = this.tuning;
		const k = Math.cbrt(Math.max(0, 1 - this.base / this.plateau) / growth);
		const rate = this.plateau * (1 + growth * (seconds - k) ** 3);
		return Math.min(this.ceiling, Math.max(this.base, rate));
	}
}
