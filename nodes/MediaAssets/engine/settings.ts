import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import {
	DEFAULT_CONCURRENCY,
	DEFAULT_MAX_RETRIES,
	DEFAULT_TIMEOUT_MS,
	MAX_CONCURRENCY,
	MAX_MAX_RETRIES,
} from '../helpers/constants';
import type { ItemSettings, RunSettings } from './types';

function clamp(value: unknown, min: number, max: number, fallback: number): number {
	const n = Number(value);
	if (value === undefined || value === null || value === '' || !Number.isFinite(n)) return fallback;
	return Math.min(max, Math.max(min, Math.floor(n)));
}

export function readOptions(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	return (ctx.getNodeParameter('options', itemIndex, {}) as IDataObject) ?? {};
}

/** Whether a parameter holds an expression anywhere, so that it has to be evaluated for each item. */
export function hasExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(hasExpression);
	if (value !== null && typeof value === 'object') return Object.values(value).some(hasExpression);
	return false;
}

/**
 * The Options collection of every item. Without expressions it is the same for all items: read once,
 * since evaluating parameters is most of n8n's per-item cost.
 */
export function optionsReader(ctx: IExecuteFunctions, itemCount: number): (itemIndex: number) => IDataObject {
	const first = itemCount > 0 ? readOptions(ctx, 0) : {};
	if (!hasExpression(ctx.getNode().parameters.options)) return () => first;
	return (itemIndex) => (itemIndex === 0 ? first : readOptions(ctx, itemIndex));
}

/** Scheduling is one decision for the whole run, so it is read from the first item. */
export function readRunSettings(options: IDataObject): RunSettings {
	const rps = options.requestsPerSecond;
	return {
		concurrency: clamp(options.concurrency, 1, MAX_CONCURRENCY, DEFAULT_CONCURRENCY),
		requestsPerSecond:
			rps === undefined || rps === null || rps === '' ? undefined : Math.max(0, Number(rps) || 0),
	};
}

export function readItemSettings(options: IDataObject): ItemSettings {
	return {
		maxRetries: clamp(options.maxRetries, 0, MAX_MAX_RETRIES, DEFAULT_MAX_RETRIES),
		timeoutMs: clamp(options.timeout, 100, 600_000, DEFAULT_TIMEOUT_MS),
		ignoreNotFound: options.ignoreNotFound === true,
		dryRun: options.dryRun === true,
	};
}
