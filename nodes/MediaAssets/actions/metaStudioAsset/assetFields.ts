import type { IDataObject, INode } from 'n8n-workflow';

import { invalidInputError } from '../../helpers/errors';

/** CreateDigitalAsset's and UpdateDigitalAsset's documented limits. */
export const ASSET_NAME_MAX = 256;
export const ASSET_DESCRIPTION_MAX = 4096;
export const TAGS_MAX = 50;
export const TAG_MAX = 128;

/** Tags as the node takes them: comma-separated text or a list from an expression; blanks dropped. */
export function tagList(value: unknown): string[] {
	const entries = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : value === undefined || value === null ? [] : [value];
	return entries.map((entry) => String(entry).trim()).filter((entry) => entry !== '');
}

/**
 * The asset fields of an item (name, description, tags), checked against the documented limits: a value
 * over a limit is the item's error, and nothing is sent.
 */
export function checkedAssetFields(node: INode, itemIndex: number, fields: { name?: unknown; description?: unknown; tags?: string[] }): IDataObject {
	const body: IDataObject = {};
	const refuse = (problem: string, hint: string) => {
		throw invalidInputError(node, itemIndex, problem, hint);
	};
	if (fields.name !== undefined) {
		const name = String(fields.name).trim();
		if (name === '' || name.length > ASSET_NAME_MAX) refuse(`The asset name must be 1 to ${ASSET_NAME_MAX} characters, not ${name.length}`, 'Shorten the name.');
		body.asset_name = name;
	}
	if (fields.description !== undefined) {
		const description = String(fields.description);
		if (description.length > ASSET_DESCRIPTION_MAX) refuse(`The description has ${description.length} characters; MetaStudio allows ${ASSET_DESCRIPTION_MAX}`, 'Shorten the description.');
		body.asset_description = description;
	}
	if (fields.tags !== undefined) {
		if (fields.tags.length > TAGS_MAX) refuse(`${fields.tags.length} tags; MetaStudio allows ${TAGS_MAX} per asset`, 'Remove some tags.');
		const long = fields.tags.find((tag) => tag.length > TAG_MAX);
		if (long !== undefined) refuse(`The tag "${long.slice(0, 40)}…" has ${long.length} characters; MetaStudio allows ${TAG_MAX}`, 'Shorten the tag.');
		body.tags = fields.tags;
	}
	return body;
}
