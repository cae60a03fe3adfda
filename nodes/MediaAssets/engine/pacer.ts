/**
 * Finds and keeps to the rate a server accepts, shared by every request of one execution.
 *
 * The engine's calls, per request (deletes, lookups and list pages alike):
 *
 *     const ticket = await pacer.acquire();
 *     const answer = await send();
 *     if (answer is a 429) pacer.onThrottled(ticket, failure.retryAfterMs);
 *     else pacer.onSuccess(ticket);    // any other answer: the server took the request for work
 *     // a throttled request then waits retryDelayMs(attempts, failure, Math.random()) on its own,
 *     // without holding a request slot
 *
 * How it behaves (tools/bench/pacing.ts measures it):
 * - Without Requests per Second and before the first 429, `acquire` never waits: an unlimited server
 *   costs nothing.
 * - A 429 lowers the pace once per episode: 429s for requests sent before the last cut answer the
 *   pace that cut already dealt with.
 * - How far it comes down depends on the evidence. A lone 429 after many successes is a graze: a few
 *   percent. While most requests are refused, the server's bucket is empty, so the successes per
 *   second are exactly what it lets this execution have: the pace goes just under that, whatever the
 *   burst. Otherwise the pace is cut by the share of its requests that got through, at most halved.
 *   It never comes down below what the server let through over the last second, so executions that
 *   share a limit and probe at the same moment do not knock each other down to nothing.
 * - After a cut the pace grows on a cubic curve (as TCP CUBIC does): back to the throttled rate
 *   within about a second, slowly past it, then faster, so capacity that other executions free is
 *   found again within seconds.
 * - Callers wait in order, and each takes its slot at the pace of the moment it reaches the head, so
 *   a pace that grows or is cut applies at once, not after a queue of slots booked at the old pace.
 * - A short Retry-After (a per-second limit) delays only the refused request: the lowered pace
 *   already keeps the server under its limit, and stopping everyone would waste that time's
 *   capacity. A long one (the server wants a break) pauses everyone.
 */

/** Tuning; the defaults are what the pacing benchmark (tools/bench/pacing.ts) arrived at. */
export interface PacerTuning {
	/** The smallest cut: a graze takes the pace to this share of the rate that was throttled. */
	backoff: number;
	/** The deepest cut without a measurement of the server's rate. */
	maxCut: number;
	/** Cubic growth: relative rate gain per second³ (CUBIC's C, scaled to the throttled rate). */
	growth: number;
}

export const DEFAULT_PACER_TUNING: PacerTuning = {
	backoff: 0.95,
	maxCut: 0.5,
	growth: 0.2,
};

/** Lets the pacer match an answer with when its request was sent. */
export type PacerTicket = number;

/** A Retry-After this long is a request for silence, not a per-second limit: everyone pauses. */
export const PAUSE_ALL_FROM_MS = 5_000;

const MIN_RATE = 0.5;
/** What the server let through this recently is proof of what it allows. */
const WINDOW_MS = 1_000;
/** Refusals that make a window count as saturated: this share of the answers, and at least 2. */
const SATURATED_SHARE = 0.25;
/** The shortest span a measurement of the server's rate is trusted over. */
const MIN_MEASURE_MS = 50;
/** A measured rate may cut the pace at most this deep at once. */
const DEEPEST_CUT = 1 / 16;
/** Sends that measure the rate workers reached unpaced, and the shortest span that measure trusts. */
const RATE_SAMPLE = 16;
const MIN_SPAN_MS = 10;
/** Enough sends to find the ones before a 429's request, with every worker busy. */
const SENDS_KEPT = 512;
/** A caller waiting for its slot looks at the pace again this often, so growth reaches it. */
const RECHECK_MS = 250;

interface Answer {
	sentAt: number;
	answeredAt: number;
	throttled: boolean;
}

export class RequestPacer {
	/** The user's Requests per Second; never exceeded. Infinity when not set. */
	private readonly ceiling: number;

	/** The pace the last cut set; Infinity until a 429 (or the ceiling) sets one. */
	private base: number;

	/** The rate that was throttled at the last cut: growth is slow near it. */
	private plateau = Infinity;

	private cutAt = -Infinity;

	private acceptedSinceCut = 0;

	private pausedUntil = -Infinity;

	/** When the last slot was due (not when it was taken): the schedule that keeps to the pace. */
	private lastSlotAt = -Infinity;

	private throttledOnce = false;

	/** Callers waiting behind the one whose slot is being timed. */
	private readonly queue: Array<() => void> = [];

	private timing = false;

	private readonly sends: number[] = [];

	/** Answers of the last WINDOW_MS, oldest first. */
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

	/** Whether `acquire` may wait now: a pace is set or found, a pause is on, or callers are queued. */
	get paces(): boolean {
		const now = this.now();
		return this.timing || this.rateAt(now) !== Infinity || now < this.pausedUntil;
	}

	/** Resolves when the caller may send its next request. */
	async acquire(): Promise<PacerTicket> {
		if (this.timing) {
			await new Promise<void>((resolve) => this.queue.push(resolve));
		} else {
			const now = this.now();
			if (this.rateAt(now) === Infinity && now >= this.pausedUntil) return this.sent(now);
		}
		this.timing = true;
		try {
			for (;;) {
				const now = this.now();
				const rate = this.rateAt(now);
				const slot = Math.max(this.pausedUntil, rate === Infinity ? now : this.lastSlotAt + 1000 / rate);
				if (slot <= now) {
					// A timer that fires a little late would push every later slot back, a few percent below
					// the pace. Until the first 429 the schedule keeps to the pace by sending the next request
					// that much sooner; after one, no gap is shorter than the pace, as a server without burst
					// (every request at least 1/rate after the last) refuses such a request.
					this.lastSlotAt = this.throttledOnce || now - slot >= 1000 / rate ? now : slot;
					return this.sent(now);
				}
				const ms = Math.min(slot - now, RECHECK_MS);
				await this.wait(ms);
				// Woken early: the execution is being cancelled, and the engine must get to see that.
				if (this.now() + 1 < now + ms) return this.sent(this.now());
			}
		} finally {
			const next = this.queue.shift();
			if (next) next();
			else this.timing = false;
		}
	}

	onSuccess(ticket: PacerTicket): void {
		if (ticket > this.cutAt) this.acceptedSinceCut++;
		this.remember(ticket, false);
	}

	/** The server said 429 to the request that `ticket` let through. */
	onThrottled(ticket: PacerTicket, retryAfterMs?: number): void {
		this.remember(ticket, true);
		this.throttledOnce = true;
		const now = this.now();
		if (retryAfterMs !== undefined && retryAfterMs >= PAUSE_ALL_FROM_MS) {
			this.pausedUntil = Math.max(this.pausedUntil, now + retryAfterMs);
		}
		// Sent before the last cut (or in its millisecond): that cut already answered this pace.
		if (ticket <= this.cutAt) return;
		const { tuning } = this;
		const pace = this.rateAt(now);
		// Unpaced, the rate that was too fast is the one the workers reached by themselves.
		const throttled = pace === Infinity ? this.sendRateBefore(ticket) : pace;
		// The share of this pace's requests that got through before its first 429.
		const accepted = this.acceptedSinceCut / (this.acceptedSinceCut + 1);
		const cut = throttled * Math.max(tuning.maxCut, Math.min(tuning.backoff, accepted));
		const floor = Math.min(throttled, this.recentSuccessRate(now)) * tuning.backoff;
		const rate = Math.max(cut, floor);
		const share = this.saturatedShare(ticket, now, pace === Infinity);
		if (share !== undefined && share * tuning.backoff < rate) {
			this.cut(now, Math.max(share * tuning.backoff, throttled * DEEPEST_CUT), share);
		} else {
			this.cut(now, rate, throttled);
		}
	}

	/** The pace right now (requests per second; Infinity when unpaced). */
	get currentRate(): number {
		return this.rateAt(this.now());
	}

	private cut(now: number, rate: number, plateau: number): void {
		this.base = Math.min(this.ceiling, Math.max(MIN_RATE, rate));
		this.plateau = Math.max(this.base, Math.min(this.ceiling, plateau));
		this.cutAt = now;
		this.acceptedSinceCut = 0;
	}

	private rateAt(now: number): number {
		if (this.cutAt === -Infinity) return this.base;
		const seconds = (now - this.cutAt) / 1000;
		const { growth } = this.tuning;
		const k = Math.cbrt((1 - this.base / this.plateau) / growth);
		const rate = this.plateau * (1 + growth * (seconds - k) ** 3);
		return Math.min(this.ceiling, Math.max(this.base, rate));
	}

	private sent(at: number): PacerTicket {
		this.sends.push(at);
		if (this.sends.length > SENDS_KEPT) this.sends.splice(0, SENDS_KEPT / 2);
		return at;
	}

	private remember(sentAt: number, throttled: boolean): void {
		const answeredAt = this.now();
		const answers = this.answers;
		answers.push({ sentAt, answeredAt, throttled });
		let stale = 0;
		while (stale < answers.length && answers[stale].answeredAt < answeredAt - WINDOW_MS) stale++;
		if (stale > 0) answers.splice(0, stale);
	}

	private recentSuccessRate(now: number): number {
		let successes = 0;
		for (const answer of this.answers) {
			if (!answer.throttled && answer.answeredAt >= now - WINDOW_MS) successes++;
		}
		return (successes * 1000) / WINDOW_MS;
	}

	/**
	 * While most requests are refused the server's bucket stays empty, so the successes per second
	 * since the first refusal are what it lets this execution have. Undefined when the last second was
	 * not saturated or the span is too short to trust.
	 */
	private saturatedShare(ticket: PacerTicket, now: number, unpaced: boolean): number | undefined {
		let ok = 0;
		let refused = 0;
		let firstRefused = Infinity;
		for (const answer of this.answers) {
			if (answer.answeredAt < now - WINDOW_MS) continue;
			if (!answer.throttled) ok++;
			else {
				refused++;
				firstRefused = Math.min(firstRefused, answer.sentAt);
			}
		}
		const saturated = unpaced || refused >= Math.max(2, SATURATED_SHARE * (ok + refused));
		const span = ticket - firstRefused;
		if (!saturated || !(span >= MIN_MEASURE_MS)) return undefined;
		let through = 0;
		for (const answer of this.answers) {
			if (!answer.throttled && answer.sentAt > firstRefused && answer.sentAt < ticket) through++;
		}
		// The bucket may have held almost a whole token at the first refusal: one more than was counted.
		return ((through + 1) * 1000) / span;
	}

	/** The rate the last few requests before `sentAt` went out at. */
	private sendRateBefore(sentAt: number): number {
		const sends = this.sends;
		let last = sends.length - 1;
		while (last > 0 && sends[last] > sentAt) last--;
		const first = Math.max(0, last - RATE_SAMPLE);
		const count = Math.max(1, last - first);
		return (count * 1000) / Math.max(MIN_SPAN_MS, sends[last] - sends[first]);
	}
}
