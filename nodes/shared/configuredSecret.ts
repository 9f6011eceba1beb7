import type { IWebhookFunctions } from 'n8n-workflow';

import { nodeKeyOf } from './nodeKey';
import { digestsMatch, secretDigest } from './secretMatches';

export interface SecretCredential {
	/** n8n credential type name, e.g. `boticordWebhookApi`. */
	type: string;
	/** The credential field holding the secret. */
	field: string;
}

/**
 * How long a node trusts the secret it last read from its credential. Reading
 * a credential on every request halves a trigger's throughput in n8n, so the
 * secret's digest is kept in this process's memory (never written anywhere) for a short
 * while. A key that no longer matches stops working at most this long after
 * the credential changed; a key that matches the changed credential works at
 * once, because any mismatch reads the credential again before refusing.
 */
export const SECRET_CACHE_TTL_MS = 30_000;

/** Only the secret's digest is kept, which is all the comparison needs. */
interface CachedSecret {
	credentialId: string | undefined;
	digest: Buffer | undefined;
	expiresAt: number;
}

const cachedSecrets = new Map<string, CachedSecret>();

export type SecretVerdict = 'match' | 'wrong' | 'unset';

/** Reads the secret the user stored in the node's credential; undefined when it is empty. */
async function readConfiguredSecret(
	context: IWebhookFunctions,
	credential: SecretCredential,
): Promise<string | undefined> {
	const data = await context.getCredentials(credential.type);
	const secret = data[credential.field];
	return typeof secret === 'string' && secret.length > 0 ? secret : undefined;
}

/**
 * Checks a caller's secret against the one in the node's credential: first the
 * secret remembered from a recent read, then, when that does not match or has
 * expired, a fresh read (which is remembered in turn).
 */
export async function verifySecret(
	context: IWebhookFunctions,
	credential: SecretCredential,
	presented: string,
): Promise<SecretVerdict> {
	const nodeKey = nodeKeyOf(context);
	const credentialId = context.getNode().credentials?.[credential.type]?.id ?? undefined;
	const now = Date.now();
	// Hashed once: a wrong key is compared twice (remembered, then fresh).
	const presentedDigest = secretDigest(presented);
	const cached = cachedSecrets.get(nodeKey);
	if (
		cached?.digest !== undefined &&
		cached.credentialId === credentialId &&
		cached.expiresAt > now &&
		digestsMatch(presentedDigest, cached.digest)
	) {
		return 'match';
	}
	const secret = await readConfiguredSecret(context, credential);
	const digest = secret === undefined ? undefined : secretDigest(secret);
	cachedSecrets.set(nodeKey, { credentialId, digest, expiresAt: now + SECRET_CACHE_TTL_MS });
	if (digest === undefined) return 'unset';
	return digestsMatch(presentedDigest, digest) ? 'match' : 'wrong';
}

/** Forgets a node's remembered secret, e.g. when its workflow is deactivated. */
export function forgetConfiguredSecret(nodeKey: string): void {
	cachedSecrets.delete(nodeKey);
}
