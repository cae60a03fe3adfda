/**
 * `--experiment <name>`: measure a change to the package without making it, a proposed one or one
 * already made, undone. Each experiment edits the copy installed in `.bench/user` (never the sources);
 * every run unpacks that copy afresh. Patterns that no longer match the built code fail loudly.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { USER_FOLDER } from './n8nInstall';

const INSTALLED = join(USER_FOLDER, '.n8n', 'nodes', 'node_modules', 'n8n-nodes-media-assets', 'dist');

interface Patch {
	file: string;
	find: RegExp;
	replace: string;
}

export const EXPERIMENTS: Record<string, { description: string; patches: Patch[] }> = {
	// The two cuts of commit 6ca2daf, undone: `--experiment generic-auth,evaluate-id-expression` measures the
	// tree as it was before them.
	'generic-auth': {
		description:
			'KyyVideo2 credential back to the generic `authenticate` (`Authorization: =Bearer {{$credentials.apiKey}}`), which n8n resolves through its expression engine on every request',
		patches: [
			{
				file: 'credentials/KyyVideo2Api.credentials.js',
				find: /this\.authenticate = async \(credentials, requestOptions\) => \(\{[\s\S]*?\}\);/,
				replace:
					"this.authenticate = { type: 'generic', properties: { headers: { Authorization: '=Bearer {{$credentials.apiKey}}' } } };",
			},
		],
	},
	'evaluate-id-expression': {
		description:
			'Asset ID `={{ $json.assetId }}` evaluated by n8n for every item (getNodeParameter) instead of read from the input item',
		patches: [
			{
				file: 'nodes/MediaAssets/helpers/parameters.js',
				find: /const field = typeof raw === 'string' \? JSON_FIELD_ONLY\.exec\(raw\) : null;/,
				replace: 'const field = null;',
			},
		],
	},
	'no-memo': {
		description:
			'engine: no outcome memo in the node\'s execution context (what the memo that protects against Retry On Fail costs in memory; not a proposal to drop it)',
		patches: [
			{
				file: 'nodes/MediaAssets/engine/outcomeMemo.js',
				find: /static of\(ctx\) \{/,
				replace: 'static of(ctx) { if (ctx) return new OutcomeMemo(undefined);',
			},
		],
	},
	'upload-no-follow-redirects': {
		description:
			"the upload PUT (transport/files.ts uploadFile) with `disableFollowRedirect: true`: axios then writes the body to Node's http directly; through follow-redirects (n8n's default) every chunk written is also kept for a replay after a redirect, until the answer comes",
		patches: [
			{
				file: 'nodes/MediaAssets/transport/files.js',
				find: /method: 'PUT',/,
				replace: "method: 'PUT', disableFollowRedirect: true,",
			},
		],
	},
	'no-follow-redirects': {
		description: 'every request with `disableFollowRedirect: true`: axios then uses Node\'s http directly instead of follow-redirects',
		patches: [
			{
				file: 'nodes/MediaAssets/transport/request.js',
				find: /json: true,/,
				replace: 'json: true, disableFollowRedirect: true,',
			},
		],
	},
};

export function applyExperiment(name: string): string {
	const experiment = EXPERIMENTS[name];
	if (!experiment) throw new Error(`unknown experiment "${name}"; one of ${Object.keys(EXPERIMENTS).join(', ')}`);
	for (const patch of experiment.patches) {
		const file = join(INSTALLED, patch.file);
		const text = readFileSync(file, 'utf8');
		if (!patch.find.test(text)) throw new Error(`experiment ${name}: ${patch.find} not found in ${patch.file}`);
		writeFileSync(file, text.replace(patch.find, () => patch.replace));
	}
	return experiment.description;
}
