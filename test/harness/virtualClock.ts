/**
 * A virtual clock for simulations: `wait(ms)` resolves when virtual time reaches it, and `run`
 * advances time from one timer to the next only after every promise chain has settled, so a
 * simulated minute of pacing takes milliseconds and every run is deterministic.
 */
export class VirtualClock {
	private time = 0;

	private sequence = 0;

	private readonly timers: Array<{ at: number; sequence: number; resolve: () => void }> = [];

	readonly now = (): number => this.time;

	readonly wait = (ms: number): Promise<void> =>
		new Promise((resolve) => {
			this.push({ at: this.time + Math.max(0, ms), sequence: this.sequence++, resolve });
		});

	/** Runs until `done` settles; throws if it never does (a deadlock in the simulated code). */
	async run<T>(done: Promise<T>): Promise<T> {
		let settled = false;
		let failure: unknown;
		let value: T | undefined;
		done.then(
			(v) => {
				settled = true;
				value = v;
			},
			(error: unknown) => {
				settled = true;
				failure = error ?? new Error('rejected');
			},
		);
		for (;;) {
			// setImmediate runs after every pending microtask, i.e. after all promise chains have moved on.
			await new Promise((resolve) => setImmediate(resolve));
			if (settled) break;
			const timer = this.pop();
			if (!timer) throw new Error('Simulation stalled: nothing is waiting on the clock.');
			this.time = Math.max(this.time, timer.at);
			timer.resolve();
			// Fire every timer due at the same instant before letting the code run.
			while (this.timers.length > 0 && this.timers[0].at <= this.time) this.pop()!.resolve();
		}
		if (failure !== undefined) throw failure;
		return value as T;
	}

	private push(timer: { at: number; sequence: number; resolve: () => void }): void {
		const heap = this.timers;
		heap.push(timer);
		let i = heap.length - 1;
		while (i > 0) {
			const parent = (i - 1) >> 1;
			if (!before(heap[i], heap[parent])) break;
			[heap[i], heap[parent]] = [heap[parent], heap[i]];
			i = parent;
		}
	}

	private pop(): { at: number; sequence: number; resolve: () => void } | undefined {
		const heap = this.timers;
		if (heap.length === 0) return undefined;
		const top = heap[0];
		const last = heap.pop()!;
		if (heap.length > 0) {
			heap[0] = last;
			let i = 0;
			for (;;) {
				const left = 2 * i + 1;
				const right = left + 1;
				let smallest = i;
				if (left < heap.length && before(heap[left], heap[smallest])) smallest = left;
				if (right < heap.length && before(heap[right], heap[smallest])) smallest = right;
				if (smallest === i) break;
				[heap[i], heap[smallest]] = [heap[smallest], heap[i]];
				i = smallest;
			}
		}
		return top;
	}
}

function before(a: { at: number; sequence: number }, b: { at: number; sequence: number }): boolean {
	return a.at < b.at || (a.at === b.at && a.sequence < b.sequence);
}
