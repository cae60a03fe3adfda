import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { addHints, itemHints, listingHints } from '../helpers/executionHints';
import { asNodeError, runFailureItems } from '../helpers/errors';
import * as asset from './asset/Asset.resource';
import * as mediaFile from './mediaFile/MediaFile.resource';
import * as metaStudioAsset from './metaStudioAsset/MetaStudioAsset.resource';
import { resourceNouns } from './node.descriptions';
import type { MediaAssetsMap } from './node.type';

type Execute = (this: IExecuteFunctions) => Promise<INodeExecutionData[][]>;

const operations: { [R in keyof MediaAssetsMap]: Record<MediaAssetsMap[R], { execute: Execute }> } = {
	asset,
	mediaFile,
	metaStudioAsset,
};

async function routed(this: IExecuteFunctions, resource: string, operation: string): Promise<INodeExecutionData[][]> {
	const handlers = operations[resource as keyof MediaAssetsMap] as Record<string, { execute: Execute }> | undefined;
	const handler = handlers?.[operation];
	if (!handler) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" is not supported for the resource "${resource}"`,
			{ description: 'Pick a Resource and an Operation the node offers.' },
		);
	}
	return await handler.execute.call(this);
}

/**
 * Runs the item's operation, then adds the execution hints (Dry Run summary, Ignore Not Found count,
 * Get Many cut short by its Limit).
 *
 * With On Error set to continue, a failure of the run as a whole (no credential, an unknown operation,
 * a setting that cannot be read) becomes one error item per input item: thrown, n8n would pass the
 * input items on as if they had been processed, and a "check, then delete" chain would delete them.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	let resource = '';
	let operation = '';
	let outputs: INodeExecutionData[][];
	try {
		resource = this.getNodeParameter('resource', 0) as string;
		operation = this.getNodeParameter('operation', 0) as string;
		outputs = await routed.call(this, resource, operation);
	} catch (error) {
		const failure = asNodeError(this.getNode(), error);
		if (!this.continueOnFail() || this.getExecutionCancelSignal?.()?.aborted === true) throw failure;
		return [runFailureItems(this.getNode(), this.getInputData().length, failure)];
	}
	const items = outputs[0] ?? [];
	const nouns = resourceNouns(resource);
	addHints(this, operation === 'getAll' ? listingHints(this, items, nouns) : itemHints(items, nouns));
	return outputs;
}
