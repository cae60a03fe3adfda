import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { runItems } from '../../engine/runItems';
import { ACTIVATE, activationDescription, activationOperation } from './activation';

export const description = activationDescription(
	ACTIVATE,
	'ID of the MetaStudio asset to activate (asset_id, of an asset in state UNACTIVED). The result has activated: true; failures carry error.message and error.retryable.',
);

export const activateMetaStudioAssetOperation = activationOperation(ACTIVATE);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runItems.call(this, activateMetaStudioAssetOperation);
}
