const path = require('path');
const { task, src, dest, parallel } = require('gulp');

// n8n finds icons through `file:` paths relative to the compiled node and
// credential files (all point into dist/icons), and a node's codex as
// `<node file>.json` beside it.
function copy(folder, pattern) {
	const copyFiles = () =>
		src(path.resolve(folder, '**', pattern), { encoding: false }).pipe(
			dest(path.resolve('dist', folder)),
		);
	copyFiles.displayName = `copy ${folder}/${pattern}`;
	return copyFiles;
}

task('build:icons', copy('icons', '*.{png,svg}'));
task('build:codex', copy('nodes', '*.node.json'));
