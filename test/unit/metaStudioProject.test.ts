/**
 * The one MetaStudio project resolver the node's operations, the Asset ID pickers and the trigger share:
 * the credential's data, the Authentication choice and the Project ID / App User ID options in, the
 * project (or what to fix) out.
 */
import { huaweiAuthentication, metaStudioProjectOf } from '../../nodes/MediaAssets/transport/metaStudio';

const PROJECT = '6a6a1f8354f64dd9b9a614def7b59d83';
const credentials = { region: 'cn-east-3', projectId: PROJECT };

describe('metaStudioProjectOf', () => {
	it("should use the credential's project and region, with X-Project-Id only for AK/SK, when no option is set", () => {
		expect(metaStudioProjectOf(credentials, 'akSk', {})).toEqual({
			ok: true,
			project: {
				authentication: 'akSk',
				endpoint: 'https://metastudio.cn-east-3.myhuaweicloud.com',
				projectId: PROJECT,
				headers: { 'X-Project-Id': PROJECT },
			},
		});
		expect(metaStudioProjectOf(credentials, 'iamToken', { projectId: '', appUserId: '' })).toMatchObject({
			ok: true,
			project: { authentication: 'iamToken', projectId: PROJECT, headers: {} },
		});
	});

	it('should take the Project ID option and send the App User ID when they are set', () => {
		const checked = metaStudioProjectOf({ ...credentials, endpoint: 'https://metastudio.example.test/' }, 'akSk', {
			projectId: ' ffffffffffffffffffffffffffffffff ',
			appUserId: 'user-42',
		});
		expect(checked).toEqual({
			ok: true,
			project: {
				authentication: 'akSk',
				endpoint: 'https://metastudio.example.test',
				projectId: 'ffffffffffffffffffffffffffffffff',
				headers: { 'X-Project-Id': 'ffffffffffffffffffffffffffffffff', 'X-App-UserId': 'user-42' },
			},
		});
	});

	it('should say what to fix, without throwing, when the project, the app user or the region cannot be used', () => {
		expect(metaStudioProjectOf({ region: 'cn-east-3', projectId: ' ' }, 'akSk', {})).toMatchObject({ ok: false, problem: 'The project ID is empty' });
		expect(metaStudioProjectOf(credentials, 'akSk', { projectId: '../other' })).toMatchObject({ ok: false, problem: expect.stringContaining('not allowed in an ID') });
		expect(metaStudioProjectOf(credentials, 'akSk', { appUserId: '用户' })).toMatchObject({ ok: false, problem: expect.stringContaining('Chinese characters') });
		expect(metaStudioProjectOf({ ...credentials, region: 'evil.example.com/x' }, 'akSk', {})).toEqual({
			ok: false,
			problem: expect.stringContaining('is not a Huawei Cloud region ID'),
			hint: 'Fix the Region or Endpoint of the credential.',
		});
	});
});

describe('huaweiAuthentication', () => {
	it('should read the IAM token choice and take anything else for AK/SK, the default', () => {
		expect(huaweiAuthentication('iamToken')).toBe('iamToken');
		expect(huaweiAuthentication('akSk')).toBe('akSk');
		expect(huaweiAuthentication(undefined)).toBe('akSk');
	});
});
