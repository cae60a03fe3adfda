/**
 * An emulator of Huawei Cloud MetaStudio's media asset library and of IAM's token endpoint, checking
 * what the real gateway checks: the SDK-HMAC-SHA256 signature (recomputed with Huawei's own SDK
 * signer, independent of the package's signer), the 15-minute clock window, and IAM tokens.
 * Error bodies and codes follow shared/seeds/002 and NOTES.md.
 */
import { randomBytes } from 'node:crypto';
import type http from 'node:http';

import { AKSKSigner } from '@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner';

import type { FaultConfig } from './faults';
import { FaultInjector } from './faults';
import type { RecordedRequest } from './http';
import { delay, LocalServer, record, sendJson } from './http';

const FILE_PATH = /^\/v1\/([^/?]+)\/files\/([^/?]+)$/;
const LIST_PATH = /^\/v1\/([^/?]+)\/files(?:\?.*)?$/;
const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

export interface MetaStudioOptions {
	accessKeyId: string;
	secretAccessKey: string;
	securityToken?: string;
	projectId: string;
	files?: string[];
	iamUser?: { domainName: string; userName: string; password: string };
	faults?: FaultConfig;
	/** The emulator's clock runs this far from the machine's (to test clock skew). */
	clockOffsetMs?: number;
}

interface IssuedToken {
	projectId: string;
	expired: boolean;
}

const requestId = () => randomBytes(16).toString('hex');

export class MetaStudioEmulator {
	readonly endpoint: string;
	readonly iamEndpoint: string;
	readonly requests: RecordedRequest[] = [];
	tokensIssued = 0;
	clockOffsetMs: number;
	private readonly files = new Set<string>();
	private readonly landed = new Map<string, number>();
	private readonly tokens = new Map<string, IssuedToken>();
	private readonly faults = new FaultInjector();
	private expireAfterDeletes: number | undefined;

	private constructor(
		private readonly cloud: LocalServer,
		private readonly iam: LocalServer,
		private readonly options: MetaStudioOptions,
	) {
		this.endpoint = cloud.origin;
		this.iamEndpoint = iam.origin;
		this.clockOffsetMs = options.clockOffsetMs ?? 0;
		for (const id of options.files ?? []) this.files.add(id);
		this.faults.set(options.faults ?? {});
	}

	static async start(options: MetaStudioOptions): Promise<MetaStudioEmulator> {
		let emulator: MetaStudioEmulator | undefined;
		const cloud = await LocalServer.start((req, res, body) => emulator!.handleCloud(req, res, body));
		const iam = await LocalServer.start((req, res, body) => emulator!.handleIam(req, res, body));
		emulator = new MetaStudioEmulator(cloud, iam, options);
		return emulator;
	}

	addFile(id: string): void {
		this.files.add(id);
	}

	hasFile(id: string): boolean {
		return this.files.has(id);
	}

	deletesLanded(id: string): number {
		return this.landed.get(id) ?? 0;
	}

	setFaults(faults: FaultConfig): void {
		this.faults.set(faults);
	}

	get maxInFlight(): number {
		return this.cloud.maxInFlight;
	}

	/** Every token issued so far now answers 401. */
	expireAllTokens(): void {
		for (const token of this.tokens.values()) token.expired = true;
	}

	/** Expires all tokens once this many more deletes have landed (a token running out mid-batch). */
	expireTokensAfterDeletes(count: number): void {
		this.expireAfterDeletes = count;
	}

	async stop(): Promise<void> {
		await Promise.all([this.cloud.stop(), this.iam.stop()]);
	}

	private async handleCloud(req: http.IncomingMessage, res: http.ServerResponse, body: string): Promise<void> {
		this.requests.push(record(req, body));
		const method = req.method ?? '';
		const rawPath = req.url ?? '';
		const fileMatch = FILE_PATH.exec(rawPath);
		const fileId = fileMatch ? decodeURIComponent(fileMatch[2]) : undefined;
		const headers = { 'x-request-id': requestId() };

		const fault = this.faults.next(method, fileId);
		const latency = this.faults.latency();
		if (latency > 0) await delay(latency);
		if (fault === 'drop') return void req.socket.destroy();
		if (fault === 'throttle') {
			// Huawei's gateway sends no Retry-After with its 429.
			return sendJson(res, 429, {
				error_code: 'APIGW.0308',
				error_msg: 'The throttling threshold has been reached: policy user over ratelimit, limit:5, time:1 second',
				request_id: headers['x-request-id'],
			}, headers);
		}
		if (fault === 'http500') return sendJson(res, 500, { error_code: 'MSS.00000004', error_msg: 'Internal Error' }, headers);
		if (fault === 'http503') {
			return sendJson(res, 503, { error_code: 'APIGW.0203', error_msg: 'Backend unavailable', request_id: headers['x-request-id'] }, headers);
		}

		const auth = this.authenticate(req, rawPath);
		if ('status' in auth) return sendJson(res, auth.status, { ...auth.body, request_id: headers['x-request-id'] }, headers);
		const urlProject = decodeURIComponent((fileMatch ?? LIST_PATH.exec(rawPath))?.[1] ?? '');
		if (!fileMatch && !LIST_PATH.test(rawPath)) {
			return sendJson(res, 404, { error_code: 'APIGW.0101', error_msg: 'The API does not exist or has not been published in the environment' }, headers);
		}
		if (urlProject !== auth.projectId) {
			return sendJson(res, 400, { error_code: 'MSS.00010009', error_msg: 'The project ID in the URL is inconsistent with that in the token' }, headers);
		}
		if (method === 'GET' && !fileMatch) {
			return sendJson(res, 200, { count: this.files.size, files: [...this.files].slice(0, 1).map((file_id) => ({ file_id })) }, headers);
		}
		if (method !== 'DELETE' || !fileId) {
			return sendJson(res, 404, { error_code: 'APIGW.0101', error_msg: 'The API does not exist' }, headers);
		}
		if (fault === 'slow') await delay(this.faults.slowMs);
		if (!this.files.has(fileId)) {
			// "Not found" is HTTP 400 with this code, not a 404.
			return sendJson(res, 400, { error_code: 'MSS.10001004', error_msg: 'The file not found' }, headers);
		}
		this.files.delete(fileId);
		this.landed.set(fileId, (this.landed.get(fileId) ?? 0) + 1);
		if (this.expireAfterDeletes !== undefined && --this.expireAfterDeletes <= 0) {
			this.expireAfterDeletes = undefined;
			this.expireAllTokens();
		}
		if (fault === 'landedThenDrop') return void req.socket.destroy();
		res.writeHead(200, headers);
		res.end();
	}

	/** Either the project the caller is allowed into, or the gateway's refusal. */
	private authenticate(
		req: http.IncomingMessage,
		rawPath: string,
	): { projectId: string } | { status: number; body: Record<string, string> } {
		const token = req.headers['x-auth-token'];
		if (typeof token === 'string') {
			const issued = this.tokens.get(token);
			if (!issued || issued.expired) {
				return { status: 401, body: { error_code: 'APIGW.0307', error_msg: 'The token must be updated.' } };
			}
			return { projectId: issued.projectId };
		}
		const refused = (message: string) => ({
			status: 401,
			body: { error_code: 'APIGW.0301', error_msg: `Incorrect IAM authentication information: ${message}` },
		});
		const authorization = req.headers.authorization ?? '';
		const parsed = /^SDK-HMAC-SHA256 Access=([^,]+), SignedHeaders=([^,]+), Signature=([0-9a-f]+)$/.exec(authorization);
		if (!parsed) return refused('Authorization header missing or malformed');
		const [, accessKey, signedHeaderList, signature] = parsed;
		if (accessKey !== this.options.accessKeyId) return refused('verify aksk signature fail');
		const signed = signedHeaderList.split(';');
		if (!signed.includes('host') || !signed.includes('x-sdk-date')) return refused('host and x-sdk-date must be signed');
		const date = String(req.headers['x-sdk-date'] ?? '');
		const at = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/.exec(date);
		if (!at) return refused('X-Sdk-Date missing or malformed');
		const sentAt = Date.UTC(+at[1], +at[2] - 1, +at[3], +at[4], +at[5], +at[6]);
		if (Math.abs(Date.now() + this.clockOffsetMs - sentAt) > MAX_CLOCK_SKEW_MS) {
			return refused('the request time differs from the server time by more than 15 minutes');
		}
		if (this.options.securityToken) {
			if (req.headers['x-security-token'] !== this.options.securityToken || !signed.includes('x-security-token')) {
				return refused('security token missing, wrong or unsigned');
			}
		}
		if (req.headers['x-app-userid'] !== undefined && !signed.includes('x-app-userid')) {
			return refused('X-App-UserId must be signed');
		}
		const [path, query = ''] = rawPath.split('?');
		const queryParams: Record<string, string | string[]> = {};
		for (const [key, value] of new URLSearchParams(query)) {
			const existing = queryParams[key];
			queryParams[key] = existing === undefined ? value : [...([] as string[]).concat(existing), value];
		}
		const headers: Record<string, string> = { 'X-Sdk-Date': date };
		for (const name of signed) {
			if (name !== 'host' && name !== 'x-sdk-date') headers[name] = String(req.headers[name] ?? '');
		}
		const expected = (
			AKSKSigner.sign(
				{
					method: req.method ?? '',
					endpoint: `http://${req.headers.host}${path.split('/').map(decodeURIComponent).join('/')}`,
					queryParams: Object.keys(queryParams).length ? queryParams : undefined,
					headers,
					...(req.method === 'GET' || req.method === 'DELETE' ? {} : {}),
				} as never,
				{ getAk: () => this.options.accessKeyId, getSk: () => this.options.secretAccessKey } as never,
			) as Record<string, string>
		).Authorization;
		const expectedSignature = /Signature=([0-9a-f]+)/.exec(expected)?.[1];
		if (expectedSignature !== signature) return refused('verify aksk signature fail');
		return { projectId: this.options.projectId };
	}

	private async handleIam(req: http.IncomingMessage, res: http.ServerResponse, body: string): Promise<void> {
		this.requests.push(record(req, body));
		if (req.method !== 'POST' || !(req.url ?? '').startsWith('/v3/auth/tokens')) {
			return sendJson(res, 404, { error: { code: 404, message: 'Not Found', title: 'Not Found' } });
		}
		let user: { name?: string; password?: string; domain?: { name?: string } } | undefined;
		let projectId: string | undefined;
		try {
			const auth = JSON.parse(body).auth;
			user = auth.identity.password.user;
			projectId = auth.scope.project.id;
		} catch {
			return sendJson(res, 400, { error: { code: 400, message: 'The request body is invalid.', title: 'Bad Request' } });
		}
		const expected = this.options.iamUser;
		if (!expected || user?.name !== expected.userName || user?.password !== expected.password || user?.domain?.name !== expected.domainName) {
			return sendJson(res, 401, { error: { code: 401, message: 'The username or password is wrong.', title: 'Unauthorized' } });
		}
		if (projectId !== this.options.projectId) {
			return sendJson(res, 400, { error: { code: 400, message: 'The project ID is invalid.', title: 'Bad Request' } });
		}
		const token = `MIIT${randomBytes(48).toString('base64url')}`;
		this.tokens.set(token, { projectId, expired: false });
		this.tokensIssued++;
		const now = new Date();
		return sendJson(
			res,
			201,
			{ token: { issued_at: now.toISOString(), expires_at: new Date(now.getTime() + 86_400_000).toISOString(), methods: ['password'] } },
			{ 'x-subject-token': token },
		);
	}
}
