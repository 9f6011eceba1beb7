import type { INodeProperties, INodePropertyOptions, IWebhookDescription } from 'n8n-workflow';

import { ALL_EVENTS } from './eventSelection';

/**
 * One POST webhook answered as soon as it is received: both providers want a
 * quick 2xx, and the workflow's own work must not delay it. Without an explicit
 * `responseData`, n8n answers an accepted event with the literal text
 * `firstEntryJson`; `noData` makes it an empty 200 instead.
 */
export const receivedOnPostWebhooks: IWebhookDescription[] = [
	{
		name: 'default',
		httpMethod: 'POST',
		responseMode: 'onReceived',
		responseData: 'noData',
		path: 'webhook',
	},
];

/**
 * The type versions both triggers accept; a node added in the editor gets the
 * latest. They behave the same, but for one thing outside the node: for a
 * webhook node at type version 1 exactly, n8n evaluates the old Webhook v1
 * `binaryData` option as an expression on every request (parseRequestBody in
 * n8n's webhook-helpers), and n8n 2.x borrows a fresh expression isolate to do
 * it: in a CPU profile, most of the work n8n does for an unselected event.
 */
export const triggerVersions = { version: [1, 1.1], defaultVersion: 1.1 };

/** "Connection Stream Started (Twitch)" → "connection stream started (Twitch)". */
function sentenceCase(name: string): string {
	return name
		.split(/(\([^)]*\))/)
		.map((part) => (part.startsWith('(') ? part : part.toLowerCase()))
		.join('');
}

/**
 * An Events option. n8n's node panel lists a trigger's events as "On …"
 * entries; without an explicit `action` it derives them from the value and
 * mangles platform names ("you tube", "tik tok").
 */
export function eventOption(
	name: string,
	value: string,
	description: string,
): INodePropertyOptions {
	return { name, value, description, action: `On ${sentenceCase(name)}` };
}

/** The `*` entry of both triggers' event lists, placed first as StripeTrigger does. */
export const allEventsOption = eventOption(
	'All Events',
	ALL_EVENTS,
	'Every event, including event types the provider adds in the future',
);

/** The required Events multi-select every trigger of this package has. */
export function eventsProperty(
	description: string,
	options: INodePropertyOptions[],
): INodeProperties {
	return {
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		required: true,
		default: [],
		description,
		options,
	};
}

/** The Options collection, holding what each trigger lets users tune. */
export function optionsProperty(options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options,
	};
}

/** A notice at the top of the node that tells users where the webhook URL goes. */
export function setupNotice(text: string): INodeProperties {
	return { displayName: text, name: 'setupNotice', type: 'notice', default: '' };
}
