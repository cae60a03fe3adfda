import { OutboundHttp } from '@n8n/backend-network';
import { Container } from '@n8n/di';
import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	IDataObject,
	IHttpRequestOptions,
	INode,
} from 'n8n-workflow';

import { KyyVideo2Emulator } from '../emulators/kyyVideo2';
import { MetaStudioEmulator } from '../emulators/metaStudio';
import { credentialTypes, resolveCredentialExpression, TestCredentialsHelper } from '../harness/credentialsHelper';

/**
 * Runs a credential's `test` the way n8n's credential tester does: resolve the request's
 * expressions against the credential, apply preAuthentication and authenticate, send it with n8n's
 * own HTTP transport, and map a failing status through the test's rules.
 */
/** The transport n8n-core's own httpRequest helpers use. */
const httpRequest = async (options: IHttpRequestOptions) => await Container.get(OutboundHttp).requests().request(options);

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

		it('should pass AK/SK with the right keys', async () => {
			expect((await testCredential('huaweiCloudAkSkApi', akSk())).status).toBe('OK');
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

		it('should pass the IAM credential, fetching a token first', async () => {
			const before = cloud.tokensIssued;
			expect((await testCredential('huaweiCloudIamApi', iam())).status).toBe('OK');
			expect(cloud.tokensIssued).toBe(before + 1);
		});

		it('should explain a wrong IAM password without showing it', async () => {
			const result = await testCredential('huaweiCloudIamApi', iam({ password: 'bad-password-xyz' }));
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(/username or password/);
			expect(result.message).not.toContain('bad-password-xyz');
		});
	});
});
