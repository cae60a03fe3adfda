/**
 * The HTTP transport behind n8n-core's own `helpers.httpRequest`, on whichever engine line is loaded:
 * for code that must send a request exactly as n8n would, outside a node (a credential test).
 * n8n 2.x moved it to `@n8n/backend-network` (`OutboundHttp`); n8n 1.x exports it from n8n-core's
 * request helpers. Both are loaded lazily so that neither line needs the other's module.
 */
import type { IHttpRequestOptions } from 'n8n-workflow';

type HttpRequest = (options: IHttpRequestOptions) => Promise<unknown>;

let transport: HttpRequest | undefined;

function loadTransport(): HttpRequest {
	/* eslint-disable @typescript-eslint/no-require-imports -- the module that exists depends on the engine line */
	const requestHelpers = require('n8n-core/dist/execution-engine/node-execution-context/utils/request-helper-functions') as {
		httpRequest?: HttpRequest;
	};
	if (typeof requestHelpers.httpRequest === 'function') return requestHelpers.httpRequest;
	const { OutboundHttp } = require('@n8n/backend-network') as typeof import('@n8n/backend-network');
	const { Container } = require('@n8n/di') as typeof import('@n8n/di');
	/* eslint-enable @typescript-eslint/no-require-imports */
	return async (options) => await Container.get(OutboundHttp).requests().request(options);
}

/** Sends a request with n8n's own transport (no credentials applied). */
export async function n8nHttpRequest(options: IHttpRequestOptions): Promise<unknown> {
	transport ??= loadTransport();
	return await transport(options);
}
