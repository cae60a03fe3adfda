/**
 * MetaStudio media file → Delete through the n8n engine: AK/SK signing, IAM tokens, routing of missing
 * files, X-App-UserId and secrets; then the region's pace, MetaStudio's throttling, an answer lost after
 * the delete landed, and Dry Run.
 */
import type { IDataObject } from 'n8n-workflow';

import { MetaStudioEmulator } from '../../emulators/metaStudio';
import { runMediaAssets, visibleText } from '../../harness/runWorkflow';
import type { OnError, RunResult } from '../../harness/runWorkflow';
import { ids } from '../shared';

const PROJECT = '6a6a1f8354f64dd9b9a614def7b59d83';
const AK = 'HPUAXLPZQ7TESTAK0001';
const SK = 'secretKeyMustNeverLeak0123456789abcdefgh';
const SECURITY_TOKEN = 'securityTokenMustNeverLeak-9f8e7d6c5b4a';
const IAM_USER = { domainName: 'acme-account', userName: 'cleanup-bot', password: 'P@ssw0rd-never-leak' };
const FILES = [
	'24bad716-87b1-45e5-8912-6102f7693265',
	'0f9c2a5e-1111-4c7b-9a3e-000000000001',
	'0f9c2a5e-1111-4c7b-9a3e-000000000002',
	'0f9c2a5e-1111-4c7b-9a3e-000000000003',
];

describe('MetaStudio media file → Delete', () => {
	let cloud: MetaStudioEmulator;

	afterEach(async () => {
		await cloud.stop();
	});

	const deletes = () => cloud.requests.filter((r) => r.method === 'DELETE');

	describe('one request per file, through the n8n engine', () => {
		beforeEach(async () => {
			cloud = await MetaStudioEmulator.start({
				accessKeyId: AK,
				secretAccessKey: SK,
				projectId: PROJECT,
				files: FILES,
				iamUser: IAM_USER,
			});
		});

		function akSk(overrides: IDataObject = {}) {
			return {
				accessKeyId: AK,
				secretAccessKey: SK,
				securityToken: '',
				region: 'cn-north-4',
				projectId: PROJECT,
				endpoint: cloud.endpoint,
				...overrides,
			};
		}

		function iam(overrides: IDataObject = {}) {
			return {
				...IAM_USER,
				region: 'cn-north-4',
				projectId: PROJECT,
				endpoint: cloud.endpoint,
				iamEndpoint: cloud.iamEndpoint,
				token: '',
				...overrides,
			};
		}

		async function run(
			items: IDataObject[],
			{
				onError = 'stopWorkflow' as OnError,
				authentication = 'akSk',
				options = {} as IDataObject,
				credentials = undefined as IDataObject | undefined,
			} = {},
		): Promise<RunResult> {
			return await runMediaAssets({
				items,
				parameters: {
					resource: 'mediaFile',
					operation: 'delete',
					authentication,
					fileId: '={{ $json.fileId }}',
					options,
				} as never,
				onError,
				credentials:
					authentication === 'akSk'
						? { huaweiCloudAkSkApi: (credentials ?? akSk()) as never }
						: { huaweiCloudIamApi: (credentials ?? iam()) as never },
			});
		}

		describe('with AK/SK signing', () => {
			it('should delete a file with a signature the service accepts', async () => {
				const result = await run([{ fileId: FILES[0] }]);

				expect(result.error).toBeUndefined();
				const [item] = result.outputs[0];
				expect(item.json).toEqual({
					fileId: FILES[0],
					deleted: true,
					requestId: expect.stringMatching(/\w+/),
					httpStatus: 200,
					attempts: 1,
					deletedAt: expect.any(String),
				});
				expect(item.pairedItem).toEqual({ item: 0 });
				expect(cloud.hasFile(FILES[0])).toBe(false);
				const [request] = deletes();
				expect(request.rawPath).toBe(`/v1/${PROJECT}/files/${FILES[0]}`);
				expect(request.headers.authorization).toMatch(/^SDK-HMAC-SHA256 Access=HPUAXLPZQ7TESTAK0001, SignedHeaders=[^,]*host[^,]*x-sdk-date/);
				expect(request.headers['x-sdk-date']).toMatch(/^\d{8}T\d{6}Z$/);
			});

			it('should sign and send a temporary security token', async () => {
				await cloud.stop();
				cloud = await MetaStudioEmulator.start({
					accessKeyId: AK,
					secretAccessKey: SK,
					securityToken: SECURITY_TOKEN,
					projectId: PROJECT,
					files: FILES,
				});
				const result = await run([{ fileId: FILES[0] }], { credentials: akSk({ securityToken: SECURITY_TOKEN }) });

				expect(result.outputs[0][0].json).toMatchObject({ deleted: true });
				expect(deletes()[0].headers.authorization).toContain('x-security-token');
				expect(visibleText(result)).not.toContain(SECURITY_TOKEN);
			});

			it('should report a wrong secret key as a rejected signature, without any secret', async () => {
				const wrongSk = 'wrongSecretKeyAlsoMustNotLeak-abcdef0123';
				const result = await run([{ fileId: FILES[0] }], {
					onError: 'continueRegularOutput',
					credentials: akSk({ secretAccessKey: wrongSk }),
				});

				const error = result.outputs[0][0].json.error as IDataObject;
				expect(error).toMatchObject({
					fileId: FILES[0],
					httpStatus: 401,
					code: 'APIGW.0301',
					reason: 'authentication',
					retryable: false,
					attempts: 1,
				});
				expect(error.message).toContain(FILES[0]);
				expect(error.message).toMatch(/HTTP 401/);
				expect(error.description).toMatch(/Secret Access Key/);
				expect(cloud.hasFile(FILES[0])).toBe(true);
				const visible = visibleText(result);
				for (const secret of [wrongSk, SK]) expect(visible).not.toContain(secret);
				expect(visible).not.toMatch(/Signature=[0-9a-f]{64}/);
			});

			it('should use the project from the options instead of the credential', async () => {
				const result = await run([{ fileId: FILES[0] }], {
					onError: 'continueRegularOutput',
					options: { projectId: 'otherproject0000000000000000000' },
				});
				expect(deletes()[0].rawPath).toBe(`/v1/otherproject0000000000000000000/files/${FILES[0]}`);
				expect(result.outputs[0][0].json.error).toMatchObject({ httpStatus: 400, code: 'MSS.00010009' });
			});
		});

		it('should evaluate an option expression per item', async () => {
			const result = await run(
				[
					{ fileId: FILES[0], project: PROJECT },
					{ fileId: FILES[1], project: 'otherproject0000000000000000000' },
				],
				{ onError: 'continueRegularOutput', options: { projectId: '={{ $json.project }}' } },
			);
			expect(deletes().map((r) => r.rawPath)).toEqual([
				`/v1/${PROJECT}/files/${FILES[0]}`,
				`/v1/otherproject0000000000000000000/files/${FILES[1]}`,
			]);
			expect(result.outputs[0][0].json.deleted).toBe(true);
			expect(result.outputs[0][1].json.error).toMatchObject({ code: 'MSS.00010009' });
		});

		describe('with an IAM token', () => {
			it('should fetch a token once and delete with it', async () => {
				const result = await run(
					FILES.slice(0, 2).map((fileId) => ({ fileId })),
					{ authentication: 'iamToken' },
				);

				expect(result.error).toBeUndefined();
				expect(result.outputs[0].map((i) => i.json.deleted)).toEqual([true, true]);
				expect(result.preAuthCalls).toBe(1);
				expect(cloud.tokensIssued).toBe(1);
				expect(deletes().every((r) => typeof r.headers['x-auth-token'] === 'string')).toBe(true);
				expect(visibleText(result)).not.toContain(IAM_USER.password);
				expect(visibleText(result)).not.toContain(String(deletes()[0].headers['x-auth-token']));
			});

			it('should refresh an expired token once in the middle of a batch, and lose no item', async () => {
				// The first run leaves a token in the credential, as n8n persists it.
				const first = await run([{ fileId: FILES[0] }], { authentication: 'iamToken' });
				const stored = first.credentials.huaweiCloudIamApi as IDataObject;
				expect(stored.token).toEqual(expect.any(String));

				cloud.expireTokensAfterDeletes(1);
				const second = await run(
					FILES.slice(1).map((fileId) => ({ fileId })),
					{ authentication: 'iamToken', credentials: { ...stored }, options: { concurrency: 1 } },
				);

				expect(second.error).toBeUndefined();
				expect(second.outputs[0].map((i) => i.json.fileId)).toEqual(FILES.slice(1));
				expect(second.outputs[0].every((i) => i.json.deleted === true)).toBe(true);
				expect(second.preAuthCalls).toBe(1);
				for (const id of FILES) expect(cloud.deletesLanded(id)).toBe(1);
			});

			it('should explain a wrong password without showing it', async () => {
				const result = await run([{ fileId: FILES[0] }], {
					authentication: 'iamToken',
					onError: 'continueRegularOutput',
					credentials: iam({ password: 'wrong-password-must-not-leak' }),
				});
				const error = result.outputs[0][0].json.error as IDataObject;
				expect(error).toMatchObject({ fileId: FILES[0], retryable: false, attempts: 1 });
				expect(error.message).toMatch(/IAM refused to issue a token/);
				expect(error.message).toMatch(/username or password/);
				expect(visibleText(result)).not.toContain('wrong-password-must-not-leak');
				expect(cloud.hasFile(FILES[0])).toBe(true);
			});
		});

		describe('routing', () => {
			it('should send missing files to the Error output, decided by MSS.10001004 and not by the status', async () => {
				const input = [
					{ fileId: FILES[0], row: 'a' },
					{ fileId: 'no-such-file', row: 'b' },
					{ fileId: FILES[1], row: 'c' },
				];
				const result = await run(input, { onError: 'continueErrorOutput' });

				const [success, failed] = result.outputs;
				expect(success.map((i) => [i.json.fileId, i.pairedItem])).toEqual([
					[FILES[0], { item: 0 }],
					[FILES[1], { item: 2 }],
				]);
				expect(failed).toHaveLength(1);
				expect(failed[0].pairedItem).toEqual({ item: 1 });
				expect(failed[0].json.row).toBe('b');
				expect(failed[0].json.error).toMatchObject({
					fileId: 'no-such-file',
					httpStatus: 400,
					code: 'MSS.10001004',
					reason: 'notFound',
					requestId: expect.any(String),
					retryable: false,
				});
				expect((failed[0].json.error as IDataObject).message).toContain('MSS.10001004');
			});

			it('should count a missing file as already deleted with Ignore Not Found', async () => {
				const result = await run([{ fileId: 'no-such-file' }], { options: { ignoreNotFound: true } });
				expect(result.outputs[0][0].json).toMatchObject({ fileId: 'no-such-file', deleted: true, alreadyDeleted: true });
			});
		});

		describe('X-App-UserId', () => {
			it('should send and sign the app user ID when set', async () => {
				const result = await run([{ fileId: FILES[0] }], { options: { appUserId: 'tenant-user-42' } });

				expect(result.outputs[0][0].json).toMatchObject({ deleted: true });
				expect(deletes()[0].headers['x-app-userid']).toBe('tenant-user-42');
				expect(deletes()[0].headers.authorization).toContain('x-app-userid');
			});

			it('should not send the header when the option is not set', async () => {
				await run([{ fileId: FILES[0] }]);
				expect(deletes()[0].headers['x-app-userid']).toBeUndefined();
			});

			it('should refuse Chinese characters per item and send nothing', async () => {
				const result = await run([{ fileId: FILES[0] }], {
					onError: 'continueErrorOutput',
					options: { appUserId: '用户42' },
				});
				expect(result.outputs[1][0].json.error).toMatchObject({ reason: 'invalidInput' });
				expect((result.outputs[1][0].json.error as IDataObject).message).toMatch(/Chinese/);
				expect(cloud.requests).toHaveLength(0);
			});
		});

		it('should never show the secret key, the password, a token or a signature', async () => {
			const runs = [
				await run([{ fileId: FILES[0] }, { fileId: 'missing' }], { onError: 'continueErrorOutput' }),
				await run([{ fileId: 'missing' }]),
				await run([{ fileId: FILES[1] }, { fileId: 'missing' }], { authentication: 'iamToken', onError: 'continueErrorOutput' }),
			];
			const tokens = cloud.requests.map((r) => r.headers['x-auth-token']).filter(Boolean) as string[];
			const signatures = cloud.requests
				.map((r) => /Signature=([0-9a-f]+)/.exec(String(r.headers.authorization ?? ''))?.[1])
				.filter(Boolean) as string[];
			expect(tokens.length).toBeGreaterThan(0);
			expect(signatures.length).toBeGreaterThan(0);
			for (const result of runs) {
				const visible = visibleText(result);
				for (const secret of [SK, IAM_USER.password, ...tokens, ...signatures]) expect(visible).not.toContain(secret);
			}
		});
	});

	describe('pacing, throttling, lost answers and Dry Run', () => {
		// A project and keys of their own, apart from the tests above.
		const PROJECT = 'p0000000000000000000000000000001';

		beforeEach(async () => {
			cloud = await MetaStudioEmulator.start({
				accessKeyId: 'AKBATCH0000000000001',
				secretAccessKey: 'sk-batch-secret-0000000000000000000000',
				projectId: PROJECT,
				files: ids(30, 'file-'),
			});
		});

		async function runFiles(items: IDataObject[], options: IDataObject = {}, region = 'cn-north-4') {
			return await runMediaAssets({
				items,
				parameters: { resource: 'mediaFile', operation: 'delete', authentication: 'akSk', fileId: '={{ $json.fileId }}', options } as never,
				onError: 'continueErrorOutput',
				credentials: {
					huaweiCloudAkSkApi: {
						accessKeyId: 'AKBATCH0000000000001',
						secretAccessKey: 'sk-batch-secret-0000000000000000000000',
						region,
						projectId: PROJECT,
						endpoint: cloud.endpoint,
					},
				},
			});
		}

		it('should pace at the region limit by default (5/s outside cn-north-4)', async () => {
			const startedAt = Date.now();
			await runFiles(ids(6, 'file-').map((fileId) => ({ fileId })), {}, 'ap-southeast-3');
			const times = deletes().map((r) => r.time);
			// The sixth delete leaves at least 5 intervals of 200 ms after the run started: a lower bound load cannot break.
			expect(Math.max(...times) - startedAt).toBeGreaterThanOrEqual(900);
		});

		it('should back off at least 1 s after APIGW.0308, which comes without Retry-After, and retry with a fresh signature', async () => {
			cloud.setFaults({ script: { 'file-00000': ['throttle'] } });
			const result = await runFiles([{ fileId: 'file-00000' }], { requestsPerSecond: 0 });
			expect(result.outputs[0][0].json).toMatchObject({ deleted: true, attempts: 2 });
			const [first, second] = deletes();
			expect(second.time - first.time).toBeGreaterThanOrEqual(950);
			// Each attempt is signed afresh: a retry never reuses the first attempt's date.
			expect(second.headers['x-sdk-date']).not.toBe(first.headers['x-sdk-date']);
		});

		it('should report a delete that landed before the connection dropped as already deleted', async () => {
			cloud.setFaults({ script: { 'file-00000': ['landedThenDrop'] } });
			const result = await runFiles([{ fileId: 'file-00000' }], { requestsPerSecond: 0 });
			expect(result.outputs[0][0].json).toMatchObject({ deleted: true, alreadyDeleted: true, attempts: 2 });
			expect(cloud.deletesLanded('file-00000')).toBe(1);
		});

		it('should send no DELETE in a dry run', async () => {
			const result = await runFiles([{ fileId: 'file-00000' }], { dryRun: true });
			expect(deletes()).toHaveLength(0);
			expect(result.outputs[0][0].json).toEqual({
				fileId: 'file-00000',
				dryRun: true,
				deleted: false,
				method: 'DELETE',
				url: `${cloud.endpoint}/v1/${PROJECT}/files/file-00000`,
				attempts: 0,
			});
		});
	});
});
