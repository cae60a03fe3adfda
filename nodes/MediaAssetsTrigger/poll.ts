import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { simplifyMetaStudioAsset } from '../MediaAssets/helpers/simplify';
import type { TriggerEvent } from './cursor';
import { decide, readPosition, startingPosition } from './cursor';
import type { ListedAsset } from './listing';
import { listNewestFirst, listSample, readSetup } from './listing';

/** The node's static data key that holds the position. */
export const POSITION_KEY = 'position';

/** How many of the most recent matching assets "Fetch Test Event" shows. */
export const SAMPLE_SIZE = 10;

const EVENTS: readonly TriggerEvent[] = ['assetCreated', 'assetStateChanged'];

function eventOf(ctx: IPollFunctions): TriggerEvent {
	const event = ctx.getNodeParameter('event', 'assetCreated') as TriggerEvent;
	if (!EVENTS.includes(event)) {
		throw new NodeOperationError(ctx.getNode(), `The event "${String(event)}" is not one this trigger knows`, {
			description: 'Pick New Asset or Asset State Changed.',
		});
	}
	return event;
}

function items(ctx: IPollFunctions, assets: ListedAsset[]): INodeExecutionData[][] {
	const simple = ctx.getNodeParameter('simple', true) as boolean;
	return [assets.map((asset) => ({ json: simple ? simplifyMetaStudioAsset(asset.record) : asset.record }))];
}

/**
 * One poll. The first one (no stored position for this event) records where the trigger starts and
 * emits nothing; each later one emits what changed since, once, and stores the new position only
 * after every page was read, so a failed poll keeps the old one. In manual mode ("Fetch Test Event")
 * it shows the most recent matching assets and leaves the position alone.
 */
export async function pollAssets(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const event = eventOf(this);
	const states = event === 'assetStateChanged' ? ((this.getNodeParameter('states', []) as string[]) ?? []) : [];
	const setup = await readSetup(this, event);

	if (this.getMode() === 'manual') {
		const sample = await listSample(this, setup, states, SAMPLE_SIZE);
		if (sample.length === 0) {
			throw new NodeOperationError(this.getNode(), 'No MetaStudio asset matches the trigger’s filters yet', {
				description: 'Change the States or Filters, or create or change a matching asset, then fetch a test event again.',
			});
		}
		return items(this, sample);
	}

	const staticData = this.getWorkflowStaticData('node') as IDataObject;
	const position = readPosition(staticData[POSITION_KEY], event);
	if (!position) {
		const listed = await listNewestFirst(this, setup, undefined, true);
		staticData[POSITION_KEY] = startingPosition(event, listed) as unknown as IDataObject;
		return null;
	}
	const listed = await listNewestFirst(this, setup, position);
	const { emit, next } = decide(position, listed, states);
	staticData[POSITION_KEY] = next as unknown as IDataObject;
	return emit.length === 0 ? null : items(this, emit);
}
