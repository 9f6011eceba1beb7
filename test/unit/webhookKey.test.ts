import type { IHookFunctions } from 'n8n-workflow';

import { BoticordTrigger } from '../../nodes/Boticord/BoticordTrigger.node';
import { KEY_CACHE_TTL_MS, MIN_REREAD_INTERVAL_MS } from '../../nodes/shared/webhookKey';
import { bumpPayload } from '../fixtures/deliveries';
import { emittedItems, fakeWebhookContext, type FakeRequest } from '../helpers/webhookContext';

const OLD_KEY = 'old-key-1111';
const NEW_KEY = 'new-key-2222';

/** One credential whose key the test can change, counting how often the trigger reads it. */
function rotatableCredential(key: string) {
	const credential = { key, reads: 0 };
	const read = () => {
		credential.reads++;
		return { hookKey: credential.key };
	};
	return { credential, read };
}

async function deliver(request: FakeRequest & { key: string }) {
	const fake = fakeWebhookContext({
		body: bumpPayload(),
		headers: { 'x-hook-key': request.key },
		...request,
	});
	const result = await new BoticordTrigger().webhook.call(fake.context);
	return { status: fake.answer.status, emitted: emittedItems(result).length };
}

describe('the credential key kept in memory', () => {
	beforeEach(() => jest.useFakeTimers({ now: 1_700_000_000_000 }));
	afterEach(() => jest.useRealTimers());

	it('reads the credential once for many accepted deliveries', async () => {
		const { credential, read } = rotatableCredential(OLD_KEY);
		for (let i = 0; i < 50; i++) {
			expect(await deliver({ key: OLD_KEY, credentials: read, workflowId: 'w-many' })).toEqual({
				status: undefined,
				emitted: 1,
			});
		}
		expect(credential.reads).toBe(1);
	});

	it('reads it again after the lifetime, which is well under a minute', async () => {
		expect(KEY_CACHE_TTL_MS).toBeLessThanOrEqual(60_000);
		const { credential, read } = rotatableCredential(OLD_KEY);
		await deliver({ key: OLD_KEY, credentials: read, workflowId: 'w-ttl' });
		jest.advanceTimersByTime(KEY_CACHE_TTL_MS - 1);
		await deliver({ key: OLD_KEY, credentials: read, workflowId: 'w-ttl' });
		expect(credential.reads).toBe(1);
		jest.advanceTimersByTime(1);
		await deliver({ key: OLD_KEY, credentials: read, workflowId: 'w-ttl' });
		expect(credential.reads).toBe(2);
	});

	it('accepts a rotated key at once and refuses the old one within the lifetime', async () => {
		const { credential, read } = rotatableCredential(OLD_KEY);
		const workflowId = 'w-rotate';
		expect((await deliver({ key: OLD_KEY, credentials: read, workflowId })).emitted).toBe(1);

		credential.key = NEW_KEY;
		expect((await deliver({ key: NEW_KEY, credentials: read, workflowId })).emitted).toBe(1);
		// The new key's read refreshed the memory, so the old key is refused already.
		expect((await deliver({ key: OLD_KEY, credentials: read, workflowId })).status).toBe(403);
		expect(credential.reads).toBe(2);
	});

	it('while wrong keys keep coming, accepts a rotated key within a second', async () => {
		const { credential, read } = rotatableCredential(OLD_KEY);
		const workflowId = 'w-rotate-under-fire';
		await deliver({ key: OLD_KEY, credentials: read, workflowId });
		expect((await deliver({ key: 'guess', credentials: read, workflowId })).status).toBe(403);
		credential.key = NEW_KEY;
		// A mismatch read the credential just now: this one is answered from memory.
		expect((await deliver({ key: NEW_KEY, credentials: read, workflowId })).status).toBe(403);
		jest.advanceTimersByTime(MIN_REREAD_INTERVAL_MS);
		expect((await deliver({ key: NEW_KEY, credentials: read, workflowId })).emitted).toBe(1);
	});

	it('refuses the old key after the lifetime even when no new key was used', async () => {
		const { credential, read } = rotatableCredential(OLD_KEY);
		const workflowId = 'w-revoke';
		await deliver({ key: OLD_KEY, credentials: read, workflowId });
		credential.key = NEW_KEY;
		expect((await deliver({ key: OLD_KEY, credentials: read, workflowId })).emitted).toBe(1);
		jest.advanceTimersByTime(KEY_CACHE_TTL_MS);
		expect((await deliver({ key: OLD_KEY, credentials: read, workflowId })).status).toBe(403);
	});

	it('reads the credential at most once a second however many wrong keys arrive, and refuses them all', async () => {
		const { credential, read } = rotatableCredential(OLD_KEY);
		const workflowId = 'w-wrong';
		await deliver({ key: OLD_KEY, credentials: read, workflowId });
		// 1,000 wrong keys over ten seconds.
		for (let i = 0; i < 1000; i++) {
			expect((await deliver({ key: `guess-${i}`, credentials: read, workflowId })).status).toBe(
				403,
			);
			jest.advanceTimersByTime(10);
		}
		expect(credential.reads).toBeGreaterThan(1);
		expect(credential.reads).toBeLessThanOrEqual(1 + 10_000 / MIN_REREAD_INTERVAL_MS + 1);
	});

	it('refuses a wrong key after reading the credential, and a second one from memory within a second', async () => {
		const { credential, read } = rotatableCredential(OLD_KEY);
		const workflowId = 'w-wrong-fresh';
		await deliver({ key: OLD_KEY, credentials: read, workflowId });
		credential.key = NEW_KEY;
		expect((await deliver({ key: 'guess', credentials: read, workflowId })).status).toBe(403);
		expect(credential.reads).toBe(2);
		expect((await deliver({ key: OLD_KEY, credentials: read, workflowId })).status).toBe(403);
	});

	it('tells the owner once, in the n8n log, that the credential holds no key', async () => {
		const workflowId = 'w-empty';
		const outcomes = [];
		for (let i = 0; i < 3; i++) {
			const fake = fakeWebhookContext({
				body: bumpPayload(),
				headers: { 'x-hook-key': 'any' },
				credentials: { hookKey: '' },
				workflowId,
			});
			await new BoticordTrigger().webhook.call(fake.context);
			jest.advanceTimersByTime(MIN_REREAD_INTERVAL_MS);
			outcomes.push({ status: fake.answer.status, warnings: fake.logLines });
		}
		expect(outcomes.map((outcome) => outcome.status)).toEqual([500, 500, 500]);
		const warnings = outcomes.flatMap((outcome) => outcome.warnings);
		expect(warnings).toHaveLength(1);
		expect(warnings[0][0]).toBe('warn');
		expect(warnings[0][1]).toMatch(/credential has no key/);
	});

	it('keeps nodes, workflows and credentials apart', async () => {
		const first = rotatableCredential(OLD_KEY);
		const second = rotatableCredential(NEW_KEY);
		await deliver({ key: OLD_KEY, credentials: first.read, workflowId: 'w-a' });
		expect(
			(await deliver({ key: OLD_KEY, credentials: second.read, workflowId: 'w-b' })).status,
		).toBe(403);
		expect(
			(
				await deliver({
					key: OLD_KEY,
					credentials: second.read,
					workflowId: 'w-a',
					nodeName: 'Other',
				})
			).status,
		).toBe(403);
		const switched = await deliver({
			key: OLD_KEY,
			credentials: second.read,
			workflowId: 'w-a',
			nodeCredentials: { boticordWebhookApi: { id: 'another-credential', name: 'Another' } },
		});
		expect(switched.status).toBe(403);
	});

	it('forgets the secret when the workflow is deactivated', async () => {
		const { credential, read } = rotatableCredential(OLD_KEY);
		const workflowId = 'w-deactivate';
		await deliver({ key: OLD_KEY, credentials: read, workflowId });
		const hookContext = {
			getNode: () => ({ id: 'Trigger-id', name: 'Trigger' }),
			getWorkflow: () => ({ id: workflowId }),
		} as unknown as IHookFunctions;
		await new BoticordTrigger().webhookMethods.default?.delete.call(hookContext);
		credential.key = NEW_KEY;
		expect((await deliver({ key: OLD_KEY, credentials: read, workflowId })).status).toBe(403);
	});
});
