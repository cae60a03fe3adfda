/**
 * Runs a KyyVideo2 emulator in its own process for the benchmark, so that the server's CPU time
 * and memory are not counted against the client being measured. Controlled over IPC.
 */
import { KyyVideo2Emulator } from '../../test/emulators/kyyVideo2';
import type { FaultConfig } from '../../test/emulators/faults';

type Command =
	| { type: 'reset'; assets: number; prefix: string; faults: FaultConfig }
	| { type: 'stats' }
	| { type: 'stop' };

async function main() {
	const emulator = await KyyVideo2Emulator.start({ apiKey: process.env.BENCH_API_KEY ?? 'bench-key', record: false });
	process.send!({ type: 'ready', baseUrl: emulator.baseUrl });
	process.on('message', async (command: Command) => {
		if (command.type === 'reset') {
			emulator.reset();
			for (let i = 0; i < command.assets; i++) emulator.addAsset(`${command.prefix}${i}`);
			emulator.setFaults(command.faults);
			process.send!({ type: 'done' });
		} else if (command.type === 'stats') {
			process.send!({ type: 'stats', stats: emulator.stats() });
		} else if (command.type === 'stop') {
			await emulator.stop();
			process.exit(0);
		}
	});
}

void main();
