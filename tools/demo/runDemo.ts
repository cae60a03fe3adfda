/**
 * `npm run demo`: a cleanup workflow run by the real n8n engine against a local KyyVideo2 emulator.
 * Some IDs exist, some do not, one is invalid; failures go to the Error output. No network needed.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { INodeExecutionData } from 'n8n-workflow';

process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'n8n-media-assets-demo-'));

async function main() {
	// Loaded after N8N_USER_FOLDER is set: n8n-core reads it when it loads.
	const { KyyVideo2Emulator } = await import('../../test/emulators/kyyVideo2');
	const { runMediaAssets } = await import('../../test/harness/runWorkflow');

	const apiKey = 'demo-key-not-a-real-secret';
	const emulator = await KyyVideo2Emulator.start({
		apiKey,
		assets: [
			{ assetId: 'asset-20260330142158-q75m8', name: 'intro.mp4', status: 'Active', assetType: 'Video' },
			{ assetId: 'asset-20260330150012-a1b2c', name: 'logo.png', status: 'Failed', assetType: 'Image' },
			{ assetId: 'asset-20260330161245-zz9y8', name: 'voice.mp3', status: 'Processing', assetType: 'Audio' },
		],
	});

	const items = [
		{ row: 1, assetId: 'asset-20260330142158-q75m8' },
		{ row: 2, assetId: 'asset://asset-20260330150012-a1b2c' },
		{ row: 3, assetId: 'asset-20260101000000-gone1' },
		{ row: 4, assetId: '../asset-20260330161245-zz9y8' },
		{ row: 5, assetId: 'asset-20260330161245-zz9y8' },
	];

	console.log(`KyyVideo2 emulator at ${emulator.baseUrl} with 3 assets.`);
	console.log('Workflow: Items source → Media Assets (Delete Asset, On Error: Continue (using error output))\n');
	console.log('Input items:');
	for (const item of items) console.log(`  row ${item.row}: ${item.assetId}`);

	try {
		const result = await runMediaAssets({
			items,
			parameters: {
				resource: 'asset',
				operation: 'delete',
				assetId: '={{ $json.assetId }}',
				options: {},
			},
			onError: 'continueErrorOutput',
			credentials: { kyyVideo2Api: { apiKey, baseUrl: emulator.baseUrl } },
		});
		if (result.error) throw result.error;

		const [success = [], failed = []] = result.outputs;
		const show = (title: string, branch: INodeExecutionData[]) => {
			console.log(`\n${title} (${branch.length} item${branch.length === 1 ? '' : 's'}):`);
			for (const item of branch) {
				console.log(`  from input item ${JSON.stringify(item.pairedItem)}:`);
				console.log(`    ${JSON.stringify(item.json, null, 2).split('\n').join('\n    ')}`);
			}
		};
		show('Success branch (output 0)', success);
		show('Error branch (output "error")', failed);
		console.log(`\nDELETE requests the emulator received: ${emulator.requests.filter((r) => r.method === 'DELETE').length}`);
		console.log(`Assets left: ${['asset-20260330142158-q75m8', 'asset-20260330150012-a1b2c', 'asset-20260330161245-zz9y8'].filter((id) => emulator.hasAsset(id)).join(', ') || 'none'}`);
	} finally {
		await emulator.stop();
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
