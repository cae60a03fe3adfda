import type { INodeParameterResourceLocator } from 'n8n-workflow';

export function isResourceLocator(value: unknown): value is INodeParameterResourceLocator {
	return typeof value === 'object' && value !== null && (value as { __rl?: unknown }).__rl === true;
}

/**
 * The ID a parameter holds, whichever form it was saved in: a resource locator (`{ __rl, mode,
 * value }`; n8n has already resolved an expression in `value`) gives its value, anything else (a plain
 * string, as a workflow written by hand or by an AI builder holds it) is read as By ID. Nothing is
 * checked here: the ID checks that follow see exactly what a plain field would have given them.
 */
export function locatorValue(value: unknown): unknown {
	return isResourceLocator(value) ? value.value : value;
}
