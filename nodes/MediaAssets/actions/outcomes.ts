import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { ItemTarget, Outcome, TargetCalls } from '../engine/types';
import type { CallAttempt, CallFailure, CallSettings } from '../helpers/interfaces';

/** How the answers of one per-target call become the item's outcome. */
export interface CallSpec<T extends ItemTarget> {
	call(this: IExecuteFunctions, target: T, settings: CallSettings): Promise<CallAttempt>;
	successJson(target: T, attempt: Extract<CallAttempt, { outcome: 'done' }>, attempts: number): IDataObject;
	/**
	 * For calls whose goal is that the target is gone (deletes): the item for a target that already was.
	 * Enables Ignore Not Found, and "not found" after a lost answer counting as our own delete.
	 */
	alreadyDoneJson?(target: T, failure: CallFailure | undefined, attempts: number): IDataObject;
	/** Read-only: whether the target is gone, for APIs whose "not found" is not certain. */
	isAbsent?(this: IExecuteFunctions, target: T, calls: TargetCalls): Promise<boolean>;
	/**
	 * After an attempt whose outcome was unknown (a lost answer, or an answer that was not the API's):
	 * whether the change landed after all, and if so the success item. Read-only.
	 */
	confirmLanded?(this: IExecuteFunctions, target: T, calls: TargetCalls): Promise<IDataObject | undefined>;
}

/** Sends the call (retried by the engine) and reads what its last answer means for the item. */
export async function callOutcome<T extends ItemTarget>(
	ctx: IExecuteFunctions,
	target: T,
	calls: TargetCalls,
	spec: CallSpec<T>,
): Promise<Outcome> {
	const sent = await calls.retried(async () => await spec.call.call(ctx, target, calls.settings));
	const { result, attempts, earlierOutcomeUnknown } = sent;
	if (result.outcome === 'done') return { ok: true, json: spec.successJson(target, result, attempts) };
	if (result.outcome === 'notFound') {
		// "Gone" after an answer that was lost means our earlier delete landed.
		if (spec.alreadyDoneJson && (calls.settings.ignoreNotFound || earlierOutcomeUnknown)) {
			const gone = result.certain || (await spec.isAbsent?.call(ctx, target, calls)) === true;
			if (gone) return { ok: true, json: spec.alreadyDoneJson(target, result.failure, attempts) };
		}
		return { ok: false, failure: result.failure, attempts };
	}
	const { failure } = result;
	// A refusal after a lost answer, or an answer that was not the API's: ask before failing.
	if ((earlierOutcomeUnknown || failure.outcomeUnknown) && !failure.retryable && spec.confirmLanded) {
		const landed = await spec.confirmLanded.call(ctx, target, calls).catch(() => undefined);
		if (landed) return { ok: true, json: { ...landed, attempts } };
	}
	return { ok: false, failure, attempts };
}

/** The Dry Run item of a change: what would be sent, with the success flag false. */
export function dryRunItem(idField: string, successFlag: string) {
	return (target: ItemTarget, facts: IDataObject): IDataObject => ({
		[idField]: target.id,
		dryRun: true,
		[successFlag]: false,
		method: target.method,
		url: target.url,
		...facts,
		attempts: 0,
	});
}
