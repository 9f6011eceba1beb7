'use strict';
// The deliveries every benchmark sends: one selected event type out of ten,
// with a mix of unselected, refused and malformed requests, generated once so
// no candidate pays for building them.
const { envelope, notification } = require('../test/fixtures/deliveries');

// Boticord's API v3 notification types, then a type Boticord may add later
// (such as its undocumented test notification) and the legacy webhook types,
// all sent as today's notifications are.
const BOTICORD_TYPES = [
	'up_added',
	'comment_added',
	'comment_edited',
	'comment_removed',
	'test_notification',
	'new_bot_bump',
	'new_server_bump',
	'new_bot_comment',
	'delete_server_comment',
	'test_webhook_message',
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
/** A notification as Boticord sends it, and an event as Botisimo sends it. */
const boticordBody = (type) => notification(type, 'bench-key-7f3a9c2e4b1d');
const botisimoBody = (eventType) => envelope(eventType, { channel: 'alice', viewers: 12 });

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
