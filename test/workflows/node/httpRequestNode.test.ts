/**
 * The package's Huawei credentials in n8n's own HTTP Request node, under Authentication "Predefined
 * Credential Type", run through the real engine against the MetaStudio emulator. The node (v3–v4.x)
 * calls `requestWithAuthentication`, which hands a credential's `authenticate` the legacy request shape
 * (`uri`, `qs`, `body`, `form`); the emulator recomputes every AK/SK signature with Huawei's SDK signer
 * from the request as it arrived, so a passing call proves that what was signed is what was sent.
 * The node is required by its package subpath, so on the 1.x line it is n8n-nodes-base 1.x's.
 */
import { join } from 'node:path';

import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { DirectoryLoader } from 'n8n-core';
import { HttpRequest } from 'n8n-nodes-base/dist/nodes/HttpRequest/HttpRequest.node';
import { ManualTrigger } from 'n8n-nodes-base/dist/nodes/ManualTrigger/ManualTrigger.node';

import { MetaStudioEmulator } from '../../emulators/metaStudio';
import type { WorkflowJson, WorkflowRunResult } from '../../harness/runWorkflow';
import { runWorkflow, visibleText } from '../../harness/runWorkflow';

const HTTP_REQUEST_TYPE = 'n8n-nodes-base.httpRequest';
const MANUAL_TRIGGER_TYPE = 'n8n-nodes-base.manualTrigger';
const TRIGGER_NAME = "When clicking 'Execute workflow'";
const HTTP_NAME = 'MetaStudio API';

const httpRequestNode = new HttpRequest();
const NODE_TYPES = { [HTTP_REQUEST_TYPE]: httpRequestNode, [MANUAL_TRIGGER_TYPE]: new ManualTrigger() };
/** 4.5 on n8n 2.x, 4.3 on 1.x: what the editor puts in a new workflow. */
const LATEST_VERSION = httpRequestNode.description.defaultVersion as number;

const AK = 'AKHTTPNODE0000000001';
const SK = 'http-node-secret-key-0000000000000000000';
const PROJECT = 'p0000000000000000000000000000009';
const IAM_USER = { domainName: 'acme', userName: 'n8n-bot', password: 'iam-password-never-shown' };

type HuaweiCredentialType = 'huaweiCloudAkSkApi' | 'huaweiCloudIamApi';

// ------------------------------------------------------------------------------------------------
// The editor's credential list
// ------------------------------------------------------------------------------------------------

const PACKAGE_ROOT = join(__dirname, '..', '..', '..');
const CREDENTIAL_FILES = ['KyyVideo2Api', 'HuaweiCloudAkSkApi', 'HuaweiCloudIamApi'].map((name) =>
	join(PACKAGE_ROOT, 'credentials', `${name}.credentials.ts`),
);

/** n8n's own loader, pointed at the package's credential files (n8n loads the built .js the same way). */
class PackageCredentialsLoader extends DirectoryLoader {
	packageName = 'n8n-nodes-media-assets';

	async loadAll(): Promise<void> {
		for (const file of CREDENTIAL_FILES) this.loadCredentialFromFile(file);
	}
}

/**
 * The entries of the editor's `/types/credentials.json` for the package, built as n8n builds them:
 * the loader's instances (with the `toJSON` it attaches), copied with a spread by
 * LoadNodesAndCredentials.postProcessLoaders, then written with JSON.stringify.
 */
async function editorCredentialList(): Promise<IDataObject[]> {
	const loader = new PackageCredentialsLoader(PACKAGE_ROOT);
	await loader.loadAll();
	return loader.types.credentials
		.map((credential) => ({ ...credential, supportedNodes: undefined }))
		.map((entry) => JSON.parse(JSON.stringify(entry)) as IDataObject);
}

/** The HTTP Request node's "Credential Type" list: credentialTypes ['extends:oAuth2Api', 'extends:oAuth1Api', 'has:authenticate']. */
function offeredAsPredefinedCredentialType(entry: IDataObject): boolean {
	const parents = (entry.extends as string[] | undefined) ?? [];
	return entry.authenticate !== undefined || parents.includes('oAuth2Api') || parents.includes('oAuth1Api');
}

describe('the HTTP Request node\'s "Predefined Credential Type" list', () => {
	it('should declare that list as credential types having authenticate (this n8n-nodes-base line)', () => {
		const nodeCredentialType = httpRequestNode.nodeVersions[LATEST_VERSION].description.properties.find(
			(property) => property.name === 'nodeCredentialType',
		);
		expect(nodeCredentialType?.credentialTypes).toContain('has:authenticate');
	});

	it('should keep authenticate in a spread copy of every credential type', async () => {
		for (const file of CREDENTIAL_FILES) {
			// eslint-disable-next-line @typescript-eslint/no-require-imports -- one class per file, named after it
			const exports = require(file) as Record<string, new () => ICredentialType>;
			const [CredentialClass] = Object.values(exports);
			const copy = { ...new CredentialClass() };
			expect({ name: copy.name, authenticate: typeof copy.authenticate }).toEqual({
				name: copy.name,
				authenticate: expect.stringMatching(/^(function|object)$/),
			});
		}
	});

	it('should offer all three package credentials in the list n8n sends the editor', async () => {
		const list = await editorCredentialList();
		expect(list.map((entry) => entry.name)).toEqual(['kyyVideo2Api', 'huaweiCloudAkSkApi', 'huaweiCloudIamApi']);
		for (const entry of list) expect({ name: entry.name, offered: offeredAsPredefinedCredentialType(entry) }).toEqual({ name: entry.name, offered: true });
	});

	it('should show that a method authenticate is dropped, which is why the AK/SK one is a field', async () => {
		class WithMethod {
			name = 'methodAuth';

			properties = [];

			async authenticate(_credentials: unknown, options: unknown) {
				return options;
			}
		}
		const copy = { ...new WithMethod() } as IDataObject;
		expect(copy.authenticate).toBeUndefined();
		expect(offeredAsPredefinedCredentialType(copy)).toBe(false);
	});
});

// ------------------------------------------------------------------------------------------------
// Workflows as the editor saves them: Manual Trigger → HTTP Request with a predefined credential
// ------------------------------------------------------------------------------------------------

interface HttpCall {
	method?: 'GET' | 'DELETE' | 'POST';
	url: string;
	query?: Array<{ name: string; value: string }>;
	/** Extra node parameters (body, options), as the editor saves them. */
	parameters?: INodeParameters;
	typeVersion?: number;
	onError?: INode['onError'];
}

function httpRequestWorkflow(credentialType: HuaweiCredentialType, call: HttpCall): WorkflowJson {
	const parameters: INodeParameters = {};
	// The editor saves only parameters that differ from their defaults: GET is the default method.
	if (call.method !== undefined && call.method !== 'GET') parameters.method = call.method;
	parameters.url = call.url;
	parameters.authentication = 'predefinedCredentialType';
	parameters.nodeCredentialType = credentialType;
	if (call.query !== undefined) {
		parameters.sendQuery = true;
		parameters.queryParameters = { parameters: call.query };
	}
	Object.assign(parameters, call.parameters);
	parameters.options ??= {};
	const httpNode: INode = {
		parameters,
		id: '5b1f3c8e-9d2a-4c7e-8f10-000000000002',
		name: HTTP_NAME,
		type: HTTP_REQUEST_TYPE,
		typeVersion: call.typeVersion ?? 4.2,
		position: [220, 0],
		credentials: { [credentialType]: { id: '1', name: 'Huawei Cloud account' } },
	};
	if (call.onError !== undefined) httpNode.onError = call.onError;
	return {
		nodes: [
			{
				parameters: {},
				id: '5b1f3c8e-9d2a-4c7e-8f10-000000000001',
				name: TRIGGER_NAME,
				type: MANUAL_TRIGGER_TYPE,
				typeVersion: 1,
				position: [0, 0],
			},
			httpNode,
		],
		connections: { [TRIGGER_NAME]: { main: [[{ node: HTTP_NAME, type: NodeConnectionTypes.Main, index: 0 }]] } },
	};
}

function outputOf(result: WorkflowRunResult): INodeExecutionData[] {
	return result.runData[HTTP_NAME]?.[0]?.data?.main?.[0] ?? [];
}

/** `fullResponse` on, as the editor saves Options > Response > Include Response Headers and Status. */
const FULL_RESPONSE = { options: { response: { response: { fullResponse: true } } } };

describe.each<[string, HuaweiCredentialType]>([
	['AK/SK', 'huaweiCloudAkSkApi'],
	['IAM token', 'huaweiCloudIamApi'],
])('n8n\'s HTTP Request node with the Huawei Cloud %s credential', (_label, credentialType) => {
	let cloud: MetaStudioEmulator;

	beforeAll(async () => {
		cloud = await MetaStudioEmulator.start({ accessKeyId: AK, secretAccessKey: SK, projectId: PROJECT, iamUser: IAM_USER });
	});

	afterAll(async () => {
		await cloud.stop();
	});

	beforeEach(() => {
		cloud.reset();
	});

	function credentials(overrides: ICredentialDataDecryptedObject = {}): Record<string, ICredentialDataDecryptedObject> {
		const data: ICredentialDataDecryptedObject =
			credentialType === 'huaweiCloudAkSkApi'
				? { accessKeyId: AK, secretAccessKey: SK, region: 'cn-north-4', projectId: PROJECT, endpoint: cloud.endpoint }
				: { ...IAM_USER, region: 'cn-north-4', projectId: PROJECT, endpoint: cloud.endpoint, iamEndpoint: cloud.iamEndpoint };
		return { [credentialType]: { ...data, ...overrides } };
	}

	async function run(call: HttpCall, credentialOverrides: ICredentialDataDecryptedObject = {}): Promise<WorkflowRunResult> {
		return await runWorkflow(httpRequestWorkflow(credentialType, call), {
			extraNodeTypes: NODE_TYPES,
			credentials: credentials(credentialOverrides),
		});
	}

	/** The MetaStudio requests of this test, each accepted by the gateway's authentication. */
	function expectAuthenticated(count: number): void {
		expect(cloud.authFailures).toEqual([]);
		expect(cloud.requests).toHaveLength(count);
		for (const request of cloud.requests) {
			if (credentialType === 'huaweiCloudAkSkApi') {
				expect(request.headers.authorization).toMatch(/^SDK-HMAC-SHA256 Access=AKHTTPNODE0000000001, SignedHeaders=[^,]+, Signature=[0-9a-f]{64}$/);
			} else {
				expect(cloud.isTokenLive(String(request.headers['x-auth-token']))).toBe(true);
			}
		}
	}

	const assetsUrl = () => `${cloud.endpoint}/v1/${PROJECT}/digital-assets`;

	function seedFilterCase(): void {
		const name = 'Promo clip é+1 & more';
		cloud.addAssets([
			{ asset_id: 'asset-old', asset_name: name, asset_state: 'FAILED', create_time: '2025-12-31T23:59:59Z' },
			{ asset_id: 'asset-f1', asset_name: name, asset_state: 'FAILED', create_time: '2026-01-05T08:00:00Z' },
			{ asset_id: 'asset-f2', asset_name: `${name.toUpperCase()} v2`, asset_state: 'UNACTIVED', create_time: '2026-01-06T08:00:00Z' },
			{ asset_id: 'asset-ok', asset_name: name, asset_state: 'ACTIVED', create_time: '2026-01-07T08:00:00Z' },
			{ asset_id: 'asset-other', asset_name: 'Promo clip', asset_state: 'FAILED', create_time: '2026-01-08T08:00:00Z' },
		]);
	}

	const FILTERS = [
		{ name: 'name', value: 'clip é+1 & more' },
		{ name: 'asset_state', value: 'FAILED,UNACTIVED' },
		{ name: 'start_time', value: '2026-01-01T00:00:00Z' },
		{ name: 'sort_dir', value: 'desc' },
		{ name: 'limit', value: '10' },
		{ name: 'offset', value: '0' },
	];

	it.each([
		['4.2', 4.2],
		[`the latest (${LATEST_VERSION})`, LATEST_VERSION],
	])('should GET ListAssets with filters that need encoding, in the URL and in the query (typeVersion %s)', async (_v, typeVersion) => {
		seedFilterCase();

		const result = await run({ url: `${assetsUrl()}?sort_key=create_time`, query: FILTERS, typeVersion });

		expect(result.error).toBeUndefined();
		const [item] = outputOf(result);
		expect(item.json).toMatchObject({ count: 2 });
		expect((item.json.assets as IDataObject[]).map((asset) => asset.asset_id)).toEqual(['asset-f2', 'asset-f1']);
		expect(item.pairedItem).toEqual({ item: 0 });
		expectAuthenticated(1);
		const [request] = cloud.requests;
		expect(request.method).toBe('GET');
		expect(request.path).toBe(`/v1/${PROJECT}/digital-assets`);
		expect(request.query).toEqual({ sort_key: 'create_time', ...Object.fromEntries(FILTERS.map((f) => [f.name, f.value])) });
		expect(request.rawQuery).toContain('name=clip%20%C3%A9%2B1%20%26%20more');
	});

	it('should send lists in the query in the array format the node asks for, signed as sent', async () => {
		// From typeVersion 4.3 a repeated name becomes a list; ListAssets ignores parameters it does not define.
		const query = [
			{ name: 'limit', value: '1' },
			{ name: 'label', value: 'b' },
			{ name: 'label', value: 'a' },
		];
		// What n8n itself sends for each format (the IAM credential leaves the query to n8n); the AK/SK
		// signer writes the same parameters in canonical order.
		const formats: Array<[string | undefined, Array<[string, string]>, string]> = [
			[undefined, [['label[0]', 'b'], ['label[1]', 'a']], 'label%5B0%5D=b&label%5B1%5D=a'],
			['indices', [['label[0]', 'b'], ['label[1]', 'a']], 'label%5B0%5D=b&label%5B1%5D=a'],
			['brackets', [['label[]', 'b'], ['label[]', 'a']], 'label%5B%5D=a&label%5B%5D=b'],
			['repeat', [['label', 'b'], ['label', 'a']], 'label=a&label=b'],
		];
		for (const [format, parameters, canonical] of formats) {
			cloud.reset();
			cloud.addAssets([{ asset_id: 'asset-1' }]);
			const options = format === undefined ? {} : { queryParameterArrays: format };
			const result = await run({ url: assetsUrl(), query, typeVersion: 4.3, parameters: { options } });
			expect(result.error).toBeUndefined();
			expect(outputOf(result)[0].json).toMatchObject({ count: 1 });
			expectAuthenticated(1);
			const sent = [...new URLSearchParams(cloud.requests[0].rawQuery)];
			expect(sent.sort()).toEqual([['limit', '1'], ...parameters].sort());
			if (credentialType === 'huaweiCloudAkSkApi') expect(cloud.requests[0].rawQuery).toBe(`${canonical}&limit=1`);
		}
	});

	it("should page through ListAssets with the node's own pagination, each page signed", async () => {
		cloud.addAssets(Array.from({ length: 5 }, (_, index) => ({ asset_id: `asset-${index}` })));

		const result = await run({
			url: assetsUrl(),
			query: [{ name: 'limit', value: '2' }],
			parameters: {
				options: {
					pagination: {
						pagination: {
							parameters: { parameters: [{ type: 'qs', name: 'offset', value: '={{ $pageCount * 2 }}' }] },
							paginationCompleteWhen: 'other',
							completeExpression: '={{ $response.body.assets.length < 2 }}',
						},
					},
				},
			},
		});

		expect(result.error).toBeUndefined();
		const pages = outputOf(result).map((item) => (item.json.assets as IDataObject[]).map((asset) => asset.asset_id));
		expect(pages).toEqual([['asset-0', 'asset-1'], ['asset-2', 'asset-3'], ['asset-4']]);
		expectAuthenticated(3);
		expect(cloud.requests.map((request) => request.query)).toEqual([
			{ limit: '2', offset: '0' },
			{ limit: '2', offset: '2' },
			{ limit: '2', offset: '4' },
		]);
	});

	it('should DELETE an asset for good with DeleteAsset ?mode=force', async () => {
		cloud.addAssets([{ asset_id: 'asset-gone' }, { asset_id: 'asset-kept' }]);

		const result = await run({
			method: 'DELETE',
			url: `${assetsUrl()}/asset-gone`,
			query: [{ name: 'mode', value: 'force' }],
			parameters: FULL_RESPONSE,
		});

		expect(result.error).toBeUndefined();
		expect(outputOf(result)[0].json).toMatchObject({ statusCode: 200, headers: { 'x-request-id': expect.any(String) } });
		expectAuthenticated(1);
		expect(cloud.requests[0]).toMatchObject({ method: 'DELETE', path: `/v1/${PROJECT}/digital-assets/asset-gone`, rawQuery: 'mode=force' });
		expect(cloud.hasAsset('asset-gone')).toBe(false);
		expect(cloud.assetDeletesLanded('asset-gone', 'force')).toBe(1);
		expect(cloud.hasAsset('asset-kept')).toBe(true);
	});

	it('should POST RestoreAsset with a JSON body, sending the exact bytes it signed', async () => {
		cloud.addAssets([{ asset_id: 'asset-bin', asset_state: 'DELETING', stateBeforeDelete: 'ACTIVED' }]);

		const result = await run({
			method: 'POST',
			url: `${assetsUrl()}/asset-bin/restore`,
			parameters: {
				sendBody: true,
				specifyBody: 'json',
				jsonBody: '{\n  "reason": "restored from n8n",\n  "note": "café & 1+1",\n  "attempt": 1\n}\n',
				...FULL_RESPONSE,
			},
		});

		expect(result.error).toBeUndefined();
		expect(outputOf(result)[0].json).toMatchObject({ statusCode: 200 });
		expectAuthenticated(1);
		const [request] = cloud.requests;
		expect(request.body).toBe('{"reason":"restored from n8n","note":"café & 1+1","attempt":1}');
		expect(request.headers['content-type']).toBe('application/json');
		expect(cloud.assetState('asset-bin')).toBe('ACTIVED');
		expect(cloud.restoresLanded('asset-bin')).toBe(1);
	});

	it('should POST a form-urlencoded body as the exact bytes it signed', async () => {
		cloud.addAssets([{ asset_id: 'asset-bin', asset_state: 'DELETING', stateBeforeDelete: 'UNACTIVED' }]);

		const result = await run({
			method: 'POST',
			url: `${assetsUrl()}/asset-bin/restore`,
			parameters: {
				sendBody: true,
				contentType: 'form-urlencoded',
				bodyParameters: { parameters: [{ name: 'note', value: 'café & 1+1' }, { name: 'by', value: 'n8n' }] },
			},
		});

		expect(result.error).toBeUndefined();
		expectAuthenticated(1);
		const [request] = cloud.requests;
		expect(new URLSearchParams(request.body).get('note')).toBe('café & 1+1');
		expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
		expect(cloud.assetState('asset-bin')).toBe('UNACTIVED');
	});

	if (credentialType === 'huaweiCloudAkSkApi') {
		it('should fail with the gateway\'s 401 for a wrong secret key, and show no secret', async () => {
			cloud.addAssets([{ asset_id: 'asset-1' }]);
			const wrongSecret = 'wrong-secret-key-that-must-not-show-0001';

			const result = await run({ url: assetsUrl(), query: [{ name: 'limit', value: '1' }] }, { secretAccessKey: wrongSecret });

			expect(result.status).toBe('error');
			expect(result.error).toMatchObject({ httpCode: '401' });
			expect(JSON.stringify(result.error)).toMatch(/APIGW\.0301/);
			expect(cloud.authFailures.map((failure) => failure.reason)).toEqual(['signature mismatch']);
			const text = visibleText({ runData: result.runData, error: result.error, logs: result.logs }) + JSON.stringify(result.uiMessages);
			expect(text).not.toContain(wrongSecret);
			expect(text).not.toContain(SK);
		});

		it('should give a wrong secret key as an error item with Continue (using regular output), no secret in it', async () => {
			const wrongSecret = 'another-wrong-secret-key-0000000000000002';

			const result = await run(
				{ method: 'DELETE', url: `${assetsUrl()}/asset-1`, onError: 'continueRegularOutput' },
				{ secretAccessKey: wrongSecret },
			);

			const [item] = outputOf(result);
			expect(item.json.error).toBeDefined();
			expect(JSON.stringify(item)).toMatch(/401/);
			expect(JSON.stringify(result.runData) + result.logs.join('\n')).not.toContain(wrongSecret);
		});
	} else {
		it('should fail for a wrong IAM password without showing it', async () => {
			const wrongPassword = 'wrong-iam-password-never-shown-0003';

			const result = await run({ url: assetsUrl(), query: [{ name: 'limit', value: '1' }] }, { password: wrongPassword });

			expect(result.status).toBe('error');
			expect(result.error?.message).toMatch(/username or password|IAM/i);
			expect(cloud.requests).toHaveLength(0);
			const text = visibleText({ runData: result.runData, error: result.error, logs: result.logs }) + JSON.stringify(result.uiMessages);
			expect(text).not.toContain(wrongPassword);
		});
	}
});

describe('n8n\'s HTTP Request node with a temporary AK/SK (security token)', () => {
	const TOKEN = 'temporary-security-token-never-shown-0004';
	let cloud: MetaStudioEmulator;

	beforeAll(async () => {
		cloud = await MetaStudioEmulator.start({ accessKeyId: AK, secretAccessKey: SK, securityToken: TOKEN, projectId: PROJECT });
	});

	afterAll(async () => {
		await cloud.stop();
	});

	it('should send and sign X-Security-Token, and keep the token out of the run data and logs', async () => {
		cloud.addAssets([{ asset_id: 'asset-1' }]);

		const result = await runWorkflow(
			httpRequestWorkflow('huaweiCloudAkSkApi', { url: `${cloud.endpoint}/v1/${PROJECT}/digital-assets`, query: [{ name: 'limit', value: '1' }] }),
			{
				extraNodeTypes: NODE_TYPES,
				credentials: {
					huaweiCloudAkSkApi: { accessKeyId: AK, secretAccessKey: SK, securityToken: TOKEN, projectId: PROJECT, endpoint: cloud.endpoint },
				},
			},
		);

		expect(result.error).toBeUndefined();
		expect(cloud.authFailures).toEqual([]);
		expect(cloud.requests[0].headers.authorization).toMatch(/SignedHeaders=[^,]*x-security-token/);
		expect(JSON.stringify(result.runData) + result.logs.join('\n')).not.toContain(TOKEN);
	});
});
