/**
 * Waits for an event the emulators record (every request received has landed, the server has seen a
 * request), however long a loaded machine takes to get there: only jest's test timeout ends a wait for
 * something that never happens. The first check comes after a turn of the event loop, so a request
 * already written to a socket has reached the emulator before anything is counted.
 */
export async function waitUntil(condition: () => boolean): Promise<void> {
	do await new Promise((resolve) => setTimeout(resolve, 5));
	while (!condition());
}
