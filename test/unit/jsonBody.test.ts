import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import {
	copyForItem,
	describeValidationProblem,
	MAX_JSON_DEPTH,
	quoted,
} from '../../nodes/shared/jsonBody';

describe('messages about a refused value', () => {
	it('quote a short value whole, and only the start and length of a long one', () => {
		expect(quoted('comment_added')).toBe('"comment_added"');
		const long = 'y'.repeat(10_000_000);
		expect(quoted(long)).toBe(`"${'y'.repeat(64)}…" (10000000 characters)`);
	});

	it("cap zod's own messages, which quote the value", () => {
		const parsed = z.object({ reason: z.enum(['self', 'moderation']) }).safeParse({
			reason: 'x'.repeat(10 * 1024 * 1024),
		});
		expect(parsed.success).toBe(false);
		const message = describeValidationProblem((parsed as z.SafeParseError<unknown>).error);
		expect(message).toMatch(/^reason: Invalid enum value/);
		expect(message.length).toBeLessThan(300);
	});
});

describe('the copy that becomes an item', () => {
	it('leaves out __proto__ keys and the fields named, at any depth given, and nothing else', () => {
		const body = JSON.parse(
			'{"a":1,"__proto__":{"x":1},"secret":2,"nested":{"token":"t","keep":[{"token":"in an array"}]},"list":[1,{"b":2}]}',
		);
		const copy = copyForItem(body, { secret: true, nested: { token: true } });
		expect(copy).toEqual({
			ok: true,
			value: { a: 1, nested: { keep: [{ token: 'in an array' }] }, list: [1, { b: 2 }] },
		});
		expect(body.secret).toBe(2);
	});

	it('copies every container, so the body is never changed through the item', () => {
		const body = { data: { list: [1, 2] } };
		const copy = copyForItem(body, {});
		if (!copy.ok) throw new Error(copy.problem);
		expect(copy.value.data).not.toBe(body.data);
		expect((copy.value.data as { list: unknown }).list).not.toBe(body.data.list);
	});

	it(`refuses containers nested more than ${MAX_JSON_DEPTH} levels deep`, () => {
		const nest = (levels: number) => {
			let value: unknown = 'bottom';
			for (let i = 0; i < levels; i++) value = { inner: value };
			return value as IDataObject;
		};
		expect(copyForItem(nest(MAX_JSON_DEPTH), {}).ok).toBe(true);
		expect(copyForItem(nest(MAX_JSON_DEPTH + 1), {})).toEqual({
			ok: false,
			problem: `nested more than ${MAX_JSON_DEPTH} levels deep`,
		});
	});
});
