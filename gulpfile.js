// `npm run build` compiles with tsc, which ignores icons; this copies them next to the compiled files so
// that `icon: 'file:…'` paths resolve from dist/ exactly as they do from the sources.
const { src, dest, task, parallel } = require('gulp');

// gulp 5 decodes files as UTF-8 by default, which corrupts PNGs: keep the bytes as they are.
const copyIcons = () =>
	src(['nodes/**/*.{png,svg}', 'credentials/**/*.{png,svg}'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));

// The codex file (categories, aliases, documentation links) sits beside the compiled node, where
// n8n's loader looks for it; tsc only emits JSON that is imported.
const copyCodex = () => src(['nodes/**/*.node.json'], { base: '.' }).pipe(dest('dist'));

task('build:icons', parallel(copyIcons, copyCodex));
