#!/usr/bin/env node
/**
 * Makes sure the n8n 1.x engine line (test/engines/n8n-1.x) is installed for its committed lockfile,
 * so that `npm test` works right after `npm ci` (whose ignore-scripts setting skips pre/post scripts).
 * Idempotent: a stamp holding the lockfile's hash skips the install when nothing changed.
 */
const { execFileSync } = require('node:child_process');
const { createHash } = require('node:crypto');
const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const FOLDER = join(__dirname, 'n8n-1.x');
const LOCKFILE = join(FOLDER, 'package-lock.json');
// npm ci keeps its own copy of the lockfile here; the stamp lives beside it and goes with node_modules.
const STAMP = join(FOLDER, 'node_modules', '.engine-lock-sha256');

function lockHash() {
	return createHash('sha256').update(readFileSync(LOCKFILE)).digest('hex');
}

function installed() {
	return (
		existsSync(STAMP) &&
		readFileSync(STAMP, 'utf8').trim() === lockHash() &&
		existsSync(join(FOLDER, 'node_modules', 'n8n-core', 'package.json'))
	);
}

if (installed()) process.exit(0);

process.stdout.write('Installing the n8n 1.x engine line into test/engines/n8n-1.x (npm ci) ...\n');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
execFileSync(npm, ['ci', '--prefix', FOLDER, '--no-audit', '--no-fund', '--ignore-scripts'], {
	cwd: FOLDER,
	stdio: 'inherit',
});
writeFileSync(STAMP, `${lockHash()}\n`);
