import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

const MEMO_KEY = 'mediaAssetsOutcomes';

/** What is kept of a final outcome: the item's json, and whether it went to the success output. */
export interface KeptItem {
	ok: boolean;
	json: IDataObject;
}

/**
 * Outcomes of calls that change something, kept for the rest of the execution.
 *
 * n8n's node setting Retry On Fail re-runs the whole node with every item while the first item of
 * its first output is an error item (n8n-core WorkflowExecute, `checkFailure`): a delete that
 * succeeded on the first try would be sent again and fail as "not found". Kept here, in the node's
 * execution context (n8n's `contextData`, which lives as long as the execution and is saved with
 * it), a later try gives the same item for that target without a second request.
 *
 * Only final outcomes are kept: successes and failures a retry cannot change. A failure that a
 * retry could fix (429, 5xx, timeout, dropped connection) is tried again, which is what Retry On Fail
 * asks for.
 */
export class OutcomeMemo {
	private constructor(private readonly store: Record<string, KeptItem> | undefined) {}

	/**
	 * The memo of this node in this execution. Kept only when the node's Retry On Fail setting is on,
	 * the one case in which n8n runs the node again on the same items within an execution: it costs
	 * memory per item for the rest of the execution.
	 */
	static of(ctx: IExecuteFunctions): OutcomeMemo {
		if (ctx.getNode().retryOnFail !== true) return new OutcomeMemo(undefined);
		try {
			const context = ctx.getContext('node') as IDataObject;
			context[MEMO_KEY] ??= {};
			return new OutcomeMemo(context[MEMO_KEY] as Record<string, KeptItem>);
		} catch {
			return new OutcomeMemo(undefined);
		}
	}

	recall(key: string): KeptItem | undefined {
		return this.store?.[key];
	}

	remember(key: string, outcome: KeptItem): void {
		if (this.store) this.store[key] = outcome;
	}
}
