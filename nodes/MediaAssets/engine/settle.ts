import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { Answer, CallFailure } from '../helpers/interfaces';
import { failed } from '../helpers/interfaces';
import type { ItemOperation, ItemSettings, ItemTarget, Outcome, TargetCalls, TargetState } from './types';

/** A target's last answer, on its way to becoming its item's outcome. */
export interface Answered<T extends ItemTarget> {
	target: T;
	answer: Answer;
	/** An earlier request for the target (its own, or a group's) lost its answer: it may have landed. */
	lostBefore: boolean;
	settings: ItemSettings;
}

/** What an answer needs before it is an outcome: nothing, or the target's state. */
type Reading = 'none' | 'absent' | 'landed' | 'verify';

/**
 * The one place that decides what an answer means for its item, reading the targets' state where the
 * answer alone cannot tell (settling it). For many targets at once, with one state read for all.
 *
 * - Done: a success, unless the target asked to be verified (then only if its state shows the change).
 * - A refusal of a delete whose target may be gone (Ignore Not Found, or an earlier request that lost
 *   its answer): "not found" from the API, or a state read that finds nothing, is "already deleted".
 * - A lost or doubtful answer (timeout, drop, 5xx, an answer that was not the service's), or a refusal
 *   after one: the change may have landed. A state that shows it done makes the item a success; never a
 *   guess either way.
 */
export async function settle<T extends ItemTarget>(
	ctx: IExecuteFunctions,
	operation: ItemOperation<T>,
	answered: Array<Answered<T>>,
	calls: TargetCalls,
): Promise<Outcome[]> {
	const readings = answered.map((one) => readingFor(operation, one));
	const toRead = answered.filter((_one, i) => readings[i] !== 'none').map((one) => one.target);
	const states = toRead.length > 0 ? await readStates(ctx, operation, toRead, calls) : [];
	let next = 0;
	return answered.map((one, i) => {
		const reading = readings[i];
		return outcomeOf(operation, one, reading, reading === 'none' ? undefined : states[next++]);
	});
}

/** A delete's refusal while its target may be gone: Ignore Not Found, or an earlier request lost its answer. */
function mayBeGone<T extends ItemTarget>(operation: ItemOperation<T>, { answer, lostBefore, settings }: Answered<T>): boolean {
	return operation.alreadyDoneJson !== undefined && answer.outcome === 'failed' && !answer.failure.retryable && (settings.ignoreNotFound || lostBefore);
}

function readingFor<T extends ItemTarget>(operation: ItemOperation<T>, one: Answered<T>): Reading {
	const { target, answer, lostBefore } = one;
	if (answer.outcome === 'done') return target.verify && operation.state ? 'verify' : 'none';
	if (!operation.state || (mayBeGone(operation, one) && answer.failure.reason === 'notFound')) return 'none';
	if (mayBeGone(operation, one)) return 'absent';
	return lostBefore || answer.failure.outcomeUnknown ? 'landed' : 'none';
}

function outcomeOf<T extends ItemTarget>(operation: ItemOperation<T>, one: Answered<T>, reading: Reading, state: TargetState): Outcome {
	const { target, answer, lostBefore } = one;
	if (answer.outcome === 'done') {
		if (reading === 'verify' && !(state !== undefined && operation.state!.landed(state, target))) return failed(unverified(operation, state));
		return done(operation.successJson(target, answer));
	}
	const { failure } = answer;
	// "Not found" from the API, or a state read that found nothing.
	if (mayBeGone(operation, one) && (failure.reason === 'notFound' || state === null)) {
		return done(operation.alreadyDoneJson!(target, failure));
	}
	const mayHaveLanded = lostBefore || failure.outcomeUnknown;
	if (reading !== 'none' && mayHaveLanded && state !== undefined && operation.state!.landed(state, target)) {
		return done(operation.successJson(target, undefined, state));
	}
	if (operation.sendsOnce && mayHaveLanded) {
		// Whatever created may exist: sending again could make it twice, so only a person can decide.
		const hint = `It may have been carried out before the answer was lost: check before running the item again (it is never sent twice by itself).`;
		return failed({ ...failure, retryable: false, hint });
	}
	return answer;
}

function done(json: IDataObject): Outcome {
	return { outcome: 'done', value: json, httpStatus: 200 };
}

/** A change the API accepted but the target's state does not show. */
function unverified<T extends ItemTarget>(operation: ItemOperation<T>, state: TargetState): CallFailure {
	const noun = operation.noun;
	if (state === undefined) {
		return {
			reason: 'invalidResponse',
			summary: `the ${operation.action} was accepted but could not be verified: the ${noun} could not be read`,
			retryable: true,
			outcomeUnknown: false,
			hint: 'Run the item again later to check it.',
		};
	}
	return {
		reason: 'stillExists',
		summary: `the ${operation.action} was accepted but the ${noun} still exists`,
		retryable: true,
		outcomeUnknown: false,
		hint: 'The service may work asynchronously: check it later, or run the item again.',
	};
}

/** The state of each target; a read that broke leaves them unknown, so nothing is reported done. */
async function readStates<T extends ItemTarget>(
	ctx: IExecuteFunctions,
	operation: ItemOperation<T>,
	targets: T[],
	calls: TargetCalls,
): Promise<TargetState[]> {
	try {
		return await operation.state!.read.call(ctx, targets, calls);
	} catch {
		return targets.map(() => undefined);
	}
}

/** A read's answer as a target's state: its record, `null` for "not found", undefined when it could not be read. */
export function stateOf(answer: Answer): TargetState {
	if (answer.outcome === 'done') return answer.value;
	return answer.failure.reason === 'notFound' ? null : undefined;
}
