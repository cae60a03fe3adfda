// KyyVideo2 / Seedance 2.0 asset API (GlobalAiOpc).
/** DELETE answers the string "0" and the detail endpoint the number 0, so codes are compared as strings. */
export const KYY_SUCCESS_CODE = '0';
/** Seedance generation requests reference assets as `asset://{assetId}`; users paste that form too. */
export const ASSET_URI_PREFIX = 'asset://';
export const KYY_ASSET_STATUSES = ['Processing', 'Active', 'Failed'] as const;

// Huawei Cloud MetaStudio asset library: documented states and types (DigitalAssetInfo).
export const METASTUDIO_ASSET_STATES = [
	'CREATING',
	'FAILED',
	'UNACTIVED',
	'ACTIVED',
	'DELETING',
	'DELETED',
	'BLOCK',
	'WAITING_DELETE',
] as const;
/** In the recycle bin: restorable for 7 days. */
export const METASTUDIO_RECYCLE_BIN_STATE = 'DELETING';
export const METASTUDIO_ASSET_TYPES = [
	'HUMAN_MODEL',
	'VOICE_MODEL',
	'SCENE',
	'ANIMATION',
	'VIDEO',
	'IMAGE',
	'PPT',
	'MATERIAL',
	'HUMAN_MODEL_2D',
	'BUSINESS_CARD_TEMPLET',
	'MUSIC',
	'AUDIO',
] as const;
/** ListAssets pages hold at most this many assets. */
export const METASTUDIO_MAX_PAGE_SIZE = 100;

// Huawei Cloud MetaStudio: error codes the node decides on (never on the text of a message).
export const MSS_UNAUTHORIZED = 'MSS.00000001';
export const MSS_INVALID_PARAMETER = 'MSS.00000003';
export const MSS_INTERNAL_ERROR = 'MSS.00000004';
export const MSS_INVALID_TOKEN = 'MSS.00010008';
export const MSS_PROJECT_MISMATCH = 'MSS.00010009';
export const MSS_FILE_NOT_FOUND = 'MSS.10001004';
export const MSS_ASSET_NOT_FOUND = 'MSS.10001001';
export const APIGW_BAD_SIGNATURE = 'APIGW.0301';
export const APIGW_THROTTLED = 'APIGW.0308';

/**
 * Longer than any real ID (KyyVideo2 IDs are about 26 characters, MetaStudio file IDs are UUIDs):
 * anything longer is a pasted blob, not an ID.
 */
export const MAX_ID_LENGTH = 128;

/**
 * Enough requests in flight to hide latency on a server without a limit; under a limit the pacer, not
 * this number, decides the pace (docs/benchmark.md has the figures).
 */
export const DEFAULT_CONCURRENCY = 32;
export const MAX_CONCURRENCY = 64;
export const DEFAULT_MAX_RETRIES = 3;
export const MAX_MAX_RETRIES = 10;
export const DEFAULT_TIMEOUT_MS = 30_000;
