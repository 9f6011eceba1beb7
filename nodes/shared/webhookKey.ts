import * as crypto from 'crypto';
import type { IWebhookFunctions } from 'n8n-workflow';

/**
 * The key check: the key a caller presents is compared, in constant time,
 * with the one in the node's credential. Everything about keys is here; the
 * handler only turns the verdict into an answer.
 */

export interface KeyCredential {
	/** n8n credential type name, e.g. `boticordWebhookApi`. */
	type: string;
	/** The credential field holding the key. */
	field: string;
}

export type KeyVerdict =
	/** No key, or an empty one: 401. */
	| 'missing'
	/** Sent more than once, or in a shape that cannot be a key (an object from `?token[a]=`): 403. */
	| 'unusable'
	| 'wrong'
	| 'match'
	/** The node's credential holds no key: the owner's mistake, not the caller's. */
	| 'unset';

/**
 * How long a node trusts the key it last read from its credential. Reading a
 * credential on every request halves a trigger's throughput in n8n, so the
 * key's digest is kept in this process's memory (never written anywhere) for
 * a short while. A key that no longer matches stops working at most this long
 * after the credential changed; a key that matches the changed credential
 * works at once, because a mismatch reads the credential again before refusing.
 */
export const KEY_CACHE_TTL_MS = 30_000;

/**
 * A key that does not match reads the credential again at most this often
 * per node; a mismatch sooner than that is answered from memory. So a stream
 * of wrong keys cannot make every request read the credential, while the
 * first delivery with a key changed in the credential reads it at once.
 */
export const MIN_REREAD_INTERVAL_MS = 1_000;

/**
 * The fixed-length fingerprint keys are compared by, and a secret is known
 * by where it must not be kept (a rate limiter's key, say).
 */
export function keyDigest(value: string): Buffer {
	// crypto.hash (Node.js 20.12+) is a one-shot hash several times cheaper than
	// a Hash object, and this runs on every delivery.
	return typeof crypto.hash === 'function'
		? crypto.hash('sha256', value, 'buffer')
		: crypto.createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Compares digests in constant time. Comparing digests takes the same time
 * whatever the keys' lengths are: timingSafeEqual on the keys themselves
 * would throw on (and so reveal) a length mismatch.
 */
function digestsMatch(presented: Buffer, expected: Buffer | undefined): boolean {
	return expected !== undefined && crypto.timingSafeEqual(presented, expected);
}

/**
 * The caller's key as a header or query value carries it. Node.js joins a
 * repeated custom header into one comma-separated string (which then simply
 * fails to match); a repeated query parameter arrives as an array, and n8n's
 * query parser turns `token[a]=…` or many `token[i]=…` into an object: all
 * are refused rather than guessing which copy counts.
 */
function readPresentedKey(raw: unknown): string | 'missing' | 'unusable' {
	if (raw === undefined || raw === '') return 'missing';
	if (Array.isArray(raw)) {
		if (raw.length === 0) return 'missing';
		return raw.length === 1 ? readPresentedKey(raw[0]) : 'unusable';
	}
	return typeof raw === 'string' ? raw : 'unusable';
}

/** Only the key's digest is kept, which is all the comparison needs. */
interface RememberedKey {
	credentialId: string | undefined;
	digest: Buffer | undefined;
	readAt: number;
	/** When a mismatch last made the trigger read the credential. */
	rereadAt: number;
	/** Whether the owner was already told, in n8n's log, that the credential is empty. */
	warnedEmpty: boolean;
}

const rememberedKeys = new Map<string, RememberedKey>();

/** The read in flight per node, which every request that needs one at the same time shares. */
const readsInFlight = new Map<string, Promise<RememberedKey>>();

/** One read of a node's credential, and why it happens. */
interface CredentialRead {
	context: IWebhookFunctions;
	nodeKey: string;
	credential: KeyCredential;
	credentialId: string | undefined;
	/** Whether a key that did not match the remembered one asked for it. */
	afterMismatch: boolean;
}

async function readCredential({
	context,
	nodeKey,
	credential,
	credentialId,
	afterMismatch,
}: CredentialRead): Promise<RememberedKey> {
	const data = await context.getCredentials(credential.type);
	const key = data[credential.field];
	const digest = typeof key === 'string' && key.length > 0 ? keyDigest(key) : undefined;
	const now = Date.now();
	const previous = rememberedKeys.get(nodeKey);
	const sameCredential = previous !== undefined && previous.credentialId === credentialId;
	let warnedEmpty = false;
	if (digest === undefined) {
		warnedEmpty = sameCredential && previous.warnedEmpty;
		if (!warnedEmpty) {
			context.logger.warn(
				`The trigger "${context.getNode().name}" in workflow ${context.getWorkflow().id ?? ''} refuses every delivery: its credential has no key. Open the credential in n8n and fill it in.`,
			);
			warnedEmpty = true;
		}
	}
	const remembered: RememberedKey = {
		credentialId,
		digest,
		readAt: now,
		rereadAt: afterMismatch ? now : sameCredential ? previous.rereadAt : 0,
		warnedEmpty,
	};
	rememberedKeys.set(nodeKey, remembered);
	return remembered;
}

function readShared(read: CredentialRead): Promise<RememberedKey> {
	const inFlight = readsInFlight.get(read.nodeKey);
	if (inFlight) return inFlight;
	// Started from a settled promise, so even a read that fails at once ends
	// after it is registered, and unregisters itself.
	const reading: Promise<RememberedKey> = Promise.resolve()
		.then(async () => readCredential(read))
		.finally(() => {
			if (readsInFlight.get(read.nodeKey) === reading) readsInFlight.delete(read.nodeKey);
		});
	readsInFlight.set(read.nodeKey, reading);
	return reading;
}

function verdictFor(presentedDigest: Buffer, remembered: RememberedKey): KeyVerdict {
	if (remembered.digest === undefined) return 'unset';
	return digestsMatch(presentedDigest, remembered.digest) ? 'match' : 'wrong';
}

/**
 * Checks a caller's key against the one in the node's credential: first the
 * key remembered from a recent read, then, when that does not match or has
 * expired, a fresh read (which is remembered in turn), unless a mismatch read
 * it less than MIN_REREAD_INTERVAL_MS ago.
 */
export async function verifyKey(
	context: IWebhookFunctions,
	nodeKey: string,
	credential: KeyCredential,
	raw: unknown,
): Promise<KeyVerdict> {
	const presented = readPresentedKey(raw);
	if (presented === 'missing' || presented === 'unusable') return presented;
	const presentedDigest = keyDigest(presented);
	const credentialId = context.getNode().credentials?.[credential.type]?.id ?? undefined;
	const now = Date.now();
	const remembered = rememberedKeys.get(nodeKey);
	const current =
		remembered !== undefined &&
		remembered.credentialId === credentialId &&
		now - remembered.readAt < KEY_CACHE_TTL_MS
			? remembered
			: undefined;
	if (current) {
		const verdict = verdictFor(presentedDigest, current);
		if (verdict === 'match' || now - current.rereadAt < MIN_REREAD_INTERVAL_MS) return verdict;
	}
	const fresh = await readShared({
		context,
		nodeKey,
		credential,
		credentialId,
		afterMismatch: current !== undefined,
	});
	return verdictFor(presentedDigest, fresh);
}

/** Forgets a node's remembered key, e.g. when its workflow is deactivated. */
export function forgetKey(nodeKey: string): void {
	rememberedKeys.delete(nodeKey);
	readsInFlight.delete(nodeKey);
}
