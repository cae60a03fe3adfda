/**
 * "A request is only ever sent to the exact documented path", checked on what the emulators really
 * received: for every per-item operation of both APIs, whatever the ID, either the item is an
 * invalid-input error and nothing is sent for it, or the request arrives at the documented template
 * with the ID as exactly one path segment that decodes back to the ID.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { KyyVideo2Emulator } from '../../emulators/kyyVideo2';
import { MetaStudioEmulator } from '../../emulators/metaStudio';
import { mulberry32 } from '../../emulators/faults';
import { runMediaAssets } from '../../harness/runWorkflow';

const KEY = 'sk-kyy-path-safety-7e1d';
const PROJECT = '6a6a1f8354f64dd9b9a614def7b59d83';
const AK = 'HPUAXLPZQ7TESTAK0002';
const SK = 'secretKeyPathSafety0123456789abcdefghij';

/** IDs a URL parser rewrites or that change the path, and odd IDs that are fine as one segment. */
const HOSTILE_IDS: unknown[] = [
	'.',
	'..',
	' . ',
	'...',
	'./x',
	'x/..',
	'%2e',
	'%2E%2E',
	'.%2e',
	'a/b',
	'a\\b',
	'a?b=1',
	'a#frag',
	'%2F',
	'a%2Fb',
	'a\tb',
	'a\nb',
	'a\rb',
	'a\u0000b',
	'a\u200bb',
	'\ud800',
	'',
	'   ',
	5,
	null,
	['a'],
	{ id: 'a' },
];
const ODD_BUT_SAFE_IDS = ['a.b', 'a..b.c'.replace('..', '.'), 'a;b', 'a@b', 'a:b', 'a+b', 'é-資產', 'a~b_c-d', "a'b(c)*!"];

type Api = 'kyy' | 'metaStudio';

interface OperationCase {
	name: string;
	api: Api;
	parameters: INodeParameters;
	idParameter: string;
	method: string;
	/** The documented path for an ID, as the emulator must receive it (before the query). */
	path: (encodedId: string) => string;
	/** Options of the case: Batch Size 1 keeps MetaStudio's per-asset path (batch bodies: the metaStudioAsset/ tests). */
	options?: IDataObject;
}

const CASES: OperationCase[] = [
	{
		name: 'KyyVideo2 Delete',
		api: 'kyy',
		parameters: { resource: 'asset', operation: 'delete' },
		idParameter: 'assetId',
		method: 'DELETE',
		path: (id) => `/kyyReactApiServer/kyyVideo2/asset/${id}`,
	},
	{
		name: 'KyyVideo2 Get',
		api: 'kyy',
		parameters: { resource: 'asset', operation: 'get' },
		idParameter: 'assetId',
		method: 'GET',
		path: (id) => `/kyyReactApiServer/kyyVideo2/asset/${id}`,
	},
	{
		name: 'MetaStudio Delete Media File',
		api: 'metaStudio',
		parameters: { resource: 'mediaFile', operation: 'delete' },
		idParameter: 'fileId',
		method: 'DELETE',
		path: (id) => `/v1/${PROJECT}/files/${id}`,
	},
	{
		name: 'MetaStudio Get Asset',
		api: 'metaStudio',
		parameters: { resource: 'metaStudioAsset', operation: 'get' },
		idParameter: 'assetId',
		method: 'GET',
		path: (id) => `/v1/${PROJECT}/digital-assets/${id}`,
	},
	{
		name: 'MetaStudio Delete Asset (recycle bin)',
		api: 'metaStudio',
		parameters: { resource: 'metaStudioAsset', operation: 'delete', deleteMode: 'recycleBin' },
		idParameter: 'assetId',
		method: 'DELETE',
		options: { batchSize: 1 },
		path: (id) => `/v1/${PROJECT}/digital-assets/${id}`,
	},
	{
		name: 'MetaStudio Delete Asset (permanent)',
		api: 'metaStudio',
		parameters: { resource: 'metaStudioAsset', operation: 'delete', deleteMode: 'permanent' },
		idParameter: 'assetId',
		method: 'DELETE',
		options: { batchSize: 1 },
		path: (id) => `/v1/${PROJECT}/digital-assets/${id}`,
	},
	{
		name: 'MetaStudio Restore Asset',
		api: 'metaStudio',
		parameters: { resource: 'metaStudioAsset', operation: 'restore' },
		idParameter: 'assetId',
		method: 'POST',
		options: { batchSize: 1 },
		path: (id) => `/v1/${PROJECT}/digital-assets/${id}/restore`,
	},
];

/** A seeded mix of the characters URL parsers treat specially, to cover the class, not a list. */
function generatedIds(count: number): string[] {
	const alphabet = ['.', '.', '/', '\\', '%', '2', 'e', 'E', 'f', 'F', '?', '#', ' ', '\t', ';', '@', 'a', '-', '~', '資', '+', ':'];
	const random = mulberry32(20261122);
	return Array.from({ length: count }, () => {
		const length = 1 + Math.floor(random() * 4);
		return Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
	});
}

describe('Path safety: only documented paths are ever requested', () => {
	let kyy: KyyVideo2Emulator;
	let cloud: MetaStudioEmulator;

	beforeAll(async () => {
		kyy = await KyyVideo2Emulator.start({ apiKey: KEY });
		cloud = await MetaStudioEmulator.start({ accessKeyId: AK, secretAccessKey: SK, projectId: PROJECT });
	});

	afterAll(async () => {
		await kyy.stop();
		await cloud.stop();
	});

	async function runIds(operation: OperationCase, ids: unknown[]) {
		kyy.requests.length = 0;
		cloud.requests.length = 0;
		const result = await runMediaAssets({
			items: ids.map((id) => ({ id })) as IDataObject[],
			parameters: {
				...operation.parameters,
				[operation.idParameter]: '={{ $json.id }}',
				options: { maxRetries: 0, concurrency: 8, ...operation.options },
			},
			onError: 'continueRegularOutput',
			credentials:
				operation.api === 'kyy'
					? { kyyVideo2Api: { apiKey: KEY, baseUrl: kyy.baseUrl } }
					: {
							huaweiCloudAkSkApi: cloud.akSkCredential(),
						},
		});
		const received = (operation.api === 'kyy' ? kyy.requests : cloud.requests).map((r) => ({
			method: r.method,
			path: r.rawPath.split('?')[0],
		}));
		return { result, received };
	}

	/**
	 * Every item is either refused before sending (and then no request carries it) or requested at
	 * exactly the documented path with its ID as one segment.
	 */
	function expectOnlyDocumentedPaths(operation: OperationCase, ids: unknown[], outcome: Awaited<ReturnType<typeof runIds>>) {
		const { result, received } = outcome;
		const items = result.outputs[0];
		expect(result.error).toBeUndefined();
		expect(items).toHaveLength(ids.length);
		const allowedPaths = new Map<string, string>();
		ids.forEach((id, index) => {
			const item = items[index];
			expect(item.pairedItem).toEqual({ item: index });
			const error = item.json.error as IDataObject | undefined;
			if (error?.reason === 'invalidInput') {
				expect(String(error.message)).toContain('No request was sent');
				return;
			}
			// Not refused: it was sent, to the documented path, as one segment.
			allowedPaths.set(operation.path(encodeURIComponent(String(id).trim())), String(id).trim());
		});
		for (const request of received) {
			if (request.method !== operation.method) continue;
			const id = allowedPaths.get(request.path);
			expect({ path: request.path, documented: id !== undefined }).toEqual({ path: request.path, documented: true });
			const segments = request.path.split('/');
			const idSegment = operation.method === 'POST' ? segments[segments.length - 2] : segments[segments.length - 1];
			expect(decodeURIComponent(idSegment)).toBe(id);
		}
		// Each ID that was let through reached the server at its own path.
		for (const path of allowedPaths.keys()) {
			expect(received.some((request) => request.method === operation.method && request.path === path)).toBe(true);
		}
	}

	describe.each(CASES)('$name', (operation) => {
		it('should refuse IDs that a URL parser rewrites or that change the path, sending nothing for them', async () => {
			const outcome = await runIds(operation, HOSTILE_IDS);
			outcome.result.outputs[0].forEach((item) => {
				expect((item.json.error as IDataObject | undefined)?.reason).toBe('invalidInput');
			});
			expect(outcome.received.filter((r) => r.method === operation.method)).toEqual([]);
			expectOnlyDocumentedPaths(operation, HOSTILE_IDS, outcome);
		});

		it('should send odd but safe IDs as exactly one segment of the documented path', async () => {
			const outcome = await runIds(operation, ODD_BUT_SAFE_IDS);
			outcome.result.outputs[0].forEach((item) => {
				expect((item.json.error as IDataObject | undefined)?.reason).not.toBe('invalidInput');
			});
			expectOnlyDocumentedPaths(operation, ODD_BUT_SAFE_IDS, outcome);
		});

		it('should, for any generated ID, either refuse it with no request or request exactly the documented path', async () => {
			const ids = generatedIds(60);
			expectOnlyDocumentedPaths(operation, ids, await runIds(operation, ids));
		});
	});

	it('should name the dot-segment problem in the error', async () => {
		const { result } = await runIds(CASES[0], ['.']);
		const error = result.outputs[0][0].json.error as IDataObject;
		expect(error.message).toMatch(/asset ID "\."/);
		expect(error.retryable).toBe(false);
	});
});
