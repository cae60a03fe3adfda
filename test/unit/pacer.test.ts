import { RequestSlots, takeSlotAndPace } from '../../nodes/MediaAssets/engine/calls';
import { PAUSE_ALL_FROM_MS, RequestPacer } from '../../nodes/MediaAssets/engine/pacer';
import { VirtualClock } from '../harness/virtualClock';
import { TokenBucket } from '../emulators/faults';

/** A pacer on a virtual clock: waiting advances time instantly, and every run is the same. */
function virtualPacer(requestsPerSecond = 0) {
	const clock = new VirtualClock();
	const pacer = new RequestPacer(requestsPerSecond, clock.now, clock.wait);
	return { clock, pacer, run: <T>(work: Promise<T>) => clock.run(work) };
}

/** Send times of `count` requests taken one after another. */
async function sendTimes(pacer: RequestPacer, count: number): Promise<number[]> {
	const times: number[] = [];
	for (let i = 0; i < count; i++) times.push(await pacer.acquire());
	return times;
}

/** Requests at the pacer's pace, answered by `answer` (true: a 429) after `latencyMs`, for `ms` of virtual time. */
async function drive(
	clock: VirtualClock,
	pacer: RequestPacer,
	ms: number,
	answer: (sentAt: number) => boolean,
	latencyMs = 20,
	workers = 8,
): Promise<void> {
	const end = clock.now() + ms;
	const worker = async () => {
		while (clock.now() < end) {
			const ticket = await pacer.acquire();
			const throttled = answer(ticket);
			await clock.wait(latencyMs);
			if (throttled) pacer.onThrottled(ticket);
			else pacer.onSuccess(ticket);
		}
	};
	await Promise.all(Array.from({ length: workers }, worker));
}

describe('RequestPacer', () => {
	describe('without Requests per Second', () => {
		it('should never wait before the first 429', async () => {
			const { clock, pacer, run } = virtualPacer();
			await run(sendTimes(pacer, 1000));
			expect(clock.now()).toBe(0);
			expect(pacer.currentRate).toBe(Infinity);
		});

		it('should come down to about half the rate the workers reached when the first 429 comes', async () => {
			const { clock, pacer, run } = virtualPacer();
			// 16 requests every 20 ms: 800 per second.
			const tickets: number[] = [];
			await run(
				(async () => {
					for (let round = 0; round < 4; round++) {
						for (let i = 0; i < 16; i++) tickets.push(await pacer.acquire());
						await clock.wait(20);
					}
				})(),
			);
			pacer.onThrottled(tickets[tickets.length - 1]);
			expect(pacer.currentRate).toBeGreaterThan(300);
			expect(pacer.currentRate).toBeLessThan(500);
		});
	});

	describe('with Requests per Second', () => {
		it('should space requests at the configured rate', async () => {
			const { pacer, run } = virtualPacer(10);
			const times = await run(sendTimes(pacer, 11));
			expect(times[10] - times[0]).toBe(1000);
			expect(times.slice(1).map((t, i) => t - times[i])).toEqual(new Array(10).fill(100));
		});

		it('should never go above the configured rate, however long no 429 comes', async () => {
			const { clock, pacer, run } = virtualPacer(10);
			const ticket = await run(pacer.acquire());
			pacer.onThrottled(ticket);
			await run(clock.wait(60_000));
			expect(pacer.currentRate).toBe(10);
		});

		it('should slow down below the configured rate when the server throttles', async () => {
			const { pacer, run } = virtualPacer(10);
			const ticket = await run(pacer.acquire());
			pacer.onThrottled(ticket);
			expect(pacer.currentRate).toBeLessThan(10);
		});
	});

	describe('after a 429', () => {
		it('should cut once per episode, not once per throttled request', async () => {
			const { pacer, run } = virtualPacer(50);
			const tickets = await run(sendTimes(pacer, 5));
			pacer.onThrottled(tickets[0]);
			const afterFirst = pacer.currentRate;
			for (const ticket of tickets.slice(1)) pacer.onThrottled(ticket);
			expect(pacer.currentRate).toBe(afterFirst);
		});

		it('should take a lone 429 after many successes as a graze: a few percent', async () => {
			const { clock, pacer, run } = virtualPacer(50);
			await run(drive(clock, pacer, 2_000, () => false));
			const ticket = await run(pacer.acquire());
			pacer.onThrottled(ticket);
			expect(pacer.currentRate).toBeCloseTo(47.5, 1);
		});

		it('should go just under the rate that got through while most requests were refused', async () => {
			const { clock, pacer, run } = virtualPacer(100);
			// The server allows 20 per second, with a burst of 10: the first cut lands near 20, not at 50.
			const bucket = new TokenBucket(20, 10, 0);
			await run(drive(clock, pacer, 300, (sentAt) => !bucket.take(sentAt)));
			expect(pacer.currentRate).toBeGreaterThan(15);
			expect(pacer.currentRate).toBeLessThan(25);
		});

		it('should not cut below what got through over the last second when the evidence is thin', async () => {
			const { clock, pacer, run } = virtualPacer(40);
			await run(drive(clock, pacer, 1_000, () => false));
			const first = await run(pacer.acquire());
			pacer.onThrottled(first);
			// Right after the cut, a request of the new pace is refused before any succeeded.
			const second = await run(pacer.acquire());
			await run(clock.wait(1));
			pacer.onThrottled(second);
			expect(pacer.currentRate).toBeGreaterThanOrEqual(0.95 * 0.95 * 38);
		});

		it('should grow back to the throttled rate within about a second, then past it', async () => {
			const { clock, pacer, run } = virtualPacer();
			await run(drive(clock, pacer, 1_000, () => false, 20, 1));
			const ticket = await run(pacer.acquire());
			pacer.onThrottled(ticket);
			const cutTo = pacer.currentRate;
			await run(clock.wait(1_000));
			expect(pacer.currentRate).toBeGreaterThanOrEqual(cutTo / 0.95 - 0.5);
			await run(clock.wait(3_000));
			expect(pacer.currentRate).toBeGreaterThan(2 * cutTo);
		});

		it('should make callers already waiting take the pace of the moment, not the one they queued under', async () => {
			const { clock, pacer, run } = virtualPacer(100);
			const first = await run(pacer.acquire());
			const waiting = [pacer.acquire(), pacer.acquire(), pacer.acquire()];
			// A refusal of the first request halves the pace before the others' slots come.
			pacer.onThrottled(first);
			const times = await run(Promise.all(waiting));
			expect(clock.now()).toBeGreaterThan(50);
			expect(times[1] - times[0]).toBeGreaterThanOrEqual(1000 / pacer.currentRate - 1);
		});

		it('should pause every caller when Retry-After asks for a long break', async () => {
			const { pacer, run } = virtualPacer();
			const ticket = await run(pacer.acquire());
			pacer.onThrottled(ticket, PAUSE_ALL_FROM_MS);
			expect(await run(pacer.acquire())).toBeGreaterThanOrEqual(PAUSE_ALL_FROM_MS);
		});

		it('should not pause every caller for a short Retry-After: the refused request waits on its own', async () => {
			const { pacer, run } = virtualPacer();
			const tickets = await run(sendTimes(pacer, 16));
			pacer.onThrottled(tickets[15], 1_000);
			const next = await run(pacer.acquire());
			expect(next).toBeLessThan(100);
		});
	});

	it('should hand a caller its slot at once when its wait is cut short (the execution is being cancelled)', async () => {
		let now = 0;
		const pacer = new RequestPacer(1, () => now, async () => {
			now += 1;
		});
		await pacer.acquire();
		const ticket = await pacer.acquire();
		expect(ticket).toBe(1);
	});
});

describe('takeSlotAndPace', () => {
	/** One request slot, and the pacers of two lanes, unpaced until a 429. */
	function oneSlot() {
		const { clock, pacer: lane, run } = virtualPacer();
		const other = new RequestPacer(0, clock.now, clock.wait);
		return { clock, lane, other, run, slots: new RequestSlots(1) };
	}

	it('should not hold a slot while it waits for its lane\'s pace, so another lane sends meanwhile', async () => {
		const { clock, other, run, slots } = oneSlot();
		const paced = new RequestPacer(1, clock.now, clock.wait);
		await run(takeSlotAndPace(slots, paced, false));
		slots.give();
		const waiting = takeSlotAndPace(slots, paced, false);
		await run(takeSlotAndPace(slots, other, false));
		expect(clock.now()).toBe(0);
		slots.give();
		expect(await run(waiting)).toBe(1000);
	});

	it('should give its slot back when a 429 set a pace while it waited for the slot, so another lane sends meanwhile', async () => {
		const { clock, lane, other, run, slots } = oneSlot();
		const first = await run(takeSlotAndPace(slots, lane, false));
		const queued = takeSlotAndPace(slots, lane, false);
		lane.onThrottled(first, PAUSE_ALL_FROM_MS);
		slots.give();
		await run(takeSlotAndPace(slots, other, false));
		expect(clock.now()).toBe(0);
		slots.give();
		await run(queued);
		expect(clock.now()).toBeGreaterThanOrEqual(PAUSE_ALL_FROM_MS);
	});

	it('should send each request at its ticket when requests queued for a slot before a 429 meet requests paced after it', async () => {
		const { clock, lane, run, slots } = oneSlot();
		const first = await run(takeSlotAndPace(slots, lane, false));
		// Sent at once and answered at once: the slot is free again as soon as the request has left.
		const sent = async (taking: Promise<number>) => {
			const ticket = await taking;
			const leftAt = clock.now();
			slots.give();
			return { ticket, leftAt };
		};
		const queuedBefore = sent(takeSlotAndPace(slots, lane, false));
		lane.onThrottled(first, PAUSE_ALL_FROM_MS);
		const pacedAfter = sent(takeSlotAndPace(slots, lane, false));
		slots.give();
		const requests = await run(Promise.all([queuedBefore, pacedAfter]));
		for (const { ticket, leftAt } of requests) expect(leftAt).toBe(ticket);
	});
});
