import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { stateOf } from '../../engine/settle';
import type { ItemTarget, TargetStateReader } from '../../engine/types';
import { invalidInputError, unsafeUrlError } from '../../helpers/errors';
import type { HttpMethod } from '../../helpers/interfaces';
import { itemParameterReader } from '../../helpers/parameters';
import { checkAssetId } from '../../helpers/validators';
import { runCredentialData } from '../../transport/credentials';
import { assetUrl, getAsset, KYY_CREDENTIAL_TYPE } from '../../transport/kyyVideo2';
import { assetIdProperty } from '../common.descriptions';

/** KyyVideo2's Asset ID field. */
export function kyyAssetIdProperty(description: string): INodeProperties {
	return assetIdProperty(description, 'asset-20260330142158-q75m8', 'Map it from the input, e.g. {{ $json.assetId }}');
}

export const kyyRequestsPerSecondOption: INodeProperties = {
	displayName: 'Requests per Second',
	name: 'requestsPerSecond',
	type: 'number',
	typeOptions: { minValue: 0, numberPrecision: 2 },
	default: 0,
	description:
		'Upper limit on requests per second across all items (0 = no limit). The API publishes no limit; the node slows down by itself when it gets 429s.',
};

/** The item's asset ID, checked, and the URL both the delete and the detail endpoint use. */
export async function resolveKyyAssetTarget(
	ctx: IExecuteFunctions,
	itemIndex: number,
	method: HttpMethod,
): Promise<ItemTarget> {
	const raw = itemParameterReader(ctx, 'assetId')(itemIndex);
	const checked = checkAssetId(raw);
	if (!checked.valid) throw invalidInputError(ctx.getNode(), itemIndex, checked.problem, checked.hint);
	const credentials = await runCredentialData(ctx, KYY_CREDENTIAL_TYPE);
	let url: string;
	try {
		url = assetUrl(credentials.baseUrl, checked.id);
	} catch (error) {
		throw unsafeUrlError(ctx.getNode(), itemIndex, error);
	}
	// The base URL is the run's credential's, the same for every item: the ID alone tells targets apart.
	return { id: checked.id, dedupeKey: checked.id, method, url };
}

/** The API publishes no limit: unpaced until it answers 429. */
export async function kyyRequestsPerSecond(): Promise<number> {
	return 0;
}

/**
 * An asset's state from the detail endpoint, paced with the delete (the same API and limit): `null`
 * once the asset is gone, which is what a delete leaves behind.
 */
export const kyyAssetState: TargetStateReader<ItemTarget> = {
	async read(this: IExecuteFunctions, targets, calls) {
		const read = async (target: ItemTarget) => stateOf(await calls.send(async () => await getAsset(this, target.url, calls.settings), 'main'));
		return await Promise.all(targets.map(read));
	},
	landed: (state) => state === null,
};
