/**
 * An emulator of Huawei Cloud MetaStudio's media asset library behind Huawei's API gateway, and of
 * IAM's token endpoint (test-only code). Two servers on 127.0.0.1, each on a random port.
 *
 * MetaStudio (`endpoint`), every answer with an `X-Request-Id` header (random hex):
 * - `DELETE /v1/{project_id}/files/{file_id}` → 200, empty body (seed 002);
 * - `GET /v1/{project_id}/files[?offset&limit]` (ListFiles, read-only, for credential tests) → 200 `{ count, files }`;
 * - unknown path or method → 404 `APIGW.0101` (the gateway matches the API before authenticating).
 * Authentication, as the gateway does it:
 * - `X-Auth-Token`: a live token issued by the IAM emulator; unknown or expired → 401 `APIGW.0307`
 *   "The token must be updated."; a token of another project than the URL's → 400 `MSS.00010009`.
 * - AK/SK (`Authorization: SDK-HMAC-SHA256 Access=…, SignedHeaders=…, Signature=…`): the signature is
 *   recomputed with Huawei's own signer from `@huaweicloud/huaweicloud-sdk-core` (`AKSKSigner`), fed the
 *   request as received (see `sdkSignature`), so the emulator is an oracle independent of the package's
 *   signer. Wrong AK, bad signature, malformed header, `host` / `x-sdk-date` not signed, a signed header
 *   missing, `X-App-UserId` / `X-Security-Token` present but unsigned, a wrong or missing security token
 *   (when one is configured; one sent while none is configured is refused too) → 401 `APIGW.0301`
 *   "Incorrect IAM authentication information: verify aksk signature fail". `X-Sdk-Date` more than 15
 *   minutes from the emulator's clock (`Date.now() + clockOffsetMs`) → 401 `APIGW.0301` with a
 *   clock-skew message. URL project (or a signed `X-Project-Id`) other than the configured one → 400
 *   `MSS.00010009`.
 * - Neither → 401 `APIGW.0301` (our guess at the gateway's text). When both are sent, the token is used.
 * Then: unknown file → **400** `MSS.10001004` "The file not found"; `X-App-UserId` with Chinese or control
 * characters → 400 `MSS.00000003` (the API forbids them); otherwise the file is deleted.
 * Faults (faults.ts) apply to MetaStudio only, never to IAM: 429 `APIGW.0308` with NO Retry-After,
 * 500 `MSS.00000004` "Internal Error", 503 `APIGW.0202` "Backend unavailable" (the gateway's text; it
 * documents that code with 502), drop, slow, landedThenDrop.
 *
 * IAM (`iamEndpoint`): `POST /v3/auth/tokens[?nocatalog=true]` with the password-method body → 201,
 * token in `X-Subject-Token`, body `{ token: { expires_at, issued_at, methods, user, project, … } }`;
 * wrong user/password/domain → 401 `{ error: { code: 401, message: "The username or password is wrong.",
 * title: "Unauthorized" } }`; a project other than the configured one → 400 `{ error: { code: 400,
 * message: "Invalid project ID: the project does not exist or does not belong to the account.", … } }`;
 * a malformed body → 400. IAM requests are recorded in `iamRequests`, MetaStudio's in `requests`.
 */
import { createHash } from 'node:crypto';
import { parse as legacyParseUrl } from 'node:url';
import type http from 'node:http';

import { AKSKSigner } from '@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner';
import type { ICredential } from '@huaweicloud/huaweicloud-sdk-core/auth/ICredential';

import type { FaultConfig } from './faults';
import { FaultInjector } from './faults';
import type { Answer, Exchange, RecordedRequest } from './http';
import { dropConnection, headerText, LocalServer, randomHex, recordOf, send, splitTarget, tryDecode } from './http';

export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;
export const DEFAULT_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;

export const APIGW_BAD_SIGNATURE_MSG = 'Incorrect IAM authentication information: verify aksk signature fail';
export const APIGW_CLOCK_SKEW_MSG =
	'Incorrect IAM authentication information: verify aksk signature fail, the X-Sdk-Date header differs from the server time by more than 15 minutes';
export const APIGW_THROTTLED_MSG =
	'The throttling threshold has been reached: policy user over ratelimit, limit:5, time:1 second';

export interface IamUser {
	domainName: string;
	userName: string;
	password: string;
}

export interface MetaStudioOptions {
	accessKeyId: string;
	secretAccessKey: string;
	/** For a temporary AK/SK: `X-Security-Token` must then be sent, equal to this, and signed. */
	securityToken?: string;
	projectId: string;
	files?: string[];
	/** The IAM user that may get tokens; without it every token request gets 401. */
	iamUser?: IamUser;
	faults?: FaultConfig;
	/** The emulator's clock runs this far ahead of the machine's (negative: behind). Default 0. */
	clockOffsetMs?: number;
	/** How long an issued token lives on the emulator's clock (default 24 h). */
	tokenTtlMs?: number;
	/** Keep logs of every request in `requests` / `iamRequests`. Default true. */
	record?: boolean;
}

export type MetaStudioEmulatorOptions = MetaStudioOptions;

export interface MetaStudioStats {
	deletesLanded: number;
	throttled: number;
	requests: number;
	maxInFlight: number;
	tokensIssued: number;
	authFailures: number;
}

interface IssuedToken {
	projectId: string;
	expiresAt: number;
	expired: boolean;
}

type AuthResult = { ok: true; projectId: string; scheme: 'token' | 'aksk' } | { ok: false; answer: Answer };

interface Route {
	kind: 'deleteFile' | 'listFiles';
	projectId: string;
	fileId?: string;
}

export class MetaStudioEmulator {
	/** `http://127.0.0.1:<port>` (MetaStudio) */
	readonly endpoint: string;

	/** `http://127.0.0.1:<port>` (IAM) */
	readonly iamEndpoint: string;

	readonly accessKeyId: string;

	readonly projectId: string;

	/** MetaStudio requests, in arrival order. */
	readonly requests: RecordedRequest[] = [];

	/** IAM requests, in arrival order (their bodies hold the password). */
	readonly iamRequests: RecordedRequest[] = [];

	/** Why each refused AK/SK or token request was refused (for debugging a failing test). */
	readonly authFailures: Array<{ time: number; rawPath: string; reason: string }> = [];

	/** Tokens issued by the IAM emulator so far. */
	tokensIssued = 0;

	/** The emulator's clock is Date.now() + clockOffsetMs (for clock-skew tests). */
	clockOffsetMs: number;

	record: boolean;

	private readonly files = new Set<string>();

	private readonly landed = new Map<string, number>();

	private readonly deleteRequestCounts = new Map<string, number>();

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
		this.accessKeyId = options.accessKeyId;
		this.projectId = options.projectId;
		this.clockOffsetMs = options.clockOffsetMs ?? 0;
		this.record = options.record ?? true;
		for (const id of options.files ?? []) this.files.add(id);
		this.faults.set(options.faults ?? {});
	}

	static async start(options: MetaStudioOptions): Promise<MetaStudioEmulator> {
		if (!options?.accessKeyId || !options.secretAccessKey || !options.projectId) {
			throw new Error('MetaStudioEmulator.start needs accessKeyId, secretAccessKey and projectId');
		}
		const ref: { emulator?: MetaStudioEmulator } = {};
		const cloud = await LocalServer.start((exchange) => ref.emulator!.handleCloud(exchange));
		let iam: LocalServer;
		try {
			iam = await LocalServer.start((exchange) => ref.emulator!.handleIam(exchange));
		} catch (error) {
			await cloud.stop();
			throw error;
		}
		ref.emulator = new MetaStudioEmulator(cloud, iam, options);
		return ref.emulator;
	}

	/** The emulator's clock. */
	now(): number {
		return Date.now() + this.clockOffsetMs;
	}

	// ---- the file store ----

	addFile(id: string): void {
		this.files.add(id);
	}

	hasFile(id: string): boolean {
		return this.files.has(id);
	}

	fileIds(): string[] {
		return [...this.files];
	}

	// ---- counters ----

	/** Deletes of this ID that really removed the file. */
	deletesLanded(id: string): number {
		return this.landed.get(id) ?? 0;
	}

	/** DELETE requests that reached the file route for this ID, whatever their outcome. */
	deleteRequests(id: string): number {
		return this.deleteRequestCounts.get(id) ?? 0;
	}

	totalDeletesLanded(): number {
		let total = 0;
		for (const count of this.landed.values()) total += count;
		return total;
	}

	get maxInFlight(): number {
		return this.cloud.maxInFlight;
	}

	get inFlight(): number {
		return this.cloud.inFlight;
	}

	get throttled(): number {
		return this.faults.throttled;
	}

	get faultsInjected(): Readonly<Record<string, number>> {
		return { ...this.faults.injected };
	}

	stats(): MetaStudioStats {
		return {
			deletesLanded: this.totalDeletesLanded(),
			throttled: this.faults.throttled,
			requests: this.cloud.received,
			maxInFlight: this.cloud.maxInFlight,
			tokensIssued: this.tokensIssued,
			authFailures: this.authFailures.length,
		};
	}

	// ---- tokens ----

	/** Every token issued so far now answers 401 `APIGW.0307`; tokens issued later are fine. */
	expireAllTokens(): void {
		for (const token of this.tokens.values()) token.expired = true;
	}

	/** Expires all tokens once this many more deletes have landed (a token running out mid-batch). */
	expireTokensAfterDeletes(count: number): void {
		if (count <= 0) {
			this.expireAfterDeletes = undefined;
			this.expireAllTokens();
		} else {
			this.expireAfterDeletes = count;
		}
	}

	/** Whether this token would be accepted now. */
	isTokenLive(token: string): boolean {
		const issued = this.tokens.get(token);
		return issued !== undefined && !issued.expired && issued.expiresAt > this.now();
	}

	// ---- control ----

	setFaults(faults: FaultConfig): void {
		this.faults.set(faults);
	}

	/** Forgets files, counters, recorded requests, tokens and faults. */
	reset(): void {
		this.files.clear();
		this.landed.clear();
		this.deleteRequestCounts.clear();
		this.requests.length = 0;
		this.iamRequests.length = 0;
		this.authFailures.length = 0;
		this.tokens.clear();
		this.tokensIssued = 0;
		this.expireAfterDeletes = undefined;
		this.cloud.resetCounters();
		this.iam.resetCounters();
		this.faults.set({});
	}

	async stop(): Promise<void> {
		await Promise.all([this.cloud.stop(), this.iam.stop()]);
	}

	// ---- MetaStudio ----

	private async handleCloud(exchange: Exchange): Promise<void> {
		const { req, res } = exchange;
		if (this.record) this.requests.push(recordOf(exchange));
		const method = (req.method ?? '').toUpperCase();
		const requestId = randomHex(16);
		const headers = { 'x-request-id': requestId };
		const route = this.route(method, req.url ?? '');
		if (route?.kind === 'deleteFile') {
			this.deleteRequestCounts.set(route.fileId!, this.deleteRequests(route.fileId!) + 1);
		}

		const decision = this.faults.decide(method, route?.fileId);
		if (decision.latencyMs > 0) await this.cloud.delay(decision.latencyMs);
		switch (decision.fault) {
			case 'drop':
				return dropConnection(req);
			case 'throttle':
				// Huawei's gateway sends no Retry-After with its 429.
				return send(res, {
					status: 429,
					headers,
					json: { error_code: 'APIGW.0308', error_msg: APIGW_THROTTLED_MSG, request_id: requestId },
				});
			case 'http500':
				return send(res, { status: 500, headers, json: { error_code: 'MSS.00000004', error_msg: 'Internal Error' } });
			case 'http503':
				return send(res, {
					status: 503,
					headers,
					json: { error_code: 'APIGW.0202', error_msg: 'Backend unavailable', request_id: requestId },
				});
			default:
				break;
		}
		if (decision.fault === 'slow') await this.cloud.delay(this.faults.slowMs);

		const answer = this.answerCloud(exchange, route, requestId);
		if (decision.fault === 'landedThenDrop') return dropConnection(req);
		send(res, { ...answer, headers: { ...(answer.headers ?? {}), ...headers } });
	}

	/** Matches the raw path segment by segment; each segment is percent-decoded once. */
	private route(method: string, target: string): Route | undefined {
		const { path } = splitTarget(target);
		const raw = path.split('/');
		if (raw[0] !== '' || raw[1] !== 'v1' || raw[3] !== 'files') return undefined;
		const segments = raw.map(tryDecode);
		// A malformed escape or an empty segment (a trailing or doubled slash): no such API.
		if (segments.slice(1).some((segment) => segment === undefined || segment === '')) return undefined;
		if (raw.length === 4 && method === 'GET') return { kind: 'listFiles', projectId: segments[2]! };
		if (raw.length === 5 && method === 'DELETE') {
			return { kind: 'deleteFile', projectId: segments[2]!, fileId: segments[4]! };
		}
		return undefined;
	}

	private answerCloud(exchange: Exchange, route: Route | undefined, requestId: string): Answer {
		const { req } = exchange;
		if (!route) {
			return {
				status: 404,
				json: {
					error_code: 'APIGW.0101',
					error_msg: 'The API does not exist or has not been published in the environment',
					request_id: requestId,
				},
			};
		}
		const auth = this.authenticate(exchange);
		if (!auth.ok) {
			const body = auth.answer.json as Record<string, unknown>;
			return { ...auth.answer, json: { ...body, request_id: requestId } };
		}
		const projectHeader = headerText(req.headers, 'x-project-id');
		if (route.projectId !== auth.projectId || (projectHeader !== '' && projectHeader !== route.projectId)) {
			return {
				status: 400,
				json: {
					error_code: 'MSS.00010009',
					error_msg: 'The project ID in the URL is inconsistent with the project ID of the token.',
				},
			};
		}
		const appUserId = req.headers['x-app-userid'];
		if (appUserId !== undefined && (Array.isArray(appUserId) || /[\u0000-\u001f\u007f\u3400-\u9fff\uf900-\ufaff]/.test(appUserId))) {
			return { status: 400, json: { error_code: 'MSS.00000003', error_msg: 'Invalid parameter: X-App-UserId' } };
		}

		if (route.kind === 'listFiles') {
			const query = new URLSearchParams(splitTarget(req.url ?? '').query);
			const offset = Math.max(0, Number(query.get('offset') ?? 0) || 0);
			const limit = Math.min(100, Math.max(1, Number(query.get('limit') ?? 10) || 10));
			const all = [...this.files];
			return {
				status: 200,
				json: {
					count: all.length,
					files: all.slice(offset, offset + limit).map((fileId) => ({
						file_id: fileId,
						file_name: `${fileId}.mp4`,
						file_type: 'VIDEO',
						state: 'NORMAL',
						create_time: '2026-03-30T14:21:58Z',
					})),
				},
			};
		}

		const fileId = route.fileId!;
		if (!this.files.has(fileId)) {
			// "Not found" is HTTP 400 with this code, not a 404.
			return { status: 400, json: { error_code: 'MSS.10001004', error_msg: 'The file not found' } };
		}
		this.files.delete(fileId);
		this.landed.set(fileId, this.deletesLanded(fileId) + 1);
		if (this.expireAfterDeletes !== undefined && --this.expireAfterDeletes <= 0) {
			this.expireAfterDeletes = undefined;
			this.expireAllTokens();
		}
		return { status: 200 };
	}

	/** The project the caller may act in, or the gateway's refusal. */
	private authenticate(exchange: Exchange): AuthResult {
		const { req, body } = exchange;
		const rawPath = req.url ?? '';
		const refuse = (status: number, error_code: string, error_msg: string, reason: string): AuthResult => {
			this.authFailures.push({ time: Date.now(), rawPath, reason });
			return { ok: false, answer: { status, json: { error_code, error_msg } } };
		};
		const badSignature = (reason: string) => refuse(401, 'APIGW.0301', APIGW_BAD_SIGNATURE_MSG, reason);

		const token = req.headers['x-auth-token'];
		if (token !== undefined) {
			const value = Array.isArray(token) ? token[0] : token;
			const issued = this.tokens.get(value);
			if (!issued || issued.expired || issued.expiresAt <= this.now()) {
				return refuse(401, 'APIGW.0307', 'The token must be updated.', issued ? 'token expired' : 'unknown token');
			}
			return { ok: true, projectId: issued.projectId, scheme: 'token' };
		}

		const authorization = headerText(req.headers, 'authorization');
		if (authorization === '') {
			return refuse(
				401,
				'APIGW.0301',
				'Incorrect IAM authentication information: Authorization header or X-Auth-Token not found',
				'no credentials',
			);
		}
		const parsed = /^SDK-HMAC-SHA256\s+Access=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-fA-F]+)\s*$/.exec(
			authorization,
		);
		if (!parsed) return badSignature('malformed Authorization header');
		const [, accessKey, signedHeaderList, signature] = parsed;
		if (accessKey !== this.options.accessKeyId) return badSignature('unknown access key');

		const signed = signedHeaderList.split(';');
		if (signed.some((name) => name === '' || name !== name.toLowerCase()) || new Set(signed).size !== signed.length) {
			return badSignature('malformed SignedHeaders');
		}
		for (const required of ['host', 'x-sdk-date']) {
			if (!signed.includes(required)) return badSignature(`${required} is not signed`);
		}
		const missing = signed.find((name) => req.headers[name] === undefined);
		if (missing !== undefined) return badSignature(`signed header ${missing} is missing`);
		for (const mustSign of ['x-app-userid', 'x-security-token']) {
			if (req.headers[mustSign] !== undefined && !signed.includes(mustSign)) {
				return badSignature(`${mustSign} is sent but not signed`);
			}
		}
		const securityToken = req.headers['x-security-token'];
		if (this.options.securityToken) {
			if (securityToken !== this.options.securityToken) return badSignature('security token missing or wrong');
		} else if (securityToken !== undefined) {
			return badSignature('security token sent for a permanent access key');
		}

		const date = headerText(req.headers, 'x-sdk-date');
		const sentAt = parseSdkDate(date);
		if (sentAt === undefined) return badSignature('malformed X-Sdk-Date');
		if (Math.abs(this.now() - sentAt) > MAX_CLOCK_SKEW_MS) {
			return refuse(401, 'APIGW.0301', APIGW_CLOCK_SKEW_MSG, 'clock skew over 15 minutes');
		}

		const expected = sdkSignature(
			{ method: req.method ?? '', rawPath, headers: req.headers, body, signedHeaders: signed },
			{ accessKeyId: this.options.accessKeyId, secretAccessKey: this.options.secretAccessKey },
		);
		if (expected !== signature.toLowerCase()) return badSignature('signature mismatch');
		return { ok: true, projectId: this.options.projectId, scheme: 'aksk' };
	}

	// ---- IAM ----

	private async handleIam(exchange: Exchange): Promise<void> {
		const { res } = exchange;
		if (this.record) this.iamRequests.push(recordOf(exchange));
		const requestId = randomHex(16);
		const answer = this.answerIam(exchange);
		send(res, { ...answer, headers: { ...(answer.headers ?? {}), 'x-request-id': requestId } });
	}

	private answerIam(exchange: Exchange): Answer {
		const { req, body } = exchange;
		const iamError = (code: number, title: string, message: string): Answer => ({
			status: code,
			json: { error: { code, message, title } },
		});
		const { path } = splitTarget(req.url ?? '');
		if (path !== '/v3/auth/tokens') return iamError(404, 'Not Found', 'The resource could not be found.');
		if ((req.method ?? '').toUpperCase() !== 'POST') {
			return iamError(405, 'Method Not Allowed', 'The method is not allowed for the requested URL.');
		}

		let auth: {
			identity?: { methods?: unknown; password?: { user?: { name?: unknown; password?: unknown; domain?: { name?: unknown } } } };
			scope?: { project?: { id?: unknown } };
		};
		try {
			auth = (JSON.parse(body) as { auth?: typeof auth }).auth ?? {};
		} catch {
			return iamError(400, 'Bad Request', 'The request body is not valid JSON.');
		}
		const methods = auth?.identity?.methods;
		const user = auth?.identity?.password?.user;
		if (!Array.isArray(methods) || !methods.includes('password') || typeof user !== 'object' || user === null) {
			return iamError(400, 'Bad Request', 'The request you have made requires authentication: identity is invalid.');
		}
		const expected = this.options.iamUser;
		if (
			!expected ||
			user.name !== expected.userName ||
			user.password !== expected.password ||
			user.domain?.name !== expected.domainName
		) {
			return iamError(401, 'Unauthorized', 'The username or password is wrong.');
		}
		const projectId = auth?.scope?.project?.id;
		if (projectId !== this.options.projectId) {
			return iamError(400, 'Bad Request', 'Invalid project ID: the project does not exist or does not belong to the account.');
		}

		const token = `MIIT${randomHex(4)}${Buffer.from(randomHex(96), 'hex').toString('base64url')}`;
		const issuedAt = this.now();
		const expiresAt = issuedAt + (this.options.tokenTtlMs ?? DEFAULT_TOKEN_TTL_MS);
		this.tokens.set(token, { projectId, expiresAt, expired: false });
		this.tokensIssued++;
		const domain = { name: expected.domainName, id: stableId(`domain:${expected.domainName}`) };
		return {
			status: 201,
			headers: { 'x-subject-token': token },
			json: {
				token: {
					expires_at: iamTime(expiresAt),
					issued_at: iamTime(issuedAt),
					methods: ['password'],
					project: { id: projectId, name: 'cn-north-4', domain },
					user: { id: stableId(`user:${expected.userName}`), name: expected.userName, domain, password_expires_at: '' },
					roles: [{ id: '0', name: 'op_gated_metastudio' }],
				},
			},
		};
	}
}

// ---- the signature oracle ----

export interface ReceivedSignedRequest {
	method: string;
	/** The request target as received (path and query, percent-encoded as sent). */
	rawPath: string;
	headers: http.IncomingHttpHeaders;
	/** The body as received ('' when none). */
	body: string;
	/** Lower-case names from the Authorization header's SignedHeaders. */
	signedHeaders: string[];
}

/**
 * The hex signature Huawei's SDK signer (`AKSKSigner.sign`) computes for a request as received:
 * - the date goes under the key exactly `X-Sdk-Date` (a lower-case key would make the SDK add a second
 *   date), the host header as received under `host`, and only the headers listed in SignedHeaders;
 * - the path is fed percent-DECODED (the SDK encodes each segment itself). When the stock SDK cannot
 *   see the decoded path as it is (a decoded segment holds a '/', or Node's legacy `url.parse`, which
 *   the SDK uses, would escape or cut a character such as a space, a quote, '?' or '#'), a subclass
 *   that hands the decoded segments straight to the SDK's own `urlEncode` is used instead;
 * - an empty body is omitted (`data` absent: the SDK then hashes the empty string); a JSON body is
 *   passed as the parsed value when `JSON.stringify` reproduces it exactly; any other body, or a signed
 *   `X-Sdk-Content-Sha256`, is hashed as the gateway would (the SDK reads that header itself).
 */
export function sdkSignature(
	request: ReceivedSignedRequest,
	keys: { accessKeyId: string; secretAccessKey: string },
): string {
	const { path, query } = splitTarget(request.rawPath);
	const segments = path.split('/').map((segment) => tryDecode(segment) ?? segment);
	const decodedPath = segments.join('/');

	const headers: Record<string, string> = {};
	for (const name of request.signedHeaders) {
		const value = headerText(request.headers, name);
		if (name === 'x-sdk-date') headers['X-Sdk-Date'] = value;
		else if (name === 'x-sdk-content-sha256') headers['X-Sdk-Content-Sha256'] = value;
		else headers[name] = value;
	}
	const host = headerText(request.headers, 'host');
	if (!request.signedHeaders.includes('host')) headers.host = host;

	const queryParams: Record<string, string | string[]> = {};
	for (const [key, value] of new URLSearchParams(query)) {
		const existing = queryParams[key];
		queryParams[key] = existing === undefined ? value : ([] as string[]).concat(existing, value);
	}

	const endpoint = `http://${host}${decodedPath}`;
	let data: unknown;
	let rawPayloadHash: string | undefined;
	if (request.body !== '' && headers['X-Sdk-Content-Sha256'] === undefined) {
		try {
			const parsed: unknown = JSON.parse(request.body);
			if (JSON.stringify(parsed) === request.body && parsed) data = parsed;
			else rawPayloadHash = createHash('sha256').update(request.body).digest('hex');
		} catch {
			rawPayloadHash = createHash('sha256').update(request.body).digest('hex');
		}
	}

	let stockSeesPath = !segments.some((segment) => segment.includes('/'));
	if (stockSeesPath) {
		try {
			stockSeesPath = legacyParseUrl(endpoint, true).pathname === decodedPath;
		} catch {
			stockSeesPath = false;
		}
	}
	const signer =
		stockSeesPath && rawPayloadHash === undefined
			? AKSKSigner
			: adaptedSigner(stockSeesPath ? undefined : segments, rawPayloadHash);

	const credential = { getAk: () => keys.accessKeyId, getSk: () => keys.secretAccessKey } as unknown as ICredential;
	const signed = signer.sign(
		{
			method: request.method,
			endpoint,
			queryParams: Object.keys(queryParams).length > 0 ? queryParams : undefined,
			headers,
			...(data === undefined ? {} : { data }),
		},
		credential,
	) as Record<string, string>;
	const match = /Signature=([0-9a-f]+)/.exec(signed.Authorization ?? '');
	if (!match) throw new Error('The SDK signer produced no signature');
	return match[1];
}

/** AKSKSigner with the canonical URI built from given decoded segments and/or a given payload hash. */
function adaptedSigner(segments: string[] | undefined, payloadHash: string | undefined): typeof AKSKSigner {
	return class AdaptedAKSKSigner extends AKSKSigner {
		protected static CanonicalURI(inputUri?: string): string | undefined {
			if (segments === undefined) return super.CanonicalURI(inputUri);
			const uri = segments.map((segment) => this.urlEncode(segment) as string).join('/');
			return uri.endsWith('/') ? uri : `${uri}/`;
		}

		protected static buildPayloadHash(request: Parameters<typeof AKSKSigner.sign>[0]): unknown {
			if (payloadHash === undefined) return super.buildPayloadHash(request);
			return payloadHash;
		}
	};
}

/** `YYYYMMDDTHHMMSSZ` → epoch ms, or undefined when malformed or not a real time. */
export function parseSdkDate(value: string): number | undefined {
	const at = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/.exec(value);
	if (!at) return undefined;
	const [year, month, day, hour, minute, second] = at.slice(1).map(Number);
	const time = Date.UTC(year, month - 1, day, hour, minute, second);
	const check = new Date(time);
	if (
		check.getUTCFullYear() !== year ||
		check.getUTCMonth() !== month - 1 ||
		check.getUTCDate() !== day ||
		check.getUTCHours() !== hour ||
		check.getUTCMinutes() !== minute ||
		check.getUTCSeconds() !== second
	) {
		return undefined;
	}
	return time;
}

/** IAM's time format: `2026-03-31T14:21:58.000000Z`. */
function iamTime(ms: number): string {
	return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

function stableId(seed: string): string {
	return createHash('sha256').update(seed).digest('hex').slice(0, 32);
}
