import type { INodeProperties } from 'n8n-workflow';

import { BATCH_DEFAULTS } from '../helpers/constants';

/** Where the permanent-delete warning and the error-branch how-to are shown. */
export function deletionNotice(what: string): INodeProperties {
	return {
		displayName: `Deleting ${what} is permanent and cannot be undone. Try the Dry Run option first. To send failed items down their own branch, open the node's Settings and set On Error to "Continue (using error output)".`,
		name: 'deletionNotice',
		type: 'notice',
		default: '',
	};
}

/** The batch options both operations share; each operation appends its own and sets its pacing default. */
export function batchOptions(pacing: { requestsPerSecondDefault: number; requestsPerSecondDescription: string }): INodeProperties[] {
	return [
		{
			displayName: 'Concurrency',
			name: 'concurrency',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: BATCH_DEFAULTS.maxConcurrency },
			default: BATCH_DEFAULTS.concurrency,
			description:
				'How many requests are in flight at once. Outputs stay in input order whatever the value. Read from the first item.',
		},
		{
			displayName: 'Dry Run',
			name: 'dryRun',
			type: 'boolean',
			default: false,
			description:
				'Whether to do everything but the delete: check the IDs, run the read-only checks, and output the request each item would send',
		},
		{
			displayName: 'Ignore Not Found',
			name: 'ignoreNotFound',
			type: 'boolean',
			default: false,
			description:
				'Whether an ID that does not exist counts as a success (with alreadyDeleted: true) instead of an error. Useful when re-running a cleanup.',
		},
		{
			displayName: 'Max Retries',
			name: 'maxRetries',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: BATCH_DEFAULTS.maxMaxRetries },
			default: BATCH_DEFAULTS.maxRetries,
			description:
				'How often one item is retried after a 429, a 5xx, a timeout or a dropped connection, with exponential backoff (Retry-After is honoured). Other errors are never retried.',
		},
		{
			displayName: 'Requests per Second',
			name: 'requestsPerSecond',
			type: 'number',
			typeOptions: { minValue: 0, numberPrecision: 2 },
			default: pacing.requestsPerSecondDefault,
			description: pacing.requestsPerSecondDescription,
		},
		{
			displayName: 'Timeout (Ms)',
			name: 'timeout',
			type: 'number',
			typeOptions: { minValue: 100 },
			default: BATCH_DEFAULTS.timeoutMs,
			description:
				'How long to wait for each request before treating it as failed (and retrying it). A request that timed out may still have been carried out.',
		},
	];
}
