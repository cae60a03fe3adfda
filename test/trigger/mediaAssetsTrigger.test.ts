/**
 * Media Assets Trigger through n8n's real polling path (n8n-core's trigger registry and PollContext,
 * see test/harness/pollingN8n.ts) against the MetaStudio emulator, on both engine lines.
 */
import type { IDataObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { AssetSeed } from '../emulators/metaStudio';
import { listAssetsFaultKey, MetaStudioEmulator } from '../emulators/metaStudio';
import { PollingN8n } from '../harness/pollingN8n';

const PROJECT = 'p0000000000000000000000000000016';
const HOUR = 3600_000;

let cloud: MetaStudioEmulator;
let n8n: PollingN8n | undefined;

async function startCloud(assets: AssetSeed[] = [], region?: 'cn-north-4' | 'cn-east-3'): Promise<void> {
	cloud = await MetaStudioEmulator.start({
		accessKeyId: 'AKTRIGGER00000000016',
		secretAccessKey: 'trigger-secret-000000000000000000000016',
		projectId: PROJECT,
		assets,
		enforceApiLimits: true,
		...(region ? { region } : {}),
	});
	// A second that starts now and is not over before the test is: asset times are whole seconds.
	cloud.freezeClock(Math.floor(Date.now() / 1000) * 1000 + 200);
}

function trigger(parameters: IDataObject, region = 'cn-north-4'): PollingN8n {
	n8n = new PollingN8n({ parameters, credentials: { huaweiCloudAkSkApi: cloud.akSkCredential(region) } });
	return n8n;
}

const seeded = (count: number): AssetSeed[] =>
	Array.from({ length: count }, (_, i) => ({
		asset_id: `asset-${String(i).padStart(3, '0')}`,
		asset_state: 'ACTIVED' as const,
		create_time: Date.now() - 2 * HOUR,
	}));

const ids = (items: Array<Record<string, unknown>>) => items.map((item) => item.asset_id);
const listRequests = () => cloud.requestsTo('ListAssets');

afterEach(async () => {
	await n8n?.stop().catch(() => undefined);
	n8n = undefined;
	await cloud?.stop();
});

describe('Media Assets Trigger: activation', () => {
	it('should emit nothing that happened before activation and store where it starts when activated', async () => {
		const before = Date.now() - HOUR;
		await startCloud([
			{ asset_id: 'old-1', create_time: before, asset_state: 'FAILED' },
			{ asset_id: 'old-2', create_time: before + 1000, asset_state: 'DELETING' },
		]);
		const created = trigger({ event: 'assetCreated' });
		await created.activate();
		await created.tick();

		expect(created.executions).toHaveLength(0);
		expect(created.failedPolls).toHaveLength(0);
		expect(created.storedPosition).toMatchObject({ event: 'assetCreated', lastTime: cloud.asset('old-2')!.create_time });
		expect(created.cronExpressions).toHaveLength(1);
		const [first] = listRequests();
		expect(first.query).toMatchObject({ sort_key: 'create_time', sort_dir: 'desc', limit: '100', offset: '0' });
	});

	it('should emit assets that appear after activation when the library was empty at activation', async () => {
		await startCloud();
		const created = trigger({ event: 'assetCreated' });
		await created.activate();
		cloud.addAsset({ asset_id: 'first' });
		await created.tick();

		expect(ids(created.emittedItems())).toEqual(['first']);
	});

	it('should register one cron per Poll Times entry when activated', async () => {
		await startCloud();
		const created = trigger({ event: 'assetCreated', pollTimes: { item: [{ mode: 'everyMinute' }, { mode: 'everyHour', minute: 5 }] } });
		await created.activate();

		expect(created.cronExpressions).toHaveLength(2);
	});
});

describe('Media Assets Trigger: New Asset', () => {
	it('should emit each asset once when assets are created in the same second as the poll before', async () => {
		await startCloud([{ asset_id: 'before', create_time: Date.now() - HOUR }]);
		const created = trigger({ event: 'assetCreated' });
		await created.activate();

		cloud.addAsset({ asset_id: 'a' });
		await created.tick();
		cloud.addAsset({ asset_id: 'b' }); // same second as `a` and as the poll that emitted it
		await created.tick();
		await created.tick();
		cloud.advanceClock(1000);
		cloud.addAsset({ asset_id: 'c' });
		await created.tick();

		expect(created.executions.map((execution) => ids(execution.items.map((item) => item.json)))).toEqual([['a'], ['b'], ['c']]);
		// The listing is narrowed to the position's second on (start_time filters on create_time).
		expect(listRequests().at(-1)!.query).toMatchObject({ start_time: cloud.asset('b')!.create_time });
	});

	it('should send the filters and output the raw asset when Simplify is off', async () => {
		await startCloud();
		const created = trigger({ event: 'assetCreated', simple: false, filters: { assetType: ['VIDEO', 'IMAGE'], name: 'promo', tag: 'campaign' } });
		await created.activate();
		cloud.addAsset({ asset_id: 'promo-1', asset_name: 'promo 1', asset_type: 'VIDEO', tags: ['campaign'] });
		cloud.addAsset({ asset_id: 'other', asset_name: 'other', asset_type: 'VIDEO', tags: ['campaign'] });
		await created.tick();

		expect(created.emittedItems()).toEqual([cloud.asset('promo-1')]);
		expect(listRequests().at(-1)!.query).toMatchObject({ asset_type: 'VIDEO,IMAGE', name: 'promo', tag: 'campaign' });
	});
});

describe('Media Assets Trigger: Asset State Changed', () => {
	it('should emit each state change once when changes happen in the same second as a poll', async () => {
		await startCloud(seeded(3));
		const changed = trigger({ event: 'assetStateChanged', states: ['FAILED', 'DELETING'] });
		await changed.activate();

		cloud.setAssetState('asset-000', 'FAILED');
		await changed.tick();
		cloud.setAssetState('asset-001', 'FAILED'); // same second
		await changed.tick();
		cloud.setAssetState('asset-000', 'DELETING'); // same second, the asset emitted at the boundary
		await changed.tick();
		await changed.tick();

		expect(changed.executions.map((execution) => execution.items.map((item) => [item.json.asset_id, item.json.asset_state]))).toEqual([
			[['asset-000', 'FAILED']],
			[['asset-001', 'FAILED']],
			[['asset-000', 'DELETING']],
		]);
		expect(listRequests().at(-1)!.query).toMatchObject({ sort_key: 'update_time', sort_dir: 'desc' });
		expect(listRequests().every((request) => request.query.asset_state === undefined)).toBe(true);
	});

	it('should not emit a change that leaves the state as it was, nor a change into a state not selected', async () => {
		await startCloud(seeded(3));
		const changed = trigger({ event: 'assetStateChanged', states: ['FAILED'] });
		await changed.activate();

		cloud.advanceClock(1000);
		cloud.setAssetState('asset-000', 'ACTIVED'); // update_time moves, the state does not
		cloud.setAssetState('asset-001', 'UNACTIVED');
		await changed.tick();
		cloud.advanceClock(1000);
		cloud.setAssetState('asset-001', 'FAILED');
		await changed.tick();

		expect(changed.executions.map((execution) => ids(execution.items.map((item) => item.json)))).toEqual([['asset-001']]);
	});

	it('should emit all 250 changes of one interval once, page by page under the query limit', async () => {
		await startCloud(seeded(300), 'cn-east-3');
		const changed = trigger({ event: 'assetStateChanged', states: ['FAILED'] }, 'cn-east-3');
		await changed.activate();
		const pagesAtActivation = listRequests().length;

		for (let i = 0; i < 250; i++) {
			if (i % 90 === 0) cloud.advanceClock(1000);
			cloud.setAssetState(`asset-${String(i).padStart(3, '0')}`, 'FAILED');
		}
		await changed.tick();
		const pages = listRequests().slice(pagesAtActivation);
		await changed.tick();

		expect(changed.executions).toHaveLength(1);
		const emitted = ids(changed.emittedItems());
		expect(emitted).toHaveLength(250);
		expect(new Set(emitted).size).toBe(250);
		expect(changed.emittedItems().every((item) => item.asset_state === 'FAILED')).toBe(true);
		// Oldest change first.
		const times = changed.emittedItems().map((item) => String(item.update_time));
		expect([...times].sort()).toEqual(times);
		expect(pages.length).toBeGreaterThanOrEqual(3);
		expect(cloud.stats().apiLimited).toBe(0);
		// cn-east-3 allows 10 queries per second: pages at least 100 ms apart.
		for (let i = 1; i < pages.length; i++) expect(pages[i].time - pages[i - 1].time).toBeGreaterThanOrEqual(95);
	});
});

describe('Media Assets Trigger: failed polls and restarts', () => {
	it('should emit nothing, keep its position and throw a NodeApiError when a poll is throttled, then catch up', async () => {
		await startCloud([{ asset_id: 'x', asset_state: 'ACTIVED', create_time: Date.now() - HOUR }]);
		const changed = trigger({ event: 'assetStateChanged' });
		await changed.activate();
		const position = structuredClone(changed.livePosition);

		cloud.advanceClock(1000);
		cloud.setAssetState('x', 'FAILED');
		cloud.setFaults({ methods: ['GET'], script: { [listAssetsFaultKey(0)]: ['throttle'] } });
		await changed.tick();

		expect(changed.executions).toHaveLength(0);
		expect(changed.failedPolls).toHaveLength(1);
		const [error] = changed.failedPolls;
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).httpCode).toBe('429');
		expect(error.message).toMatch(
			/^Could not poll MetaStudio for asset changes: the service is throttling requests: .+ \[HTTP 429, code APIGW\.0308, request ID [0-9a-f]+\]$/,
		);
		expect((error as NodeApiError).description).toContain('the next poll catches up');
		expect(JSON.stringify(error)).not.toContain('trigger-secret');
		expect(changed.livePosition).toEqual(position);

		await changed.tick();
		expect(changed.executions.map((execution) => ids(execution.items.map((item) => item.json)))).toEqual([['x']]);
	});

	it('should emit nothing when a later page fails with a 5xx, then emit every change once', async () => {
		await startCloud(seeded(150));
		const changed = trigger({ event: 'assetStateChanged' });
		await changed.activate();
		for (let i = 0; i < 120; i++) cloud.setAssetState(`asset-${String(i).padStart(3, '0')}`, 'UNACTIVED');
		cloud.setFaults({ methods: ['GET'], script: { [listAssetsFaultKey(99)]: ['http500'] } });
		await changed.tick();

		expect(changed.executions).toHaveLength(0);
		expect(changed.failedPolls[0]).toBeInstanceOf(NodeApiError);
		expect((changed.failedPolls[0] as NodeApiError).httpCode).toBe('500');

		await changed.tick();
		expect(changed.emittedItems()).toHaveLength(120);
	});

	it('should continue from the stored position when n8n restarts', async () => {
		await startCloud(seeded(4));
		const changed = trigger({ event: 'assetStateChanged', states: ['FAILED', 'DELETING'] });
		await changed.activate();
		cloud.advanceClock(1000);
		cloud.setAssetState('asset-000', 'FAILED');
		await changed.tick(); // emitted: the position is saved with the execution
		cloud.setAssetState('asset-001', 'FAILED'); // same second, before the restart
		await changed.stop();

		cloud.advanceClock(1000);
		cloud.setAssetState('asset-002', 'DELETING'); // while n8n is down
		await changed.activate('init');
		await changed.tick();

		expect(changed.executions.map((execution) => ids(execution.items.map((item) => item.json)))).toEqual([
			['asset-000'],
			['asset-001', 'asset-002'],
		]);
	});
});

describe('Media Assets Trigger: Fetch Test Event', () => {
	it('should return the most recent matching assets without moving the position when run manually', async () => {
		await startCloud([
			{ asset_id: 'failed-old', asset_state: 'FAILED', create_time: Date.now() - 2 * HOUR },
			{ asset_id: 'failed-new', asset_state: 'FAILED', create_time: Date.now() - HOUR },
			{ asset_id: 'active', asset_state: 'ACTIVED', create_time: Date.now() - HOUR },
		]);
		const changed = trigger({ event: 'assetStateChanged', states: ['FAILED'] });
		await changed.activate();
		const position = structuredClone(changed.livePosition);
		cloud.advanceClock(1000);
		cloud.setAssetState('active', 'FAILED');

		const sample = await changed.fetchTestEvent();

		expect(sample.error).toBeUndefined();
		expect(ids(sample.items)).toEqual(['active', 'failed-new', 'failed-old']);
		expect(listRequests().at(-1)!.query).toMatchObject({ asset_state: 'FAILED', sort_key: 'update_time', sort_dir: 'desc' });
		expect(changed.livePosition).toEqual(position);
		expect(changed.executions).toHaveLength(0);

		await changed.tick();
		expect(ids(changed.emittedItems())).toEqual(['active']);
	});

	it('should say so when no asset matches in manual mode', async () => {
		await startCloud();
		const created = trigger({ event: 'assetCreated' });
		await created.activate();

		const sample = await created.fetchTestEvent();

		expect(sample.items).toEqual([]);
		expect(sample.error?.message).toContain('No MetaStudio asset matches');
	});
});
