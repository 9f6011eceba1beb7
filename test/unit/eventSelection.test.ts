import { isEventSelected } from '../../nodes/shared/eventSelection';

describe('isEventSelected', () => {
	it.each([
		[['account.updated'], 'account.updated', true],
		[['account.updated'], 'account.updated.twitch', false],
		[['connection.stream.started'], 'connection.stream.started.twitch', false],
		[['connection.*'], 'connection.stream.started.twitch', true],
		[['connection.*'], 'connection', false],
		[['connection.*'], 'connection.', false],
		[['event.*'], 'events.created', false],
		[['event.*'], 'event.created', true],
		[['*'], 'anything.at.all', true],
		[['*'], 'new_bot_bump', true],
		[[], 'account.updated', false],
		[['new_bot_bump', 'new_server_bump'], 'new_server_bump', true],
		[['new_bot_bump'], 'new_bot_bump_extra', false],
	])('%j selects %s: %s', (selected, type, expected) => {
		expect(isEventSelected(selected, type)).toBe(expected);
	});
});
