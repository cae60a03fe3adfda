import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

import type { IDataObject, INodeType, INodeTypes, IVersionedNodeType } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { ItemsSource, SOURCE_NODE_TYPE } from './sourceNode';

export const MEDIA_ASSETS_NODE_TYPE = 'n8n-nodes-media-assets.mediaAssets';
export { SOURCE_NODE_TYPE };

export type AnyNodeType = INodeType | IVersionedNodeType;

const PACKAGE_ROOT = resolve(__dirname, '../..');

/**
 * Loads `exportName` from a package source file (path relative to the package root, without
 * extension). A missing file, a file that fails to load or a missing export throws, so a broken node
 * or credential is never silently skipped.
 */
export function loadPackageExport<T>(relativePath: string, exportName: string): { value: T; file: string } {
	// The explicit extension matters: MediaAssets.node.json (the codex) sits beside MediaAssets.node.ts,
	// and Node's own resolution order would pick the .json under ts-node.
	const file = ['.ts', '.js'].map((ext) => join(PACKAGE_ROOT, relativePath + ext)).find((f) => existsSync(f));
	if (!file) throw new Error(`${relativePath} does not exist`);
	// eslint-disable-next-line @typescript-eslint/no-require-imports -- synchronous by design: callers build registries at import time
	const moduleExports = require(file) as Record<string, unknown>;
	const value = moduleExports[exportName];
	if (value === undefined) throw new Error(`${relativePath} does not export ${exportName}`);
	return { value: value as T, file };
}

/** The package's node class, instantiated. */
export function loadMediaAssetsNode(): { type: INodeType; file: string } {
	const loaded = loadPackageExport<new () => INodeType>('nodes/MediaAssets/MediaAssets.node', 'MediaAssets');
	return { type: new loaded.value(), file: loaded.file };
}

/**
 * The `INodeTypes` n8n's Workflow and WorkflowExecute consult, backed by a map of type names as
 * they appear in workflow JSON ("<package>.<node name>"). Like n8n's own NodeTypes it resolves
 * versioned node types to the requested version and refuses unknown types instead of returning
 * undefined, so a typo in a test workflow fails loudly.
 */
export class TestNodeTypes implements INodeTypes {
	private readonly types = new Map<string, { type: AnyNodeType; sourcePath: string }>();

	constructor(types: Record<string, AnyNodeType> = {}) {
		this.registerAll(types);
	}

	register(typeName: string, type: AnyNodeType, sourcePath = 'test'): this {
		this.types.set(typeName, { type, sourcePath });
		return this;
	}

	registerAll(types: Record<string, AnyNodeType>): this {
		for (const [typeName, type] of Object.entries(types)) this.register(typeName, type);
		return this;
	}

	has(typeName: string): boolean {
		return this.types.has(typeName);
	}

	getByName(typeName: string): AnyNodeType {
		const entry = this.types.get(typeName);
		if (!entry) {
			throw new Error(`Unrecognized node type "${typeName}". Known: ${[...this.types.keys()].join(', ')}`);
		}
		return entry.type;
	}

	getByNameAndVersion(typeName: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(typeName), version);
	}

	/** Same shape as n8n's known nodes: type name → where its class came from. */
	getKnownTypes(): IDataObject {
		return Object.fromEntries(
			[...this.types].map(([typeName, { type, sourcePath }]) => [
				typeName,
				{ className: type.constructor.name, sourcePath },
			]),
		);
	}
}

/**
 * Node types for a test run: the package's Media Assets node, the items source, then `extra` (which may replace either, e.g. with a fixture under the Media Assets name).
 */
export function createNodeTypes(extra: Record<string, AnyNodeType> = {}): TestNodeTypes {
	const nodeTypes = new TestNodeTypes();
	const mediaAssets = loadMediaAssetsNode();
	nodeTypes.register(MEDIA_ASSETS_NODE_TYPE, mediaAssets.type, mediaAssets.file);
	nodeTypes.register(SOURCE_NODE_TYPE, new ItemsSource(), join(__dirname, 'sourceNode.ts'));
	return nodeTypes.registerAll(extra);
}
