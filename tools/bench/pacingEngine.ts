/**
 * The pacing checks through the real n8n engine (test/harness): the node deletes against emulators with
 * a server-side limit, in one execution or in several at once (each with its own pacer, as parallel
 * executions or queue-mode workers have), and the wall clock says what share of the limit it used.
 *
 * The KyyVideo2 emulator runs in its own process (tools/bench/emulatorProcess.ts), so its CPU time does
 * not slow the client; MetaStudio's (APIGW.0308 limits) runs in this one, as the tests run it.
 */

import { HttpRequest } from 'n8n-nodes-base/dist/nodes/HttpRequest/HttpRequest.node';
import { NodeConnectionTypes } from 'n8n-workflow';

import type { FaultConfig } from '../../test/emulators/faults';
import { MetaStudioEmulator } from '../../test/emulators/metaStudio';
import type { RunResult } from '../../test/harness/runWorkflow';
import { runMediaAssets, runWorkflow, SOURCE_NODE_NAME, SOURCE_NODE_TYPE } from '../../test/harness/runWorkflow';
import { itemsSourceParameters } from '../../test/harness/sourceNode';
import type { KyyEmulatorProcess } from './emulatorClient';
import { KYY_KEY, startKyyEmulator } from './emulatorClient';

export { KYY_KEY, startKyyEmulator };
export type { KyyEmulatorProcess };

export interface EngineRun {
	succeeded: number;
	failed: number;
	ms: number;
	throttled: number;
}

const ids = (from: number, count: number, prefix: string) =>
	Array.from({ length: count }, (_, i) => ({ assetId: `${prefix}${from + i}` }));

function counted(result: RunResult): { succeeded: number; failed: number } {
	if (result.error) throw result.error;
	return { succeeded: result.outputs[0]?.length ?? 0, failed: result.outputs[1]?.length ?? 0 };
}

/**
 * `executions` runs of the node at once, each deleting its own `itemsEach` assets, against the Kyy
 * emulator with `faults`. Wall time from the first start to the last end.
 */
export async function runKyy(
	emulator: KyyEmulatorProcess,
	faults: FaultConfig,
	executions: number,
	itemsEach: number,
	options: Record<string, unknown>,
): Promise<EngineRun> {
	const prefix = `p${Date.now().toString(36)}-`;
	await emulator.reset(executions * itemsEach, prefix, faults);
	const start = process.hrtime.bigint();
	const results = await Promise.all(
		Array.from({ length: executions }, async (_, e) =>
			counted(
				await runMediaAssets({
					items: ids(e * itemsEach, itemsEach, prefix),
					parameters: { resource: 'asset', operation: 'delete', assetId: '={{ $json.assetId }}', options } as never,
					onError: 'continueErrorOutput',
					credentials: { kyyVideo2Api: { apiKey: KYY_KEY, baseUrl: emulator.baseUrl } },
				}),
			),
		),
	);
	const ms = Number(process.hrtime.bigint() - start) / 1e6;
	const stats = await emulator.stats();
	return {
		succeeded: results.reduce((n, r) => n + r.succeeded, 0),
		failed: results.reduce((n, r) => n + r.failed, 0),
		ms,
		throttled: stats.throttled,
	};
}

/** The same against MetaStudio's gateway: 429 APIGW.0308 without Retry-After beyond the limit. */
export async function runMetaStudio(
	limit: { perSecond: number; burst: number },
	latencyMs: number,
	executions: number,
	itemsEach: number,
	options: Record<string, unknown>,
): Promise<EngineRun> {
	const credentials = { accessKeyId: 'AKPACING000000000001', secretAccessKey: 'sk-pacing-secret-000000000000000000000' };
	const projectId = 'p0000000000000000000000000000042';
	const files = Array.from({ length: executions * itemsEach }, (_, i) => `file-${i}`);
	const cloud = await MetaStudioEmulator.start({ ...credentials, projectId, files, record: false });
	try {
		cloud.setFaults({ latencyMs, rateLimit: limit });
		const start = process.hrtime.bigint();
		const results = await Promise.all(
			Array.from({ length: executions }, async (_, e) =>
				counted(
					await runMediaAssets({
						items: files.slice(e * itemsEach, (e + 1) * itemsEach).map((fileId) => ({ fileId })),
						parameters: {
							resource: 'mediaFile',
							operation: 'delete',
							authentication: 'akSk',
							fileId: '={{ $json.fileId }}',
							options,
						} as never,
						onError: 'continueErrorOutput',
						credentials: {
							huaweiCloudAkSkApi: { ...credentials, region: 'cn-north-4', projectId, endpoint: cloud.endpoint },
						},
					}),
				),
			),
		);
		const ms = Number(process.hrtime.bigint() - start) / 1e6;
		return {
			succeeded: results.reduce((n, r) => n + r.succeeded, 0),
			failed: results.reduce((n, r) => n + r.failed, 0),
			ms,
			throttled: cloud.throttled,
		};
	} finally {
		await cloud.stop();
	}
}

const HTTP_REQUEST_TYPE = 'n8n-nodes-base.httpRequest';
const httpRequestNode = new HttpRequest();

/**
 * n8n's HTTP Request node at its defaults (every item at once), a Bearer header typed in, doing the
 * same deletes: the baseline a user compares the node with.
 */
export async function runHttpRequestNode(emulator: KyyEmulatorProcess, faults: FaultConfig, items: number): Promise<EngineRun> {
	const prefix = `h${Date.now().toString(36)}-`;
	await emulator.reset(items, prefix, faults);
	const name = 'HTTP Request';
	const start = process.hrtime.bigint();
	const result = await runWorkflow(
		{
			nodes: [
				{
					id: 'source',
					name: SOURCE_NODE_NAME,
					type: SOURCE_NODE_TYPE,
					typeVersion: 1,
					position: [0, 0],
					parameters: itemsSourceParameters(ids(0, items, prefix)),
				},
				{
					id: 'http',
					name,
					type: HTTP_REQUEST_TYPE,
					typeVersion: httpRequestNode.description.defaultVersion as number,
					position: [220, 0],
					parameters: {
						method: 'DELETE',
						url: `=${emulator.baseUrl}/kyyVideo2/asset/{{ $json.assetId }}`,
						sendHeaders: true,
						headerParameters: { parameters: [{ name: 'Authorization', value: `Bearer ${KYY_KEY}` }] },
						options: {},
					},
					onError: 'continueErrorOutput',
				},
			],
			connections: { [SOURCE_NODE_NAME]: { main: [[{ node: name, type: NodeConnectionTypes.Main, index: 0 }]] } },
		},
		{ extraNodeTypes: { [HTTP_REQUEST_TYPE]: httpRequestNode }, startNode: SOURCE_NODE_NAME },
	);
	const ms = Number(process.hrtime.bigint() - start) / 1e6;
	const task = result.runData[name]?.[0];
	const outputs = task?.data?.main ?? [];
	const stats = await emulator.stats();
	return { succeeded: outputs[0]?.length ?? 0, failed: outputs[1]?.length ?? 0, ms, throttled: stats.throttled };
}

