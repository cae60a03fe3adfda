import { Container } from '@n8n/di';

/**
 * n8n-core's SSHClientsManager, created with the first node context of a run, starts a one-minute
 * cleanup interval. n8n 2.x unrefs it; n8n 1.x does not (its CLI shuts the process down instead), so
 * under 1.x a test process would never exit. Unref it here, on both lines: it is the same singleton
 * the engine gets later from the container.
 */
let released = false;

export function releaseEngineTimers(): void {
	if (released) return;
	released = true;
	// eslint-disable-next-line @typescript-eslint/no-require-imports -- not exported from n8n-core's index on either line
	const { SSHClientsManager } = require('n8n-core/dist/execution-engine/ssh-clients-manager') as { SSHClientsManager: unknown };
	const manager = Container.get(SSHClientsManager as never) as { cleanupTimer?: NodeJS.Timeout };
	manager.cleanupTimer?.unref();
}
