/**
 * An emulator of Huawei Cloud MetaStudio's media asset library behind Huawei's API gateway, and of
 * IAM's token endpoint (test-only code). Two servers on 127.0.0.1, each on a random port. It serves
 * only what MetaStudio's API reference documents (support.huaweicloud.com/intl/en-us/api-metastudio/).
 *
 * MetaStudio (`endpoint`), every answer with an `X-Request-Id` header (random hex), the foreign page's
 * excepted:
 * - ListAssets `GET /v1/{project_id}/digital-assets` → 200 `{ count, assets: [DigitalAssetInfo] }`,
 *   `count` = all that match, `assets` = the page at `offset` (default 0) of `limit` (1–100, default 10).
 *   Filters (all must hold): `name` (case-insensitive substring); `tag`: without `tag_combination_type`
 *   one tag, the whole value, exact; with `tag_combination_type=INTERSECTION` the comma-separated tags,
 *   every one, with `UNION_SET` any one; `asset_id`: exact IDs, both as repeated keys
 *   (`asset_id=a&asset_id=b`, as Huawei's SDK sends an array) and comma-separated (`asset_id=a,b`), also
 *   mixed, merged, empty items ignored; `start_time` / `end_time` (RFC 3339 UTC with `Z`, both
 *   inclusive, on create_time); `asset_type` and `asset_state` (comma-separated, any of; all states when
 *   absent); `asset_source` (CUSTOMIZATION default | SYSTEM | ALL). Order: `sort_key` create_time
 *   (default) | update_time | asset_order (seeding order), `sort_dir` asc (default) | desc; equal times
 *   fall back to seeding order, reversed too with desc. An empty value counts as absent; parameters the
 *   emulator does not implement are ignored; a repeated parameter (but `asset_id`) or a value out of
 *   range → 400 `MSS.00000003` "Invalid parameter: <name>".
 * - ShowAsset `GET /v1/{project_id}/digital-assets/{asset_id}` → 200 DigitalAssetInfo (see
 *   metaStudioAssets.ts; any state, DELETING and DELETED included).
 * - DeleteAsset `DELETE /v1/{project_id}/digital-assets/{asset_id}[?mode=force]` → 200, empty body.
 *   Without `mode`: to the recycle bin (DELETING, restorable); an asset already DELETING or DELETED is
 *   left as it is (200). `mode=force`: gone for good, its files too, from any state, DELETING included
 *   (that is how the bin is emptied early). Any other `mode` (also empty or repeated) → 400
 *   `MSS.00000003` "Invalid parameter: mode", checked before the asset is looked up. A SYSTEM asset →
 *   400 `MSS.00000003` (a tenant cannot delete Huawei's assets).
 * - RestoreAsset `POST /v1/{project_id}/digital-assets/{asset_id}/restore` → 200, empty body: a DELETING
 *   asset goes back to its state before the delete. Any body is accepted and ignored (the signature
 *   check still covers its hash). Restoring an asset NOT in the recycle bin is undocumented; the
 *   emulator refuses it with the error RestoreAsset's page documents, 400 `MSS.00000003` "Invalid
 *   parameter: the asset is not in the recycle bin" (`RESTORE_NOT_IN_RECYCLE_BIN`, the one place), so
 *   a restore retried after it landed is refused too.
 * - DeleteFile `DELETE /v1/{project_id}/files/{file_id}` → 200, empty body. Deletes a loose file
 *   (`files` option) or one listed in an asset's `files[]`, which then leaves that asset.
 * - BatchExecuteAssetAction `POST /v1/{project_id}/digital-assets/batch-action`, JSON
 *   `{ action, asset_ids, params? }` → 200 `{ results: [{ ret_status, asset_ids, error_info? }] }`: one
 *   SUCCESS group, then one FAILED group per distinct error code (metaStudioBatch.ts has the checks and
 *   the grouping). A malformed body, an unknown action, `asset_ids` missing, empty, not an array of
 *   non-empty strings or longer than `batchMaxAssetIds` (default 100; the real maximum is not
 *   documented), or a non-string `params` → 400 `MSS.00000003` "Invalid parameter: body | action |
 *   asset_ids | params", nothing done. Each distinct ID once, as the single-asset APIs would: DELETE as
 *   DeleteAsset without mode (already in the bin: success, no change), DELETE_FORCE as `mode=force`,
 *   RESTORE as RestoreAsset (not in the bin → FAILED `MSS.00000003`); ACTIVE / UNACTIVE per
 *   `activationOutcome` (metaStudioAssets.ts: UNACTIVED / ACTIVED only, any other state → FAILED
 *   `MSS.00000003` "… the asset state <S> does not allow <ACTION>"); SHARE / UNSHARE succeed and change
 *   nothing. An unknown ID → FAILED `MSS.10001001` "Asset not found"; a SYSTEM asset → FAILED
 *   `MSS.00000003` whatever the action. Landed changes count as their single-asset kinds (LandedCounts:
 *   recycleBin, force, restore; plus activate, deactivate), per asset in `changesLandedOn(id)`; processed
 *   requests in `stats().batchRequests`.
 * - CreateDigitalAsset `POST /v1/{project_id}/digital-assets`, JSON `{ asset_name, asset_type,
 *   asset_description?, tags? }` → 200 `{ asset_id, produce_id }` (32 hex each). Checked in that order,
 *   each refusal 400 `MSS.00000003` "Invalid parameter: <field>": a body not a JSON object (`body`);
 *   `asset_name` 1–256 characters; `asset_type` one of CREATABLE_ASSET_TYPES, VOICE_MODEL and
 *   HUMAN_MODEL_2D refused as "asset_type (ordinary users cannot create <type>)"; `asset_description`
 *   ≤ 4096; `tags` ≤ 50 strings of 1–128. Other fields are ignored. The asset is CREATING with no files
 *   (ListAssets and ShowAsset show it) until its MAIN file is confirmed, then `stateAfterMainFile`
 *   (default ACTIVED). `createdAssetIds()`, `createdAssets()`.
 * - CreateFile `POST /v1/{project_id}/files`, JSON `{ file_name (1–256), file_md5 (24 characters of
 *   base64), file_size (1 B–5 GiB, an integer), file_type (1–256), asset_id, asset_file_category (MAIN,
 *   COVER, PAGE, SAMPLE, OTHER, TEMPORARY, PACKAGE) }`, all required, checked in that order (400
 *   `MSS.00000003` naming the field) → then the asset: unknown → 400 `MSS.10001001`; DELETING, DELETED
 *   or SYSTEM → 400 `MSS.00000003` "asset_id (…)"; then the category its type takes, one MAIN per asset
 *   (one still being uploaded counts) and the main-file limits (metaStudioAssets.ts) → 400
 *   `MSS.00000003`. Answer 200 `{ file_id, upload_url }`: `upload_url` is the upload host's signed PUT
 *   URL for `uploadPathOf(…)`, valid UPLOAD_URL_TTL_MS (24 h) from now on the emulator's clock, requiring
 *   the Content-Type of the file name's extension (else of `file_type`) by `uploadContentTypeFor`. The
 *   file is CREATING and in no `files[]` (DeleteFile does not know it) until confirmed.
 * - ConfirmFileUpload `POST /v1/{project_id}/files/{file_id}/complete`, JSON `{ state }` → 200, empty
 *   body. `state` not CREATED, FAILED or CANCELLED → 400 `MSS.00000003` "Invalid parameter: state"; an
 *   unknown file, one dropped (FAILED or CANCELLED before) or whose asset was force-deleted → 400
 *   `MSS.10001004`. CREATED: the upload host must hold bytes at the file's path (`uploaded(path)`) of
 *   the declared size and MD5, else 400 `MSS.00000003` "Invalid parameter: file not uploaded" | "file
 *   size mismatch" | "md5 mismatch" (the file stays CREATING: upload again and confirm again); the
 *   asset DELETING or DELETED → 400 `MSS.00000003` "asset_id (…)". Accepted: the file joins `files[]`
 *   with its declared name, size, MD5, type and category, state CREATED and a `download_url` (the
 *   `downloadUrl` option's, else the upload host's signed GET URL of the bytes). CREATED again → 200, no
 *   change; FAILED or CANCELLED of a CREATED file → 400 `MSS.00000003` "state (the file is already
 *   CREATED)". FAILED / CANCELLED of a CREATING file → 200, the file is dropped. Each file's story:
 *   `fileUpload(id)` / `fileUploads(assetId?)`.
 * - UpdateDigitalAsset `PUT /v1/{project_id}/digital-assets/{asset_id}`, JSON with any of `asset_name`,
 *   `asset_description`, `tags` (the same limits as CreateDigitalAsset), `asset_state` (UNACTIVED |
 *   ACTIVED); absent or null fields are kept, others ignored; an empty body is `{}` → 200 the whole
 *   DigitalAssetInfo after the change. A bad field → 400 `MSS.00000003` naming it (checked before the
 *   asset); unknown asset → 400 `MSS.10001001`; DELETING, DELETED or SYSTEM → 400 `MSS.00000003`;
 *   `asset_state` from a state other than UNACTIVED / ACTIVED → 400 `MSS.00000003` "asset_state (the
 *   asset state <S> does not allow <T>)". `updatesLanded(id)` counts the calls that changed something.
 * - Unknown asset → **400** `MSS.10001001` "Asset not found"; unknown file → **400** `MSS.10001004`
 *   "The file not found" (not 404s).
 * - Any other path or method (`GET /v1/{project_id}/files` included: it is not documented; a trailing
 *   or doubled slash; APIs MetaStudio documents but the emulator does not serve) → 404 `APIGW.0101`
 *   (the gateway matches the API before authenticating).
 * Order per request: route → the foreign page switch → faults (faults.ts) → authentication → per-API
 * limit (when enforced) → project check → `X-App-UserId` check → the API.
 * Authentication, as the gateway does it (the same for every API):
 * - `X-Auth-Token`: a live token issued by the IAM emulator; unknown or expired → 401 `APIGW.0307`
 *   "The token must be updated."; a token of another project than the URL's → 400 `MSS.00010009`.
 * - AK/SK (`Authorization: SDK-HMAC-SHA256 Access=…, SignedHeaders=…, Signature=…`): the signature is
 *   recomputed with Huawei's own signer from `@huaweicloud/huaweicloud-sdk-core` (`AKSKSigner`), fed the
 *   request as received, the payload hash over the exact body bytes (see `sdkSignature`), so the
 *   emulator is an oracle independent of the package's signer. Wrong AK, bad signature (a body byte
 *   changed after signing included), malformed header, `host` / `x-sdk-date` not signed, a signed
 *   header missing, `X-App-UserId` / `X-Security-Token` present but unsigned, a wrong or missing security token
 *   (when one is configured; one sent while none is configured is refused too) → 401 `APIGW.0301`
 *   "Incorrect IAM authentication information: verify aksk signature fail". `X-Sdk-Date` more than 15
 *   minutes from the emulator's clock (`now()`, see the clock below) → 401 `APIGW.0301` with a
 *   clock-skew message. URL project (or a signed `X-Project-Id`) other than the configured one → 400
 *   `MSS.00010009`.
 * - Neither → 401 `APIGW.0301` (our guess at the gateway's text). When both are sent, the token is used.
 * `X-App-UserId` with Chinese or control characters → 400 `MSS.00000003` (the API forbids them).
 * Per-API limits (opt-in: `enforceApiLimits`, metaStudioLimits.ts): per tenant (one per emulator), by
 * `region`: ListAssets and ShowAsset 20/10/10 per s in cn-north-4/cn-east-3/ap-southeast-3, DeleteAsset,
 * RestoreAsset, DeleteFile, CreateDigitalAsset, CreateFile, ConfirmFileUpload and UpdateDigitalAsset
 * 10/5/5, BatchExecuteAssetAction 1 everywhere; a token bucket per API
 * (burst = the limit). Only authenticated requests take a token. Over it → 429 `APIGW.0308` "…limit:N, time:1 second" with `request_id` and NO
 * Retry-After; nothing is processed.
 * Faults (faults.ts) apply to MetaStudio only, never to IAM, to the methods in `faults.methods` (DELETE
 * by default; add 'POST' for BatchExecuteAssetAction and RestoreAsset, 'GET' for the reads): 429
 * `APIGW.0308` with NO Retry-After, 500 `MSS.00000004` "Internal Error", 503 `APIGW.0202` "Backend
 * unavailable" (the gateway's text; it documents that code with 502), drop (these four do nothing),
 * slow (processed late), landedThenDrop (processed, a whole batch included, then the socket dropped),
 * foreignPage (below). A `script` is keyed by the asset ID (ShowAsset, DeleteAsset, RestoreAsset,
 * UpdateDigitalAsset), the file ID (DeleteFile, ConfirmFileUpload), `createDigitalAssetFaultKey(name)`
 * (CreateDigitalAsset, by the body's `asset_name`), `createFileFaultKey(assetId)` (CreateFile, by the
 * body's `asset_id`), `listAssetsFaultKey(offset)` = `ListAssets?offset=<offset as sent, default 0>`
 * (ListAssets, so that one page of a listing can fail), or `batchActionFaultKey(n)` = `batch-action#<n>`
 * for the n-th BatchExecuteAssetAction request (1-based, counted at arrival whatever its outcome, since
 * the faults were last set; not by asset ID, so a batch's script never mixes with its IDs' own).
 * `faultNext(api, kind, times)` queues faults for the next requests of one API whatever their method or
 * ID (played before the configuration's; `setFaults` forgets them): `faultNext('CreateDigitalAsset',
 * 'landedThenDrop')` creates the asset and loses the answer. `requestCounts()` counts requests per API.
 * The upload host (`uploadHost`, fileHost.ts) has its own upload faults (`faultUpload`).
 * A foreign page in MetaStudio's place (a captive portal, a proxy): the `foreignPage` fault (for one
 * scripted or random request of an affected method) or the `foreignPage` switch (option and property:
 * every MetaStudio request, any path or method, before routing's answers) → HTTP 200 `text/html`
 * FOREIGN_PAGE_HTML, WITHOUT `X-Request-Id`; nothing is done (counted in `stats().foreignPages`).
 * Assets are seeded with `assets` (AssetSeed: every field has a default; `generateAssets(n)` makes n)
 * or `addAsset`; `setAssetState(id, state)` changes one at run time (update_time = now, not counted as
 * landed). Lifecycle decisions the documentation leaves open are listed in metaStudioAssets.ts. Every
 * change sets update_time to the emulator's clock in whole seconds. A file seeded without `download_url`
 * is served the `downloadUrl` option's URL (asked on every read, so each read may hand out a fresh signed
 * URL of a file host, fileHost.ts), or by default an OBS-style URL valid 24 h that nothing serves.
 * The clock: `now()` = `clock() + clockOffsetMs`; `clock` is the `now` option (default Date.now);
 * `freezeClock(at?)`, `advanceClock(ms)`, `unfreezeClock()` control it. It stamps asset times, token
 * lifetimes and is what X-Sdk-Date is checked against (so keep it within 15 minutes of the machine's
 * clock when requests are signed with the machine's time); the per-API limits run on the machine's
 * (or on the `limitsClock` option).
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

import type { FaultConfig, FaultKind } from './faults';
import { FaultInjector, FOREIGN_PAGE_HTML } from './faults';
import type { UploadedObject } from './fileHost';
import { FileHost, uploadContentTypeFor } from './fileHost';
import type { Answer, Exchange, RecordedRequest } from './http';
import { dropConnection, headerText, LocalServer, randomHex, recordOf, send, splitTarget, tryDecode } from './http';
import type { BatchAction, BatchErrorInfo } from './metaStudioBatch';
import { batchActionFaultKey, DEFAULT_BATCH_MAX_ASSET_IDS, groupResults, parseBatchBody } from './metaStudioBatch';
import type {
	AssetSeed,
	AssetState,
	CreateFileRequest,
	DeleteMode,
	DigitalAssetInfo,
	DownloadUrlFor,
	TimeInput,
} from './metaStudioAssets';
import {
	AssetLibrary,
	changeRefusal,
	fileRefusal,
	parseCreateAssetBody,
	parseCreateFileBody,
	parseListAssetsQuery,
	parseUpdateAssetBody,
} from './metaStudioAssets';
import type { MetaStudioApi, MetaStudioRegion } from './metaStudioLimits';
import { ApiLimiter, apiLimitsFor, DEFAULT_REGION, METASTUDIO_APIS, throttledMessage } from './metaStudioLimits';

export type { AssetFileInfo, AssetFileSeed, AssetSeed, AssetState, AssetType, DigitalAssetInfo, DownloadUrlFor, GenerateAssetsOptions } from './metaStudioAssets';
export type { CreateFileRequest, FileCategory } from './metaStudioAssets';
export {
	ACTIVATION_STATES,
	activationOutcome,
	ASSET_STATES,
	ASSET_TYPES,
	CREATABLE_ASSET_TYPES,
	FILE_CATEGORIES_BY_TYPE,
	generateAssets,
	MAIN_FILE_LIMITS,
	RESTRICTED_ASSET_TYPES,
} from './metaStudioAssets';
export type { UploadedObject } from './fileHost';
export type { AssetActionResult, BatchAction } from './metaStudioBatch';
export { BATCH_ACTIONS, batchActionFaultKey, DEFAULT_BATCH_MAX_ASSET_IDS } from './metaStudioBatch';
export { FOREIGN_PAGE_HTML } from './faults';
export type { MetaStudioApi, MetaStudioRegion } from './metaStudioLimits';
export { apiLimitsFor, METASTUDIO_APIS } from './metaStudioLimits';

export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;
export const DEFAULT_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;

export const APIGW_BAD_SIGNATURE_MSG = 'Incorrect IAM authentication information: verify aksk signature fail';
export const APIGW_CLOCK_SKEW_MSG =
	'Incorrect IAM authentication information: verify aksk signature fail, the X-Sdk-Date header differs from the server time by more than 15 minutes';
export const APIGW_THROTTLED_MSG =
	'The throttling threshold has been reached: policy user over ratelimit, limit:5, time:1 second';

const invalidParameter = (detail: string): Answer => ({
	status: 400,
	json: { error_code: 'MSS.00000003', error_msg: `Invalid parameter: ${detail}` },
});

const ASSET_NOT_FOUND: Answer = { status: 400, json: { error_code: 'MSS.10001001', error_msg: 'Asset not found' } };

const FILE_NOT_FOUND: Answer = { status: 400, json: { error_code: 'MSS.10001004', error_msg: 'The file not found' } };

/** RestoreAsset of an asset that is not DELETING: undocumented; answered with the error RestoreAsset documents. */
export const RESTORE_NOT_IN_RECYCLE_BIN: Answer = invalidParameter('the asset is not in the recycle bin');

/** DeleteAsset of a SYSTEM asset: a tenant may not delete Huawei's own assets. */
const SYSTEM_ASSET_NOT_DELETABLE: Answer = invalidParameter('asset_id (a system asset cannot be deleted)');

/** The errors BatchExecuteAssetAction lists in a FAILED group. */
const errorInfo = (answer: Answer): BatchErrorInfo => answer.json as BatchErrorInfo;
const BATCH_SYSTEM_ASSET = errorInfo(invalidParameter('asset_ids (a system asset cannot be changed)'));
const batchStateNotAllowed = (state: AssetState, action: BatchAction): BatchErrorInfo =>
	errorInfo(invalidParameter(`asset_ids (the asset state ${state} does not allow ${action})`));

/** The fault-script key of a ListAssets request: its `offset` as sent ('0' when absent). */
export function listAssetsFaultKey(offset: number | string = 0): string {
	return `ListAssets?offset=${offset}`;
}

/** The fault-script key of a CreateDigitalAsset request: its body's `asset_name` as sent ('' when none). */
export function createDigitalAssetFaultKey(assetName: string): string {
	return `CreateDigitalAsset:${assetName}`;
}

/** The fault-script key of a CreateFile request: its body's `asset_id` as sent ('' when none). */
export function createFileFaultKey(assetId: string): string {
	return `CreateFile:${assetId}`;
}

/** Where the emulator asks its upload host to take a file's bytes (the path of its `upload_url`). */
export function uploadPathOf(file: { projectId: string; assetId: string; fileId: string; fileName: string }): string {
	return `/metastudio-upload/${file.projectId}/${file.assetId}/${file.fileId}/${file.fileName}`;
}

/** How long an `upload_url` works, on the emulator's clock. */
export const UPLOAD_URL_TTL_MS = 24 * 60 * 60 * 1000;

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
	/** Loose files (in no asset) that DeleteFile can delete. */
	files?: string[];
	/** Assets to seed, in this order (see AssetSeed; `generateAssets(n)` makes n). */
	assets?: AssetSeed[];
	/** The region whose per-API limits apply (and that download URLs name). Default cn-north-4. */
	region?: MetaStudioRegion;
	/** Enforce the region's per-API limits (429 `APIGW.0308`). Default false, so fast tests stay fast. */
	enforceApiLimits?: boolean;
	/** Per-API limits (requests per second) that replace the region's, when enforced. */
	apiLimits?: Partial<Record<MetaStudioApi, number>>;
	/**
	 * The clock the per-API buckets run on (default Date.now, which the node's pacing answers to). A
	 * test that counts refusals passes one it moves itself, so a slow machine refills no bucket.
	 */
	limitsClock?: () => number;
	/** The IAM user that may get tokens; without it every token request gets 401. */
	iamUser?: IamUser;
	faults?: FaultConfig;
	/** The emulator's clock runs this far ahead of `now` (negative: behind). Default 0. */
	clockOffsetMs?: number;
	/** The clock under `clockOffsetMs` (default Date.now); see `freezeClock` / `advanceClock`. */
	now?: () => number;
	/** The most `asset_ids` one BatchExecuteAssetAction takes (default 100; the real one is not documented). */
	batchMaxAssetIds?: number;
	/** Start with the foreign page switched on (see `foreignPage`). Default false. */
	foreignPage?: boolean;
	/** How long an issued token lives on the emulator's clock (default 24 h). */
	tokenTtlMs?: number;
	/** Keep logs of every request in `requests` / `iamRequests`. Default true. */
	record?: boolean;
	/**
	 * The `download_url` of every file seeded without one, asked afresh whenever an asset is viewed
	 * (ShowAsset, ListAssets, also `asset()` and what `addAsset` returns), e.g. a FileHost's `url()`;
	 * undefined (or no option): the default OBS-style URL.
	 */
	downloadUrl?: DownloadUrlFor;
	/**
	 * Where CreateFile's `upload_url`s point and what ConfirmFileUpload asks (`uploaded(path)`): a file
	 * host the test started (its clock then decides when upload URLs expire). Default: one the emulator
	 * starts on its own port, on the emulator's clock, reset and stopped with it (`uploadHost`).
	 */
	uploadHost?: FileHost;
	/** The state a CREATING asset takes when its MAIN file is confirmed (default ACTIVED). */
	stateAfterMainFile?: 'ACTIVED' | 'UNACTIVED';
	/** Check a MAIN file's type and size against its asset type (MAIN_FILE_LIMITS). Default true. */
	mainFileLimits?: boolean;
}

export type FileUploadState = 'CREATING' | 'CREATED' | 'FAILED' | 'CANCELLED';

/** A file made by CreateFile, as the emulator follows it. */
export interface FileUpload extends CreateFileRequest {
	file_id: string;
	/** CREATING until confirmed; CREATED (in the asset's files[]); FAILED or CANCELLED (dropped). */
	state: FileUploadState;
	/** The upload host's path for its bytes (see `uploadPathOf`). */
	uploadPath: string;
	upload_url: string;
	/** When `upload_url` stops working, on the emulator's clock (ms). */
	uploadUrlExpiresAt: number;
	/** What the upload host holds at `uploadPath` now (undefined: nothing arrived). */
	uploaded?: UploadedObject;
	/** ConfirmFileUpload requests processed for it, in order, with the HTTP status each got. */
	confirmations: Array<{ state: string; status: number }>;
}


/** A MetaStudio request as received. */
export interface MetaStudioRequest extends RecordedRequest {
	/** The API the method and path matched; undefined when none did (answered 404). */
	api?: MetaStudioApi;
	/** The raw path without the query. */
	path: string;
	/** The raw query (without '?'), '' when none. */
	rawQuery: string;
	/** The query decoded; a repeated name keeps its last value (see `rawQuery` for all). */
	query: Record<string, string>;
}

export interface MetaStudioStats {
	/** DeleteFile calls that removed a file. */
	deletesLanded: number;
	/** DeleteAsset calls and batch DELETEs that moved an asset to the recycle bin (per asset ID). */
	recycleBinDeletesLanded: number;
	/** DeleteAsset `mode=force` calls and batch DELETE_FORCEs that removed an asset (per asset ID). */
	forceDeletesLanded: number;
	/** RestoreAsset calls and batch RESTOREs that restored an asset. */
	restoresLanded: number;
	/** Batch ACTIVEs that took an asset to ACTIVED (per asset ID). */
	activatesLanded: number;
	/** Batch UNACTIVEs that took an asset to UNACTIVED (per asset ID). */
	deactivatesLanded: number;
	/** BatchExecuteAssetAction requests processed (a 200 with results, or processed then dropped). */
	batchRequests: number;
	/** Requests answered by the foreign page (the `foreignPage` switch or fault). */
	foreignPages: number;
	/** Every 429: faults and per-API limits. */
	throttled: number;
	/** 429s from the per-API limits only. */
	apiLimited: number;
	requests: number;
	maxInFlight: number;
	tokensIssued: number;
	authFailures: number;
	/** CreateDigitalAsset calls that created an asset. */
	assetsCreated: number;
	/** CreateFile calls that made a file. */
	filesCreated: number;
	/** ConfirmFileUpload CREATED calls that added a file to its asset. */
	filesConfirmed: number;
	/** UpdateDigitalAsset calls that changed an asset. */
	updatesLanded: number;
}

/** Changes that landed, per kind; batch actions count once per asset they changed. */
export interface LandedCounts {
	deleteFile: number;
	/** DeleteAsset without mode, batch DELETE. */
	recycleBin: number;
	/** DeleteAsset mode=force, batch DELETE_FORCE. */
	force: number;
	/** RestoreAsset, batch RESTORE. */
	restore: number;
	/** Batch ACTIVE (UNACTIVED → ACTIVED). */
	activate: number;
	/** Batch UNACTIVE (ACTIVED → UNACTIVED). */
	deactivate: number;
}

type AssetChange = Exclude<keyof LandedCounts, 'deleteFile'>;

interface IssuedToken {
	projectId: string;
	expiresAt: number;
	expired: boolean;
}

type AuthResult = { ok: true; projectId: string; scheme: 'token' | 'aksk' } | { ok: false; answer: Answer };

type Route =
	| { api: 'ListAssets'; projectId: string }
	| { api: 'ShowAsset' | 'DeleteAsset' | 'RestoreAsset'; projectId: string; assetId: string }
	| { api: 'DeleteFile'; projectId: string; fileId: string }
	| { api: 'BatchExecuteAssetAction'; projectId: string; ordinal: number }
	| { api: 'CreateDigitalAsset' | 'CreateFile'; projectId: string }
	| { api: 'ConfirmFileUpload'; projectId: string; fileId: string }
	| { api: 'UpdateDigitalAsset'; projectId: string; assetId: string };

export class MetaStudioEmulator {
	/** `http://127.0.0.1:<port>` (MetaStudio) */
	readonly endpoint: string;

	/** `http://127.0.0.1:<port>` (IAM) */
	readonly iamEndpoint: string;

	readonly accessKeyId: string;

	readonly projectId: string;

	readonly region: MetaStudioRegion;

	/** MetaStudio requests, in arrival order. */
	readonly requests: MetaStudioRequest[] = [];

	/** IAM requests, in arrival order (their bodies hold the password). */
	readonly iamRequests: RecordedRequest[] = [];

	/** Why each refused AK/SK or token request was refused (for debugging a failing test). */
	readonly authFailures: Array<{ time: number; rawPath: string; reason: string }> = [];

	/** Tokens issued by the IAM emulator so far. */
	tokensIssued = 0;

	/** The emulator's clock is `clock() + clockOffsetMs` (for clock-skew tests). */
	clockOffsetMs: number;

	/** The clock under `clockOffsetMs` (default Date.now; `freezeClock` replaces it). */
	clock: () => number;

	/** The most `asset_ids` one BatchExecuteAssetAction takes; more → 400 "Invalid parameter: asset_ids". */
	batchMaxAssetIds: number;

	/**
	 * While true, every MetaStudio request (any path or method) is answered by a foreign page: HTTP 200,
	 * `text/html`, FOREIGN_PAGE_HTML, no `X-Request-Id`; nothing is done. IAM is not affected.
	 */
	foreignPage: boolean;

	record: boolean;

	private readonly library: AssetLibrary;

	private readonly landed = new Map<string, number>();

	private readonly deleteRequestCounts = new Map<string, number>();

	private readonly assetLanded: Record<AssetChange, Map<string, number>> = {
		recycleBin: new Map(),
		force: new Map(),
		restore: new Map(),
		activate: new Map(),
		deactivate: new Map(),
	};

	/** Changes landed per asset: every AssetChange, plus DeleteFile of one of its files. */
	private readonly changesOn = new Map<string, number>();

	/** BatchExecuteAssetAction requests routed since the faults were set (their fault-script ordinal). */
	private batchArrivals = 0;

	private batchProcessed = 0;

	private foreignPagesServed = 0;

	private readonly tokens = new Map<string, IssuedToken>();

	private readonly faults = new FaultInjector();

	private limiter?: ApiLimiter;

	private apiLimitOverrides: Partial<Record<MetaStudioApi, number>>;

	private expireAfterDeletes: number | undefined;

	/** Where upload URLs point (see the `uploadHost` option). */
	readonly uploadHost: FileHost;

	/** Whether the upload host is the emulator's own (reset and stopped with it). */
	private readonly ownsUploadHost: boolean;

	private readonly created: string[] = [];

	private readonly uploads = new Map<string, FileUpload>();

	private readonly updates = new Map<string, number>();

	private readonly routedCounts = new Map<MetaStudioApi, number>();

	private filesConfirmedCount = 0;

	private constructor(
		private readonly cloud: LocalServer,
		private readonly iam: LocalServer,
		private readonly options: MetaStudioOptions,
		uploadHost: { host: FileHost; owned: boolean },
	) {
		this.uploadHost = uploadHost.host;
		this.ownsUploadHost = uploadHost.owned;
		this.endpoint = cloud.origin;
		this.iamEndpoint = iam.origin;
		this.accessKeyId = options.accessKeyId;
		this.projectId = options.projectId;
		this.region = options.region ?? DEFAULT_REGION;
		this.clockOffsetMs = options.clockOffsetMs ?? 0;
		this.clock = options.now ?? Date.now;
		this.batchMaxAssetIds = options.batchMaxAssetIds ?? DEFAULT_BATCH_MAX_ASSET_IDS;
		this.foreignPage = options.foreignPage ?? false;
		this.record = options.record ?? true;
		this.library = new AssetLibrary({
			projectId: options.projectId,
			region: this.region,
			now: () => this.now(),
			downloadUrl: options.downloadUrl,
			uploadedUrl: (fileId) => this.uploadedUrl(fileId),
		});
		for (const id of options.files ?? []) this.library.addFile(id);
		for (const seed of options.assets ?? []) this.library.add(seed);
		this.faults.set(options.faults ?? {});
		this.apiLimitOverrides = { ...(options.apiLimits ?? {}) };
		if (options.enforceApiLimits) this.setApiLimits(true);
	}

	static async start(options: MetaStudioOptions): Promise<MetaStudioEmulator> {
		if (!options?.accessKeyId || !options.secretAccessKey || !options.projectId) {
			throw new Error('MetaStudioEmulator.start needs accessKeyId, secretAccessKey and projectId');
		}
		if (options.region !== undefined) apiLimitsFor(options.region);
		const ref: { emulator?: MetaStudioEmulator } = {};
		const cloud = await LocalServer.start((exchange) => ref.emulator!.handleCloud(exchange));
		let iam: LocalServer;
		let uploadHost: FileHost;
		try {
			iam = await LocalServer.start((exchange) => ref.emulator!.handleIam(exchange));
		} catch (error) {
			await cloud.stop();
			throw error;
		}
		try {
			uploadHost = options.uploadHost ?? (await FileHost.start({ now: () => ref.emulator?.now() ?? Date.now() }));
		} catch (error) {
			await Promise.all([cloud.stop(), iam.stop()]);
			throw error;
		}
		const owned = options.uploadHost === undefined;
		try {
			ref.emulator = new MetaStudioEmulator(cloud, iam, options, { host: uploadHost, owned });
		} catch (error) {
			await Promise.all([cloud.stop(), iam.stop(), owned ? uploadHost.stop() : undefined]);
			throw error;
		}
		return ref.emulator;
	}

	/**
	 * The emulator's clock: asset times (create_time of seeds, update_time of changes), token lifetimes
	 * and the X-Sdk-Date check use it. The per-API limits' buckets run on the machine's clock.
	 */
	now(): number {
		return this.clock() + this.clockOffsetMs;
	}

	/**
	 * Stops the clock at `at` (default: now). Keep it within 15 minutes of the machine's clock, or
	 * signatures dated by the machine's clock are refused as skewed.
	 */
	freezeClock(at: TimeInput = this.now()): void {
		const ms = at instanceof Date ? at.getTime() : typeof at === 'number' ? at : Date.parse(at);
		if (!Number.isFinite(ms)) throw new Error(`freezeClock: not a time: ${String(at)}`);
		this.clockOffsetMs = 0;
		this.clock = () => ms;
	}

	/** Moves the clock on by `ms` (a frozen clock stays frozen, at the later time). */
	advanceClock(ms: number): void {
		this.clockOffsetMs += ms;
	}

	/** Back to the machine's clock (offset 0). */
	unfreezeClock(): void {
		this.clock = Date.now;
		this.clockOffsetMs = 0;
	}

	// ---- the file store ----

	/** Adds a loose file (in no asset). */
	addFile(id: string): void {
		this.library.addFile(id);
	}

	/** Whether DeleteFile would find this file (loose or in an asset). */
	hasFile(id: string): boolean {
		return this.library.hasFile(id);
	}

	/** Loose files, then every asset's files. */
	fileIds(): string[] {
		return this.library.fileIds();
	}

	// ---- the asset library ----

	/** Seeds one asset (defaults for every omitted field) and returns it as served. */
	addAsset(seed: AssetSeed = {}): DigitalAssetInfo {
		return this.library.add(seed);
	}

	addAssets(seeds: AssetSeed[]): DigitalAssetInfo[] {
		return seeds.map((seed) => this.library.add(seed));
	}

	/** The asset as ShowAsset would answer it now; undefined once unknown (never seeded or force-deleted). */
	asset(id: string): DigitalAssetInfo | undefined {
		return this.library.view(id);
	}

	/** Every asset (all sources, all states) in seeding order. */
	assets(): DigitalAssetInfo[] {
		return this.library.all();
	}

	/** Whether the asset exists in any state (false once force-deleted). */
	hasAsset(id: string): boolean {
		return this.library.has(id);
	}

	assetState(id: string): DigitalAssetInfo['asset_state'] | undefined {
		return this.library.view(id)?.asset_state;
	}

	/**
	 * A test's hand (no API, not counted as a landed change): puts the asset in `state` and sets its
	 * update_time to the emulator's clock; into DELETING it remembers the state to restore. Throws for
	 * an unknown asset.
	 */
	setAssetState(id: string, state: AssetState): DigitalAssetInfo {
		if (!this.library.setState(id, state)) throw new Error(`Asset ${id} is not seeded`);
		return this.library.view(id)!;
	}

	/** As if the seven days had passed: every DELETING asset becomes DELETED (no longer restorable). */
	expireRecycleBin(): string[] {
		return this.library.expireRecycleBin();
	}

	// ---- creation and uploads ----

	/** Every asset_id CreateDigitalAsset created, in order, those deleted since included. */
	createdAssetIds(): string[] {
		return [...this.created];
	}

	/** The assets CreateDigitalAsset created that still exist (any state), as ShowAsset would answer them. */
	createdAssets(): DigitalAssetInfo[] {
		return this.created.flatMap((id) => this.library.view(id) ?? []);
	}

	/** A file made by CreateFile, with what its upload host holds now; undefined when unknown. */
	fileUpload(fileId: string): FileUpload | undefined {
		const upload = this.uploads.get(fileId);
		if (!upload) return undefined;
		const uploaded = this.uploadHost.uploaded(upload.uploadPath);
		return { ...upload, confirmations: [...upload.confirmations], ...(uploaded ? { uploaded } : {}) };
	}

	/** Every file made by CreateFile, in order (those FAILED or CANCELLED included); of one asset when given. */
	fileUploads(assetId?: string): FileUpload[] {
		return [...this.uploads.keys()]
			.map((fileId) => this.fileUpload(fileId)!)
			.filter((upload) => assetId === undefined || upload.asset_id === assetId);
	}

	/** UpdateDigitalAsset calls of this asset that changed it. */
	updatesLanded(id: string): number {
		return this.updates.get(id) ?? 0;
	}

	/**
	 * Requests that matched each API, counted at arrival whatever their outcome (faults, refusals and 429s
	 * included), also with `record: false`.
	 */
	requestCounts(): Record<MetaStudioApi, number> {
		return Object.fromEntries(METASTUDIO_APIS.map((api) => [api, this.routedCounts.get(api) ?? 0])) as Record<
			MetaStudioApi,
			number
		>;
	}

	/**
	 * The next `times` (default 1) requests to `api` get `kind`, whatever their method, ID or the fault
	 * configuration (e.g. `faultNext('CreateDigitalAsset', 'landedThenDrop')`: the asset is created, the
	 * answer lost). `setFaults` and `reset` forget them.
	 */
	faultNext(api: MetaStudioApi, kind: FaultKind, times = 1): void {
		this.faults.queueNext(api, Array.from({ length: times }, () => kind));
	}

	// ---- counters ----

	/** DeleteFile calls of this ID that really removed the file. */
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

	/** DeleteAsset calls of this asset that changed something (one mode, or both when omitted). */
	assetDeletesLanded(id: string, mode?: DeleteMode): number {
		const count = (which: DeleteMode) => this.assetLanded[which].get(id) ?? 0;
		return mode === undefined ? count('recycleBin') + count('force') : count(mode);
	}

	/** RestoreAsset calls and batch RESTOREs of this asset that restored it. */
	restoresLanded(id: string): number {
		return this.assetLanded.restore.get(id) ?? 0;
	}

	/** Batch ACTIVEs (`active` true) or UNACTIVEs of this asset that changed its state; both when omitted. */
	activationsLanded(id: string, active?: boolean): number {
		const count = (which: 'activate' | 'deactivate') => this.assetLanded[which].get(id) ?? 0;
		return active === undefined ? count('activate') + count('deactivate') : count(active ? 'activate' : 'deactivate');
	}

	/**
	 * How many changes landed on this asset, by any API: recycle-bin and force deletes, restores,
	 * activations and deactivations (single or batch), DeleteFile of one of its files, UpdateDigitalAsset
	 * calls that changed it and ConfirmFileUpload CREATED of one of its files (its creation is not counted). A request
	 * that changed nothing is not counted; neither are `setAssetState` and `expireRecycleBin`.
	 */
	changesLandedOn(id: string): number {
		return this.changesOn.get(id) ?? 0;
	}

	/** `changesLandedOn` for every asset changed at least once. */
	changesLanded(): ReadonlyMap<string, number> {
		return new Map(this.changesOn);
	}

	/** BatchExecuteAssetAction requests processed (see MetaStudioStats.batchRequests). */
	get batchRequests(): number {
		return this.batchProcessed;
	}

	/** Totals of the calls that changed something, per kind. */
	landedCounts(): LandedCounts {
		const sum = (map: Map<string, number>) => [...map.values()].reduce((total, count) => total + count, 0);
		return {
			deleteFile: sum(this.landed),
			recycleBin: sum(this.assetLanded.recycleBin),
			force: sum(this.assetLanded.force),
			restore: sum(this.assetLanded.restore),
			activate: sum(this.assetLanded.activate),
			deactivate: sum(this.assetLanded.deactivate),
		};
	}

	/** Recorded requests that matched this API. */
	requestsTo(api: MetaStudioApi): MetaStudioRequest[] {
		return this.requests.filter((request) => request.api === api);
	}

	/** What a Huawei AK/SK credential (n8n's `huaweiCloudAkSkApi`) holds to reach this emulator. */
	akSkCredential(region = 'cn-north-4'): Record<string, string> {
		return {
			accessKeyId: this.options.accessKeyId,
			secretAccessKey: this.options.secretAccessKey,
			securityToken: this.options.securityToken ?? '',
			region,
			projectId: this.options.projectId,
			endpoint: this.endpoint,
		};
	}

	get maxInFlight(): number {
		return this.cloud.maxInFlight;
	}

	get inFlight(): number {
		return this.cloud.inFlight;
	}

	/** Every 429 so far: faults (scripted, random, `faults.rateLimit`) and per-API limits. */
	get throttled(): number {
		return this.faults.throttled + (this.limiter?.totalLimited ?? 0);
	}

	/** 429s from the per-API limits, per API. */
	get apiLimited(): Readonly<Record<MetaStudioApi, number>> {
		const counts = { ...(this.limiter?.limited ?? {}) } as Record<MetaStudioApi, number>;
		for (const api of METASTUDIO_APIS) counts[api] ??= 0;
		return counts;
	}

	/** The per-API limits in force (requests per second), or undefined when not enforced. */
	get apiLimits(): Readonly<Record<MetaStudioApi, number>> | undefined {
		return this.limiter?.limits;
	}

	get faultsInjected(): Readonly<Record<string, number>> {
		return { ...this.faults.injected };
	}

	stats(): MetaStudioStats {
		const landed = this.landedCounts();
		return {
			deletesLanded: landed.deleteFile,
			recycleBinDeletesLanded: landed.recycleBin,
			forceDeletesLanded: landed.force,
			restoresLanded: landed.restore,
			activatesLanded: landed.activate,
			deactivatesLanded: landed.deactivate,
			batchRequests: this.batchProcessed,
			foreignPages: this.foreignPagesServed,
			throttled: this.throttled,
			apiLimited: this.limiter?.totalLimited ?? 0,
			requests: this.cloud.received,
			maxInFlight: this.cloud.maxInFlight,
			tokensIssued: this.tokensIssued,
			authFailures: this.authFailures.length,
			assetsCreated: this.created.length,
			filesCreated: this.uploads.size,
			filesConfirmed: this.filesConfirmedCount,
			updatesLanded: [...this.updates.values()].reduce((total, count) => total + count, 0),
		};
	}

	// ---- tokens ----

	/** Every token issued so far now answers 401 `APIGW.0307`; tokens issued later are fine. */
	expireAllTokens(): void {
		for (const token of this.tokens.values()) token.expired = true;
	}

	/**
	 * Expires all tokens once this many more deletes (DeleteFile, DeleteAsset either mode, or a batch
	 * DELETE / DELETE_FORCE, counted per asset it deleted) have landed.
	 */
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

	/**
	 * Replaces the faults; the ordinal of `batchActionFaultKey(n)` starts again at 1; faults queued with
	 * `faultNext` are forgotten.
	 */
	setFaults(faults: FaultConfig): void {
		this.faults.set(faults);
		this.batchArrivals = 0;
	}

	/**
	 * Turns the per-API limits on (buckets start full) or off. `overrides` replace the region's limits
	 * for some APIs (kept for later calls when omitted).
	 */
	setApiLimits(enabled: boolean, overrides?: Partial<Record<MetaStudioApi, number>>): void {
		if (overrides) this.apiLimitOverrides = { ...overrides };
		this.limiter = enabled
			? new ApiLimiter({ ...apiLimitsFor(this.region), ...this.apiLimitOverrides }, this.options.limitsClock)
			: undefined;
	}

	/**
	 * Forgets files, assets, counters (the batch ordinal too), recorded requests, tokens, faults, the
	 * foreign page switch, created assets and file uploads (and everything on the emulator's own upload
	 * host); refills the per-API buckets. The clock and `batchMaxAssetIds` stay.
	 */
	reset(): void {
		this.library.clear();
		this.landed.clear();
		this.deleteRequestCounts.clear();
		for (const map of Object.values(this.assetLanded)) map.clear();
		this.changesOn.clear();
		this.batchArrivals = 0;
		this.batchProcessed = 0;
		this.foreignPagesServed = 0;
		this.foreignPage = false;
		this.requests.length = 0;
		this.iamRequests.length = 0;
		this.authFailures.length = 0;
		this.tokens.clear();
		this.tokensIssued = 0;
		this.expireAfterDeletes = undefined;
		this.cloud.resetCounters();
		this.iam.resetCounters();
		this.faults.set({});
		if (this.limiter) this.setApiLimits(true);
		this.created.length = 0;
		this.uploads.clear();
		this.updates.clear();
		this.routedCounts.clear();
		this.filesConfirmedCount = 0;
		if (this.ownsUploadHost) this.uploadHost.reset();
	}

	async stop(): Promise<void> {
		await Promise.all([this.cloud.stop(), this.iam.stop(), this.ownsUploadHost ? this.uploadHost.stop() : undefined]);
	}

	// ---- MetaStudio ----

	private async handleCloud(exchange: Exchange): Promise<void> {
		const { req, res } = exchange;
		const method = (req.method ?? '').toUpperCase();
		const target = req.url ?? '';
		const { path, query: rawQuery } = splitTarget(target);
		const query = new URLSearchParams(rawQuery);
		const route = this.route(method, path);
		if (route?.api === 'BatchExecuteAssetAction') route.ordinal = ++this.batchArrivals;
		if (this.record) {
			this.requests.push({ ...recordOf(exchange), api: route?.api, path, rawQuery, query: Object.fromEntries(query) });
		}
		const requestId = randomHex(16);
		const headers = { 'x-request-id': requestId };
		if (route?.api === 'DeleteFile') {
			this.deleteRequestCounts.set(route.fileId, this.deleteRequests(route.fileId) + 1);
		}
		if (route) this.routedCounts.set(route.api, (this.routedCounts.get(route.api) ?? 0) + 1);

		if (this.foreignPage) return this.sendForeignPage(res);
		const decision = this.faults.decide(method, route && faultKeyOf(route, query, exchange.body), route?.api);
		if (decision.latencyMs > 0) await this.cloud.delay(decision.latencyMs);
		switch (decision.fault) {
			case 'foreignPage':
				return this.sendForeignPage(res);
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

		const answer = this.answerCloud(exchange, route, query, requestId);
		if (decision.fault === 'landedThenDrop') return dropConnection(req);
		send(res, { ...answer, headers: { ...(answer.headers ?? {}), ...headers } });
	}

	/** Something else answers in MetaStudio's place: 200 HTML, none of MetaStudio's headers, nothing done. */
	private sendForeignPage(res: http.ServerResponse): void {
		this.foreignPagesServed++;
		send(res, { status: 200, text: FOREIGN_PAGE_HTML, contentType: 'text/html;charset=UTF-8' });
	}

	/**
	 * Matches the raw path segment by segment: literal segments as sent, IDs percent-decoded once.
	 * A malformed escape or an empty segment (a trailing or doubled slash) matches no API.
	 */
	private route(method: string, path: string): Route | undefined {
		const raw = path.split('/');
		if (raw[0] !== '' || raw[1] !== 'v1' || raw.length < 4) return undefined;
		const segments = raw.map(tryDecode);
		if (segments.slice(1).some((segment) => segment === undefined || segment === '')) return undefined;
		const projectId = segments[2]!;
		const id = segments[4];
		if (raw[3] === 'files') {
			if (raw.length === 4 && method === 'POST') return { api: 'CreateFile', projectId };
			if (raw.length === 6 && raw[5] === 'complete' && method === 'POST') {
				return { api: 'ConfirmFileUpload', projectId, fileId: id! };
			}
			return raw.length === 5 && method === 'DELETE' ? { api: 'DeleteFile', projectId, fileId: id! } : undefined;
		}
		if (raw[3] !== 'digital-assets') return undefined;
		if (raw.length === 4 && method === 'POST') return { api: 'CreateDigitalAsset', projectId };
		if (raw.length === 4) return method === 'GET' ? { api: 'ListAssets', projectId } : undefined;
		if (raw.length === 5 && method === 'PUT') return { api: 'UpdateDigitalAsset', projectId, assetId: id! };
		if (raw.length === 5 && raw[4] === 'batch-action' && method === 'POST') {
			return { api: 'BatchExecuteAssetAction', projectId, ordinal: 0 };
		}
		if (raw.length === 5 && method === 'GET') return { api: 'ShowAsset', projectId, assetId: id! };
		if (raw.length === 5 && method === 'DELETE') return { api: 'DeleteAsset', projectId, assetId: id! };
		if (raw.length === 6 && raw[5] === 'restore' && method === 'POST') return { api: 'RestoreAsset', projectId, assetId: id! };
		return undefined;
	}

	private answerCloud(exchange: Exchange, route: Route | undefined, query: URLSearchParams, requestId: string): Answer {
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
		if (this.limiter && !this.limiter.take(route.api)) {
			// The gateway's flow control: no Retry-After, as with every APIGW.0308.
			return {
				status: 429,
				json: { error_code: 'APIGW.0308', error_msg: throttledMessage(this.limiter.limits[route.api]), request_id: requestId },
			};
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
			return invalidParameter('X-App-UserId');
		}

		switch (route.api) {
			case 'ListAssets':
				return this.listAssets(query);
			case 'ShowAsset': {
				const asset = this.library.view(route.assetId);
				return asset ? { status: 200, json: asset } : ASSET_NOT_FOUND;
			}
			case 'DeleteAsset':
				return this.deleteAsset(route.assetId, query);
			case 'RestoreAsset':
				return this.restoreAsset(route.assetId);
			case 'DeleteFile':
				return this.deleteFile(route.fileId);
			case 'BatchExecuteAssetAction':
				return this.batchAction(exchange.body);
			case 'CreateDigitalAsset':
				return this.createDigitalAsset(exchange.body);
			case 'CreateFile':
				return this.createFile(exchange.body);
			case 'ConfirmFileUpload':
				return this.confirmFileUpload(route.fileId, exchange.body);
			case 'UpdateDigitalAsset':
				return this.updateDigitalAsset(route.assetId, exchange.body);
		}
	}

	private createDigitalAsset(body: string): Answer {
		const request = parseCreateAssetBody(body);
		if (!request.ok) return invalidParameter(request.detail);
		const produceId = randomHex(16);
		const asset = this.library.add({
			...request.value,
			asset_id: randomHex(16),
			produce_id: produceId,
			asset_state: 'CREATING',
			files: [],
		});
		this.created.push(asset.asset_id);
		return { status: 200, json: { asset_id: asset.asset_id, produce_id: produceId } };
	}

	private createFile(body: string): Answer {
		const parsed = parseCreateFileBody(body);
		if (!parsed.ok) return invalidParameter(parsed.detail);
		const request = parsed.value;
		const facts = this.library.facts(request.asset_id);
		if (!facts) return ASSET_NOT_FOUND;
		const hasMain =
			facts.hasMain ||
			this.fileUploads(request.asset_id).some((upload) => upload.state === 'CREATING' && upload.asset_file_category === 'MAIN');
		const refusal =
			changeRefusal(facts) ?? fileRefusal(facts.type, request, { hasMain, mainFileLimits: this.options.mainFileLimits ?? true });
		if (refusal !== undefined) return invalidParameter(refusal);

		const fileId = randomHex(16);
		const uploadPath = uploadPathOf({ projectId: this.projectId, assetId: request.asset_id, fileId, fileName: request.file_name });
		const uploadUrlExpiresAt = this.now() + UPLOAD_URL_TTL_MS;
		// The Content-Type by the name's extension, else by file_type (which is "e.g. the extension").
		const contentType = uploadContentTypeFor(/\.[^./]+$/.test(request.file_name) ? request.file_name : request.file_type);
		const uploadUrl = this.uploadHost.uploadUrl(uploadPath, { expiresAt: uploadUrlExpiresAt, contentType });
		this.uploads.set(fileId, {
			...request,
			file_id: fileId,
			state: 'CREATING',
			uploadPath,
			upload_url: uploadUrl,
			uploadUrlExpiresAt,
			confirmations: [],
		});
		return { status: 200, json: { file_id: fileId, upload_url: uploadUrl } };
	}

	private confirmFileUpload(fileId: string, body: string): Answer {
		const upload = this.uploads.get(fileId);
		const answer = this.confirmation(upload, body);
		upload?.confirmations.push({ state: confirmedState(body), status: answer.status });
		return answer;
	}

	/** ConfirmFileUpload's decision (see the file header); changes the upload and the asset when accepted. */
	private confirmation(upload: FileUpload | undefined, body: string): Answer {
		const state = confirmedState(body);
		if (!['CREATED', 'FAILED', 'CANCELLED'].includes(state)) return invalidParameter('state');
		const facts = upload && this.library.facts(upload.asset_id);
		if (!upload || !facts || upload.state === 'FAILED' || upload.state === 'CANCELLED') return FILE_NOT_FOUND;
		if (upload.state === 'CREATED') {
			return state === 'CREATED' ? { status: 200 } : invalidParameter('state (the file is already CREATED)');
		}
		if (state !== 'CREATED') {
			upload.state = state as FileUploadState;
			return { status: 200 };
		}
		const refusal = changeRefusal(facts) ?? uploadRefusal(upload, this.uploadHost.uploaded(upload.uploadPath));
		if (refusal !== undefined) return invalidParameter(refusal);
		const { file_id, file_name, file_md5, file_size, file_type, asset_file_category } = upload;
		this.library.attachFile(
			upload.asset_id,
			{ file_id, file_name, file_md5, file_size, file_type, asset_file_category, state: 'CREATED' },
			this.options.stateAfterMainFile ?? 'ACTIVED',
		);
		upload.state = 'CREATED';
		this.filesConfirmedCount++;
		bump(this.changesOn, upload.asset_id);
		return { status: 200 };
	}

	private updateDigitalAsset(assetId: string, body: string): Answer {
		const request = parseUpdateAssetBody(body);
		if (!request.ok) return invalidParameter(request.detail);
		const facts = this.library.facts(assetId);
		if (!facts) return ASSET_NOT_FOUND;
		const refusal = changeRefusal(facts);
		if (refusal !== undefined) return invalidParameter(refusal);
		const outcome = this.library.update(assetId, request.value);
		if (outcome === 'stateNotAllowed') {
			return invalidParameter(`asset_state (the asset state ${facts.state} does not allow ${request.value.asset_state})`);
		}
		if (outcome === 'changed') {
			bump(this.updates, assetId);
			bump(this.changesOn, assetId);
		}
		return { status: 200, json: this.library.view(assetId) };
	}

	/** Where a confirmed upload's bytes can be read: the upload host's signed URL (asked after `downloadUrl`). */
	private uploadedUrl(fileId: string): string | undefined {
		const upload = this.uploads.get(fileId);
		return upload && this.uploadHost.url(upload.uploadPath);
	}

	private batchAction(body: string): Answer {
		const request = parseBatchBody(body, this.batchMaxAssetIds);
		if (!request.ok) return invalidParameter(request.parameter);
		const { action } = request;
		const outcomes = request.assetIds.map((assetId) => ({ assetId, error: this.batchActOn(assetId, action) }));
		this.batchProcessed++;
		return { status: 200, json: { results: groupResults(outcomes) } };
	}

	/** One ID of a batch: undefined on success, else the error its FAILED group carries. */
	private batchActOn(assetId: string, action: BatchAction): BatchErrorInfo | undefined {
		const source = this.library.sourceOf(assetId);
		if (source === undefined) return errorInfo(ASSET_NOT_FOUND);
		if (source === 'SYSTEM') return BATCH_SYSTEM_ASSET;
		switch (action) {
			case 'DELETE':
			case 'DELETE_FORCE': {
				const mode: DeleteMode = action === 'DELETE' ? 'recycleBin' : 'force';
				const outcome = this.library.delete(assetId, mode);
				if (outcome === 'movedToRecycleBin' || outcome === 'removed') {
					this.land(mode, assetId);
					this.deleteLanded();
				}
				return undefined;
			}
			case 'RESTORE':
				if (this.library.restore(assetId) !== 'restored') return errorInfo(RESTORE_NOT_IN_RECYCLE_BIN);
				this.land('restore', assetId);
				return undefined;
			case 'ACTIVE':
			case 'UNACTIVE': {
				const active = action === 'ACTIVE';
				const before = this.library.view(assetId)!.asset_state;
				const outcome = this.library.setActivation(assetId, active);
				if (outcome === 'stateNotAllowed') return batchStateNotAllowed(before, action);
				if (outcome === 'changed') this.land(active ? 'activate' : 'deactivate', assetId);
				return undefined;
			}
			case 'SHARE':
			case 'UNSHARE':
				return undefined;
		}
	}

	/** Counts a change that landed on an asset. */
	private land(change: AssetChange, assetId: string): void {
		bump(this.assetLanded[change], assetId);
		bump(this.changesOn, assetId);
	}

	private listAssets(query: URLSearchParams): Answer {
		const parsed = parseListAssetsQuery(query);
		if (!parsed.ok) return invalidParameter(parsed.parameter);
		return { status: 200, json: this.library.list(parsed.query) };
	}

	private deleteAsset(assetId: string, query: URLSearchParams): Answer {
		const modes = query.getAll('mode');
		if (modes.length > 1 || (modes.length === 1 && modes[0] !== 'force')) return invalidParameter('mode');
		const mode: DeleteMode = modes.length === 1 ? 'force' : 'recycleBin';
		switch (this.library.delete(assetId, mode)) {
			case 'notFound':
				return ASSET_NOT_FOUND;
			case 'systemAsset':
				return SYSTEM_ASSET_NOT_DELETABLE;
			case 'unchanged':
				return { status: 200 };
			case 'movedToRecycleBin':
			case 'removed':
				this.land(mode, assetId);
				this.deleteLanded();
				return { status: 200 };
		}
	}

	private restoreAsset(assetId: string): Answer {
		switch (this.library.restore(assetId)) {
			case 'notFound':
				return ASSET_NOT_FOUND;
			case 'notInRecycleBin':
				return RESTORE_NOT_IN_RECYCLE_BIN;
			case 'restored':
				this.land('restore', assetId);
				return { status: 200 };
		}
	}

	private deleteFile(fileId: string): Answer {
		const removed = this.library.deleteFile(fileId);
		// "Not found" is HTTP 400 with this code, not a 404.
		if (!removed) return FILE_NOT_FOUND;
		bump(this.landed, fileId);
		if (removed.owner !== undefined) bump(this.changesOn, removed.owner);
		this.deleteLanded();
		return { status: 200 };
	}

	private deleteLanded(): void {
		if (this.expireAfterDeletes !== undefined && --this.expireAfterDeletes <= 0) {
			this.expireAfterDeletes = undefined;
			this.expireAllTokens();
		}
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
			{ method: req.method ?? '', rawPath, headers: req.headers, body, bodyBytes: exchange.bodyBytes, signedHeaders: signed },
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
	/** The body as UTF-8 text ('' when none). */
	body: string;
	/** The body's bytes as received, when known: then the payload hash is taken over exactly these. */
	bodyBytes?: Buffer;
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
 *   passed as the parsed value when `JSON.stringify` reproduces its bytes exactly (the SDK hashes that
 *   text's UTF-8: the same bytes); any other body (spaces, invalid UTF-8, not JSON) is hashed over its
 *   bytes as received (`bodyBytes`, else the text's UTF-8), as the gateway would; a signed
 *   `X-Sdk-Content-Sha256` is taken as the hash (the SDK reads that header itself).
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
	const bytes = request.bodyBytes ?? Buffer.from(request.body, 'utf8');
	if (bytes.length > 0 && headers['X-Sdk-Content-Sha256'] === undefined) {
		try {
			// Bytes that are not the UTF-8 of the text (invalid UTF-8) are hashed as they are.
			if (!bytes.equals(Buffer.from(request.body, 'utf8'))) throw new Error('not UTF-8');
			const parsed: unknown = JSON.parse(request.body);
			if (JSON.stringify(parsed) === request.body && parsed) data = parsed;
			else rawPayloadHash = createHash('sha256').update(bytes).digest('hex');
		} catch {
			rawPayloadHash = createHash('sha256').update(bytes).digest('hex');
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

function bump(counts: Map<string, number>, id: string): void {
	counts.set(id, (counts.get(id) ?? 0) + 1);
}

/** The ID a fault script is keyed by for this request (see the file header). */
function faultKeyOf(route: Route, query: URLSearchParams, body: string): string {
	switch (route.api) {
		case 'ListAssets':
			return listAssetsFaultKey(query.get('offset') || '0');
		case 'DeleteFile':
		case 'ConfirmFileUpload':
			return route.fileId;
		case 'CreateDigitalAsset':
			return createDigitalAssetFaultKey(jsonText(body, 'asset_name'));
		case 'CreateFile':
			return createFileFaultKey(jsonText(body, 'asset_id'));
		case 'BatchExecuteAssetAction':
			return batchActionFaultKey(route.ordinal);
		default:
			return route.assetId;
	}
}

/** A string field of a JSON object body ('' when the body or the field is not one). */
function jsonText(body: string, field: string): string {
	try {
		const value = (JSON.parse(body) as Record<string, unknown>)?.[field];
		return typeof value === 'string' ? value : '';
	} catch {
		return '';
	}
}

/** ConfirmFileUpload's `state` as sent ('' when the body has none). */
function confirmedState(body: string): string {
	return jsonText(body, 'state');
}

/** Why a confirmation CREATED is refused given what the upload host holds; undefined when it matches. */
function uploadRefusal(upload: FileUpload, uploaded: UploadedObject | undefined): string | undefined {
	if (!uploaded) return 'file not uploaded';
	if (uploaded.size !== upload.file_size) return 'file size mismatch';
	if (uploaded.md5Base64 !== upload.file_md5) return 'md5 mismatch';
	return undefined;
}
