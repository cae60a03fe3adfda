/**
 * The MetaStudio asset library behind the emulator (test-only code): seeds with defaults, the
 * DigitalAssetInfo shape as served, ListAssets' query (checked, filtered, sorted, paged) and the
 * lifecycle where the documentation is silent. Every such decision lives here, in one place:
 *
 * - Recycle-bin delete (no `mode`) of an asset not yet DELETING or DELETED: it becomes DELETING and
 *   remembers its state. Of a DELETING or DELETED asset: nothing changes (still 200).
 * - Force delete (`mode=force`) of any asset, one in the recycle bin included: it is gone for good
 *   (its files too); afterwards every API answers it as unknown.
 * - Restore of a DELETING asset: back to the state it had before the delete (a seeded DELETING asset:
 *   its `stateBeforeDelete`, default UNACTIVED). Of any other asset: refused (`notInRecycleBin`; the
 *   emulator answers it with the code RestoreAsset documents, 400 `MSS.00000003`).
 * - SYSTEM assets (Huawei's own, listed with `asset_source=SYSTEM|ALL`) can be read, not deleted; nor
 *   restored, activated, deactivated, shared or unshared by BatchExecuteAssetAction (`systemAsset`).
 * - Activation (BatchExecuteAssetAction ACTIVE / UNACTIVE; MetaStudio documents neither the states these
 *   actions accept nor what they do to others): ACTIVE takes an UNACTIVED or ACTIVED asset to ACTIVED,
 *   UNACTIVE takes an ACTIVED or UNACTIVED asset to UNACTIVED (one already there: `unchanged`, success,
 *   no change). An asset in any other state (CREATING, FAILED, DELETING, DELETED, BLOCK, WAITING_DELETE)
 *   is refused (`stateNotAllowed`; answered 400-style `MSS.00000003` inside the batch's FAILED group).
 *   `activationOutcome` is that decision, in one place.
 * - SHARE / UNSHARE: accepted (success) for any tenant asset and change nothing: the emulator keeps no
 *   sharing state (the `params` that would name the sharee is not checked).
 * - Every change that leaves the asset in place (recycle-bin delete, restore, activate, deactivate, a
 *   file leaving the asset, the recycle bin expiring, `setState`) sets `update_time` to the emulator's
 *   clock, in whole seconds as MetaStudio's RFC 3339 times are; a request that changes nothing leaves it.
 * - The seven days in the bin are not timed: `expireRecycleBin()` turns every DELETING asset DELETED.
 * - `fail_type`, `reason`, `app_user_id` and `produce_id` are left out of the JSON when not set (as
 *   Huawei's SDK models omit unset fields); a FAILED seed gets `AUTOMATIC_REVIEW_REJECT` and a reason by
 *   default.
 * - CreateDigitalAsset (`parseCreateAssetBody`): the new asset is CREATING with no files, a random
 *   32-hex `asset_id` and `produce_id`, CUSTOMIZATION. Names are not unique (MetaStudio does not say
 *   they must be). Lengths count Unicode code points. `tags` items are strings of 1–128 (an empty tag
 *   is refused: the documentation gives no minimum). COMMON_FILE and NORMAL_MODEL, which only answers
 *   carry, cannot be created (`asset_type`).
 * - A confirmed file joins the asset's `files[]` (`attachFile`); when it is the MAIN file of a CREATING
 *   asset, the asset becomes `stateAfterMainFile` (the emulator's default ACTIVED: MetaStudio does not
 *   document whether a new asset starts activated; UNACTIVED can be chosen per emulator). A MAIN file
 *   that failed leaves the asset CREATING (another MAIN may be created).
 * - CreateFile (`parseCreateFileBody`, `fileRefusal`): categories by type (FILE_CATEGORIES_BY_TYPE: MAIN
 *   for every type; VIDEO also COVER; PPT also COVER, PAGE, OTHER); one MAIN per asset, a MAIN still
 *   being uploaded included; the MAIN file of VIDEO, IMAGE, MUSIC, AUDIO and PPT assets must have one of
 *   that type's extensions as `file_type` (case-insensitive, a leading dot allowed) and be within its
 *   size (MAIN_FILE_LIMITS; MB and GB read as MiB and GiB), unless the emulator's `mainFileLimits` is
 *   false. An asset DELETING or DELETED, or a SYSTEM asset, takes no file (`asset_id`).
 * - UpdateDigitalAsset (`parseUpdateAssetBody`, `update`): fields absent or null are left as they are;
 *   `tags` replaces the whole list; `asset_state` UNACTIVED / ACTIVED follows `activationOutcome` (any
 *   other current state is refused); an asset DELETING or DELETED, or a SYSTEM asset, cannot be updated.
 *   A request whose fields all equal the current values changes nothing (update_time kept, not counted).
 */
import { createHash, randomBytes } from 'node:crypto';

export const ASSET_STATES = [
	'CREATING',
	'FAILED',
	'UNACTIVED',
	'ACTIVED',
	'DELETING',
	'DELETED',
	'BLOCK',
	'WAITING_DELETE',
] as const;
export type AssetState = (typeof ASSET_STATES)[number];

export const ASSET_TYPES = [
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
	'COMMON_FILE',
	'NORMAL_MODEL',
] as const;
export type AssetType = (typeof ASSET_TYPES)[number];

export type AssetSource = 'SYSTEM' | 'CUSTOMIZATION';

/** A type alias, not an interface, so that it fits n8n's IDataObject where tests hand it over. */
export type AssetFileInfo = {
	file_id: string;
	file_name: string;
	file_md5: string;
	file_size: number;
	file_type: string;
	asset_file_category: string;
	download_url: string;
	state: string;
};

export type DigitalAssetInfo = {
	asset_id: string;
	/** Set for assets made by CreateDigitalAsset (or seeded with one). */
	produce_id?: string;
	asset_name: string;
	asset_description: string;
	app_user_id?: string;
	project_id: string;
	create_time: string;
	update_time: string;
	asset_type: AssetType;
	asset_state: AssetState;
	fail_type?: string;
	reason?: string;
	tags: string[];
	files: AssetFileInfo[];
	system_properties: unknown[];
	asset_extra_meta: Record<string, unknown>;
};

/** Where a file seeded without `download_url` can be downloaded: asked on every read; undefined: the default URL. */
export type DownloadUrlFor = (file: {
	assetId: string;
	fileId: string;
	fileName: string;
	category: string;
}) => string | undefined;

/** A time as RFC 3339 text, a Date, or epoch ms. */
export type TimeInput = string | Date | number;

/** A file of a seeded asset; every field has a default. */
export interface AssetFileSeed {
	/** Default `${asset_id}-f${index}`. */
	file_id?: string;
	/** Default `${asset_name}.${extension of the asset type}` (COVER: `.png`). */
	file_name?: string;
	/** Default base64 MD5 of the file ID (24 characters, as MetaStudio gives it). */
	file_md5?: string;
	file_size?: number;
	/** Default the file name's extension. */
	file_type?: string;
	/** Default MAIN for the first file, COVER for the second, OTHER after. */
	asset_file_category?: string;
	/** Default the emulator's `downloadUrl` option, else a URL valid 24 h from the moment it is served. */
	download_url?: string;
	/** Default CREATED. */
	state?: string;
}

/** A seeded asset; every field has a default. */
export interface AssetSeed {
	/** Default 32 random hex digits (like MetaStudio's IDs). */
	asset_id?: string;
	/** Default `Asset <asset_id>`. */
	asset_name?: string;
	/** Served only when set (CreateDigitalAsset sets one). */
	produce_id?: string;
	asset_description?: string;
	app_user_id?: string;
	/** Default VIDEO. */
	asset_type?: AssetType;
	/** Default ACTIVED. */
	asset_state?: AssetState;
	fail_type?: string;
	reason?: string;
	tags?: string[];
	/** Default one MAIN file; `[]` for none. */
	files?: AssetFileSeed[];
	system_properties?: unknown[];
	asset_extra_meta?: Record<string, unknown>;
	/** Default the emulator's clock when seeded. Served as `YYYY-MM-DDTHH:MM:SSZ`. */
	create_time?: TimeInput;
	/** Default `create_time`. */
	update_time?: TimeInput;
	/** Emulator-only (never served): default CUSTOMIZATION. */
	source?: AssetSource;
	/** Emulator-only: the state a seeded DELETING asset is restored to (default UNACTIVED). */
	stateBeforeDelete?: AssetState;
}

export interface GenerateAssetsOptions extends Omit<AssetSeed, 'asset_id' | 'create_time' | 'update_time'> {
	/** IDs are `${idPrefix}${index padded to 5 digits}` (default prefix `asset-`). */
	idPrefix?: string;
	/** create_time of the first asset (default 2026-01-01T00:00:00Z). */
	start?: TimeInput;
	/** Each next asset is this much younger (default 60 000 ms). */
	stepMs?: number;
	/** Number of files per asset (default 1: MAIN; then COVER, then OTHER). Ignored when `files` is set. */
	filesPerAsset?: number;
	/** Per-index overrides, applied last. */
	each?: (index: number) => Partial<AssetSeed>;
}

/** N seeds with deterministic IDs, names and ascending create times. */
export function generateAssets(count: number, options: GenerateAssetsOptions = {}): AssetSeed[] {
	const { idPrefix = 'asset-', start = '2026-01-01T00:00:00Z', stepMs = 60_000, filesPerAsset = 1, each, ...template } =
		options;
	const first = toMs(start, 'start');
	return Array.from({ length: count }, (_, index) => {
		const id = `${idPrefix}${String(index).padStart(5, '0')}`;
		const seed: AssetSeed = {
			asset_name: `Asset ${String(index).padStart(5, '0')}`,
			...template,
			asset_id: id,
			create_time: first + index * stepMs,
		};
		if (template.files === undefined) seed.files = Array.from({ length: filesPerAsset }, () => ({}));
		return { ...seed, ...(each?.(index) ?? {}) };
	});
}

export type ListAssetsParseResult = { ok: true; query: ListAssetsQuery } | { ok: false; parameter: string };

export type ListSortKey = 'create_time' | 'update_time' | 'asset_order';
export type TagCombination = 'INTERSECTION' | 'UNION_SET';

export interface ListAssetsQuery {
	limit: number;
	offset: number;
	name?: string;
	/** Without `tagCombination`: one tag, the whole `tag` value. With it: the comma-separated tags. */
	tags?: string[];
	tagCombination?: TagCombination;
	/** `asset_id`: exact IDs (repeated keys and/or comma-separated values, merged). */
	assetIds?: Set<string>;
	sortKey: ListSortKey;
	startTime?: number;
	endTime?: number;
	assetTypes?: Set<string>;
	assetStates?: Set<string>;
	sortDir: 'asc' | 'desc';
	source: AssetSource | 'ALL';
}

export const DEFAULT_LIST_LIMIT = 10;
export const MAX_LIST_LIMIT = 100;

/**
 * Checks ListAssets' query. An empty value counts as absent; a repeated parameter (`asset_id` aside: an
 * array, which Huawei's SDK sends as repeated keys), a value outside its documented range, a time not in
 * RFC 3339 UTC (`Z`) or an unknown type, state, sort key or tag combination is invalid. Parameters the
 * emulator does not implement are ignored.
 */
export function parseListAssetsQuery(params: URLSearchParams): ListAssetsParseResult {
	const invalid = (parameter: string): ListAssetsParseResult => ({ ok: false, parameter });
	const value = (name: string): string | undefined | null => {
		const all = params.getAll(name).filter((v) => v !== '');
		if (all.length > 1) return null;
		return all[0];
	};
	const query: ListAssetsQuery = {
		limit: DEFAULT_LIST_LIMIT,
		offset: 0,
		sortKey: 'create_time',
		sortDir: 'asc',
		source: 'CUSTOMIZATION',
	};
	const names = [
		'limit',
		'offset',
		'name',
		'tag',
		'tag_combination_type',
		'start_time',
		'end_time',
		'asset_type',
		'asset_state',
		'sort_key',
		'sort_dir',
		'asset_source',
	];
	const values: Record<string, string | undefined> = {};
	for (const name of names) {
		const v = value(name);
		if (v === null) return invalid(name);
		values[name] = v;
	}

	if (values.limit !== undefined) {
		const limit = integer(values.limit);
		if (limit === undefined || limit < 1 || limit > MAX_LIST_LIMIT) return invalid('limit');
		query.limit = limit;
	}
	if (values.offset !== undefined) {
		const offset = integer(values.offset);
		if (offset === undefined) return invalid('offset');
		query.offset = offset;
	}
	query.name = values.name;
	if (values.tag_combination_type !== undefined) {
		if (values.tag_combination_type !== 'INTERSECTION' && values.tag_combination_type !== 'UNION_SET') {
			return invalid('tag_combination_type');
		}
		query.tagCombination = values.tag_combination_type;
	}
	if (values.tag !== undefined) {
		query.tags = query.tagCombination === undefined ? [values.tag] : values.tag.split(',').filter((tag) => tag !== '');
		if (query.tags.length === 0) query.tags = undefined;
	}
	const assetIds = params
		.getAll('asset_id')
		.flatMap((v) => v.split(','))
		.filter((id) => id !== '');
	if (assetIds.length > 0) query.assetIds = new Set(assetIds);
	for (const [name, key] of [
		['start_time', 'startTime'],
		['end_time', 'endTime'],
	] as const) {
		if (values[name] === undefined) continue;
		const time = parseRfc3339Utc(values[name]!);
		if (time === undefined) return invalid(name);
		query[key] = time;
	}
	for (const [name, key, allowed] of [
		['asset_type', 'assetTypes', ASSET_TYPES],
		['asset_state', 'assetStates', ASSET_STATES],
	] as const) {
		if (values[name] === undefined) continue;
		const list = values[name]!.split(',');
		if (list.some((item) => !(allowed as readonly string[]).includes(item))) return invalid(name);
		query[key] = new Set(list);
	}
	if (values.sort_key !== undefined) {
		if (!['create_time', 'update_time', 'asset_order'].includes(values.sort_key)) return invalid('sort_key');
		query.sortKey = values.sort_key as ListSortKey;
	}
	if (values.sort_dir !== undefined) {
		if (values.sort_dir !== 'asc' && values.sort_dir !== 'desc') return invalid('sort_dir');
		query.sortDir = values.sort_dir;
	}
	if (values.asset_source !== undefined) {
		if (!['SYSTEM', 'CUSTOMIZATION', 'ALL'].includes(values.asset_source)) return invalid('asset_source');
		query.source = values.asset_source as ListAssetsQuery['source'];
	}
	return { ok: true, query };
}

export type DeleteOutcome = 'notFound' | 'systemAsset' | 'movedToRecycleBin' | 'unchanged' | 'removed';
export type RestoreOutcome = 'notFound' | 'notInRecycleBin' | 'restored';
export type DeleteMode = 'recycleBin' | 'force';
export type ActivationOutcome = 'notFound' | 'systemAsset' | 'stateNotAllowed' | 'unchanged' | 'changed';

/** The states ACTIVE and UNACTIVE accept (an assumption: see the header). */
export const ACTIVATION_STATES: readonly AssetState[] = ['UNACTIVED', 'ACTIVED'];

/**
 * What ACTIVE (`active` true) or UNACTIVE does to an asset in `state`: the one place of that decision.
 * `stateNotAllowed` for every state but UNACTIVED and ACTIVED; `unchanged` when already in the target.
 */
export function activationOutcome(state: AssetState, active: boolean): 'stateNotAllowed' | 'unchanged' | 'changed' {
	if (!ACTIVATION_STATES.includes(state)) return 'stateNotAllowed';
	return state === (active ? 'ACTIVED' : 'UNACTIVED') ? 'unchanged' : 'changed';
}

interface StoredFile extends Omit<AssetFileInfo, 'download_url'> {
	download_url?: string;
}

interface StoredAsset {
	info: Omit<DigitalAssetInfo, 'create_time' | 'update_time' | 'files'>;
	files: StoredFile[];
	createdAt: number;
	updatedAt: number;
	source: AssetSource;
	/** Where a restore takes a DELETING asset. */
	stateBeforeDelete: AssetState;
	/** Seeding order: `asset_order`, and the tie-break of equal times. */
	order: number;
}

/** The assets and the files outside any asset; IDs are unique across both. */
export class AssetLibrary {
	private readonly assets = new Map<string, StoredAsset>();

	private readonly looseFiles = new Set<string>();

	private seeded = 0;

	constructor(
		private readonly context: {
			projectId: string;
			region: string;
			now: () => number;
			downloadUrl?: DownloadUrlFor;
			/** Where a file that arrived through an upload can be read (asked after `downloadUrl`). */
			uploadedUrl?: (fileId: string) => string | undefined;
		},
	) {}

	// ---- seeding ----

	add(seed: AssetSeed = {}): DigitalAssetInfo {
		const id = seed.asset_id ?? randomBytes(16).toString('hex');
		if (id === '') throw new Error('asset_id must not be empty');
		if (this.assets.has(id)) throw new Error(`Asset ${id} is already seeded`);
		const type = seed.asset_type ?? 'VIDEO';
		const state = seed.asset_state ?? 'ACTIVED';
		if (!ASSET_TYPES.includes(type)) throw new Error(`Unknown asset_type ${String(type)}`);
		if (!ASSET_STATES.includes(state)) throw new Error(`Unknown asset_state ${String(state)}`);
		const name = seed.asset_name ?? `Asset ${id}`;
		const createdAt = wholeSeconds(seed.create_time === undefined ? this.context.now() : toMs(seed.create_time, 'create_time'));
		const updatedAt = seed.update_time === undefined ? createdAt : wholeSeconds(toMs(seed.update_time, 'update_time'));
		const files = (seed.files ?? [{}]).map((file, index) => defaultFile(file, index, id, name, type));
		const ids = new Set<string>();
		for (const file of files) {
			if (ids.has(file.file_id) || this.hasFile(file.file_id)) throw new Error(`File ${file.file_id} is already seeded`);
			ids.add(file.file_id);
		}
		const failed = state === 'FAILED';
		const info: StoredAsset['info'] = {
			asset_id: id,
			...optional('produce_id', seed.produce_id),
			asset_name: name,
			asset_description: seed.asset_description ?? '',
			...(seed.app_user_id === undefined ? {} : { app_user_id: seed.app_user_id }),
			project_id: this.context.projectId,
			asset_type: type,
			asset_state: state,
			...optional('fail_type', seed.fail_type ?? (failed ? 'AUTOMATIC_REVIEW_REJECT' : undefined)),
			...optional('reason', seed.reason ?? (failed ? 'The main file did not pass the automatic review.' : undefined)),
			tags: [...(seed.tags ?? [])],
			system_properties: structuredClone(seed.system_properties ?? []),
			asset_extra_meta: structuredClone(seed.asset_extra_meta ?? {}),
		};
		this.assets.set(id, {
			info,
			files,
			createdAt,
			updatedAt,
			source: seed.source ?? 'CUSTOMIZATION',
			stateBeforeDelete: seed.stateBeforeDelete ?? 'UNACTIVED',
			order: this.seeded++,
		});
		return this.view(id)!;
	}

	addFile(id: string): void {
		if (this.fileOwner(id) !== undefined) throw new Error(`File ${id} belongs to an asset`);
		this.looseFiles.add(id);
	}

	clear(): void {
		this.assets.clear();
		this.looseFiles.clear();
	}

	// ---- reading ----

	has(id: string): boolean {
		return this.assets.has(id);
	}

	/** The asset as ShowAsset would serve it now. */
	view(id: string): DigitalAssetInfo | undefined {
		const stored = this.assets.get(id);
		if (!stored) return undefined;
		const expires = Math.floor(this.context.now() / 1000) + 24 * 3600;
		return {
			...structuredClone(stored.info),
			create_time: rfc3339(stored.createdAt),
			update_time: rfc3339(stored.updatedAt),
			files: stored.files.map((file) => ({
				...file,
				download_url:
					file.download_url ??
					this.context.downloadUrl?.({
						assetId: id,
						fileId: file.file_id,
						fileName: file.file_name,
						category: file.asset_file_category,
					}) ??
					this.context.uploadedUrl?.(file.file_id) ??
					`https://metastudio-assets.obs.${this.context.region}.myhuaweicloud.com/${this.context.projectId}/${id}/${encodeURIComponent(file.file_name)}?Expires=${expires}`,
			})),
		} as DigitalAssetInfo;
	}

	/** Every asset in seeding order. */
	all(): DigitalAssetInfo[] {
		return [...this.assets.keys()].map((id) => this.view(id)!);
	}

	sourceOf(id: string): AssetSource | undefined {
		return this.assets.get(id)?.source;
	}

	list(query: ListAssetsQuery): { count: number; assets: DigitalAssetInfo[] } {
		const name = query.name?.toLowerCase();
		const matching = [...this.assets.values()].filter(
			(asset) =>
				(query.source === 'ALL' || asset.source === query.source) &&
				(name === undefined || asset.info.asset_name.toLowerCase().includes(name)) &&
				(query.tags === undefined ||
					(query.tagCombination === 'UNION_SET'
						? query.tags.some((tag) => asset.info.tags.includes(tag))
						: query.tags.every((tag) => asset.info.tags.includes(tag)))) &&
				(query.assetIds === undefined || query.assetIds.has(asset.info.asset_id)) &&
				(query.startTime === undefined || asset.createdAt >= query.startTime) &&
				(query.endTime === undefined || asset.createdAt <= query.endTime) &&
				(query.assetTypes === undefined || query.assetTypes.has(asset.info.asset_type)) &&
				(query.assetStates === undefined || query.assetStates.has(asset.info.asset_state)),
		);
		const direction = query.sortDir === 'desc' ? -1 : 1;
		const key = (asset: StoredAsset) =>
			query.sortKey === 'update_time' ? asset.updatedAt : query.sortKey === 'asset_order' ? asset.order : asset.createdAt;
		matching.sort((a, b) => direction * (key(a) - key(b) || a.order - b.order));
		return {
			count: matching.length,
			assets: matching.slice(query.offset, query.offset + query.limit).map((asset) => this.view(asset.info.asset_id)!),
		};
	}

	hasFile(id: string): boolean {
		return this.looseFiles.has(id) || this.fileOwner(id) !== undefined;
	}

	/** Files outside assets, then each asset's files, in seeding order. */
	fileIds(): string[] {
		return [...this.looseFiles, ...[...this.assets.values()].flatMap((asset) => asset.files.map((file) => file.file_id))];
	}

	// ---- changes ----

	delete(id: string, mode: DeleteMode): DeleteOutcome {
		const stored = this.assets.get(id);
		if (!stored) return 'notFound';
		if (stored.source === 'SYSTEM') return 'systemAsset';
		if (mode === 'force') {
			this.assets.delete(id);
			return 'removed';
		}
		const state = stored.info.asset_state;
		if (state === 'DELETING' || state === 'DELETED') return 'unchanged';
		stored.stateBeforeDelete = state;
		stored.info.asset_state = 'DELETING';
		stored.updatedAt = wholeSeconds(this.context.now());
		return 'movedToRecycleBin';
	}

	restore(id: string): RestoreOutcome {
		const stored = this.assets.get(id);
		if (!stored) return 'notFound';
		if (stored.info.asset_state !== 'DELETING') return 'notInRecycleBin';
		stored.info.asset_state = stored.stateBeforeDelete;
		stored.updatedAt = wholeSeconds(this.context.now());
		return 'restored';
	}

	/** ACTIVE (`active` true) or UNACTIVE of one asset (see `activationOutcome`). */
	setActivation(id: string, active: boolean): ActivationOutcome {
		const stored = this.assets.get(id);
		if (!stored) return 'notFound';
		if (stored.source === 'SYSTEM') return 'systemAsset';
		const outcome = activationOutcome(stored.info.asset_state, active);
		if (outcome !== 'changed') return outcome;
		stored.info.asset_state = active ? 'ACTIVED' : 'UNACTIVED';
		stored.updatedAt = wholeSeconds(this.context.now());
		return 'changed';
	}

	/**
	 * A test's hand (no API): puts an asset in `state` and sets `update_time`. Into DELETING it remembers
	 * the state it leaves, for a restore. False when the asset is unknown.
	 */
	setState(id: string, state: AssetState): boolean {
		if (!ASSET_STATES.includes(state)) throw new Error(`Unknown asset_state ${String(state)}`);
		const stored = this.assets.get(id);
		if (!stored) return false;
		if (state === 'DELETING' && stored.info.asset_state !== 'DELETING') stored.stateBeforeDelete = stored.info.asset_state;
		stored.info.asset_state = state;
		stored.updatedAt = wholeSeconds(this.context.now());
		return true;
	}

	/**
	 * DeleteFile: undefined when the file is unknown; else the asset whose files[] it left (`owner`), or
	 * `{}` for a loose file.
	 */
	deleteFile(id: string): { owner?: string } | undefined {
		if (this.looseFiles.delete(id)) return {};
		const owner = this.fileOwner(id);
		if (!owner) return undefined;
		owner.files = owner.files.filter((file) => file.file_id !== id);
		owner.updatedAt = wholeSeconds(this.context.now());
		return { owner: owner.info.asset_id };
	}

	/** As if seven days had passed: every DELETING asset becomes DELETED (no longer restorable). */
	expireRecycleBin(): string[] {
		const expired: string[] = [];
		for (const stored of this.assets.values()) {
			if (stored.info.asset_state !== 'DELETING') continue;
			stored.info.asset_state = 'DELETED';
			stored.updatedAt = wholeSeconds(this.context.now());
			expired.push(stored.info.asset_id);
		}
		return expired;
	}

	/** The stored state, type, source and whether it has a MAIN file; undefined when unknown. */
	facts(id: string): { state: AssetState; type: AssetType; source: AssetSource; hasMain: boolean } | undefined {
		const stored = this.assets.get(id);
		if (!stored) return undefined;
		return {
			state: stored.info.asset_state,
			type: stored.info.asset_type,
			source: stored.source,
			hasMain: stored.files.some((file) => file.asset_file_category === 'MAIN'),
		};
	}

	/**
	 * A confirmed file joins the asset's `files[]`; a MAIN file takes a CREATING asset to
	 * `stateAfterMainFile`. False when the asset is unknown.
	 */
	attachFile(assetId: string, file: Omit<AssetFileInfo, 'download_url'>, stateAfterMainFile: AssetState): boolean {
		const stored = this.assets.get(assetId);
		if (!stored) return false;
		if (this.hasFile(file.file_id)) throw new Error(`File ${file.file_id} already exists`);
		stored.files.push({ ...file });
		if (file.asset_file_category === 'MAIN' && stored.info.asset_state === 'CREATING') {
			stored.info.asset_state = stateAfterMainFile;
		}
		stored.updatedAt = wholeSeconds(this.context.now());
		return true;
	}

	/** UpdateDigitalAsset on a known asset (the caller checked it may be changed): whether anything changed. */
	update(id: string, changes: AssetUpdate): 'unchanged' | 'changed' | 'stateNotAllowed' {
		const stored = this.assets.get(id)!;
		const { info } = stored;
		if (changes.asset_state !== undefined) {
			const outcome = activationOutcome(info.asset_state, changes.asset_state === 'ACTIVED');
			if (outcome === 'stateNotAllowed') return outcome;
		}
		const next = {
			asset_name: changes.asset_name ?? info.asset_name,
			asset_description: changes.asset_description ?? info.asset_description,
			tags: changes.tags ?? info.tags,
			asset_state: changes.asset_state ?? info.asset_state,
		};
		const same =
			next.asset_name === info.asset_name &&
			next.asset_description === info.asset_description &&
			next.asset_state === info.asset_state &&
			next.tags.length === info.tags.length &&
			next.tags.every((tag, index) => tag === info.tags[index]);
		if (same) return 'unchanged';
		Object.assign(info, { ...next, tags: [...next.tags] });
		stored.updatedAt = wholeSeconds(this.context.now());
		return 'changed';
	}

	private fileOwner(fileId: string): StoredAsset | undefined {
		for (const asset of this.assets.values()) {
			if (asset.files.some((file) => file.file_id === fileId)) return asset;
		}
		return undefined;
	}
}

// ---- CreateDigitalAsset, CreateFile, UpdateDigitalAsset: request checks ----

/** The types a tenant may name in CreateDigitalAsset (the documented ones). */
export const CREATABLE_ASSET_TYPES: readonly AssetType[] = ASSET_TYPES.filter(
	(type) => type !== 'COMMON_FILE' && type !== 'NORMAL_MODEL',
);

/** Documented types that ordinary users cannot create. */
export const RESTRICTED_ASSET_TYPES: readonly AssetType[] = ['VOICE_MODEL', 'HUMAN_MODEL_2D'];

export const ASSET_NAME_MAX = 256;
export const ASSET_DESCRIPTION_MAX = 4096;
export const TAGS_MAX = 50;
export const TAG_MAX = 128;
export const FILE_NAME_MAX = 256;
/** `file_size`: 1 B to 5 GiB (larger files need CreateLargeFile). */
export const FILE_SIZE_MAX = 5 * 1024 ** 3;

export const FILE_CATEGORIES = ['MAIN', 'COVER', 'PAGE', 'SAMPLE', 'OTHER', 'TEMPORARY', 'PACKAGE'] as const;
export type FileCategory = (typeof FILE_CATEGORIES)[number];

/** The categories CreateFile accepts per asset type: MAIN for every type. */
export const FILE_CATEGORIES_BY_TYPE: Partial<Record<AssetType, readonly FileCategory[]>> = {
	VIDEO: ['MAIN', 'COVER'],
	PPT: ['MAIN', 'COVER', 'PAGE', 'OTHER'],
};

/** The documented main-file formats and sizes per type. */
export const MAIN_FILE_LIMITS: Partial<Record<AssetType, { extensions: readonly string[]; maxBytes: number }>> = {
	VIDEO: { extensions: ['mp4', 'm4v', 'mkv', 'mov', 'flv', '3gp', 'wmv', 'avi', 'webm'], maxBytes: 5 * 1024 ** 3 },
	IMAGE: { extensions: ['jpeg', 'jpg', 'png', 'bmp', 'gif'], maxBytes: 50 * 1024 ** 2 },
	MUSIC: { extensions: ['wav', 'mp3', 'm4a'], maxBytes: 100 * 1024 ** 2 },
	AUDIO: { extensions: ['wav', 'mp3', 'm4a'], maxBytes: 100 * 1024 ** 2 },
	PPT: { extensions: ['ppt', 'pptx', 'pdf'], maxBytes: 100 * 1024 ** 2 },
};

export interface CreateAssetRequest {
	asset_name: string;
	asset_type: AssetType;
	asset_description?: string;
	tags?: string[];
}

export interface CreateFileRequest {
	file_name: string;
	file_md5: string;
	file_size: number;
	file_type: string;
	asset_id: string;
	asset_file_category: FileCategory;
}

export interface AssetUpdate {
	asset_name?: string;
	asset_description?: string;
	tags?: string[];
	asset_state?: 'UNACTIVED' | 'ACTIVED';
}

/** A checked body, or the detail of the `Invalid parameter: <detail>` refusal. */
export type BodyParseResult<T> = { ok: true; value: T } | { ok: false; detail: string };

/** A field check: undefined when fine, else the refusal's detail. */
type FieldCheck = (value: unknown) => string | undefined;

const codePoints = (text: string) => [...text].length;
const text = (name: string, min: number, max: number): FieldCheck => (value) =>
	typeof value === 'string' && codePoints(value) >= min && codePoints(value) <= max ? undefined : name;
const tagsCheck: FieldCheck = (value) =>
	Array.isArray(value) && value.length <= TAGS_MAX && value.every((tag) => text('tags', 1, TAG_MAX)(tag) === undefined)
		? undefined
		: 'tags';
const assetTypeCheck: FieldCheck = (value) => {
	if (typeof value !== 'string' || !(CREATABLE_ASSET_TYPES as readonly string[]).includes(value)) return 'asset_type';
	return RESTRICTED_ASSET_TYPES.includes(value as AssetType) ? `asset_type (ordinary users cannot create ${value})` : undefined;
};
const md5Check: FieldCheck = (value) =>
	typeof value === 'string' && /^[A-Za-z0-9+/]{22}==$/.test(value) ? undefined : 'file_md5';
const sizeCheck: FieldCheck = (value) =>
	Number.isSafeInteger(value) && (value as number) >= 1 && (value as number) <= FILE_SIZE_MAX ? undefined : 'file_size';
const oneOf = (name: string, allowed: readonly string[]): FieldCheck => (value) =>
	typeof value === 'string' && allowed.includes(value) ? undefined : name;

/** Required fields must be present; optional ones (`optional`) may be absent or null. Checked in table order. */
function parseBody<T>(body: string, fields: Array<[name: string, check: FieldCheck, optional?: boolean]>): BodyParseResult<T> {
	let parsed: unknown;
	try {
		parsed = body.trim() === '' ? {} : JSON.parse(body);
	} catch {
		return { ok: false, detail: 'body' };
	}
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { ok: false, detail: 'body' };
	const record = parsed as Record<string, unknown>;
	const value: Record<string, unknown> = {};
	for (const [name, check, optional] of fields) {
		const field = record[name];
		if (optional && (field === undefined || field === null)) continue;
		const refusal = check(field);
		if (refusal !== undefined) return { ok: false, detail: refusal };
		value[name] = Array.isArray(field) ? [...(field as unknown[])] : field;
	}
	return { ok: true, value: value as T };
}

/** CreateDigitalAsset's body: `asset_name`, `asset_type` required; `asset_description`, `tags` optional. */
export function parseCreateAssetBody(body: string): BodyParseResult<CreateAssetRequest> {
	return parseBody(body, [
		['asset_name', text('asset_name', 1, ASSET_NAME_MAX)],
		['asset_type', assetTypeCheck],
		['asset_description', text('asset_description', 0, ASSET_DESCRIPTION_MAX), true],
		['tags', tagsCheck, true],
	]);
}

/** CreateFile's body: every field required. */
export function parseCreateFileBody(body: string): BodyParseResult<CreateFileRequest> {
	return parseBody(body, [
		['file_name', text('file_name', 1, FILE_NAME_MAX)],
		['file_md5', md5Check],
		['file_size', sizeCheck],
		['file_type', text('file_type', 1, FILE_NAME_MAX)],
		['asset_id', text('asset_id', 1, Number.MAX_SAFE_INTEGER)],
		['asset_file_category', oneOf('asset_file_category', FILE_CATEGORIES)],
	]);
}

/** UpdateDigitalAsset's body: every field optional. */
export function parseUpdateAssetBody(body: string): BodyParseResult<AssetUpdate> {
	return parseBody(body, [
		['asset_name', text('asset_name', 1, ASSET_NAME_MAX), true],
		['asset_description', text('asset_description', 0, ASSET_DESCRIPTION_MAX), true],
		['tags', tagsCheck, true],
		['asset_state', oneOf('asset_state', ['UNACTIVED', 'ACTIVED']), true],
	]);
}

/**
 * Whether an asset in this state, of this source, may take a new file or an update: undefined when it
 * may, else the refusal's detail.
 */
export function changeRefusal(facts: { state: AssetState; source: AssetSource }): string | undefined {
	if (facts.source === 'SYSTEM') return 'asset_id (a system asset cannot be changed)';
	if (facts.state === 'DELETING') return 'asset_id (the asset is in the recycle bin)';
	if (facts.state === 'DELETED') return 'asset_id (the asset is deleted)';
	return undefined;
}

/**
 * CreateFile's checks against the asset: the category its type takes, one MAIN (`hasMain`: one attached
 * or being uploaded), and the main-file limits (when `mainFileLimits`). undefined when fine.
 */
export function fileRefusal(
	type: AssetType,
	request: CreateFileRequest,
	{ hasMain, mainFileLimits }: { hasMain: boolean; mainFileLimits: boolean },
): string | undefined {
	const categories = FILE_CATEGORIES_BY_TYPE[type] ?? ['MAIN'];
	if (!categories.includes(request.asset_file_category)) {
		return `asset_file_category (a ${type} asset takes ${categories.join(', ')})`;
	}
	if (request.asset_file_category !== 'MAIN') return undefined;
	if (hasMain) return 'asset_file_category (the asset already has a MAIN file)';
	const limits = mainFileLimits ? MAIN_FILE_LIMITS[type] : undefined;
	if (!limits) return undefined;
	if (!limits.extensions.includes(request.file_type.replace(/^\./, '').toLowerCase())) {
		return `file_type (a ${type} main file is one of ${limits.extensions.join(', ')})`;
	}
	if (request.file_size > limits.maxBytes) return `file_size (a ${type} main file is at most ${limits.maxBytes} bytes)`;
	return undefined;
}

// ---- helpers ----

const EXTENSIONS: Partial<Record<AssetType, string>> = {
	VIDEO: 'mp4',
	IMAGE: 'png',
	PPT: 'pptx',
	MUSIC: 'mp3',
	AUDIO: 'mp3',
	VOICE_MODEL: 'wav',
	ANIMATION: 'fbx',
	SCENE: 'zip',
};

function defaultFile(seed: AssetFileSeed, index: number, assetId: string, assetName: string, type: AssetType): StoredFile {
	const category = seed.asset_file_category ?? (index === 0 ? 'MAIN' : index === 1 ? 'COVER' : 'OTHER');
	const fileId = seed.file_id ?? `${assetId}-f${index}`;
	const extension = category === 'COVER' ? 'png' : (EXTENSIONS[type] ?? 'zip');
	const fileName = seed.file_name ?? `${assetName}${index === 0 ? '' : `-${index}`}.${extension}`;
	const dot = fileName.lastIndexOf('.');
	return {
		file_id: fileId,
		file_name: fileName,
		file_md5: seed.file_md5 ?? createHash('md5').update(fileId).digest('base64'),
		file_size: seed.file_size ?? 1024 * (1 + (createHash('sha256').update(fileId).digest()[0] ?? 0)),
		file_type: seed.file_type ?? (dot >= 0 ? fileName.slice(dot + 1) : ''),
		asset_file_category: category,
		...(seed.download_url === undefined ? {} : { download_url: seed.download_url }),
		state: seed.state ?? 'CREATED',
	};
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
	return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}

function integer(text: string): number | undefined {
	if (!/^\d{1,15}$/.test(text)) return undefined;
	return Number(text);
}

/** `YYYY-MM-DDTHH:MM:SS[.fraction]Z` → epoch ms, or undefined when malformed or not a real time. */
export function parseRfc3339Utc(text: string): number | undefined {
	const match = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d{1,9})?Z$/.exec(text);
	if (!match) return undefined;
	const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
	const time = Date.UTC(year, month - 1, day, hour, minute, second);
	const check = new Date(time);
	if (
		check.getUTCFullYear() !== year ||
		check.getUTCMonth() !== month - 1 ||
		check.getUTCDate() !== day ||
		check.getUTCHours() !== hour ||
		check.getUTCMinutes() !== minute
	) {
		return undefined;
	}
	return time + (match[7] ? Math.floor(Number(`0${match[7]}`) * 1000) : 0);
}

/** Epoch ms → `YYYY-MM-DDTHH:MM:SSZ` (whole seconds, as the API writes times). */
export function rfc3339(ms: number): string {
	return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Times are kept as served (whole seconds), so that filters compare what a caller can see. */
function wholeSeconds(ms: number): number {
	return Math.floor(ms / 1000) * 1000;
}

function toMs(value: TimeInput, field: string): number {
	const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
	if (!Number.isFinite(ms)) throw new Error(`${field}: not a time: ${String(value)}`);
	return ms;
}
