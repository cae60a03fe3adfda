import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { runItems } from '../../engine/runItems';
import type { ItemOperation, Outcome, TargetCalls } from '../../engine/types';
import { updateDisplayOptions } from '../../helpers/displayOptions';
import { invalidInputError } from '../../helpers/errors';
import type { Done } from '../../helpers/interfaces';
import { failed } from '../../helpers/interfaces';
import { ASSET_NOT_FOUND, callMetaStudio, metaStudioRequests } from '../../transport/metaStudio';
import { dryRunOption, itemOptions, sortedByName } from '../common.descriptions';
import type { MetaStudioTarget } from '../metaStudio.common';
import { metaStudioLanes, metaStudioRequestOptions, metaStudioRequestsPerSecond, resolveMetaStudioTarget, sendAssetRequest } from '../metaStudio.common';
import { checkedAssetFields, tagList, TAGS_MAX } from './assetFields';
import { metaStudioAssetState } from './assetStates';
import { metaStudioAssetIdProperty } from './common';

type TagsMode = 'replace' | 'add' | 'remove';

const properties: INodeProperties[] = [
	metaStudioAssetIdProperty(
		'ID of the MetaStudio asset to update (asset_id). The result has updated: true and the fields as MetaStudio now holds them; failures carry error.message and error.retryable.',
	),
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: sortedByName([
			{ displayName: 'Description', name: 'assetDescription', type: 'string', typeOptions: { rows: 2 }, default: '', description: 'Up to 4,096 characters' },
			{ displayName: 'Name', name: 'assetName', type: 'string', default: '', description: 'The asset name, 1 to 256 characters' },
			{
				displayName: 'Tags',
				name: 'tags',
				type: 'string',
				default: '',
				placeholder: 'cleanup-candidate, reviewed',
				description: 'Comma-separated, or a list from an expression: up to 50 tags of up to 128 characters',
			},
			{
				displayName: 'Tags Mode',
				name: 'tagsMode',
				type: 'options',
				options: [
					{ name: 'Replace', value: 'replace', description: "The asset's tags become exactly these" },
					{ name: 'Add', value: 'add', description: 'These tags are added to the current ones' },
					{ name: 'Remove', value: 'remove', description: 'These tags are removed from the current ones' },
				],
				default: 'replace',
				description:
					'How Tags change the asset. Add and Remove read the current tags, then write the result: MetaStudio has no conditional update, so two runs changing one asset at once can overwrite each other.',
			},
		]),
	},
	itemOptions(metaStudioRequestsPerSecond('change'), [dryRunOption, ...metaStudioRequestOptions]),
];

export const description = updateDisplayOptions({ show: { resource: ['metaStudioAsset'], operation: ['update'] } }, properties);

type UpdateTarget = MetaStudioTarget & {
	body: IDataObject;
	/** Add or Remove: applied to the tags read first. */
	tagChange?: { mode: Exclude<TagsMode, 'replace'>; tags: string[] };
};

/** The fields the item asks to change, checked; at least one. */
function requestedFields(ctx: IExecuteFunctions, itemIndex: number): { body: IDataObject; tagChange?: UpdateTarget['tagChange'] } {
	const fields = ctx.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	const mode = (fields.tagsMode ?? 'replace') as TagsMode;
	const tags = fields.tags === undefined ? undefined : tagList(fields.tags);
	const body = checkedAssetFields(ctx.getNode(), itemIndex, {
		name: fields.assetName,
		description: fields.assetDescription,
		tags: mode === 'replace' ? tags : undefined,
	});
	const tagChange = tags !== undefined && mode !== 'replace' ? { mode, tags } : undefined;
	if (Object.keys(body).length === 0 && !tagChange) {
		throw invalidInputError(ctx.getNode(), itemIndex, 'There is nothing to update', 'Add a Name, a Description or Tags under Update Fields.');
	}
	return { body, tagChange };
}

/** Add or Remove: the current tags read with ShowAsset (also in Dry Run), the result written in full. */
async function mergeTags(this: IExecuteFunctions, target: UpdateTarget, calls: TargetCalls): Promise<{ outcome?: Outcome; facts?: IDataObject }> {
	if (!target.tagChange) return {};
	const request = metaStudioRequests.showAsset(target.project, target.id);
	const current = await calls.send(async () => await callMetaStudio(this, request, calls.settings, ASSET_NOT_FOUND));
	if (current.outcome === 'failed') return { outcome: failed({ ...current.failure, summary: `its tags could not be read: ${current.failure.summary}` }) };
	const before = tagList(current.value.tags);
	const { mode, tags } = target.tagChange;
	const after = mode === 'add' ? [...before, ...tags.filter((tag) => !before.includes(tag))] : before.filter((tag) => !tags.includes(tag));
	if (after.length > TAGS_MAX) {
		return { outcome: failed({ reason: 'invalidInput', summary: `it would have ${after.length} tags; MetaStudio allows ${TAGS_MAX}`, retryable: false, outcomeUnknown: false, hint: 'Remove some tags first.' }) };
	}
	// The request is the item's own: it carries the tags as they will be written.
	target.body = { ...target.body, tags: after };
	return { facts: { tagsBefore: before } };
}

/** Whether the asset now holds every field the update wrote (tags in any order). */
function holdsUpdate(state: IDataObject | null, target: UpdateTarget): boolean {
	if (state === null) return false;
	return Object.entries(target.body).every(([field, value]) =>
		Array.isArray(value) ? JSON.stringify(tagList(state[field]).sort()) === JSON.stringify([...(value as string[])].sort()) : state[field] === value,
	);
}

function updatedItem(target: UpdateTarget, answer: Done | undefined): IDataObject {
	const asset = answer?.value ?? {};
	const written = Object.fromEntries(Object.keys(target.body).map((field) => [field, asset[field] ?? target.body[field]]));
	return { assetId: target.id, updated: true, ...written, requestId: answer?.requestId ?? null, httpStatus: answer?.httpStatus ?? 200, updatedAt: new Date().toISOString() };
}

export const updateMetaStudioAssetOperation: ItemOperation<UpdateTarget> = {
	idField: 'assetId',
	noun: 'asset',
	action: 'update',
	changeFlag: 'updated',
	async resolveTarget(this: IExecuteFunctions, itemIndex, options) {
		const { body, tagChange } = requestedFields(this, itemIndex);
		const id = { parameter: 'assetId', label: 'asset ID' };
		const target = await resolveMetaStudioTarget(this, itemIndex, options, id, (project, assetId) => metaStudioRequests.updateAsset(project, assetId, body));
		// The body is part of the call: two items that write different fields to one asset are two calls.
		return { ...target, body, tagChange, dedupeKey: `${target.dedupeKey} ${JSON.stringify(body)} ${JSON.stringify(tagChange ?? null)}` };
	},
	defaultRequestsPerSecond: metaStudioLanes('change'),
	check: mergeTags,
	send: sendAssetRequest,
	successJson: updatedItem,
	state: metaStudioAssetState(holdsUpdate),
};

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runItems.call(this, updateMetaStudioAssetOperation);
}
