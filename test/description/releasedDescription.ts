/**
 * The Media Assets node description as released, serialised the one way the fixture and its test both
 * use. `npx ts-node --transpile-only --prefer-ts-exts test/description/releasedDescription.ts --write`
 * writes test/fixtures/description.json; once 0.1.0 is published it must never need rewriting (a change
 * to parameters or defaults goes into node version 2, docs/development.md).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { INodeType } from 'n8n-workflow';

import { MediaAssets } from '../../nodes/MediaAssets/MediaAssets.node';

export const RELEASED_FIXTURE = join(__dirname, '..', 'fixtures', 'description.json');

export function releasedDescription(): INodeType['description'] {
	return new MediaAssets().description;
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
	writeFileSync(RELEASED_FIXTURE, serialised(releasedDescription()));
	process.stdout.write(`wrote ${RELEASED_FIXTURE}\n`);
}
