import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import * as asset from './asset/Asset.resource';
import * as mediaFile from './mediaFile/MediaFile.resource';
import * as metaStudioAsset from './metaStudioAsset/MetaStudioAsset.resource';
import type { MediaAssetsMap } from './node.type';

type Execute = (this: IExecuteFunctions) => Promise<INodeExecutionData[][]>;

const operations: { [R in keyof MediaAssetsMap]: Record<MediaAssetsMap[R], { execute: Execute }> } = {
	asset,
	mediaFile,
	metaStudioAsset,
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const handlers = operations[resource as keyof MediaAssetsMap] as Record<string, { execute: Execute }> | undefined;
	const handler = handlers?.[operation];
	if (!handler) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" is not supported for the resource "${resource}"`,
		);
	}
	return await handler.execute.call(this);
}
