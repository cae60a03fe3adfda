// `npm run build` compiles with tsc, which ignores icons; this copies them next to the compiled files so
// that `icon: 'file:…'` paths resolve from dist/ exactly as they do from the sources.
const { src, dest, task } = require('gulp');

// gulp 5 decodes files as UTF-8 by default, which corrupts PNGs: keep the bytes as they are.
const copyIcons = () =>
	src(['nodes/**/*.{png,svg}', 'credentials/**/*.{png,svg}'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));

task('build:icons', copyIcons);
