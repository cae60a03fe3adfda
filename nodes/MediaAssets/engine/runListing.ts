import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { apiFailureError, errorItemJson } from '../helpers/errors';
import { CallScheduler, wasSent } from './calls';
import { optionsReader, readItemSettings, readRunSettings } from './settings';
import type { ListingOperation, ListingQuery } from './types';

/**
 * Runs a listing for every input item, pages one after another (offset paging would skip or repeat
 * records if pages overlapped in time), each page paced and retried like any call. A failed page
 * fails that input item (its records so far are not output: a partial listing must not pass for a
 * whole one); with continue-on-fail it becomes one error item paired with that input item.
 */
export async function runListing<Q extends ListingQuery>(
	this: IExecuteFunctions,
	operation: ListingOperation<Q>,
): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const node = this.getNode();
	const continueOnFail = this.continueOnFail();
	const optionsOf = optionsReader(this, items.length);
	const requestsPerSecond = readRunSettings(optionsOf(0)).requestsPerSecond ?? (await operation.defaultRequestsPerSecond.call(this));
	const scheduler = new CallScheduler(this, () => requestsPerSecond);
	const output: INodeExecutionData[] = [];

	for (let i = 0; i < items.length; i++) {
		const pairedItem = { item: i };
		let query: Q;
		const options = optionsOf(i);
		const settings = readItemSettings(options);
		try {
			query = await operation.resolveQuery.call(this, i, options);
		} catch (error) {
			const itemError = error instanceof NodeOperationError ? error : new NodeOperationError(node, error as Error, { itemIndex: i });
			if (!continueOnFail) throw itemError;
			output.push({ json: errorItemJson(itemError, 'offset', undefined, undefined, 0), pairedItem });
			continue;
		}

		const records: IDataObject[] = [];
		let offset = 0;
		let failed = false;
		while (query.max === undefined || records.length < query.max) {
			const limit = Math.min(operation.pageSize, (query.max ?? Infinity) - records.length);
			const page = async () => await operation.fetchPage.call(this, query, { offset, limit }, settings);
			const { answer: result, attempts } = await scheduler.send(settings.maxRetries, page);
			if (scheduler.cancelled || !wasSent(result)) {
				throw new NodeOperationError(node, `The execution was cancelled while listing ${operation.noun}.`, { itemIndex: i });
			}
			if (result.outcome === 'failed') {
				const error = apiFailureError(node, i, { noun: operation.noun, id: '', action: 'list' }, result.failure, attempts);
				if (!continueOnFail) throw error;
				output.push({ json: errorItemJson(error, 'offset', String(offset), result.failure, attempts), pairedItem });
				failed = true;
				break;
			}
			const { records: pageRecords, total } = result.value;
			records.push(...pageRecords.slice(0, limit));
			offset += pageRecords.length;
			if (pageRecords.length === 0 || offset >= total) break;
		}
		if (!failed) for (const json of records) output.push({ json, pairedItem });
	}
	return [output];
}
