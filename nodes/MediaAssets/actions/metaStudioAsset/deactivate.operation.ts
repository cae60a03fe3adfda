import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { runItems } from '../../engine/runItems';
import { activationDescription, activationOperation, DEACTIVATE } from './activation';

export const description = activationDescription(
	DEACTIVATE,
	'ID of the MetaStudio asset to deactivate (asset_id, of an asset in state ACTIVED). The result has deactivated: true; failures carry error.message and error.retryable.',
);

export const deactivateMetaStudioAssetOperation = activationOperation(DEACTIVATE);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runItems.call(this, deactivateMetaStudioAssetOperation);
}
