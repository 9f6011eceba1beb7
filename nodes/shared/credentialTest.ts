import type { ICredentialTestFunction } from 'n8n-workflow';

/** One thing a key must be, and what to tell the user when it is not. */
export interface KeyRule {
	holds: (key: string) => boolean;
	problem: string;
}

/**
 * The credential test n8n runs when a user saves or tests a credential, for a
 * key no provider endpoint can confirm without side effects: it checks what
 * can be checked locally, and says what to fix.
 */
export function localKeyTest(
	field: string,
	rules: readonly KeyRule[],
	success: string,
): ICredentialTestFunction {
	return async function (credential) {
		const key = credential.data?.[field];
		if (typeof key !== 'string' || key.length === 0) {
			return { status: 'Error', message: 'The key is empty: paste it into the credential.' };
		}
		const broken = rules.find((rule) => !rule.holds(key));
		return broken
			? { status: 'Error', message: broken.problem }
			: { status: 'OK', message: success };
	};
}

/** Keys are pasted: a space or line break that comes along makes every comparison fail. */
export const noWhitespace: KeyRule = {
	holds: (key) => !/\s/.test(key),
	problem:
		'The key contains spaces or line breaks, which a copy and paste can add: remove them, or copy the key again.',
};
