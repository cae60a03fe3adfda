/**
 * What the node's transport makes of each way a request can fail, with the errors n8n itself hands
 * it on this engine line (n8n 1.x and 2.x shape them differently; see transport/networkFailure.ts).
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { sendAuthenticated } from '../../nodes/MediaAssets/transport/request';
import { MEDIA_ASSETS_NODE_TYPE, runMediaAssets } from '../harness/runWorkflow';
import { ENGINE_LINE } from './line';

/** Sends one request through the package's transport and puts its CallResult on the output. */
class TransportProbe implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Transport Probe',
		name: 'transportProbe',
		group: ['transform'],
		version: 1,
		description: 'Test fixture',
		defaults: { name: 'Transport Probe' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'kyyVideo2Api', required: true }],
		properties: [
			{ displayName: 'URL', name: 'url', type: 'string', default: '' },
			{ displayName: 'Timeout', name: 'timeout', type: 'number', default: 10000 },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const result = await sendAuthenticated(this, 'kyyVideo2Api', {
			method: 'DELETE',
			url: this.getNodeParameter('url', 0) as string,
			timeout: this.getNodeParameter('timeout', 0) as number,
		});
		return [[{ json: result as unknown as IDataObject, pairedItem: { item: 0 } }]];
	}
}

describe(`the transport on n8n ${ENGINE_LINE}`, () => {
	let baseUrl: string;
	let stop: () => Promise<void>;
	let silentRequests = 0;

	beforeAll(async () => {
		const sockets = new Set<Socket>();
		const server = createServer((req, res) => {
			if (req.url === '/drop') {
				req.socket.destroy();
				return;
			}
			if (req.url === '/silent') {
				silentRequests++;
				return; // never answers
			}
			const status = Number(req.url?.slice(1)) || 200;
			res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': `req-${status}` });
			res.end(JSON.stringify({ status }));
		});
		server.on('connection', (socket) => {
			sockets.add(socket);
			socket.on('close', () => sockets.delete(socket));
		});
		server.listen(0, '127.0.0.1');
		await once(server, 'listening');
		baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		stop = async () => {
			for (const socket of sockets) socket.destroy();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		};
	});

	afterAll(async () => {
		await stop();
	});

	async function probe(url: string, extra: { timeout?: number; cancelWhen?: () => boolean } = {}) {
		const result = await runMediaAssets({
			items: [{}],
			parameters: { url, timeout: extra.timeout ?? 10000 },
			credentials: { kyyVideo2Api: { apiKey: 'probe-key', baseUrl } },
			extraNodeTypes: { [MEDIA_ASSETS_NODE_TYPE]: new TransportProbe() },
			cancelWhen: extra.cancelWhen,
		});
		return result.outputs[0]?.[0]?.json;
	}

	it('should call a dropped connection retryable, with an unknown outcome', async () => {
		expect(await probe(`${baseUrl}/drop`)).toEqual({
			outcome: 'failed',
			failure: expect.objectContaining({ reason: 'network', code: 'ECONNRESET', retryable: true, outcomeUnknown: true }),
		});
	});

	it('should call a timeout retryable, with an unknown outcome', async () => {
		expect(await probe(`${baseUrl}/silent`, { timeout: 200 })).toEqual({
			outcome: 'failed',
			failure: expect.objectContaining({ reason: 'timeout', code: 'ETIMEDOUT', retryable: true, outcomeUnknown: true }),
		});
	});

	it('should call a refused connection retryable, known not to have been carried out', async () => {
		const closedPort = await new Promise<number>((resolve) => {
			const server = createServer().listen(0, '127.0.0.1', () => {
				const { port } = server.address() as AddressInfo;
				server.close(() => resolve(port));
			});
		});
		expect(await probe(`http://127.0.0.1:${closedPort}/x`)).toEqual({
			outcome: 'failed',
			failure: expect.objectContaining({ reason: 'network', code: 'ECONNREFUSED', retryable: true, outcomeUnknown: false }),
		});
	});

	it('should call a request ended by stopping the execution cancelled', async () => {
		const before = silentRequests;
		expect(await probe(`${baseUrl}/silent`, { cancelWhen: () => silentRequests > before })).toEqual({
			outcome: 'failed',
			failure: expect.objectContaining({ reason: 'cancelled', retryable: false }),
		});
	});

	it.each([200, 401, 404, 429, 500, 503])('should hand back HTTP %i as an answer, headers included', async (status) => {
		expect(await probe(`${baseUrl}/${status}`)).toEqual({
			outcome: 'done',
			value: { statusCode: status, headers: expect.objectContaining({ 'x-request-id': `req-${status}` }), body: { status } },
			httpStatus: status,
		});
	});
});
