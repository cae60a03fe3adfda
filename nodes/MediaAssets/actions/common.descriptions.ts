import type { INodeProperties } from 'n8n-workflow';

import {
	DEFAULT_CONCURRENCY,
	DEFAULT_MAX_RETRIES,
	DEFAULT_TIMEOUT_MS,
	MAX_CONCURRENCY,
	MAX_MAX_RETRIES,
} from '../helpers/constants';

/** Where the permanent-delete warning and the error-branch how-to are shown. */
export function deletionNotice(what: string): INodeProperties {
	return {
		displayName: `Deleting ${what} is permanent and cannot be undone. Try the Dry Run option first. To send failed items down their own branch, open the node's Settings and set On Error to "Continue (using error output)".`,
		name: 'deletionNotice',
		type: 'notice',
		default: '',
	};
}

const concurrencyOption: INodeProperties = {
	displayName: 'Concurrency',
	name: 'concurrency',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY },
	default: DEFAULT_CONCURRENCY,
	description:
		'How many requests are in flight at once. Outputs stay in input order whatever the value. Read from the first item.',
};

const maxRetriesOption: INodeProperties = {
	displayName: 'Max Retries',
	name: 'maxRetries',
	type: 'number',
	typeOptions: { minValue: 0, maxValue: MAX_MAX_RETRIES },
	default: DEFAULT_MAX_RETRIES,
	description:
		'How often one request is retried after a 429, a 5xx, a timeout or a dropped connection, with exponential backoff (Retry-After is honoured). Other errors are never retried.',
};

const timeoutOption: INodeProperties = {
	displayName: 'Timeout (Ms)',
	name: 'timeout',
	type: 'number',
	typeOptions: { minValue: 100 },
	default: DEFAULT_TIMEOUT_MS,
	description:
		'How long to wait for each request before treating it as failed (and retrying it). A request that timed out may still have been carried out.',
};

export const dryRunOption: INodeProperties = {
	displayName: 'Dry Run',
	name: 'dryRun',
	type: 'boolean',
	default: false,
	description:
		'Whether to do everything but the change: check the IDs, run the read-only checks, and output the request each item would send',
};

export const ignoreNotFoundOption: INodeProperties = {
	displayName: 'Ignore Not Found',
	name: 'ignoreNotFound',
	type: 'boolean',
	default: false,
	description:
		'Whether an ID that does not exist counts as a success (with alreadyDeleted: true) instead of an error. Useful when re-running a cleanup, e.g. after an interrupted run.',
};

/** The node's Options collection holding these options, in the editor's order. */
function optionsCollection(options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: sortedByName(options),
	};
}

/**
 * The Options collection of a per-item operation: the options every call shares (concurrency, retries,
 * timeout), the API's own Requests per Second, and the operation's own.
 */
export function itemOptions(requestsPerSecond: INodeProperties, own: INodeProperties[] = []): INodeProperties {
	return optionsCollection([concurrencyOption, ...listingOptionsList(requestsPerSecond, own)]);
}

/** The Options collection of a listing: one request at a time per page, so no concurrency. */
export function listingOptions(requestsPerSecond: INodeProperties, own: INodeProperties[] = []): INodeProperties {
	return optionsCollection(listingOptionsList(requestsPerSecond, own));
}

function listingOptionsList(requestsPerSecond: INodeProperties, own: INodeProperties[]): INodeProperties[] {
	return [maxRetriesOption, timeoutOption, requestsPerSecond, ...own];
}

/** Simplify on a read, as n8n's own nodes offer it (on by default). */
export const simplifyProperty: INodeProperties = {
	displayName: 'Simplify',
	name: 'simple',
	type: 'boolean',
	default: true,
	description: 'Whether to return a simplified version of the response instead of the raw data',
};

/** The Asset ID field of an operation, mapped per item. */
export function assetIdProperty(description: string, placeholder: string, hint: string): INodeProperties {
	return { displayName: 'Asset ID', name: 'assetId', type: 'string', required: true, default: '', placeholder, description, hint };
}

/** Collection options in the alphabetical order n8n's editor convention (and its lint rule) expects. */
export function sortedByName(options: INodeProperties[]): INodeProperties[] {
	return [...options].sort((a, b) => a.displayName.localeCompare(b.displayName));
}
