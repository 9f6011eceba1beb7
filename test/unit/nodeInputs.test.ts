import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import { inputText, integerInput, refusedInput } from '../../nodes/shared/nodeInputs';

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

	it('quotes at most the start of a long value, and names the item', () => {
		const error = refusedInput(context, 3, 'Bot ID', 'x'.repeat(10_000), 'a Discord ID');
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message.length).toBeLessThan(150);
		expect(error.message).toContain('(10000 characters)');
		expect(error.context.itemIndex).toBe(3);
	});
});
