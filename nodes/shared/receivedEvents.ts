import type { IDataObject } from 'n8n-workflow';

import { isEventSelected } from './eventSelection';
import {
	copyForItem,
	isJsonObject,
	quoted,
	type Checked,
	type JsonObject,
	type LeftOut,
} from './jsonBody';

/**
 * What becomes of one event a provider sent, whichever way it came (a
 * webhook delivery or a gateway notification): the fields every event has,
 * the event filter, the node's options, and the item.
 */

/** One event, as far as the shared handling needs to know it. */
export interface ReceivedEvent {
	/** The provider's event type, matched against the node's Events parameter. */
	type: string;
	/** The provider's id for this delivery, used to ignore retries of an accepted one. */
	deliveryId?: string;
	/**
	 * Whether the node's options leave out this selected event (it is then
	 * acknowledged and starts nothing). Runs before the event's fields are
	 * checked, so it must only look at what `readEvent` already checked.
	 */
	isLeftOut?(options: IDataObject): boolean;
	/**
	 * Checks the event's own fields and completes `emitted` (the trigger's
	 * private copy of the body, without `leftOut` fields) into the item. A
	 * problem is answered with 400.
	 */
	toItem(emitted: JsonObject, options: IDataObject): Checked<IDataObject>;
}

/** How the events of one format are read. */
export interface EventFormat {
	/** Checks the fields every event of this format has. */
	readEvent(body: JsonObject): Checked<ReceivedEvent>;
	/**
	 * Body fields that never reach an item: the sender's secrets, and the
	 * fields the trigger documents as its own, which it sets itself or leaves out.
	 */
	leftOut: LeftOut;
}

/** The provider, as messages about its events name it. */
export interface EventSource {
	/** The provider's name as users know it. */
	name: string;
	/** What the user can do about a selected event whose fields are invalid, if anything. */
	invalidPayloadHint?: string;
}

export type EventOutcome =
	/** Not an event, or an invalid one: what is wrong, for the sender. */
	| { kind: 'refused'; problem: string }
	/** An event the node's Events or options leave out. */
	| { kind: 'ignored' }
	| { kind: 'accepted'; event: ReceivedEvent; item: IDataObject; options: IDataObject };

/**
 * The node's parameters, read only once they are needed: an unselected event
 * never reads the options.
 */
export interface NodeSelection {
	events(): string[];
	options(): IDataObject;
}

export function eventOutcome(
	source: EventSource,
	format: EventFormat,
	body: unknown,
	node: NodeSelection,
): EventOutcome {
	if (!isJsonObject(body)) {
		return {
			kind: 'refused',
			problem: `The request body must be a JSON object (a ${source.name} event).`,
		};
	}
	const read = format.readEvent(body);
	if (!read.ok) return { kind: 'refused', problem: `Not a ${source.name} event: ${read.problem}.` };
	const event = read.value;

	// Nothing so far depended on the body's size: an unselected event costs
	// the same whatever it carries.
	if (!isEventSelected(node.events(), event.type)) return { kind: 'ignored' };
	const options = node.options();
	if (event.isLeftOut?.(options)) return { kind: 'ignored' };

	const emitted = copyForItem(body, format.leftOut);
	if (!emitted.ok) {
		return { kind: 'refused', problem: `The ${source.name} event is ${emitted.problem}.` };
	}
	const item = event.toItem(emitted.value, options);
	if (!item.ok) {
		const hint = source.invalidPayloadHint ? ` ${source.invalidPayloadHint}` : '';
		return {
			kind: 'refused',
			problem: `Invalid ${source.name} ${quoted(event.type)} event: ${item.problem}.${hint}`,
		};
	}
	return { kind: 'accepted', event, item: item.value, options };
}
