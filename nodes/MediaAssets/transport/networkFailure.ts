import type { CallFailure } from '../helpers/interfaces';

/*
 * n8n hands a failed request to the node in different shapes on its two lines. n8n 2.x keeps the
 * HTTP library's error as `cause` (with its `code`). n8n 1.x drops the cause (its ExecutionBaseError
 * re-declares the field), puts the library's code into `httpCode` when there is no status, keeps the
 * library's text in `messages`, and replaces `message` with a sentence from its own table
 * (n8n-workflow NodeError COMMON_ERRORS). So an error is read by its whole shape: codes along the
 * cause chain, a code-like `httpCode`, the library's texts, and n8n's sentences mapped back to codes.
 */

const NOT_SENT = new Set(['ECONNREFUSED', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN', 'GETADDRINFO']);
const SENT_THEN_LOST = new Set(['ECONNRESET', 'EPIPE', 'ERR_STREAM_PREMATURE_CLOSE']);
const TIMED_OUT = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'ERR_TIMEOUT']);
const CANCELLED = 'ERR_CANCELED';

/** The start of each sentence n8n (both lines) puts in place of a network error's message, by code. */
const N8N_SENTENCES: ReadonlyArray<[code: string, sentenceStart: string]> = [
	['ECONNRESET', 'the connection to the server was closed unexpectedly'],
	['ECONNREFUSED', 'the service refused the connection'],
	['ETIMEDOUT', 'the connection timed out'],
	['ECONNABORTED', 'the connection was aborted'],
	['EHOSTUNREACH', 'the host is unreachable'],
	['EAI_AGAIN', 'the dns server returned an error'],
	['ENOTFOUND', 'the connection cannot be established, this usually occurs due to an incorrect host'],
	// n8n's text for any message mentioning getaddrinfo that no code above matched: a failed lookup.
	['GETADDRINFO', 'the server closed the connection unexpectedly'],
];

/** What the HTTP library itself says, for errors that reach the node without any code. */
const LIBRARY_TEXTS: ReadonlyArray<[code: string, pattern: RegExp]> = [
	['ECONNRESET', /socket hang up/],
	['ETIMEDOUT', /^timeout of \d+ms exceeded/],
	[CANCELLED, /^canceled$|^this operation was aborted$|^the operation was aborted$/],
];

const CODE_LIKE = /^E[A-Z0-9_]+$|^ERR_[A-Z0-9_]+$/;
const MAX_CAUSES = 5;

interface ErrorFacts {
	codes: Set<string>;
	/** Every message found, lower-cased. */
	texts: string[];
}

function readFacts(error: unknown): ErrorFacts {
	const codes = new Set<string>();
	const texts: string[] = [];
	const seen = new Set<unknown>();
	let current: unknown = error;
	for (let depth = 0; depth <= MAX_CAUSES && typeof current === 'object' && current !== null; depth++) {
		if (seen.has(current)) break;
		seen.add(current);
		const { code, httpCode, message, messages, name } = current as Record<string, unknown>;
		if (typeof code === 'string' && CODE_LIKE.test(code.toUpperCase())) codes.add(code.toUpperCase());
		if (typeof httpCode === 'string' && CODE_LIKE.test(httpCode.toUpperCase())) codes.add(httpCode.toUpperCase());
		if (name === 'AbortError' || name === 'CanceledError') codes.add(CANCELLED);
		for (const text of [message, ...(Array.isArray(messages) ? messages : [])]) {
			if (typeof text === 'string' && text.trim() !== '') texts.push(text.trim().toLowerCase());
		}
		current = (current as { cause?: unknown }).cause;
	}
	for (const text of texts) {
		for (const [code, sentenceStart] of N8N_SENTENCES) if (text.startsWith(sentenceStart)) codes.add(code);
		for (const [code, pattern] of LIBRARY_TEXTS) if (pattern.test(text)) codes.add(code);
	}
	return { codes, texts };
}

function firstOf(codes: Set<string>, wanted: Set<string>): string | undefined {
	return [...codes].find((code) => wanted.has(code));
}

type FailureFacts = Omit<CallFailure, 'code'>;

/**
 * What a request without an HTTP answer means, in order of precedence: the first rule whose codes the
 * error carries decides. `code` picks the code to report from the ones found.
 */
const NETWORK_RULES: ReadonlyArray<{ codes: Set<string> | 'any'; code?: (found: string, all: Set<string>) => string; facts: FailureFacts }> = [
	{
		codes: new Set([CANCELLED]),
		facts: { reason: 'cancelled', summary: 'the request was cancelled because the execution was stopped', retryable: false, outcomeUnknown: true },
	},
	{
		codes: TIMED_OUT,
		code: (found, all) => (all.has('ETIMEDOUT') ? 'ETIMEDOUT' : found),
		facts: {
			reason: 'timeout',
			summary: 'no answer came before the timeout',
			retryable: true,
			outcomeUnknown: true,
			hint: 'The request may still have been carried out. Raise the Timeout option if the service is slow.',
		},
	},
	{
		codes: NOT_SENT,
		facts: {
			reason: 'network',
			summary: 'the service could not be reached',
			retryable: true,
			outcomeUnknown: false,
			hint: 'Check the base URL or endpoint in the credential and the network between n8n and the service.',
		},
	},
	{
		codes: new Set(['ENOTFOUND']),
		facts: {
			reason: 'network',
			summary: 'the service host name could not be resolved',
			retryable: false,
			outcomeUnknown: false,
			hint: 'Check the base URL, endpoint or region in the credential.',
		},
	},
	{
		codes: SENT_THEN_LOST,
		facts: { reason: 'network', summary: 'the connection was closed before an answer came', retryable: true, outcomeUnknown: true },
	},
	{
		codes: 'any',
		facts: { reason: 'network', summary: 'the request failed without an answer', retryable: true, outcomeUnknown: true },
	},
];

/**
 * Classifies a request that got no HTTP answer, on either n8n line. Only a code is kept, never the
 * raw error: n8n's errors carry the request, headers included.
 */
export function networkFailure(error: unknown): CallFailure {
	const { codes } = readFacts(error);
	for (const rule of NETWORK_RULES) {
		const found = rule.codes === 'any' ? [...codes][0] : firstOf(codes, rule.codes);
		if (found !== undefined) return { ...rule.facts, code: rule.code ? rule.code(found, codes) : found };
	}
	// Not a network error: n8n or the credential refused before or after sending (for example IAM would
	// not issue a token). Its message is meant for users and carries no request; retrying will not help.
	return {
		reason: 'apiError',
		summary: `the request could not be made: ${firstLine(error)}`,
		retryable: false,
		outcomeUnknown: true,
	};
}

function firstLine(error: unknown): string {
	const message = (error as { message?: unknown })?.message;
	const text = typeof message === 'string' && message.trim() !== '' ? message : 'unknown error';
	return text.split('\n')[0].slice(0, 300);
}
