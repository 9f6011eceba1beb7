const path = require('path');
const { task, src, dest, parallel } = require('gulp');

// Icons are referenced as `file:` paths relative to the compiled node and credential files.
function copyIcons(folder) {
	const copy = () =>
		src(path.resolve(folder, '**', '*.{png,svg}'), { encoding: false }).pipe(
			dest(path.resolve('dist', folder)),
		);
	copy.displayName = `copy ${folder} icons`;
	return copy;
}

task('build:icons', parallel(copyIcons('nodes'), copyIcons('credentials')));
