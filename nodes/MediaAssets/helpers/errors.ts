import type { IDataObject, INode, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { CallFailure } from './interfaces';
import { printable } from './validators';

export type ItemError = NodeApiError | NodeOperationError;

/** A value that would not reach the API as exactly one path segment. */
export class UnsafePathSegmentError extends Error {
	constructor(
		readonly label: string,
		readonly value: string,
	) {
		super(`The ${label} would not reach the API as one path segment`);
		this.name = 'UnsafePathSegmentError';
	}
}

/** The base URL itself cannot carry a documented path (query, fragment, credentials, not http). */
export class UnusableBaseUrlError extends Error {}

/** "HTTP 200, code -1, request ID abc": the facts a user or support desk needs, in one place. */
function factsTail(failure: CallFailure): string {
	const facts: string[] = [];
	if (failure.httpStatus !== undefined) facts.push(`HTTP ${failure.httpStatus}`);
	if (failure.code !== undefined) facts.push(`code ${failure.code}`);
	if (failure.requestId) facts.push(`request ID ${failure.requestId}`);
	return facts.length ? ` [${facts.join(', ')}]` : '';
}

function retryAdvice(failure: CallFailure, attempts: number): string {
	const tries = attempts === 1 ? '1 attempt' : `${attempts} attempts`;
	if (failure.reason === 'cancelled') return 'The execution was stopped.';
	return failure.retryable
		? `Gave up after ${tries}; running the item again later may succeed.`
		: `Retrying will not help until the cause is fixed (${tries}).`;
}

/**
 * "Could not delete asset "x": the asset does not exist: Asset not found [HTTP 400, code …]": what
 * happened, to what, with the API's own words and the facts a support desk needs.
 */
export function failureMessage(subject: { noun: string; id: string; action: string }, failure: CallFailure): string {
	const apiText = failure.apiMessage ? `: ${failure.apiMessage}` : '';
	const named = subject.id === '' ? subject.noun : `${subject.noun} "${printable(subject.id)}"`;
	return `Could not ${subject.action} ${named}: ${failure.summary}${apiText}${factsTail(failure)}`;
}

/** The facts an API error carries: only these, since n8n's own request errors carry the request, headers included. */
export function failureFacts(failure: CallFailure): JsonObject {
	return {
		httpStatus: failure.httpStatus ?? null,
		apiCode: failure.code ?? null,
		apiMessage: failure.apiMessage ?? null,
		requestId: failure.requestId ?? null,
	};
}

/**
 * The error for an API or network failure of one item. It names the ID, the HTTP status, the API
 * code and the API's text; it never contains a header, so no key, token or signature can leak.
 */
export function apiFailureError(
	node: INode,
	itemIndex: number,
	subject: { noun: string; id: string; action: string },
	failure: CallFailure,
	attempts: number,
): NodeApiError {
	const description = [failure.hint, retryAdvice(failure, attempts)].filter(Boolean).join(' ');
	const message = failureMessage(subject, failure);
	const error = new NodeApiError(node, failureFacts(failure), {
		message,
		description,
		httpCode: failure.httpStatus === undefined ? undefined : String(failure.httpStatus),
		itemIndex,
	});
	// NodeApiError swaps a message that mentions a network code (ECONNRESET, ETIMEDOUT, …) for a generic
	// one without the ID; ours names the target and keeps the code in its facts.
	error.message = message;
	return error;
}

export function invalidInputError(
	node: INode,
	itemIndex: number,
	problem: string,
	hint: string,
): NodeOperationError {
	return new NodeOperationError(node, `${problem}. No request was sent.`, {
		itemIndex,
		description: hint,
	});
}

/**
 * The json of an error item: one key, `error`, holding an object. That is the one shape that both
 * n8n 1.x and 2.x route to the Error output while merging the input item's fields back in (see
 * WorkflowExecute.handleNodeErrorOutput), and it keeps every fact for the branch that handles it.
 */
export function errorItemJson(
	error: ItemError,
	idField: string,
	id: string | undefined,
	failure: CallFailure | undefined,
	attempts: number,
	extra: IDataObject = {},
): IDataObject {
	return {
		error: {
			message: error.message,
			description: error.description ?? null,
			[idField]: id ?? null,
			httpStatus: failure?.httpStatus ?? null,
			code: failure?.code ?? null,
			apiMessage: failure?.apiMessage ?? null,
			requestId: failure?.requestId ?? null,
			reason: failure?.reason ?? 'invalidInput',
			attempts,
			retryable: failure?.retryable ?? false,
			...extra,
		},
	};
}

/**
 * The per-item error for a URL that could not be built as documented (see transport/urls.ts): a
 * value that a URL parser would rewrite, or a base URL that cannot carry the path.
 */
export function unsafeUrlError(node: INode, itemIndex: number, error: unknown): NodeOperationError {
	if (error instanceof UnsafePathSegmentError) {
		return invalidInputError(
			node,
			itemIndex,
			`The ${error.label} "${printable(error.value)}" would not reach the API as exactly one path segment (a URL parser rewrites it: "." and ".." are read as folder steps)`,
			`Pass the bare ${error.label} as the API lists it.`,
		);
	}
	if (error instanceof UnusableBaseUrlError) {
		return new NodeOperationError(node, `The base URL or endpoint in the credential cannot be used: ${error.message}. No request was sent.`, {
			itemIndex,
			description: 'Fix the Base URL / Endpoint field of the credential, or leave it at its default.',
		});
	}
	return new NodeOperationError(node, error as Error, { itemIndex });
}

/** An error as n8n shows it: NodeApiError and NodeOperationError are kept, anything else is wrapped. */
export function asNodeError(node: INode, error: unknown): ItemError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(node, error instanceof Error ? error : new Error(String(error)));
}

/**
 * The items of a run that failed as a whole (before or outside the per-item work), one per input item,
 * so that with continue-on-fail none passes to the next node as if it had been processed.
 */
export function runFailureItems(node: INode, itemCount: number, cause: ItemError): INodeExecutionData[] {
	const description = [cause.description ?? '', 'Fix what the message names (for example, select a credential), then run the items again.'];
	const error: IDataObject = {
		message: `This item was not processed: the node could not run (${cause.message})`,
		description: description.filter(Boolean).join(' '),
		reason: 'nodeFailed',
		attempts: 0,
		retryable: false,
	};
	return Array.from({ length: itemCount }, (_, item) => ({ json: { error: { ...error } }, pairedItem: { item } }));
}
