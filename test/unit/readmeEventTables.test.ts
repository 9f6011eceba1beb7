import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';

import { generatedSections, withSection } from '../../scripts/eventTables';

const ROOT = join(__dirname, '..', '..');

/** `npm run docs:tables` sets UPDATE_README=1 to rewrite the tables instead of checking them. */
const updating = process.env.UPDATE_README === '1';

describe('event tables in the README and docs/', () => {
	it.each(Object.entries(generatedSections))(
		'%s matches the catalogue',
		(name, { file, render }) => {
			const document = readFileSync(join(ROOT, file), 'utf8');
			const expected = withSection(document, name, render());
			if (updating) writeFileSync(join(ROOT, file), expected);
			else expect(document).toBe(expected);
		},
	);
});
