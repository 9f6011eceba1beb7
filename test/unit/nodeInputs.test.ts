import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import { isDiscordId } from '../../nodes/shared/discordId';
import {
	discordIdInput,
	inputText,
	integerInput,
	refusedInput,
} from '../../nodes/shared/nodeInputs';

const context = {
	getNode: () => ({ name: 'Node', type: 'test' }),
} as unknown as IExecuteFunctions;

describe('node inputs', () => {
	it.each([
		['  724663360934772797 ', '724663360934772797'],
		[42, '42'],
		[2 ** 53, undefined],
		[1.5, undefined],
		[true, undefined],
		[null, undefined],
		[['1'], undefined],
	])('reads %p as the text %p', (value, text) => {
		expect(inputText(value)).toBe(text);
	});

	it.each([
		[0, 0],
		['12', 12],
		[' 7 ', 7],
		[3000, 3000],
	])('takes %p as the whole number %p', (value, number) => {
		expect(integerInput(context, 0, 'Server Count', value, { min: 0 })).toBe(number);
	});

	it.each([
		[-5, 'Server Count must be a whole number, 0 or more, not -5.'],
		[1.5, 'Server Count must be a whole number, 0 or more, not 1.5.'],
		['many', 'Server Count must be a whole number, 0 or more, not "many".'],
		[Number.NaN, 'Server Count must be a whole number, 0 or more, not NaN.'],
		['', 'Server Count must be a whole number, 0 or more, not "".'],
		[undefined, 'Server Count must be a whole number, 0 or more, not nothing.'],
		['9007199254740993', 'Server Count must be a whole number, 0 or more, not "9007199254740993".'],
		[{ n: 1 }, 'Server Count must be a whole number, 0 or more, not "{"n":1}".'],
	])('refuses %p, naming the field and the value', (value, message) => {
		expect(() => integerInput(context, 0, 'Server Count', value, { min: 0 })).toThrow(message);
	});

	it('says the bounds it was given', () => {
		expect(() => integerInput(context, 0, 'Points', 0, { min: 1, max: 10 })).toThrow(
			'Points must be a whole number from 1 to 10, not 0.',
		);
		expect(() => integerInput(context, 0, 'Points', 11, { max: 10 })).toThrow(
			'Points must be a whole number, 10 or less, not 11.',
		);
		expect(() => integerInput(context, 0, 'Points', 'x')).toThrow(
			'Points must be a whole number, not "x".',
		);
	});

	it.each([
		['724663360934772797', '724663360934772797'],
		['  724663360934772797\n', '724663360934772797'],
		['18446744073709551615', '18446744073709551615'],
		['1', '1'],
		[42, '42'],
		[Number.MAX_SAFE_INTEGER, '9007199254740991'],
	])('takes %p as the Discord ID %p', (value, id) => {
		expect(discordIdInput(context, 0, 'Bot ID', value)).toBe(id);
	});

	const anId = 'a Discord ID (its digits, e.g. 724663360934772797)';
	it.each([
		['..', `Bot ID must be ${anId}, not "..".`],
		['', `Bot ID must be ${anId}, not "".`],
		['   ', `Bot ID must be ${anId}, not "   ".`],
		['-5', `Bot ID must be ${anId}, not "-5".`],
		['1.5', `Bot ID must be ${anId}, not "1.5".`],
		['many', `Bot ID must be ${anId}, not "many".`],
		['0', `Bot ID must be ${anId}, not "0".`],
		['0724663360934772797', `Bot ID must be ${anId}, not "0724663360934772797".`],
		['18446744073709551616', `Bot ID must be ${anId}, not "18446744073709551616".`],
		['1/stats', `Bot ID must be ${anId}, not "1/stats".`],
		['%2e%2e', `Bot ID must be ${anId}, not "%2e%2e".`],
		['7246 6336', `Bot ID must be ${anId}, not "7246 6336".`],
		['１２３', `Bot ID must be ${anId}, not "１２３".`],
		[-5, `Bot ID must be ${anId}, not -5.`],
		[0, `Bot ID must be ${anId}, not 0.`],
		[1.5, `Bot ID must be ${anId}, not 1.5.`],
		[Number.NaN, `Bot ID must be ${anId}, not NaN.`],
		[Infinity, `Bot ID must be ${anId}, not Infinity.`],
		[true, `Bot ID must be ${anId}, not true.`],
		[null, `Bot ID must be ${anId}, not null.`],
		[undefined, `Bot ID must be ${anId}, not nothing.`],
		[['1'], `Bot ID must be ${anId}, not "["1"]".`],
		[{ id: '1' }, `Bot ID must be ${anId}, not "{"id":"1"}".`],
		[
			724663360934772797,
			'Bot ID must be a Discord ID given as text (a number beyond 2^53 has lost its last digits), not 724663360934772700.',
		],
	])('refuses %p as a Discord ID, naming the field and the value', (value, message) => {
		expect(() => discordIdInput(context, 0, 'Bot ID', value)).toThrow(message);
	});

	it('refuses a huge text as a Discord ID, quoting only its start', () => {
		const refusal = () => discordIdInput(context, 2, 'User ID', '1'.repeat(100_000));
		expect(refusal).toThrow(NodeOperationError);
		expect(refusal).toThrow(/^User ID must be a Discord ID .*\(100000 characters\)/);
		try {
			refusal();
		} catch (error) {
			expect((error as NodeOperationError).message.length).toBeLessThan(200);
		}
	});

	it('knows a Discord ID exactly, as text', () => {
		expect(isDiscordId('724663360934772797')).toBe(true);
		expect(isDiscordId(' 724663360934772797')).toBe(false);
		expect(isDiscordId('99999999999999999999')).toBe(false);
		expect(isDiscordId('123456789012345678901')).toBe(false);
	});

	it('quotes at most the start of a long value, and names the item', () => {
		const error = refusedInput(context, 3, 'Bot ID', 'x'.repeat(10_000), 'a Discord ID');
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message.length).toBeLessThan(150);
		expect(error.message).toContain('(10000 characters)');
		expect(error.context.itemIndex).toBe(3);
	});
});
