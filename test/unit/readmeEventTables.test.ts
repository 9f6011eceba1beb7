import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';

import { generatedSections, withSection } from '../../scripts/eventTables';

const README = join(__dirname, '..', '..', 'README.md');

/** `npm run docs:tables` sets UPDATE_README=1 to rewrite the tables instead of checking them. */
const updating = process.env.UPDATE_README === '1';

describe('README event tables', () => {
	it.each(Object.keys(generatedSections))('%s matches the catalogue', (name) => {
		const readme = readFileSync(README, 'utf8');
		const expected = withSection(readme, name, generatedSections[name]());
		if (updating) writeFileSync(README, expected);
		else expect(readme).toBe(expected);
	});
});
