/**
 * MetaStudio's documented per-API flow control (test-only code): per tenant, per region, per second.
 * CreateDigitalAsset, CreateFile, ConfirmFileUpload and UpdateDigitalAsset have the change APIs' 10/5/5
 * (each its own bucket, as every API).
 * The emulator serves one tenant, so each API has one token bucket (capacity = the limit, refilled at the
 * limit per second, full at start: burst = the limit, so BatchExecuteAssetAction's burst is 1). Opt-in, so
 * that fast tests are never slowed by it.
 */
import { TokenBucket } from './faults';

export type MetaStudioApi =
	| 'ListAssets'
	| 'ShowAsset'
	| 'DeleteAsset'
	| 'RestoreAsset'
	| 'DeleteFile'
	| 'BatchExecuteAssetAction'
	| 'CreateDigitalAsset'
	| 'CreateFile'
	| 'ConfirmFileUpload'
	| 'UpdateDigitalAsset';

export const METASTUDIO_APIS: readonly MetaStudioApi[] = [
	'ListAssets',
	'ShowAsset',
	'DeleteAsset',
	'RestoreAsset',
	'DeleteFile',
	'BatchExecuteAssetAction',
	'CreateDigitalAsset',
	'CreateFile',
	'ConfirmFileUpload',
	'UpdateDigitalAsset',
];

export type MetaStudioRegion = 'cn-north-4' | 'cn-east-3' | 'ap-southeast-3';

export const DEFAULT_REGION: MetaStudioRegion = 'cn-north-4';

const QUERY_LIMITS: Record<MetaStudioRegion, number> = { 'cn-north-4': 20, 'cn-east-3': 10, 'ap-southeast-3': 10 };
const CHANGE_LIMITS: Record<MetaStudioRegion, number> = { 'cn-north-4': 10, 'cn-east-3': 5, 'ap-southeast-3': 5 };
/** BatchExecuteAssetAction: 1 request/s per tenant in every region. */
const BATCH_LIMIT = 1;

/** Requests per second per tenant, as documented for each region. */
export function apiLimitsFor(region: MetaStudioRegion): Record<MetaStudioApi, number> {
	const query = QUERY_LIMITS[region];
	const change = CHANGE_LIMITS[region];
	if (query === undefined) throw new Error(`Unknown MetaStudio region "${String(region)}"`);
	return {
		ListAssets: query,
		ShowAsset: query,
		DeleteAsset: change,
		RestoreAsset: change,
		DeleteFile: change,
		BatchExecuteAssetAction: BATCH_LIMIT,
		CreateDigitalAsset: change,
		CreateFile: change,
		ConfirmFileUpload: change,
		UpdateDigitalAsset: change,
	};
}

/** The gateway's text for a request over a per-API limit. */
export function throttledMessage(limit: number): string {
	return `The throttling threshold has been reached: policy user over ratelimit, limit:${limit}, time:1 second`;
}

/** One token bucket per API. */
export class ApiLimiter {
	private readonly buckets = new Map<MetaStudioApi, TokenBucket>();

	/** 429s answered per API because its bucket was empty. */
	readonly limited: Record<MetaStudioApi, number> = emptyCounts();

	constructor(
		readonly limits: Readonly<Record<MetaStudioApi, number>>,
		private readonly now: () => number = Date.now,
	) {
		for (const api of METASTUDIO_APIS) this.buckets.set(api, new TokenBucket(limits[api], limits[api], now()));
	}

	/** Takes a token for one request; false when the API is over its limit. */
	take(api: MetaStudioApi): boolean {
		if (this.buckets.get(api)!.take(this.now())) return true;
		this.limited[api]++;
		return false;
	}

	get totalLimited(): number {
		return METASTUDIO_APIS.reduce((sum, api) => sum + this.limited[api], 0);
	}
}

function emptyCounts(): Record<MetaStudioApi, number> {
	return Object.fromEntries(METASTUDIO_APIS.map((api) => [api, 0])) as Record<MetaStudioApi, number>;
}
