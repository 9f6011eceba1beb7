import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import { isDiscordId } from '../../nodes/shared/discordId';
import {
	discordIdInput,
	emailInput,
	inputText,
	integerInput,
	integerListInput,
	refusedInput,
	textInput,
	unlessBlank,
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

describe('text, email and list inputs', () => {
	it.each([
		[undefined, undefined],
		[null, undefined],
		['  ', undefined],
		['', undefined],
		[' a ', 'checked: a'],
		[0, 'checked: 0'],
	])('takes %p as an empty field or checks it', (value, expected) => {
		expect(unlessBlank(value, (given) => `checked: ${inputText(given)}`)).toBe(expected);
	});

	it('takes text of 1 to the maximum length, trimmed, and safe integers as their digits', () => {
		expect(textInput(context, 0, 'Message', '  Up on BotiCord ', { maxLength: 15 })).toBe(
			'Up on BotiCord',
		);
		expect(textInput(context, 0, 'SSO ID', 42, { maxLength: 2 })).toBe('42');
	});

	it.each([
		['', 'Message must be text of 1 to 3 characters, not "".'],
		['  ', 'Message must be text of 1 to 3 characters, not "  ".'],
		['four', 'Message must be text of 1 to 3 characters, not "four".'],
		[1.5, 'Message must be text of 1 to 3 characters, not 1.5.'],
		[undefined, 'Message must be text of 1 to 3 characters, not nothing.'],
		[['a'], 'Message must be text of 1 to 3 characters, not "["a"]".'],
	])('refuses the text %p', (value, message) => {
		expect(() => textInput(context, 0, 'Message', value, { maxLength: 3 })).toThrow(message);
	});

	it.each(['joe.someone@example.com', ' ann+loyalty@mail.example.co.uk '])(
		'takes the email address %p',
		(address) => {
			expect(emailInput(context, 0, 'Email', address)).toBe(address.trim());
		},
	);

	it.each([
		'joe',
		'joe@',
		'@example.com',
		'joe@example',
		'joe@example.',
		'joe@.com',
		'joe@@example.com',
		'jo e@example.com',
		`${'j'.repeat(243)}@example.com`,
		42,
	])('refuses %p as an email address', (value) => {
		expect(() => emailInput(context, 0, 'Email', value)).toThrow(
			/^Email must be an email address such as name@example.com, at most 254 characters, not /,
		);
	});

	it.each([
		['3, 4', [3, 4]],
		['3,4,', [3, 4]],
		[' 7 ', [7]],
		[7, [7]],
		[
			[3, '4'],
			[3, 4],
		],
		[[], []],
	])('takes %p as the whole numbers %p', (value, numbers) => {
		expect(integerListInput(context, 0, 'Tag IDs', value, { min: 1 })).toEqual(numbers);
	});

	it.each([['3, x'], ['3;4'], [[1, 0]], [{ id: 3 }], ['1.5']])(
		'refuses %p as a list, quoting the whole value',
		(value) => {
			expect(() => integerListInput(context, 0, 'Tag IDs', value, { min: 1 })).toThrow(
				/^Tag IDs must be whole numbers, 1 or more, separated by commas, not /,
			);
		},
	);
});
