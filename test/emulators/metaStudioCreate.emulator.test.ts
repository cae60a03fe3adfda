/**
 * Self-test of the MetaStudio emulator's CreateDigitalAsset, CreateFile, ConfirmFileUpload and
 * UpdateDigitalAsset, and of its upload host, with plain Node HTTP requests signed by Huawei's own SDK
 * signer or the package's signer (the n8n node is tested elsewhere).
 */
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';

import { AKSKSigner } from '@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner';
import type { ICredential } from '@huaweicloud/huaweicloud-sdk-core/auth/ICredential';

import { signRequest } from '../../credentials/common/huaweiSigner';
import { FileHost } from './fileHost';
import type { MetaStudioOptions } from './metaStudio';
import {
	createDigitalAssetFaultKey,
	createFileFaultKey,
	MetaStudioEmulator,
	UPLOAD_URL_TTL_MS,
	uploadPathOf,
} from './metaStudio';
import type { Reply } from './rawClient';
import { call, iamToken } from './rawClient';

const AK = 'HPUAXLPZQ7EMULATOR05';
const SK = 'createSelfTestSecretKey0123456789abcdef';
const PROJECT = '7b7b1f8354f64dd9b9a614def7b59d83';
const IAM_USER = { domainName: 'acme', userName: 'bot', password: 'P@ss-word' };
const CREDENTIAL = { getAk: () => AK, getSk: () => SK } as unknown as ICredential;
const ASSETS = `/v1/${PROJECT}/digital-assets`;
const FILES = `/v1/${PROJECT}/files`;
const DROPPED = /socket hang up|ECONNRESET/;

const md5Base64 = (bytes: Buffer) => createHash('md5').update(bytes).digest('base64');
const invalid = (detail: string) => ({ error_code: 'MSS.00000003', error_msg: `Invalid parameter: ${detail}` });
const ASSET_NOT_FOUND = { error_code: 'MSS.10001001', error_msg: 'Asset not found' };
const FILE_NOT_FOUND = { error_code: 'MSS.10001004', error_msg: 'The file not found' };

function sdkDate(date = new Date()): string {
	return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

/** A GET whose body is kept as bytes (no credentials: a download URL needs none). */
function download(url: string): Promise<{ status: number; body: Buffer }> {
	return new Promise((resolve, reject) => {
		http
			.get(url, { agent: false }, (res) => {
				const chunks: Buffer[] = [];
				res.on('data', (chunk: Buffer) => chunks.push(chunk));
				res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
			})
			.on('error', reject);
	});
}

describe('MetaStudio emulator: creating and updating assets', () => {
	let cloud: MetaStudioEmulator;
	const others: FileHost[] = [];

	async function start(options: Partial<MetaStudioOptions> = {}): Promise<void> {
		cloud = await MetaStudioEmulator.start({ accessKeyId: AK, secretAccessKey: SK, projectId: PROJECT, iamUser: IAM_USER, ...options });
	}

	beforeEach(async () => {
		await start();
	});

	afterEach(async () => {
		await cloud?.stop();
		await Promise.all(others.splice(0).map((host) => host.stop()));
	});

	/** A request signed by Huawei's SDK signer (the query, if any, as its queryParams); a `body` object is sent as its JSON text. */
	async function signed(method: string, target: string, body?: unknown): Promise<Reply> {
		const [path, query = ''] = target.split('?');
		const queryParams = Object.fromEntries(new URLSearchParams(query));
		const headers = AKSKSigner.sign(
			{
				method,
				endpoint: `${cloud.endpoint}${path}`,
				queryParams: query === '' ? undefined : queryParams,
				headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), 'X-Sdk-Date': sdkDate() },
				...(body === undefined ? {} : { data: body }),
			},
			CREDENTIAL,
		) as Record<string, string>;
		return await call(cloud.endpoint, method, target, headers, body === undefined ? undefined : JSON.stringify(body));
	}

	/** The exact bytes, signed by the package's signer (which hashes the bytes it is given). */
	async function signedBytes(method: string, path: string, bytes: string): Promise<Reply> {
		const request = signRequest(
			{ method, url: `${cloud.endpoint}${path}`, headers: { 'content-type': 'application/json' }, body: bytes },
			{ accessKeyId: AK, secretAccessKey: SK },
			new Date(),
		);
		return await call(cloud.endpoint, method, path, request.headers, bytes);
	}

	const createAsset = async (body: Record<string, unknown>) => await signed('POST', ASSETS, body);
	const createFile = async (body: Record<string, unknown>) => await signed('POST', FILES, body);
	const confirm = async (fileId: string, state: string) => await signed('POST', `${FILES}/${fileId}/complete`, { state });
	const update = async (assetId: string, body: unknown) => await signed('PUT', `${ASSETS}/${assetId}`, body);
	const show = async (assetId: string) => await signed('GET', `${ASSETS}/${assetId}`);

	/** A PUT of `bytes` to an upload URL, as an uploader without Huawei credentials sends it. */
	async function upload(url: string, bytes: Buffer, headers: Record<string, string> = {}): Promise<Reply> {
		const { origin, pathname, search } = new URL(url);
		return await call(origin, 'PUT', `${pathname}${search}`, { 'content-md5': md5Base64(bytes), 'content-type': 'video/mp4', ...headers }, bytes);
	}

	const fileBody = (assetId: string, bytes: Buffer, extra: Record<string, unknown> = {}) => ({
		file_name: 'Launch video.mp4',
		file_md5: md5Base64(bytes),
		file_size: bytes.length,
		file_type: 'mp4',
		asset_id: assetId,
		asset_file_category: 'MAIN',
		...extra,
	});

	/** CreateDigitalAsset of a VIDEO, then CreateFile of its MAIN file for `bytes`. */
	async function assetWithPendingFile(bytes: Buffer, name = 'Launch video') {
		const created = await createAsset({ asset_name: name, asset_type: 'VIDEO' });
		expect(created.status).toBe(200);
		const file = await createFile(fileBody(created.json.asset_id, bytes));
		expect(file.status).toBe(200);
		return { assetId: created.json.asset_id as string, fileId: file.json.file_id as string, uploadUrl: file.json.upload_url as string };
	}

	const BYTES = randomBytes(150_000);

	describe('CreateDigitalAsset', () => {
		it('should create a CREATING asset without files, shown by ShowAsset and ListAssets', async () => {
			const reply = await createAsset({ asset_name: 'Launch video', asset_type: 'VIDEO', asset_description: 'Spring launch', tags: ['launch', 'q2'] });
			expect(reply.status).toBe(200);
			expect(reply.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
			expect(reply.json).toEqual({ asset_id: expect.stringMatching(/^[0-9a-f]{32}$/), produce_id: expect.stringMatching(/^[0-9a-f]{32}$/) });
			const { asset_id: assetId, produce_id: produceId } = reply.json;

			const shown = await show(assetId);
			expect(shown.json).toEqual({
				asset_id: assetId,
				produce_id: produceId,
				asset_name: 'Launch video',
				asset_description: 'Spring launch',
				project_id: PROJECT,
				create_time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
				update_time: expect.any(String),
				asset_type: 'VIDEO',
				asset_state: 'CREATING',
				tags: ['launch', 'q2'],
				files: [],
				system_properties: [],
				asset_extra_meta: {},
			});
			const listed = await signed('GET', `${ASSETS}?name=launch&asset_state=CREATING`);
			expect(listed.json.assets.map((asset: { asset_id: string }) => asset.asset_id)).toEqual([assetId]);
			expect(cloud.createdAssetIds()).toEqual([assetId]);
			expect(cloud.createdAssets()).toEqual([shown.json]);
			expect(cloud.requestCounts()).toMatchObject({ CreateDigitalAsset: 1, ShowAsset: 1, ListAssets: 1, CreateFile: 0 });
			expect(cloud.stats()).toMatchObject({ assetsCreated: 1, filesCreated: 0, filesConfirmed: 0, updatesLanded: 0 });
		});

		it('should accept the limits exactly, and names repeated', async () => {
			const body = {
				asset_name: '名'.repeat(256),
				asset_type: 'PPT',
				asset_description: 'd'.repeat(4096),
				tags: Array.from({ length: 50 }, (_, i) => `${i}`.padEnd(128, 't')),
			};
			expect((await createAsset(body)).status).toBe(200);
			expect((await createAsset(body)).status).toBe(200);
			expect((await createAsset({ asset_name: '🎬'.repeat(256), asset_type: 'IMAGE', asset_description: null, tags: [] })).status).toBe(200);
			expect(cloud.createdAssetIds()).toHaveLength(3);
		});

		it('should refuse each bad field with 400 MSS.00000003 naming it, creating nothing', async () => {
			const ok = { asset_name: 'Clip', asset_type: 'VIDEO' };
			const cases: Array<[unknown, string]> = [
				[[ok], 'body'],
				['just text', 'body'],
				[{ asset_type: 'VIDEO' }, 'asset_name'],
				[{ ...ok, asset_name: '' }, 'asset_name'],
				[{ ...ok, asset_name: 'n'.repeat(257) }, 'asset_name'],
				[{ ...ok, asset_name: 42 }, 'asset_name'],
				[{ asset_name: 'Clip' }, 'asset_type'],
				[{ ...ok, asset_type: 'video' }, 'asset_type'],
				[{ ...ok, asset_type: 'COMMON_FILE' }, 'asset_type'],
				[{ ...ok, asset_type: 'VOICE_MODEL' }, 'asset_type (ordinary users cannot create VOICE_MODEL)'],
				[{ ...ok, asset_type: 'HUMAN_MODEL_2D' }, 'asset_type (ordinary users cannot create HUMAN_MODEL_2D)'],
				[{ ...ok, asset_description: 'd'.repeat(4097) }, 'asset_description'],
				[{ ...ok, asset_description: 7 }, 'asset_description'],
				[{ ...ok, tags: 'launch' }, 'tags'],
				[{ ...ok, tags: Array.from({ length: 51 }, (_, i) => `t${i}`) }, 'tags'],
				[{ ...ok, tags: ['t'.repeat(129)] }, 'tags'],
				[{ ...ok, tags: [''] }, 'tags'],
				[{ ...ok, tags: [1] }, 'tags'],
			];
			for (const [body, detail] of cases) {
				const reply = typeof body === 'string' ? await signedBytes('POST', ASSETS, body) : await createAsset(body as Record<string, unknown>);
				expect([body, reply.status, reply.json]).toEqual([body, 400, invalid(detail)]);
			}
			expect(cloud.createdAssetIds()).toEqual([]);
			expect(cloud.assets()).toEqual([]);
		});

		it('should check the signature over the exact body bytes, and take an IAM token', async () => {
			const bytes = JSON.stringify({ asset_name: 'Clip', asset_type: 'IMAGE' });
			const request = signRequest(
				{ method: 'POST', url: `${cloud.endpoint}${ASSETS}`, headers: { 'content-type': 'application/json' }, body: bytes },
				{ accessKeyId: AK, secretAccessKey: SK },
				new Date(),
			);
			const tampered = await call(cloud.endpoint, 'POST', ASSETS, request.headers, bytes.replace('Clip', 'Clap'));
			expect([tampered.status, tampered.json.error_code]).toEqual([401, 'APIGW.0301']);
			expect(cloud.createdAssetIds()).toEqual([]);
			expect((await call(cloud.endpoint, 'POST', ASSETS, request.headers, bytes)).status).toBe(200);

			const token = (await iamToken(cloud.iamEndpoint, IAM_USER, PROJECT)).headers['x-subject-token'] as string;
			const byToken = await call(cloud.endpoint, 'POST', ASSETS, { 'x-auth-token': token, 'content-type': 'application/json' }, bytes);
			expect(byToken.status).toBe(200);
			expect(cloud.createdAssetIds()).toHaveLength(2);
		});
	});

	describe('CreateFile, upload, ConfirmFileUpload', () => {
		it('should take a MAIN file through upload and confirmation into files[], the asset then ACTIVED', async () => {
			const { assetId, fileId, uploadUrl } = await assetWithPendingFile(BYTES);
			const path = uploadPathOf({ projectId: PROJECT, assetId, fileId, fileName: 'Launch video.mp4' });
			expect(uploadUrl.startsWith(`${cloud.uploadHost.baseUrl}/metastudio-upload/${PROJECT}/${assetId}/${fileId}/Launch%20video.mp4?`)).toBe(
				true,
			);
			expect(cloud.fileUpload(fileId)).toEqual({
				...fileBody(assetId, BYTES),
				file_id: fileId,
				state: 'CREATING',
				uploadPath: path,
				upload_url: uploadUrl,
				uploadUrlExpiresAt: expect.any(Number),
				confirmations: [],
			});
			expect((await show(assetId)).json).toMatchObject({ asset_state: 'CREATING', files: [] });

			const put = await upload(uploadUrl, BYTES);
			expect(put.status).toBe(200);
			expect(cloud.uploadHost.credentialHeaders()).toEqual([]);
			const confirmed = await confirm(fileId, 'CREATED');
			expect([confirmed.status, confirmed.text]).toEqual([200, '']);
			expect(confirmed.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);

			const asset = (await show(assetId)).json;
			expect(asset.asset_state).toBe('ACTIVED');
			expect(asset.files).toEqual([
				{
					file_id: fileId,
					file_name: 'Launch video.mp4',
					file_md5: md5Base64(BYTES),
					file_size: BYTES.length,
					file_type: 'mp4',
					asset_file_category: 'MAIN',
					download_url: expect.stringMatching(new RegExp(`^${cloud.uploadHost.baseUrl}/metastudio-upload/`)),
					state: 'CREATED',
				},
			]);
			const got = await download(asset.files[0].download_url);
			expect([got.status, md5Base64(got.body)]).toEqual([200, md5Base64(BYTES)]);
			expect(cloud.fileUpload(fileId)).toMatchObject({
				state: 'CREATED',
				uploaded: { path, size: BYTES.length, md5Base64: md5Base64(BYTES), contentType: 'video/mp4', bytesKept: true },
				confirmations: [{ state: 'CREATED', status: 200 }],
			});
			expect(cloud.stats()).toMatchObject({ assetsCreated: 1, filesCreated: 1, filesConfirmed: 1 });
			expect(cloud.changesLandedOn(assetId)).toBe(1);

			// A COVER joins too; the asset keeps its state.
			const cover = Buffer.from('cover bytes');
			const coverFile = await createFile(fileBody(assetId, cover, { file_name: 'cover.png', file_type: 'png', asset_file_category: 'COVER' }));
			expect((await upload(coverFile.json.upload_url, cover, { 'content-type': 'image/png' })).status).toBe(200);
			expect((await confirm(coverFile.json.file_id, 'CREATED')).status).toBe(200);
			expect((await show(assetId)).json.files.map((file: { asset_file_category: string }) => file.asset_file_category)).toEqual(['MAIN', 'COVER']);
			expect(cloud.fileUploads(assetId).map((file) => file.file_id)).toEqual([fileId, coverFile.json.file_id]);
		});

		it('should leave the asset UNACTIVED when so configured, and use the downloadUrl option first', async () => {
			await cloud.stop();
			await start({ stateAfterMainFile: 'UNACTIVED', downloadUrl: (file) => `https://cdn.example.invalid/${file.fileId}` });
			const { assetId, fileId, uploadUrl } = await assetWithPendingFile(BYTES);
			await upload(uploadUrl, BYTES);
			await confirm(fileId, 'CREATED');
			expect((await show(assetId)).json).toMatchObject({
				asset_state: 'UNACTIVED',
				files: [{ file_id: fileId, download_url: `https://cdn.example.invalid/${fileId}` }],
			});
		});

		it('should refuse CREATED until the bytes arrived with the declared size and MD5, the file staying CREATING', async () => {
			const { assetId, fileId, uploadUrl } = await assetWithPendingFile(BYTES);
			expect((await confirm(fileId, 'CREATED')).json).toEqual(invalid('file not uploaded'));
			const shorter = BYTES.subarray(1);
			expect((await upload(uploadUrl, shorter)).status).toBe(200);
			expect((await confirm(fileId, 'CREATED')).json).toEqual(invalid('file size mismatch'));
			const other = randomBytes(BYTES.length);
			expect((await upload(uploadUrl, other)).status).toBe(200);
			expect((await confirm(fileId, 'CREATED')).json).toEqual(invalid('md5 mismatch'));
			expect([cloud.fileUpload(fileId)!.state, (await show(assetId)).json.asset_state]).toEqual(['CREATING', 'CREATING']);

			cloud.uploadHost.faultUpload('corruptUpload');
			expect((await upload(uploadUrl, BYTES)).status).toBe(200);
			expect((await confirm(fileId, 'CREATED')).json).toEqual(invalid('md5 mismatch'));

			expect((await upload(uploadUrl, BYTES)).status).toBe(200);
			expect((await confirm(fileId, 'CREATED')).status).toBe(200);
			expect(cloud.fileUpload(fileId)!.confirmations.map((c) => c.status)).toEqual([400, 400, 400, 400, 200]);
		});

		it('should answer a refused or dropped upload as not uploaded', async () => {
			const { fileId, uploadUrl } = await assetWithPendingFile(BYTES);
			cloud.uploadHost.faultUpload('refuseUpload');
			expect((await upload(uploadUrl, BYTES)).status).toBe(403);
			cloud.uploadHost.faultUpload('dropUpload');
			await expect(upload(uploadUrl, BYTES)).rejects.toThrow(/socket hang up|ECONNRESET|EPIPE/);
			expect((await confirm(fileId, 'CREATED')).json).toEqual(invalid('file not uploaded'));
		});

		it('should drop a file confirmed FAILED or CANCELLED, keep the asset CREATING, and allow another MAIN', async () => {
			const { assetId, fileId } = await assetWithPendingFile(BYTES);
			expect((await createFile(fileBody(assetId, BYTES))).json).toEqual(invalid('asset_file_category (the asset already has a MAIN file)'));
			expect((await confirm(fileId, 'FAILED')).status).toBe(200);
			expect([cloud.fileUpload(fileId)!.state, (await show(assetId)).json]).toEqual(['FAILED', expect.objectContaining({ asset_state: 'CREATING', files: [] })]);
			expect((await confirm(fileId, 'CREATED')).json).toEqual(FILE_NOT_FOUND);
			expect((await confirm(fileId, 'FAILED')).json).toEqual(FILE_NOT_FOUND);

			const second = await createFile(fileBody(assetId, BYTES));
			expect(second.status).toBe(200);
			expect((await confirm(second.json.file_id, 'CANCELLED')).status).toBe(200);
			expect(cloud.fileUploads(assetId).map((file) => file.state)).toEqual(['FAILED', 'CANCELLED']);
			expect(cloud.stats().filesConfirmed).toBe(0);
		});

		it('should answer CREATED twice with 200, and refuse FAILED after CREATED', async () => {
			const { fileId, uploadUrl } = await assetWithPendingFile(BYTES);
			await upload(uploadUrl, BYTES);
			expect((await confirm(fileId, 'CREATED')).status).toBe(200);
			expect((await confirm(fileId, 'CREATED')).status).toBe(200);
			expect((await confirm(fileId, 'FAILED')).json).toEqual(invalid('state (the file is already CREATED)'));
			expect(cloud.stats().filesConfirmed).toBe(1);
		});

		it('should refuse a bad state, an unknown file, a file whose asset is gone or in the recycle bin', async () => {
			const { assetId, fileId, uploadUrl } = await assetWithPendingFile(BYTES);
			for (const body of [{ state: 'created' }, { state: 'DONE' }, {}]) {
				expect((await signed('POST', `${FILES}/${fileId}/complete`, body)).json).toEqual(invalid('state'));
			}
			expect((await signedBytes('POST', `${FILES}/${fileId}/complete`, 'not json')).json).toEqual(invalid('state'));
			expect((await confirm('no-such-file', 'CREATED')).json).toEqual(FILE_NOT_FOUND);
			await upload(uploadUrl, BYTES);
			expect((await signed('DELETE', `${ASSETS}/${assetId}`)).status).toBe(200);
			expect((await confirm(fileId, 'CREATED')).json).toEqual(invalid('asset_id (the asset is in the recycle bin)'));
			expect((await signed('DELETE', `${ASSETS}/${assetId}?mode=force`)).status).toBe(200);
			expect((await confirm(fileId, 'CREATED')).json).toEqual(FILE_NOT_FOUND);
			expect(cloud.createdAssets()).toEqual([]);
			expect(cloud.createdAssetIds()).toEqual([assetId]);
		});

		it('should refuse each bad CreateFile field with 400 MSS.00000003 naming it', async () => {
			const assetId = (await createAsset({ asset_name: 'Clip', asset_type: 'VIDEO' })).json.asset_id;
			const ok = fileBody(assetId, BYTES);
			const cases: Array<[Record<string, unknown>, string]> = [
				[{ ...ok, file_name: undefined }, 'file_name'],
				[{ ...ok, file_name: 'n'.repeat(257) }, 'file_name'],
				[{ ...ok, file_md5: createHash('md5').update(BYTES).digest('hex') }, 'file_md5'],
				[{ ...ok, file_md5: undefined }, 'file_md5'],
				[{ ...ok, file_size: 0 }, 'file_size'],
				[{ ...ok, file_size: 5 * 1024 ** 3 + 1 }, 'file_size'],
				[{ ...ok, file_size: 1.5 }, 'file_size'],
				[{ ...ok, file_size: '150000' }, 'file_size'],
				[{ ...ok, file_type: '' }, 'file_type'],
				[{ ...ok, asset_id: undefined }, 'asset_id'],
				[{ ...ok, asset_file_category: 'main' }, 'asset_file_category'],
				[{ ...ok, asset_file_category: undefined }, 'asset_file_category'],
			];
			for (const [body, detail] of cases) {
				const reply = await createFile(body);
				expect([body, reply.status, reply.json]).toEqual([body, 400, invalid(detail)]);
			}
			expect((await createFile({ ...ok, asset_id: 'no-such-asset' })).json).toEqual(ASSET_NOT_FOUND);
			expect(cloud.fileUploads()).toEqual([]);
		});

		it('should take the categories each type takes, one MAIN, and the main-file limits', async () => {
			const make = async (type: string) => (await createAsset({ asset_name: type, asset_type: type })).json.asset_id as string;
			const [video, image, ppt, material] = [await make('VIDEO'), await make('IMAGE'), await make('PPT'), await make('MATERIAL')];
			const file = (assetId: string, extra: Record<string, unknown>) => createFile(fileBody(assetId, BYTES, extra));
			expect((await file(image, { asset_file_category: 'COVER', file_name: 'c.png', file_type: 'png' })).json).toEqual(
				invalid('asset_file_category (a IMAGE asset takes MAIN)'),
			);
			expect((await file(video, { asset_file_category: 'PAGE' })).json).toEqual(invalid('asset_file_category (a VIDEO asset takes MAIN, COVER)'));
			expect((await file(video, { asset_file_category: 'COVER', file_name: 'c.png', file_type: 'png' })).status).toBe(200);
			for (const category of ['COVER', 'PAGE', 'OTHER']) {
				expect((await file(ppt, { asset_file_category: category, file_name: 'p.pdf', file_type: 'pdf' })).status).toBe(200);
			}
			expect((await file(image, { file_name: 'a.mp4', file_type: 'mp4' })).json).toEqual(
				invalid('file_type (a IMAGE main file is one of jpeg, jpg, png, bmp, gif)'),
			);
			expect((await file(image, { file_name: 'a.png', file_type: 'PNG', file_size: 50 * 1024 ** 2 + 1 })).json).toEqual(
				invalid(`file_size (a IMAGE main file is at most ${50 * 1024 ** 2} bytes)`),
			);
			expect((await file(image, { file_name: 'a.png', file_type: '.PNG', file_size: 50 * 1024 ** 2 })).status).toBe(200);
			expect((await file(material, { file_name: 'a.fbx', file_type: 'fbx' })).status).toBe(200);
			expect((await file(material, { file_name: 'b.fbx', file_type: 'fbx' })).json).toEqual(
				invalid('asset_file_category (the asset already has a MAIN file)'),
			);
			const seeded = cloud.addAsset({ asset_type: 'VIDEO' }).asset_id;
			expect((await file(seeded, {})).json).toEqual(invalid('asset_file_category (the asset already has a MAIN file)'));
			const system = cloud.addAsset({ asset_type: 'VIDEO', source: 'SYSTEM', files: [] }).asset_id;
			expect((await file(system, {})).json).toEqual(invalid('asset_id (a system asset cannot be changed)'));

			await cloud.stop();
			await start({ mainFileLimits: false });
			const lax = (await createAsset({ asset_name: 'x', asset_type: 'IMAGE' })).json.asset_id;
			expect((await createFile(fileBody(lax, BYTES, { file_type: 'mp4' }))).status).toBe(200);
		});

		it('should issue upload URLs valid 24 h on the emulator clock, with the Content-Type of the name, else of file_type', async () => {
			cloud.freezeClock(Date.now());
			const at = cloud.now();
			const assetId = (await createAsset({ asset_name: 'Deck', asset_type: 'MATERIAL' })).json.asset_id;
			const file = await createFile(fileBody(assetId, BYTES, { file_name: 'deck', file_type: 'png' }));
			const upload_ = cloud.fileUpload(file.json.file_id)!;
			expect(upload_.uploadUrlExpiresAt).toBe(at + UPLOAD_URL_TTL_MS);
			expect(new URL(upload_.upload_url).searchParams.get('Expires')).toBe(String(Math.floor((at + UPLOAD_URL_TTL_MS) / 1000)));
			expect((await upload(upload_.upload_url, BYTES)).status).toBe(400);
			cloud.advanceClock(UPLOAD_URL_TTL_MS - 1000);
			expect((await upload(upload_.upload_url, BYTES, { 'content-type': 'image/png' })).status).toBe(200);
			cloud.advanceClock(1000);
			const late = await upload(upload_.upload_url, BYTES, { 'content-type': 'image/png' });
			expect([late.status, /<Message>([^<]*)</.exec(late.text)?.[1]]).toEqual([403, 'Request has expired']);
		});

		it('should point upload URLs at a file host the test gives, and leave it running on stop', async () => {
			const host = await FileHost.start();
			others.push(host);
			await cloud.stop();
			await start({ uploadHost: host });
			expect(cloud.uploadHost).toBe(host);
			const { fileId, uploadUrl } = await assetWithPendingFile(BYTES);
			expect(uploadUrl.startsWith(host.baseUrl)).toBe(true);
			expect((await upload(uploadUrl, BYTES)).status).toBe(200);
			expect((await confirm(fileId, 'CREATED')).status).toBe(200);
			await cloud.stop();
			expect(host.uploads()).toHaveLength(1);
			expect((await upload(uploadUrl, BYTES)).status).toBe(200);
		});
	});

	describe('UpdateDigitalAsset', () => {
		const seed = { asset_id: 'a1', asset_name: 'Clip', asset_description: 'old', tags: ['keep'], asset_state: 'ACTIVED' as const, create_time: '2026-01-01T00:00:00Z' };

		it('should change the given fields, answer the whole asset, and count the change', async () => {
			cloud.addAsset(seed);
			const reply = await update('a1', { asset_name: 'Clip v2', tags: ['keep', 'review'], asset_description: null, asset_extra: 'ignored' });
			expect(reply.status).toBe(200);
			expect(reply.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
			expect(reply.json).toEqual({ ...cloud.asset('a1'), asset_name: 'Clip v2', asset_description: 'old', tags: ['keep', 'review'] });
			expect(reply.json.update_time).not.toBe('2026-01-01T00:00:00Z');
			expect([cloud.updatesLanded('a1'), cloud.changesLandedOn('a1'), cloud.stats().updatesLanded]).toEqual([1, 1, 1]);

			expect((await update('a1', { tags: [] })).json.tags).toEqual([]);
			expect((await update('a1', { asset_description: '' })).json.asset_description).toBe('');
			expect((await update('a1', { asset_state: 'UNACTIVED' })).json.asset_state).toBe('UNACTIVED');
			expect((await update('a1', { asset_state: 'ACTIVED' })).json.asset_state).toBe('ACTIVED');
			expect(cloud.updatesLanded('a1')).toBe(5);
		});

		it('should change nothing (not counted, update_time kept) for the current values or an empty body', async () => {
			cloud.addAsset(seed);
			const before = cloud.asset('a1');
			expect((await update('a1', { asset_name: 'Clip', tags: ['keep'], asset_state: 'ACTIVED' })).json).toEqual(before);
			expect((await update('a1', {})).json).toEqual(before);
			expect((await signedBytes('PUT', `${ASSETS}/a1`, '')).json).toEqual(before);
			expect(cloud.updatesLanded('a1')).toBe(0);
		});

		it('should refuse bad fields before looking the asset up, then unknown, deleted, system and CREATING assets', async () => {
			cloud.addAsset(seed);
			const cases: Array<[unknown, string]> = [
				[{ asset_name: '' }, 'asset_name'],
				[{ asset_name: 'n'.repeat(257) }, 'asset_name'],
				[{ asset_description: 'd'.repeat(4097) }, 'asset_description'],
				[{ tags: ['t'.repeat(129)] }, 'tags'],
				[{ tags: Array.from({ length: 51 }, (_, i) => `t${i}`) }, 'tags'],
				[{ asset_state: 'DELETING' }, 'asset_state'],
				[[], 'body'],
			];
			for (const [body, detail] of cases) {
				const reply = await update('no-such-asset', body);
				expect([body, reply.status, reply.json]).toEqual([body, 400, invalid(detail)]);
			}
			expect((await update('no-such-asset', { asset_name: 'x' })).json).toEqual(ASSET_NOT_FOUND);

			const creating = (await createAsset({ asset_name: 'New', asset_type: 'VIDEO' })).json.asset_id;
			expect((await update(creating, { asset_state: 'ACTIVED' })).json).toEqual(
				invalid('asset_state (the asset state CREATING does not allow ACTIVED)'),
			);
			expect((await update(creating, { tags: ['draft'] })).status).toBe(200);
			cloud.addAsset({ asset_id: 'sys', source: 'SYSTEM' });
			expect((await update('sys', { tags: ['x'] })).json).toEqual(invalid('asset_id (a system asset cannot be changed)'));
			cloud.setAssetState('a1', 'DELETING');
			expect((await update('a1', { tags: ['x'] })).json).toEqual(invalid('asset_id (the asset is in the recycle bin)'));
			cloud.setAssetState('a1', 'DELETED');
			expect((await update('a1', { tags: ['x'] })).json).toEqual(invalid('asset_id (the asset is deleted)'));
			expect(cloud.updatesLanded('a1')).toBe(0);
		});
	});

	describe('faults and limits', () => {
		it('should create the asset and lose the answer on faultNext landedThenDrop, once', async () => {
			cloud.faultNext('CreateDigitalAsset', 'landedThenDrop');
			await expect(createAsset({ asset_name: 'Lost answer', asset_type: 'VIDEO' })).rejects.toThrow(DROPPED);
			expect(cloud.createdAssets()).toEqual([expect.objectContaining({ asset_name: 'Lost answer', asset_state: 'CREATING' })]);
			const found = await signed('GET', `${ASSETS}?name=Lost%20answer`);
			expect(found.json.count).toBe(1);
			expect((await createAsset({ asset_name: 'Lost answer', asset_type: 'VIDEO' })).status).toBe(200);
			expect(cloud.createdAssetIds()).toHaveLength(2);
			expect(cloud.faultsInjected.landedThenDrop).toBe(1);
		});

		it('should fault by name, by asset ID and by file ID through a script on POST and PUT', async () => {
			const { assetId, fileId, uploadUrl } = await assetWithPendingFile(BYTES, 'Scripted');
			await upload(uploadUrl, BYTES);
			cloud.setFaults({
				methods: ['POST', 'PUT'],
				script: {
					[createDigitalAssetFaultKey('Doomed')]: ['http500'],
					[createFileFaultKey(assetId)]: ['drop'],
					[fileId]: ['http503', 'landedThenDrop'],
					[assetId]: ['throttle'],
				},
			});
			const doomed = await createAsset({ asset_name: 'Doomed', asset_type: 'VIDEO' });
			expect([doomed.status, doomed.json.error_code]).toEqual([500, 'MSS.00000004']);
			expect(cloud.createdAssetIds()).toHaveLength(1);
			await expect(createFile(fileBody(assetId, BYTES, { asset_file_category: 'COVER', file_name: 'c.png', file_type: 'png' }))).rejects.toThrow(
				DROPPED,
			);
			expect(cloud.fileUploads()).toHaveLength(1);
			expect((await confirm(fileId, 'CREATED')).status).toBe(503);
			expect(cloud.fileUpload(fileId)!.state).toBe('CREATING');
			await expect(confirm(fileId, 'CREATED')).rejects.toThrow(DROPPED);
			expect(cloud.fileUpload(fileId)!.state).toBe('CREATED');
			const throttled = await update(assetId, { tags: ['x'] });
			expect([throttled.status, throttled.json.error_code, throttled.headers['retry-after']]).toEqual([429, 'APIGW.0308', undefined]);
			expect(cloud.updatesLanded(assetId)).toBe(0);
			expect(cloud.requestCounts()).toMatchObject({ CreateDigitalAsset: 2, CreateFile: 2, ConfirmFileUpload: 2, UpdateDigitalAsset: 1 });
		});

		it("should enforce the region's limit of each new API with 429 APIGW.0308", async () => {
			await cloud.stop();
			await start({ region: 'ap-southeast-3', enforceApiLimits: true, limitsClock: () => 0 });
			expect(cloud.apiLimits).toMatchObject({ CreateDigitalAsset: 5, CreateFile: 5, ConfirmFileUpload: 5, UpdateDigitalAsset: 5 });
			const statuses = [];
			for (let i = 0; i < 6; i++) statuses.push((await createAsset({ asset_name: `A${i}`, asset_type: 'IMAGE' })).status);
			expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
			const refused = await createAsset({ asset_name: 'A6', asset_type: 'IMAGE' });
			expect(refused.json).toEqual({
				error_code: 'APIGW.0308',
				error_msg: 'The throttling threshold has been reached: policy user over ratelimit, limit:5, time:1 second',
				request_id: refused.headers['x-request-id'],
			});
			expect(cloud.createdAssetIds()).toHaveLength(5);
			expect(cloud.apiLimited).toMatchObject({ CreateDigitalAsset: 2, UpdateDigitalAsset: 0 });
			// Each API has its own bucket.
			expect((await update(cloud.createdAssetIds()[0], { tags: ['a'] })).status).toBe(200);

			await cloud.stop();
			await start({ enforceApiLimits: true, limitsClock: () => 0 });
			expect(cloud.apiLimits).toMatchObject({ CreateDigitalAsset: 10, CreateFile: 10, ConfirmFileUpload: 10, UpdateDigitalAsset: 10 });
		});

		it('should forget created assets, file uploads and its own upload host on reset', async () => {
			const { uploadUrl } = await assetWithPendingFile(BYTES);
			await upload(uploadUrl, BYTES);
			cloud.faultNext('UpdateDigitalAsset', 'http500');
			cloud.reset();
			expect([cloud.createdAssetIds(), cloud.fileUploads(), cloud.uploadHost.uploads(), cloud.stats().assetsCreated]).toEqual([[], [], [], 0]);
			expect(cloud.requestCounts().CreateDigitalAsset).toBe(0);
			cloud.addAsset({ asset_id: 'a1' });
			expect((await update('a1', { tags: ['x'] })).status).toBe(200);
		});
	});
});
