import type { Position, SeenAsset } from '../../nodes/MediaAssetsTrigger/cursor';
import { decide, readPosition, SEEN_LIMIT, startingPosition } from '../../nodes/MediaAssetsTrigger/cursor';
import { metaStudioRequests } from '../../nodes/MediaAssets/transport/metaStudio';

const T = Date.UTC(2026, 9, 1, 8, 0, 0);
const at = (id: string, state: string, second: number): SeenAsset => ({ id, state, time: T + second * 1000 });
const iso = (second: number) => new Date(T + second * 1000).toISOString().replace('.000', '');

describe('trigger cursor', () => {
	it('should start at the newest second and keep every asset of it when the trigger starts', () => {
		const position = startingPosition('assetCreated', [at('b', 'ACTIVED', 5), at('c', 'FAILED', 5), at('a', 'ACTIVED', 3)]);
		expect(position).toEqual({ version: 1, event: 'assetCreated', lastTime: iso(5), seen: { b: ['ACTIVED', iso(5)], c: ['FAILED', iso(5)] } });
		expect(startingPosition('assetCreated', [])).toEqual({ version: 1, event: 'assetCreated', lastTime: null, seen: {} });
	});

	it('should emit what is newer, and in the boundary second only what was not seen, when deciding a New Asset poll', () => {
		const position = startingPosition('assetCreated', [at('b', 'ACTIVED', 5)]);
		const { emit, next } = decide(position, [at('d', 'ACTIVED', 6), at('c', 'ACTIVED', 5), at('b', 'ACTIVED', 5), at('a', 'ACTIVED', 4)], []);
		expect(emit.map((asset) => asset.id)).toEqual(['c', 'd']);
		expect(next).toEqual({ version: 1, event: 'assetCreated', lastTime: iso(6), seen: { d: ['ACTIVED', iso(6)] } });
		expect(decide(next, [at('d', 'ACTIVED', 6)], []).emit).toEqual([]);
	});

	it('should emit a state change once, also in the same second, and never a change that keeps the state', () => {
		let position: Position = startingPosition('assetStateChanged', [at('x', 'ACTIVED', 1), at('y', 'ACTIVED', 1)]);
		let result = decide(position, [at('x', 'FAILED', 2), at('y', 'ACTIVED', 1)], ['FAILED']);
		expect(result.emit.map((asset) => asset.id)).toEqual(['x']);
		position = result.next;
		result = decide(position, [at('x', 'DELETING', 2), at('y', 'ACTIVED', 2)], ['FAILED', 'DELETING']);
		expect(result.emit.map((asset) => [asset.id, asset.state])).toEqual([['x', 'DELETING']]);
		result = decide(result.next, [at('x', 'DELETING', 2), at('y', 'ACTIVED', 2)], []);
		expect(result.emit).toEqual([]);
	});

	it('should keep the boundary second and at most SEEN_LIMIT assets when remembering states', () => {
		const listed = Array.from({ length: SEEN_LIMIT + 50 }, (_, i) => at(`a${i}`, 'ACTIVED', 1000 - i));
		const position = startingPosition('assetStateChanged', listed);
		expect(Object.keys(position.seen)).toHaveLength(SEEN_LIMIT);
		expect(position.seen.a0).toEqual(['ACTIVED', iso(1000)]);
	});

	it('should refuse a stored position of another event or shape when reading it', () => {
		const position = startingPosition('assetCreated', [at('a', 'ACTIVED', 1)]);
		expect(readPosition(position, 'assetCreated')).toEqual(position);
		expect(readPosition(position, 'assetStateChanged')).toBeUndefined();
		expect(readPosition({ version: 2 }, 'assetCreated')).toBeUndefined();
		expect(readPosition(undefined, 'assetCreated')).toBeUndefined();
	});
});

describe('ListAssets requests', () => {
	it('should encode each parameter and keep their order when building a ListAssets URL', () => {
		const project = { authentication: 'akSk' as const, endpoint: 'https://metastudio.cn-north-4.myhuaweicloud.com', projectId: 'p1', headers: {} };
		expect(metaStudioRequests.listAssets(project, [['name', 'a b&c'], ['asset_type', 'VIDEO,IMAGE']]).url).toBe(
			'https://metastudio.cn-north-4.myhuaweicloud.com/v1/p1/digital-assets?name=a%20b%26c&asset_type=VIDEO%2CIMAGE',
		);
		expect(metaStudioRequests.listAssets(project, [['limit', '100']]).url).toBe(
			'https://metastudio.cn-north-4.myhuaweicloud.com/v1/p1/digital-assets?limit=100',
		);
	});
});
