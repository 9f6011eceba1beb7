/**
 * Discord's ids (snowflakes), as Discord issues them and Boticord names bots,
 * servers and users by: an unsigned 64-bit number written in decimal digits,
 * without leading zeros. Such an id is safe in a URL path as it is.
 */

/** An id to show in placeholders and messages. */
export const DISCORD_ID_EXAMPLE = '724663360934772797';

/** The largest unsigned 64-bit number, in digits. */
const MAX_DISCORD_ID = '18446744073709551615';

/** Whether `text` is a Discord id, exactly (no spaces, signs or leading zeros). */
export function isDiscordId(text: string): boolean {
	if (!/^[1-9]\d{0,19}$/.test(text)) return false;
	// Digit strings of one length compare as their numbers do.
	return text.length < MAX_DISCORD_ID.length || text <= MAX_DISCORD_ID;
}
