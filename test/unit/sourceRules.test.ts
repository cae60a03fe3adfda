/**
 * Rules about the shipped source that no compiler checks: layers import one way, functions stay short,
 * and only transport/ builds URLs. Read from the files, no network.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import * as ts from 'typescript';

const ROOT = resolve(__dirname, '..', '..');
const NODES = join(ROOT, 'nodes');
const CREDENTIALS = join(ROOT, 'credentials');
const MAX_FUNCTION_LINES = 60;

function sourceFiles(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) return sourceFiles(path);
		return name.endsWith('.ts') ? [path] : [];
	});
}

function parse(path: string): ts.SourceFile {
	return ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.ES2022, true);
}

/** Relative imports of a file, resolved to repository paths (without extension). */
function importsOf(file: ts.SourceFile): string[] {
	return file.statements
		.filter((statement): statement is ts.ImportDeclaration | ts.ExportDeclaration =>
			(ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) && statement.moduleSpecifier !== undefined,
		)
		.map((statement) => (statement.moduleSpecifier as ts.StringLiteral).text)
		.filter((specifier) => specifier.startsWith('.'))
		.map((specifier) => relative(ROOT, resolve(dirname(file.fileName), specifier)).split(sep).join('/'));
}

/** The layer a path of a node belongs to: `actions`, `engine`, …, or the folder itself for other files. */
function layerOf(path: string): string {
	const parts = path.split('/');
	if (parts[0] === 'credentials') return parts[1] === 'common' ? 'credentials/common' : 'credentials';
	// The node file, its version classes (v1/, v2/) and the trigger's files are the top layer.
	return parts.length > 3 && !/^v\d+$/.test(parts[2]) ? parts[2] : 'node';
}

/** Which layers each layer may import (besides itself). */
const ALLOWED: Record<string, string[]> = {
	node: ['actions', 'methods', 'helpers', 'transport'],
	methods: ['transport', 'helpers'],
	actions: ['engine', 'transport', 'helpers'],
	engine: ['helpers'],
	transport: ['helpers', 'credentials/common'],
	helpers: [],
	credentials: ['credentials/common'],
	'credentials/common': [],
};

const shipped = [...sourceFiles(NODES), ...sourceFiles(CREDENTIALS)];
const rel = (path: string) => relative(ROOT, path).split(sep).join('/');

/** Names an operation module exports for the router (`execute`): one per operation by design. */
const OPERATION_INTERFACE = new Set(['execute']);

/** The top-level functions of a file: declarations and constants holding an arrow or function expression. */
function topLevelFunctions(file: ts.SourceFile): string[] {
	const names: string[] = [];
	for (const statement of file.statements) {
		if (ts.isFunctionDeclaration(statement) && statement.name) names.push(statement.name.text);
		if (!ts.isVariableStatement(statement)) continue;
		for (const declaration of statement.declarationList.declarations) {
			const init = declaration.initializer;
			if (ts.isIdentifier(declaration.name) && init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) {
				names.push(declaration.name.text);
			}
		}
	}
	return names;
}

describe('Shipped source', () => {
	it('should import only from the layers below (helpers ← transport, engine ← actions ← node)', () => {
		const wrong: string[] = [];
		for (const path of shipped) {
			const from = layerOf(rel(path));
			for (const target of importsOf(parse(path))) {
				const to = layerOf(target);
				if (to !== from && !(ALLOWED[from] ?? []).includes(to)) wrong.push(`${rel(path)} → ${target}`);
			}
		}
		expect(wrong).toEqual([]);
	});

	it(`should have no function body longer than ${MAX_FUNCTION_LINES} lines`, () => {
		const long: string[] = [];
		for (const path of shipped) {
			const file = parse(path);
			const visit = (node: ts.Node) => {
				if (ts.isFunctionLike(node) && 'body' in node && node.body && ts.isBlock(node.body as ts.Node)) {
					const body = node.body as ts.Block;
					const first = file.getLineAndCharacterOfPosition(body.getStart(file)).line;
					const last = file.getLineAndCharacterOfPosition(body.getEnd()).line;
					const lines = last - first + 1;
					if (lines > MAX_FUNCTION_LINES) long.push(`${rel(path)}:${first + 1} (${lines} lines)`);
				}
				ts.forEachChild(node, visit);
			};
			visit(file);
		}
		expect(long).toEqual([]);
	});

	it('should build and take apart URLs and query strings only in transport/', () => {
		const urlWork = [
			/\bdocumentedUrl\b/,
			/\bmetaStudioUrl\b/,
			/\bencodeURIComponent\b/,
			/\bdecodeURIComponent\b/,
			/\bURLSearchParams\b/,
			/\bnew URL\(/,
			/['"`][^'"`]*\/(?:v1|digital-assets|files|kyyVideo2)\/[^'"`]*['"`]/,
			/['"`]\?[a-z_]+=/,
			/\.url\.replace\(/,
		];
		const found: string[] = [];
		for (const path of sourceFiles(join(NODES, 'MediaAssets'))) {
			if (rel(path).includes('/transport/')) continue;
			readFileSync(path, 'utf8')
				.split('\n')
				.forEach((line, i) => {
					if (/^\s*(?:import|export)\b.*\bfrom\s/.test(line)) return;
					if (urlWork.some((pattern) => pattern.test(line))) found.push(`${rel(path)}:${i + 1}: ${line.trim()}`);
				});
		}
		expect(found).toEqual([]);
	});

	it('should derive no node description from another: no versioned shell, no version folders, no property rewritten by a map', () => {
		const transforms: string[] = [];
		// `{ ...property, options: … }` inside a map over descriptions: a field the editor shows that no file says.
		const rewritingMap = /\.(?:map|flatMap)\(\(?\s*(\w+)[^)]*\)?\s*(?::\s*\w+\s*)?=>\s*\(?\{\s*\.\.\.\1\b/;
		for (const path of sourceFiles(NODES)) {
			const file = rel(path);
			const text = readFileSync(path, 'utf8');
			if (/\/v\d+\//.test(file)) transforms.push(`${file}: a version folder`);
			if (/\bVersionedNodeType\b|\bnodeVersions\b/.test(text)) transforms.push(`${file}: a versioned node`);
			// updateDisplayOptions only scopes an operation's own fields to it, as n8n's helper of that name does.
			if (!file.endsWith('helpers/displayOptions.ts') && rewritingMap.test(text)) transforms.push(`${file}: ${rewritingMap.exec(text)![0]}`);
		}
		expect(transforms).toEqual([]);
	});

	it('should define no top-level function twice in nodes/ and credentials/', () => {
		const definedIn = new Map<string, string[]>();
		for (const path of shipped) {
			const isOperation = path.endsWith('.operation.ts');
			for (const name of topLevelFunctions(parse(path))) {
				if (isOperation && OPERATION_INTERFACE.has(name)) continue;
				definedIn.set(name, [...(definedIn.get(name) ?? []), rel(path)]);
			}
		}
		const twice = [...definedIn].filter(([, paths]) => paths.length > 1).map(([name, paths]) => `${name}: ${paths.join(', ')}`);
		expect(twice).toEqual([]);
	});
});
