import type { IBinaryKeyData, IDataObject, INode, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ItemError } from '../helpers/errors';
import { apiFailureError, errorItemJson } from '../helpers/errors';
import type { CallFailure } from '../helpers/interfaces';
import type { KeptItem } from './outcomeMemo';
import type { ItemOperation, ItemTarget, Outcome } from './types';

// A slot's state: 0 while the item has no outcome yet.
const OK = 1;
const FAILED = 2;

/**
 * The output of a run, slot by input index: each item's json once it is known, and whether it went
 * well. Nothing else is kept per item: no targets, no plans, and error objects only when the run will
 * throw one (without continue-on-fail).
 */
export class ItemResults {
	private readonly json: Array<IDataObject | undefined>;

	private readonly state: Uint8Array;

	private readonly errors = new Map<number, ItemError>();

	/** Files of the items that brought some (Download), by input index. */
	private readonly binaries = new Map<number, IBinaryKeyData>();

	/** Repeats of an earlier item's target: [index, first index]. */
	private readonly repeats: Array<[number, number]> = [];

	constructor(
		private readonly node: INode,
		private readonly operation: ItemOperation<ItemTarget>,
		size: number,
		private readonly keepErrors: boolean,
	) {
		this.json = new Array(size);
		this.state = new Uint8Array(size);
	}

	/** The item's json and whether it succeeded, as kept for the Retry On Fail memo. */
	kept(index: number): KeptItem | undefined {
		const json = this.json[index];
		return json === undefined ? undefined : { ok: this.state[index] === OK, json };
	}

	/** An item whose parameters were refused before anything was sent. */
	invalid(index: number, error: ItemError): void {
		this.fail(index, error, errorItemJson(error, this.operation.idField, undefined, undefined, 0));
	}

	/** A bug must not lose the item: it becomes that item's error. */
	broken(index: number, target: ItemTarget, error: unknown): void {
		const itemError = new NodeOperationError(this.node, error as Error, { itemIndex: index });
		this.fail(index, itemError, errorItemJson(itemError, this.operation.idField, target.id, undefined, 0));
	}

	/** What the item's target came to, after `attempts` requests (a change's item counts them). */
	outcome(index: number, target: ItemTarget, outcome: Outcome, attempts: number): void {
		if (outcome.outcome === 'done') {
			this.succeed(index, this.operation.changeFlag ? { ...outcome.value, attempts } : outcome.value);
			if (outcome.binary) this.binaries.set(index, outcome.binary);
			return;
		}
		const { failure } = outcome;
		const subject = { noun: this.operation.noun, id: target.id, action: this.operation.action };
		const error = apiFailureError(this.node, index, subject, failure, attempts);
		this.fail(index, error, errorItemJson(error, this.operation.idField, target.id, failure, attempts));
	}

	/** An outcome this execution reached on an earlier try (the memo). */
	recalled(index: number, kept: KeptItem): void {
		if (kept.ok) this.succeed(index, kept.json);
		else this.fail(index, undefined, kept.json);
	}

	repeat(index: number, firstIndex: number): void {
		this.repeats.push([index, firstIndex]);
	}

	/** The index of the earliest failed item, or -1. */
	earliestFailure(): number {
		return this.state.indexOf(FAILED);
	}

	/** The error to throw for a failed item; an outcome recalled from the memo has only its json. */
	errorOf(index: number): ItemError {
		const kept = this.errors.get(index);
		if (kept) return kept;
		const facts = (this.json[index]?.error ?? {}) as IDataObject;
		return new NodeOperationError(this.node, String(facts.message ?? 'The item failed'), {
			itemIndex: index,
			description: typeof facts.description === 'string' ? facts.description : undefined,
		});
	}

	/** Every item in input order, with pairedItem; repeats take their first occurrence's outcome. */
	assemble(): INodeExecutionData[] {
		for (const [index, first] of this.repeats) this.copyRepeat(index, first);
		const output: INodeExecutionData[] = new Array(this.json.length);
		for (let i = 0; i < this.json.length; i++) {
			const json = this.json[i];
			if (json === undefined) {
				// Only reachable if scheduling stopped early, which only happens when the run throws.
				throw new NodeOperationError(this.node, `Item ${i} was not processed.`, { itemIndex: i });
			}
			const binary = this.binaries.get(i);
			output[i] = binary ? { json, binary, pairedItem: { item: i } } : { json, pairedItem: { item: i } };
			this.json[i] = undefined;
		}
		return output;
	}

	private copyRepeat(index: number, first: number): void {
		const json = this.json[first];
		if (json === undefined) return;
		const ok = this.state[first] === OK;
		const binary = this.binaries.get(first);
		if (binary) this.binaries.set(index, binary);
		if (!this.operation.changeFlag) {
			if (ok) this.succeed(index, json);
			else this.fail(index, this.errors.get(first), json);
			return;
		}
		const marks = { attempts: 0, duplicateOf: first };
		if (ok) this.succeed(index, { ...json, ...marks });
		else this.fail(index, this.errors.get(first), { error: { ...(json.error as IDataObject), ...marks } });
	}

	private succeed(index: number, json: IDataObject): void {
		this.json[index] = json;
		this.state[index] = OK;
	}

	private fail(index: number, error: ItemError | undefined, json: IDataObject): void {
		this.json[index] = json;
		this.state[index] = FAILED;
		if (this.keepErrors && error) this.errors.set(index, error);
	}
}

/** Whether an outcome is final for this execution: a success, or a failure no retry could change. */
export function isFinal(outcome: Outcome): boolean {
	return outcome.outcome === 'done' || (!outcome.failure.retryable && outcome.failure.reason !== 'cancelled');
}

/** The failure of an item whose call the execution's stop interrupted. */
export function cancelledFailure(action: string, attempts: number): CallFailure {
	return {
		reason: 'cancelled',
		summary: `the execution was stopped before the ${action} finished`,
		retryable: true,
		outcomeUnknown: attempts > 0,
	};
}
