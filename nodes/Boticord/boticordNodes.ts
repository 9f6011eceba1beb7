import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { localKeyTest, noWhitespace } from '../shared/credentialTest';
import type { KeyCredential } from '../shared/webhookKey';
import { allEventsOption, eventOption } from '../shared/triggerDescription';
import { boticordEvents, type BoticordFormat } from './boticordEvents';

/**
 * What the Boticord triggers (the webhook and the gateway one) share in the
 * editor: the credential and its test, the events, and the options that
 * shape notifications.
 */

/** The credential both triggers use: Boticord's API token, in a field named hookKey since the first release. */
export const BOTICORD_CREDENTIAL: KeyCredential = { type: 'boticordWebhookApi', field: 'hookKey' };

export const boticordCredentialTests = {
	// Boticord documents no request that proves a token without changing
	// anything (its one authenticated request posts a bot's stats).
	boticordApiTokenTest: localKeyTest(
		BOTICORD_CREDENTIAL.field,
		[noWhitespace],
		'The token has the right form. Boticord has no request that checks a token without changing anything: the first notification or test notification confirms it.',
	),
};

/** All Events, then the event types of the formats given, in catalogue order. */
export function boticordEventOptions(formats: readonly BoticordFormat[]): INodePropertyOptions[] {
	return [
		allEventsOption,
		...boticordEvents
			.filter((event) => formats.includes(event.format))
			.map(({ name, type, description }) => eventOption(name, type, description)),
	];
}

/** The options that shape notifications; `refusal` says what happens to an invalid one without the first. */
export function boticordNotificationOptions(refusal: string): INodeProperties[] {
	return [
		{
			displayName: 'Accept Invalid Payloads',
			name: 'acceptInvalidPayloads',
			type: 'boolean',
			default: false,
			description: `Whether to emit a selected event whose data does not match Boticord's documented shape, with the problem in a validationError field, instead of ${refusal}`,
		},
		{
			displayName: 'Bot IDs',
			name: 'botIds',
			type: 'string',
			default: '',
			placeholder: 'e.g. 724663360934772797, 974297735559806986',
			description:
				'Comma-separated IDs of your bots (an expression may also return a list). When Bot IDs or Server IDs are set, only notifications about the IDs listed start the workflow, and items say which of them is a bot (target). An expression must return IDs as text: Discord IDs beyond 2^53 lose their last digits as numbers.',
		},
		{
			displayName: 'Server IDs',
			name: 'serverIds',
			type: 'string',
			default: '',
			placeholder: 'e.g. 722424773233213460',
			description:
				'Comma-separated IDs of your Discord servers (an expression may also return a list). When Bot IDs or Server IDs are set, only notifications about the IDs listed start the workflow, and items say which of them is a server (target). An expression must return IDs as text: Discord IDs beyond 2^53 lose their last digits as numbers.',
		},
	];
}
