/**
 * The version 1 node description, as n8n shows it for a node of version 1, serialised the one way the
 * fixture and its test both use. `npx ts-node --transpile-only --prefer-ts-exts
 * test/description/v1Description.ts --write` (re)writes test/fixtures/description.v1.json; it is
 * written once, from the tree before version 2 existed, and must never need rewriting.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { INodeType, IVersionedNodeType } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { MediaAssets } from '../../nodes/MediaAssets/MediaAssets.node';

export const V1_FIXTURE = join(__dirname, '..', 'fixtures', 'description.v1.json');

/** The description n8n resolves for typeVersion 1 (a plain node type, or one version of a versioned one). */
export function v1Description(): INodeType['description'] {
	return NodeHelpers.getVersionedNodeType(new MediaAssets() as INodeType | IVersionedNodeType, 1).description;
}

/** JSON, keeping keys whose value is undefined (JSON.stringify would drop them silently) and functions. */
export function serialised(description: unknown): string {
	const marked = JSON.stringify(
		description,
		(_key, value: unknown) => {
			if (value === undefined) return '[undefined]';
			if (typeof value === 'function') return `[function ${value.name}]`;
			return value;
		},
		'\t',
	);
	return `${marked}\n`;
}

if (require.main === module && process.argv.includes('--write')) {
	writeFileSync(V1_FIXTURE, serialised(v1Description()));
	process.stdout.write(`wrote ${V1_FIXTURE}\n`);
}
