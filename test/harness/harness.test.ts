import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

import { Container } from '@n8n/di';
import { ErrorReporter } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestHelper,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	INode,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError, VersionedNodeType } from 'n8n-workflow';

import { ENGINE_LINE } from '../engines/line';
import { credentialTypes, TestCredentialsHelper } from './credentialsHelper';
import { createNodeTypes, MEDIA_ASSETS_NODE_TYPE, SOURCE_NODE_TYPE, TestNodeTypes } from './nodeTypes';
import type { RunResult } from './runWorkflow';
import { allCapturedLogs, runMediaAssets, runWorkflow } from './runWorkflow';

const API_KEY = 'sk-harness-secret-4711';
const TOKEN_SECRET = 'token-secret-0815';

// ---------------------------------------------------------------------------------------------
// A tiny API on 127.0.0.1: echoes the Authorization header, issues tokens, guards a resource
// with the current token, and has an endpoint that never answers.
// ---------------------------------------------------------------------------------------------
interface TestApi {
	baseUrl: string;
	requests: Array<{ method: string; path: string; headers: IncomingMessage['headers'] }>;
	tokensIssued: number;
	validToken: string;
	stop(): Promise<void>;
}

async function startApi(): Promise<TestApi> {
	const sockets = new Set<Socket>();
	const api = { requests: [], tokensIssued: 0, validToken: '' } as unknown as TestApi;
	const send = (res: ServerResponse, status: number, body: unknown) => {
		res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
	};
	const server = createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		api.requests.push({ method: req.method ?? '', path: url.pathname, headers: req.headers });
		let raw = '';
		req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
		req.on('end', () => {
			if (url.pathname === '/echo') return send(res, 200, { authorization: req.headers.authorization ?? null });
			if (url.pathname === '/token') {
				const { secret } = JSON.parse(raw || '{}') as { secret?: string };
				if (secret !== TOKEN_SECRET) return send(res, 401, { message: 'bad secret' });
				api.validToken = `fresh-${++api.tokensIssued}`;
				return send(res, 200, { token: api.validToken });
			}
			if (url.pathname === '/protected') {
				const token = req.headers['x-token'];
				if (!api.validToken || token !== api.validToken) return send(res, 401, { message: 'token expired' });
				return send(res, 200, { ok: true, token });
			}
			if (url.pathname === '/slow') return; // never answers; only an abort ends the request
			send(res, 404, { message: 'no route' });
		});
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	api.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	api.stop = async () => {
		for (const socket of sockets) socket.destroy();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	};
	return api;
}

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

/** A generic Bearer header, as n8n resolves it; also stands in if credentials/KyyVideo2Api.credentials.ts is missing. */
const fixtureKyyVideo2Api: ICredentialType = {
	name: 'kyyVideo2Api',
	displayName: 'Fixture KyyVideo2',
	properties: [
		{ displayName: 'API Key', name: 'apiKey', type: 'string', typeOptions: { password: true }, default: '' },
		{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: '' },
	],
	authenticate: { type: 'generic', properties: { headers: { Authorization: '=Bearer {{$credentials.apiKey}}' } } },
};
const kyyTypes = credentialTypes.kyyVideo2Api ? [] : [fixtureKyyVideo2Api];

/** A token credential in the MetabaseApi pattern: a hidden expirable field filled by preAuthentication. */
const fixtureTokenApi: ICredentialType = {
	name: 'fixtureTokenApi',
	displayName: 'Fixture Token API',
	properties: [
		{ displayName: 'Token', name: 'token', type: 'hidden', typeOptions: { expirable: true, password: true }, default: '' },
		{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: '' },
		{ displayName: 'Secret', name: 'secret', type: 'string', typeOptions: { password: true }, default: '' },
	],
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const { token } = (await this.helpers.httpRequest({
			method: 'POST',
			url: `${credentials.baseUrl as string}/token`,
			body: { secret: credentials.secret },
			json: true,
		})) as { token: string };
		return { token };
	},
	authenticate: { type: 'generic', properties: { headers: { 'X-Token': '={{$credentials.token}}' } } },
};

/**
 * Stands in for Media Assets. Modes: `echo` (one authenticated request per item, error item for
 * `fail`), `token` (a request guarded by the expirable token), `wait` (a request that only an
 * abort ends), `throw`.
 */
class FixtureNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Fixture',
		name: 'fixture',
		group: ['transform'],
		version: 1,
		description: 'Harness fixture',
		defaults: { name: 'Fixture' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'kyyVideo2Api', required: false },
			{ name: 'fixtureTokenApi', required: false },
		],
		properties: [{ displayName: 'Mode', name: 'mode', type: 'string', default: 'echo' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const mode = this.getNodeParameter('mode', 0) as string;
		const items = this.getInputData();
		const out: INodeExecutionData[] = [];

		if (mode === 'throw') throw new NodeOperationError(this.getNode(), 'Fixture failed on purpose');

		if (mode === 'wait') {
			const { baseUrl } = await this.getCredentials<{ baseUrl: string }>('kyyVideo2Api');
			let requestError = '';
			try {
				await this.helpers.httpRequestWithAuthentication.call(this, 'kyyVideo2Api', { url: `${baseUrl}/slow` });
			} catch (error) {
				requestError = (error as Error).message;
			}
			const aborted = this.getExecutionCancelSignal()?.aborted ?? false;
			return [[{ json: { aborted, requestError }, pairedItem: { item: 0 } }]];
		}

		for (let i = 0; i < items.length; i++) {
			if (items[i].json.fail) {
				out.push({ json: { error: { message: 'x' } }, pairedItem: { item: i } });
				continue;
			}
			if (mode === 'token') {
				const { baseUrl } = await this.getCredentials<{ baseUrl: string }>('fixtureTokenApi');
				// No ignoreHttpStatusErrors: n8n 1.x takes only a boolean there, and `true` would hide the
				// 401 that starts the refresh. Thrown statuses behave the same on both lines.
				const response = (await this.helpers.httpRequestWithAuthentication.call(this, 'fixtureTokenApi', {
					url: `${baseUrl}/protected`,
					json: true,
					returnFullResponse: true,
				})) as IN8nHttpFullResponse;
				out.push({ json: { statusCode: response.statusCode, body: response.body as IDataObject }, pairedItem: { item: i } });
				continue;
			}
			const { baseUrl } = await this.getCredentials<{ baseUrl: string }>('kyyVideo2Api');
			const body = (await this.helpers.httpRequestWithAuthentication.call(this, 'kyyVideo2Api', {
				url: `${baseUrl}/echo`,
				qs: { item: i },
				json: true,
			})) as IDataObject;
			out.push({ json: { ...items[i].json, authorization: body.authorization }, pairedItem: { item: i } });
		}
		return [out];
	}
}

const fixtureAsMediaAssets = { [MEDIA_ASSETS_NODE_TYPE]: new FixtureNode() };
const pairedIndex = (item: INodeExecutionData) => (item.pairedItem as { item: number }).item;

// ---------------------------------------------------------------------------------------------

describe('test harness', () => {
	let api: TestApi;

	beforeEach(async () => {
		api = await startApi();
	});

	afterEach(async () => {
		await api.stop();
	});

	const kyy = () => ({ kyyVideo2Api: { apiKey: API_KEY, baseUrl: api.baseUrl } });

	describe('node types', () => {
		it('should serve the source node and, when its file exists, the package node under its workflow type name', () => {
			const nodeTypes = createNodeTypes();
			expect(nodeTypes.getByNameAndVersion(SOURCE_NODE_TYPE, 1).description.inputs).toEqual([]);
			const known = nodeTypes.getKnownTypes();
			expect(known[SOURCE_NODE_TYPE]).toEqual({ className: 'ItemsSource', sourcePath: expect.stringContaining('sourceNode') });
			{
				expect(nodeTypes.getByNameAndVersion(MEDIA_ASSETS_NODE_TYPE, 1).description.name).toBe('mediaAssets');
				expect(known[MEDIA_ASSETS_NODE_TYPE]).toEqual({
					className: 'MediaAssets',
					sourcePath: expect.stringMatching(/MediaAssets\.node\.ts$/),
				});
			}
		});

		it('should resolve a versioned node type to the requested version and refuse unknown types', () => {
			const v1 = new FixtureNode();
			const v2 = new FixtureNode();
			v2.description = { ...v2.description, version: 2 };
			const versioned = new VersionedNodeType({ 1: v1, 2: v2 }, { ...v1.description, defaultVersion: 2 });
			const nodeTypes = new TestNodeTypes().register('test.versioned', versioned);

			expect(nodeTypes.getByNameAndVersion('test.versioned', 1)).toBe(v1);
			expect(nodeTypes.getByNameAndVersion('test.versioned')).toBe(v2);
			expect(() => nodeTypes.getByName('test.nope')).toThrow(/Unrecognized node type "test\.nope"/);
		});
	});

	describe('credentials helper', () => {
		it('should implement every abstract method of ICredentialsHelper', () => {
			const helper = new TestCredentialsHelper({});
			for (const method of [
				'getParentTypes',
				'isCredentialUsableByNode',
				'authenticate',
				'preAuthentication',
				'runPreAuthentication',
				'getCredentials',
				'getDecrypted',
				'updateCredentials',
				'updateCredentialsOauthTokenData',
				'getCredentialsProperties',
			] as const) {
				expect(typeof helper[method]).toBe('function');
			}
			expect(helper.getParentTypes('fixtureTokenApi')).toEqual([]);
		});

		it('should resolve a generic authenticate into the request, in place', async () => {
			// The fixture replaces the package's type of that name, whichever form the package uses.
			const helper = new TestCredentialsHelper({}, [fixtureKyyVideo2Api]);
			const request: IHttpRequestOptions = { url: 'http://x/y', headers: { Accept: 'application/json' } };
			const result = await helper.authenticate({ apiKey: 'k-1' }, 'kyyVideo2Api', request);
			expect(result).toBe(request);
			expect(result.headers).toEqual({ Accept: 'application/json', Authorization: 'Bearer k-1' });
		});

		it('should call a function authenticate with the credentials and the request, and use its result', async () => {
			const authenticate = jest.fn(async (credentials: ICredentialDataDecryptedObject, options: IHttpRequestOptions) => ({
				...options,
				headers: { signed: `${credentials.key as string}:${options.url}` },
			}));
			const helper = new TestCredentialsHelper({}, [{ name: 'signedApi', displayName: 'Signed', properties: [], authenticate }]);
			const result = await helper.authenticate({ key: 'K' }, 'signedApi', { url: '/a' });
			expect(authenticate).toHaveBeenCalledWith({ key: 'K' }, { url: '/a' });
			expect(result.headers).toEqual({ signed: 'K:/a' });
		});

		it('should return a copy of the stored data with the type defaults filled in', async () => {
			const store = { fixtureTokenApi: { baseUrl: 'http://b', secret: 's' } };
			const helper = new TestCredentialsHelper(store, [fixtureTokenApi]);
			const decrypted = await helper.getDecrypted(
				{} as IWorkflowExecuteAdditionalData,
				{ id: '1', name: 'x' },
				'fixtureTokenApi',
				'manual',
			);
			expect(decrypted).toEqual({ token: '', baseUrl: 'http://b', secret: 's' });
			decrypted.secret = 'changed';
			expect(store.fixtureTokenApi.secret).toBe('s');
		});

		it('should run preAuthentication only for an empty or expired token, and persist what it returns', async () => {
			const store: Record<string, ICredentialDataDecryptedObject> = {
				fixtureTokenApi: { token: 'still-good', baseUrl: api.baseUrl, secret: TOKEN_SECRET },
			};
			const helper = new TestCredentialsHelper(store, [fixtureTokenApi]);
			const httpRequest = jest.fn(async () => ({ token: 'from-hook' }));
			const helpers = { helpers: { httpRequest } } as unknown as IHttpRequestHelper;
			const node = { credentials: { fixtureTokenApi: { id: '1', name: 't' } } } as unknown as INode;

			expect(await helper.preAuthentication(helpers, { ...store.fixtureTokenApi }, 'fixtureTokenApi', node, false)).toBeUndefined();
			const credentials = { ...store.fixtureTokenApi };
			const refreshed = await helper.preAuthentication(helpers, credentials, 'fixtureTokenApi', node, true);

			expect(refreshed).toBe(credentials);
			expect(credentials.token).toBe('from-hook');
			expect(store.fixtureTokenApi.token).toBe('from-hook');
			expect(helper.preAuthCalls).toBe(1);
		});
	});

	describe('runMediaAssets with a fixture node', () => {
		it('should send the Authorization header and return one output item per input item, paired', async () => {
			const result = await runMediaAssets({
				items: [{ id: 'a' }, { id: 'b' }, { id: 'c' }],
				parameters: { mode: 'echo' },
				credentials: kyy(),
				extraNodeTypes: fixtureAsMediaAssets,
				extraCredentialTypes: kyyTypes,
			});

			expect(result.error).toBeUndefined();
			expect(result.status).toBe('success');
			expect(api.requests.map((r) => r.headers.authorization)).toEqual(Array(3).fill(`Bearer ${API_KEY}`));
			expect(result.outputs).toHaveLength(1);
			expect(result.outputs[0].map((item) => [item.json.id, pairedIndex(item)])).toEqual([
				['a', 0],
				['b', 1],
				['c', 2],
			]);
			expect(result.logs.length).toBeGreaterThan(0);
			expect(result.logs.join('\n')).not.toContain(API_KEY);
		});

		it('should route an error item to the Error output with continueErrorOutput', async () => {
			const result = await runMediaAssets({
				items: [{ id: 'a' }, { id: 'b', fail: true }, { id: 'c' }],
				parameters: { mode: 'echo' },
				onError: 'continueErrorOutput',
				credentials: kyy(),
				extraNodeTypes: fixtureAsMediaAssets,
				extraCredentialTypes: kyyTypes,
			});

			const [success, failed] = result.outputs;
			expect(result.outputs).toHaveLength(2);
			expect(success.map(pairedIndex)).toEqual([0, 2]);
			expect(failed).toHaveLength(1);
			expect(pairedIndex(failed[0])).toBe(1);
			// n8n merges the routed error over the paired input item, so its fields survive.
			expect(failed[0].json).toMatchObject({ id: 'b', error: { message: 'x' } });
		});

		it('should keep an error item on the main output with stopWorkflow', async () => {
			const result = await runMediaAssets({
				items: [{ id: 'a', fail: true }],
				parameters: { mode: 'echo' },
				credentials: kyy(),
				extraNodeTypes: fixtureAsMediaAssets,
				extraCredentialTypes: kyyTypes,
			});
			expect(result.outputs).toHaveLength(1);
			expect(result.outputs[0][0].json.error).toEqual({ message: 'x' });
		});

		it('should refresh an expired token once on a 401, retry, and persist the new token', async () => {
			api.validToken = 'fresh-0';
			const result = await runMediaAssets({
				items: [{ id: 'a' }, { id: 'b' }],
				parameters: { mode: 'token' },
				credentials: { fixtureTokenApi: { token: 'stale', baseUrl: api.baseUrl, secret: TOKEN_SECRET } },
				extraNodeTypes: fixtureAsMediaAssets,
				extraCredentialTypes: [fixtureTokenApi],
			});

			expect(result.error).toBeUndefined();
			expect(result.preAuthCalls).toBe(1);
			expect(api.tokensIssued).toBe(1);
			expect(result.credentials.fixtureTokenApi.token).toBe('fresh-1');
			expect(result.outputs[0].map((item) => item.json.statusCode)).toEqual([200, 200]);
			expect(api.requests.map((r) => `${r.path} ${r.headers['x-token'] ?? ''}`)).toEqual([
				'/protected stale',
				'/token ',
				'/protected fresh-1',
				'/protected fresh-1',
			]);
			expect(result.logs.join('\n')).not.toContain(TOKEN_SECRET);
		});

		it('should fetch a token before the first request when the expirable field is empty', async () => {
			const result = await runMediaAssets({
				items: [{ id: 'a' }, { id: 'b' }],
				parameters: { mode: 'token' },
				credentials: { fixtureTokenApi: { baseUrl: api.baseUrl, secret: TOKEN_SECRET } },
				extraNodeTypes: fixtureAsMediaAssets,
				extraCredentialTypes: [fixtureTokenApi],
			});

			expect(result.preAuthCalls).toBe(1);
			expect(api.requests.map((r) => r.path)).toEqual(['/token', '/protected', '/protected']);
			expect(result.outputs[0].map((item) => item.json.statusCode)).toEqual([200, 200]);
		});

		it('should abort the execution cancel signal and in-flight requests when cancelled', async () => {
			const result = await runMediaAssets({
				items: [{ id: 'a' }],
				parameters: { mode: 'wait' },
				onError: 'continueErrorOutput',
				credentials: kyy(),
				extraNodeTypes: fixtureAsMediaAssets,
				extraCredentialTypes: kyyTypes,
				// Cancelled once the request is under way: /slow never answers, so only the abort can end it.
				cancelWhen: () => api.requests.some((request) => request.path === '/slow'),
			});

			expect(result.canceled).toBe(true);
			expect(result.status).toBe('canceled');
			const [output] = result.outputs;
			expect(output[0].json).toMatchObject({ aborted: true, requestError: expect.stringMatching(/cancel|abort/i) });
		});

		it('should capture what n8n logs about a failing node (ErrorReporter goes through the DI logger)', async () => {
			const result = await runMediaAssets({
				items: [{ id: 'a' }],
				parameters: { mode: 'throw' },
				credentials: kyy(),
				extraNodeTypes: fixtureAsMediaAssets,
				extraCredentialTypes: kyyTypes,
			});

			expect(result.error?.message).toBe('Fixture failed on purpose');
			expect(result.status).toBe('error');
			// Both lines log the failed execution, error included, through LoggerProxy.
			expect(result.logs.some((line) => line.includes('Fixture failed on purpose'))).toBe(true);
			// n8n 2.x also reports a node's NodeOperationError to the ErrorReporter; 1.x reports only an
			// ApplicationError's cause, and a NodeOperationError thrown with a message has none.
			const reported = result.logs.some((line) => line.startsWith('error: Fixture failed on purpose'));
			expect(reported).toBe(ENGINE_LINE === '2.x');
		});

		it("should capture the ErrorReporter's output through the DI logger", () => {
			const before = allCapturedLogs().length;
			Container.get(ErrorReporter).error(new Error('reported on purpose'));
			expect(allCapturedLogs().slice(before)).toContainEqual(expect.stringMatching(/^error: reported on purpose/));
		});
	});

	describe('runWorkflow', () => {
		it('should run an exported workflow from its node without inputs and return every node run', async () => {
			const node = (name: string, type: string, x: number, parameters: IDataObject = {}): INode => ({
				id: name,
				name,
				type,
				typeVersion: 1,
				position: [x, 0],
				parameters: parameters as INode['parameters'],
			});
			const result = await runWorkflow(
				{
					nodes: [
						node('First echo', 'test.fixture', 200, { mode: 'echo' }),
						node('Second echo', 'test.fixture', 400, { mode: 'echo' }),
						node('Source', SOURCE_NODE_TYPE, 0, { items: '[{"n":1},{"n":2}]' }),
					].map((n) => (n.type === 'test.fixture' ? { ...n, credentials: { kyyVideo2Api: { id: '9', name: 'k' } } } : n)),
					connections: {
						Source: { main: [[{ node: 'First echo', type: NodeConnectionTypes.Main, index: 0 }]] },
						'First echo': { main: [[{ node: 'Second echo', type: NodeConnectionTypes.Main, index: 0 }]] },
					},
				},
				{ credentials: kyy(), extraNodeTypes: { 'test.fixture': new FixtureNode() }, extraCredentialTypes: kyyTypes },
			);

			expect(result.error).toBeUndefined();
			expect(Object.keys(result.runData).sort()).toEqual(['First echo', 'Second echo', 'Source']);
			const second = result.runData['Second echo'][0].data!.main[0]!;
			expect(second.map((item) => [item.json.n, item.json.authorization])).toEqual([
				[1, `Bearer ${API_KEY}`],
				[2, `Bearer ${API_KEY}`],
			]);
			expect(api.requests).toHaveLength(4);
		});
	});

	describe('runMediaAssets with the package node', () => {
		it('should run the real node and route an invalid asset ID to the Error output without a request', async () => {
			const result: RunResult = await runMediaAssets({
				items: [{ assetId: 'asset-1/../asset-2' }],
				parameters: { resource: 'asset', operation: 'delete', assetId: '={{ $json.assetId }}', options: {} },
				onError: 'continueErrorOutput',
				credentials: kyy(),
			});

			expect(result.outputs).toHaveLength(2);
			expect(result.outputs[0]).toHaveLength(0);
			expect(result.outputs[1]).toHaveLength(1);
			expect(pairedIndex(result.outputs[1][0])).toBe(0);
			expect(api.requests).toHaveLength(0);
		});
	});
});
