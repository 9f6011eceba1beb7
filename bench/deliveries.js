'use strict';
// The deliveries every benchmark sends: one selected event type out of ten,
// with a mix of unselected, refused and malformed requests, generated once so
// no candidate pays for building them.
const crypto = require('node:crypto');

const BOTICORD_TYPES = [
	'new_bot_bump',
	'new_server_bump',
	'new_bot_comment',
	'edit_bot_comment',
	'delete_bot_comment',
	'new_server_comment',
	'edit_server_comment',
	'delete_server_comment',
	'test_webhook_message',
	'new_bot_vote',
];
const BOTISIMO_TYPES = [
	'connection.stream.started.twitch',
	'connection.stream.ended.twitch',
	'account.updated',
	'command.created',
	'giveaway.winner.created',
	'poll.created',
	'shop_item.purchase.redeemed',
	'timer.updated',
	'video.created',
	'music.updated',
];
const USER = '178404926869733376';

function boticordBody(type) {
	if (type.endsWith('_comment')) {
		return {
			type,
			data: {
				user: USER,
				comment: { vote: { old: null, new: 1 }, old: null, new: 'Great bot!' },
				at: Date.now(),
			},
		};
	}
	return { type, data: { user: USER, at: Date.now() } };
}

function botisimoBody(eventType) {
	return {
		messageId: crypto.randomUUID(),
		timestamp: Date.now(),
		eventType,
		data: { channel: 'alice', viewers: 12 },
	};
}

/** Of every 20 deliveries: 3 selected, 14 unselected, 2 with a wrong key, 1 malformed. */
const MIX = [
	...Array(3).fill('selected'),
	...Array(14).fill('unselected'),
	...Array(2).fill('badKey'),
	'malformed',
];

/**
 * @param provider 'boticord' | 'botisimo'
 * @param count    how many deliveries
 * @param mix      kinds to cycle through (default MIX)
 * @returns {{ kind: string, body: object, key: string }[]} key is 'good' or 'bad'
 */
function deliveries(provider, count, mix = MIX) {
	const types = provider === 'boticord' ? BOTICORD_TYPES : BOTISIMO_TYPES;
	const body = provider === 'boticord' ? boticordBody : botisimoBody;
	const list = [];
	for (let i = 0; i < count; i++) {
		const kind = mix[i % mix.length];
		const type = kind === 'selected' ? types[0] : types[1 + (i % (types.length - 1))];
		const payload = kind === 'malformed' ? { hello: 'not an event' } : body(type);
		list.push({ kind, body: payload, key: kind === 'badKey' ? 'bad' : 'good' });
	}
	return list;
}

module.exports = { BOTICORD_TYPES, BOTISIMO_TYPES, MIX, deliveries };
