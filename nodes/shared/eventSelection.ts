/** The option value that selects every event, including types the provider adds later. */
export const ALL_EVENTS = '*';

const GROUP_SUFFIX = '.*';

/**
 * Whether an event type is among the selected ones. A selected value matches
 * when it is `*`, equals the type exactly, or is a group `<prefix>.*` and the
 * type starts with `<prefix>.` (so `connection.*` matches
 * `connection.stream.started.twitch`, but `connection.stream.started` alone
 * does not).
 */
export function isEventSelected(selected: readonly string[], eventType: string): boolean {
	for (const value of selected) {
		if (value === eventType || value === ALL_EVENTS) return true;
		if (
			value.endsWith(GROUP_SUFFIX) &&
			eventType.length > value.length - 1 &&
			eventType.startsWith(value.slice(0, -1))
		) {
			return true;
		}
	}
	return false;
}
