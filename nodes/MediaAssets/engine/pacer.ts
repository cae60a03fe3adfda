/**
 * Spaces requests so that all workers together send at most `requestsPerSecond`, and makes every
 * worker hold off when the server throttles one of them: a 429 is about the client, not the item.
 *
 * When the user asked for no pacing and the server throttles anyway, the pacer adopts the rate at
 * which requests were succeeding just before (and then probes upwards slowly): that keeps a cleanup
 * running at the server's limit instead of bursting into it over and over.
 */
export class RequestPacer {
	private nextSlotAt = 0;
	private pausedUntil = 0;
	private rate: number;
	private readonly successTimes: number[] = [];
	private lastThrottleAt = 0;

	constructor(
		requestsPerSecond: number,
		private readonly now: () => number,
		private readonly wait: (ms: number) => Promise<void>,
	) {
		this.rate = requestsPerSecond > 0 ? requestsPerSecond : Infinity;
	}

	/** Resolves when the caller may send its next request. */
	async acquire(): Promise<void> {
		for (;;) {
			const now = this.now();
			const startAt = Math.max(now, this.nextSlotAt, this.pausedUntil);
			if (Number.isFinite(this.rate)) this.nextSlotAt = startAt + 1000 / this.rate;
			if (startAt <= now) return;
			await this.wait(startAt - now);
			// A throttle reported while this caller slept moves everyone's start.
			if (this.now() >= this.pausedUntil) return;
		}
	}

	onSuccess(): void {
		const now = this.now();
		this.successTimes.push(now);
		if (this.successTimes.length > 256) this.successTimes.splice(0, 128);
		// Probe upwards again after a quiet spell, 5 % a second, so a lifted limit is noticed.
		if (Number.isFinite(this.rate) && this.lastThrottleAt > 0 && now - this.lastThrottleAt > 1_000) {
			this.rate *= 1 + 0.05 * Math.min(1, (now - this.lastThrottleAt) / 1_000);
			this.lastThrottleAt = now;
		}
	}

	/** The server said 429: everyone pauses for `waitMs`, and the rate comes down. */
	onThrottled(waitMs: number): void {
		const now = this.now();
		// Requests already in flight when the limit hit come back throttled too: one episode, one cut.
		const sameEpisode = now < this.pausedUntil;
		this.pausedUntil = Math.max(this.pausedUntil, now + waitMs);
		if (sameEpisode) return;
		const recent = this.successTimes.filter((t) => now - t <= 1_000).length;
		const observed = Math.max(1, recent);
		this.rate = Number.isFinite(this.rate) ? Math.max(1, Math.min(this.rate * 0.8, observed)) : observed;
		this.lastThrottleAt = now;
	}

	get currentRate(): number {
		return this.rate;
	}
}
