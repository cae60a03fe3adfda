import { RequestPacer } from '../../nodes/MediaAssets/engine/pacer';

/** A pacer on a virtual clock: waiting advances time instantly. */
function virtualPacer(rate: number) {
	let now = 0;
	const pacer = new RequestPacer(
		rate,
		() => now,
		async (ms) => {
			now += ms;
		},
	);
	return { pacer, time: () => now, advance: (ms: number) => (now += ms) };
}

describe('RequestPacer', () => {
	it('should not wait at all when unpaced', async () => {
		const { pacer, time } = virtualPacer(0);
		for (let i = 0; i < 100; i++) await pacer.acquire();
		expect(time()).toBe(0);
	});

	it('should space requests at the configured rate', async () => {
		const { pacer, time } = virtualPacer(10);
		for (let i = 0; i < 11; i++) await pacer.acquire();
		expect(time()).toBe(1000);
	});

	it('should make every caller hold off after a throttle', async () => {
		const { pacer, time } = virtualPacer(0);
		await pacer.acquire();
		pacer.onThrottled(2000);
		await pacer.acquire();
		expect(time()).toBeGreaterThanOrEqual(2000);
	});

	it('should adopt the rate that was succeeding when an unpaced run gets throttled', async () => {
		const { pacer, advance } = virtualPacer(0);
		for (let i = 0; i < 50; i++) {
			await pacer.acquire();
			pacer.onSuccess();
			advance(10);
		}
		pacer.onThrottled(1000);
		expect(pacer.currentRate).toBeGreaterThanOrEqual(40);
		expect(pacer.currentRate).toBeLessThanOrEqual(100);
	});

	it('should cut the rate once per throttle episode, not once per throttled request', async () => {
		const { pacer } = virtualPacer(50);
		pacer.onThrottled(1000);
		const afterFirst = pacer.currentRate;
		pacer.onThrottled(1000);
		pacer.onThrottled(1000);
		expect(pacer.currentRate).toBe(afterFirst);
	});
});
