/** Small readers for values that come from users and servers; shared by the credentials and the node's transport. */

/** A trimmed string, or '' for anything that is not a string. */
export function text(value: unknown): string {
	return typeof value === 'string' ? value.trim() : '';
}

/** Reads a header whichever case the server used; undefined when absent or empty. */
export function headerValue(headers: Record<string, unknown> | undefined, name: string): string | undefined {
	const wanted = name.toLowerCase();
	for (const [key, value] of Object.entries(headers ?? {})) {
		if (key.toLowerCase() !== wanted) continue;
		const first: unknown = Array.isArray(value) ? value[0] : value;
		if (first === undefined || first === null) return undefined;
		const shown = String(first);
		return shown === '' ? undefined : shown;
	}
	return undefined;
}
