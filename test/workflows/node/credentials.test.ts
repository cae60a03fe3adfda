import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	IDataObject,
	IHttpRequestOptions,
	INode,
} from 'n8n-workflow';

import { KyyVideo2Emulator } from '../../emulators/kyyVideo2';
import { MetaStudioEmulator } from '../../emulators/metaStudio';
import { credentialTypes, resolveCredentialExpression, TestCredentialsHelper } from '../../harness/credentialsHelper';
import { n8nHttpRequest } from '../../harness/n8nHttp';

/**
 * Runs a credential's `test` the way n8n's credential tester does: resolve the request's
 * expressions against the credential, apply preAuthentication and authenticate, send it with n8n's
 * own HTTP transport, and map a failing status through the test's rules.
 */
/** The transport n8n-core's own httpRequest helpers use, on either engine line. */
const httpRequest = n8nHttpRequest;

async function testCredential(type: string, data: ICredentialDataDecryptedObject): Promise<{ status: 'OK' | 'Error'; message: string }> {
	const credentialType = credentialTypes[type];
	const test = credentialType.test as ICredentialTestRequest;
	const defaults = Object.fromEntries(credentialType.properties.map((p) => [p.name, p.default]));
	const credentials = { ...defaults, ...data } as ICredentialDataDecryptedObject;
	const helper = new TestCredentialsHelper({ [type]: credentials });
	const resolve = (value: unknown) => resolveCredentialExpression(value, credentials);
	const request: IHttpRequestOptions = {
		method: test.request.method ?? 'GET',
		baseURL: resolve(test.request.baseURL) as string,
		url: resolve(test.request.url) as string,
		qs: test.request.qs as IDataObject,
		headers: Object.fromEntries(Object.entries(test.request.headers ?? {}).map(([k, v]) => [k, resolve(v)])) as IDataObject,
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	};
	try {
		const helpers = { helpers: { httpRequest: (options: IHttpRequestOptions) => httpRequest(options) } };
		const refreshed = await helper.preAuthentication(helpers as never, credentials, type, {} as INode, false);
		const authenticated = await helper.authenticate({ ...credentials, ...refreshed }, type, request);
		const response = (await httpRequest(authenticated)) as { statusCode: number };
		if (response.statusCode < 300) return { status: 'OK', message: 'Connection tested successfully' };
		const rule = test.rules?.find((r) => r.type === 'responseCode' && r.properties.value === response.statusCode);
		return { status: 'Error', message: rule ? (rule.properties as { message: string }).message : `Received HTTP status code: ${response.statusCode}` };
	} catch (error) {
		return { status: 'Error', message: (error as Error).message };
	}
}

describe('credential tests against the emulators', () => {
	describe('KyyVideo2 (Seedance 2.0) API', () => {
		let api: KyyVideo2Emulator;
		beforeAll(async () => {
			api = await KyyVideo2Emulator.start({ apiKey: 'good-key-123' });
		});
		afterAll(async () => {
			await api.stop();
		});

		it('should pass with the right key, trailing slash included, and change nothing', async () => {
			expect(await testCredential('kyyVideo2Api', { apiKey: 'good-key-123', baseUrl: `${api.baseUrl}/` })).toEqual({
				status: 'OK',
				message: expect.any(String),
			});
			expect(api.requests.every((r) => r.method === 'GET')).toBe(true);
		});

		it('should say the key was rejected', async () => {
			const result = await testCredential('kyyVideo2Api', { apiKey: 'wrong', baseUrl: api.baseUrl });
			expect(result).toEqual({ status: 'Error', message: expect.stringMatching(/API key was rejected/) });
		});

		it('should say when the base URL is not the API', async () => {
			const result = await testCredential('kyyVideo2Api', { apiKey: 'good-key-123', baseUrl: api.baseUrl.replace('/kyyReactApiServer', '/elsewhere') });
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(/kyyReactApiServer|API key/);
		});
	});

	describe('Huawei Cloud credentials', () => {
		let cloud: MetaStudioEmulator;
		const project = 'p0000000000000000000000000000003';
		beforeAll(async () => {
			cloud = await MetaStudioEmulator.start({
				accessKeyId: 'AKCREDTEST0000000001',
				secretAccessKey: 'credential-test-secret-000000000000000',
				projectId: project,
				iamUser: { domainName: 'acme', userName: 'bot', password: 'right-password' },
			});
		});
		afterAll(async () => {
			await cloud.stop();
		});
		const akSk = (overrides: IDataObject = {}) => ({
			accessKeyId: 'AKCREDTEST0000000001',
			secretAccessKey: 'credential-test-secret-000000000000000',
			region: 'cn-north-4',
			projectId: project,
			endpoint: cloud.endpoint,
			...overrides,
		});
		const iam = (overrides: IDataObject = {}) => ({
			domainName: 'acme',
			userName: 'bot',
			password: 'right-password',
			region: 'cn-north-4',
			projectId: project,
			endpoint: cloud.endpoint,
			iamEndpoint: cloud.iamEndpoint,
			...overrides,
		});

		beforeEach(() => {
			cloud.reset();
		});

		/** The test's one MetaStudio call: ListAssets with limit=1, documented and read-only. */
		function expectListAssetsProbe(): void {
			expect(cloud.requests).toHaveLength(1);
			expect(cloud.requests[0]).toMatchObject({
				api: 'ListAssets',
				method: 'GET',
				path: `/v1/${project}/digital-assets`,
				rawQuery: 'limit=1',
			});
		}

		it('should pass AK/SK with the right keys, probing with ListAssets limit=1', async () => {
			cloud.addAssets([{ asset_id: 'asset-1' }, { asset_id: 'asset-2' }]);
			expect(await testCredential('huaweiCloudAkSkApi', akSk())).toEqual({ status: 'OK', message: expect.any(String) });
			expectListAssetsProbe();
			expect(cloud.requests[0].headers.authorization).toMatch(/^SDK-HMAC-SHA256 /);
			expect(cloud.assets().map((asset) => asset.asset_state)).toEqual(['ACTIVED', 'ACTIVED']);
		});

		it('should pass on an empty asset library too', async () => {
			expect((await testCredential('huaweiCloudAkSkApi', akSk())).status).toBe('OK');
			expectListAssetsProbe();
		});

		it('should explain a wrong secret key or clock skew', async () => {
			const result = await testCredential('huaweiCloudAkSkApi', akSk({ secretAccessKey: 'wrong-secret' }));
			expect(result).toEqual({ status: 'Error', message: expect.stringMatching(/Secret Access Key.*clock/) });
			expect(result.message).not.toContain('wrong-secret');
		});

		it('should explain a clock more than 15 minutes off', async () => {
			cloud.clockOffsetMs = 20 * 60 * 1000;
			try {
				const result = await testCredential('huaweiCloudAkSkApi', akSk());
				expect(result.message).toMatch(/15 minutes/);
			} finally {
				cloud.clockOffsetMs = 0;
			}
		});

		it('should explain a wrong project', async () => {
			const result = await testCredential('huaweiCloudAkSkApi', akSk({ projectId: 'otherproject' }));
			expect(result).toEqual({ status: 'Error', message: expect.stringMatching(/Project ID/) });
		});

		it('should explain an unreachable endpoint', async () => {
			const result = await testCredential('huaweiCloudAkSkApi', akSk({ endpoint: 'http://127.0.0.1:9' }));
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(/ECONNREFUSED|connect/i);
		});

		it('should explain an endpoint that serves no MetaStudio API', async () => {
			for (const [type, data] of [
				['huaweiCloudAkSkApi', akSk({ endpoint: `${cloud.endpoint}/not-metastudio` })],
				['huaweiCloudIamApi', iam({ endpoint: `${cloud.endpoint}/not-metastudio` })],
			] as const) {
				const result = await testCredential(type, data);
				expect(result).toEqual({ status: 'Error', message: expect.stringMatching(/^No MetaStudio API was found\. Check the region/) });
			}
		});

		it('should pass the IAM credential, fetching a token first, probing with ListAssets limit=1', async () => {
			const before = cloud.tokensIssued;
			expect((await testCredential('huaweiCloudIamApi', iam())).status).toBe('OK');
			expect(cloud.tokensIssued).toBe(before + 1);
			expectListAssetsProbe();
			expect(cloud.isTokenLive(String(cloud.requests[0].headers['x-auth-token']))).toBe(true);
		});

		it('should explain an IAM token that MetaStudio refuses', async () => {
			// IAM issues a token that the gateway no longer accepts: the test's own rule for 401.
			const shortLived = await MetaStudioEmulator.start({
				accessKeyId: 'AKCREDTEST0000000001',
				secretAccessKey: 'credential-test-secret-000000000000000',
				projectId: project,
				iamUser: { domainName: 'acme', userName: 'bot', password: 'right-password' },
				tokenTtlMs: -60_000,
			});
			try {
				const result = await testCredential(
					'huaweiCloudIamApi',
					iam({ endpoint: shortLived.endpoint, iamEndpoint: shortLived.iamEndpoint }),
				);
				expect(result).toEqual({ status: 'Error', message: expect.stringMatching(/^MetaStudio rejected the IAM token/) });
				expect(result.message).not.toContain('right-password');
			} finally {
				await shortLived.stop();
			}
		});

		it('should give a message for 400, 401, 403 and 404 in both Huawei credentials, naming what to check', () => {
			for (const type of ['huaweiCloudAkSkApi', 'huaweiCloudIamApi']) {
				const rules = (credentialTypes[type].test as ICredentialTestRequest).rules ?? [];
				const byStatus = Object.fromEntries(rules.map((rule) => [rule.properties.value, (rule.properties as { message: string }).message]));
				expect(Object.keys(byStatus).sort()).toEqual(['400', '401', '403', '404']);
				expect(byStatus[400]).toMatch(/Project ID/);
				expect(byStatus[401]).toMatch(type === 'huaweiCloudAkSkApi' ? /Secret Access Key.*15 minutes/ : /password/);
				expect(byStatus[403]).toMatch(/MetaStudio permissions/);
				expect(byStatus[404]).toMatch(/region.*Endpoint/);
			}
		});

		it('should probe the documented ListAssets API, never an undocumented one', () => {
			for (const type of ['huaweiCloudAkSkApi', 'huaweiCloudIamApi']) {
				const { request } = credentialTypes[type].test as ICredentialTestRequest;
				expect(request).toMatchObject({ method: 'GET', url: '=/v1/{{ $credentials.projectId.trim() }}/digital-assets', qs: { limit: 1 } });
			}
		});

		it('should explain a wrong IAM password without showing it', async () => {
			const result = await testCredential('huaweiCloudIamApi', iam({ password: 'bad-password-xyz' }));
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(/username or password/);
			expect(result.message).not.toContain('bad-password-xyz');
		});
	});
});
