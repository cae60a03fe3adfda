import type { IExecuteFunctions } from 'n8n-workflow';

// `={{ $json.assetId }}` or `={{ $json["asset id"] }}`: the whole parameter is one field of the input item.
const JSON_FIELD_ONLY = /^=\{\{\s*\$json(?:\.([A-Za-z_$][\w$]*)|\[\s*(["'])((?:(?!\2)[^\\])*)\2\s*\])\s*\}\}$/;

/**
 * Reads a per-item parameter. The common mapping `={{ $json.<field> }}` is read from the input item
 * directly: it is what n8n's expression engine would return, and evaluating it is a large share of
 * n8n's CPU time per item in a long run. Anything else goes
 * through `getNodeParameter` as usual.
 */
export function itemParameterReader(ctx: IExecuteFunctions, name: string): (itemIndex: number) => unknown {
	const raw = ctx.getNode().parameters[name];
	const field = typeof raw === 'string' ? JSON_FIELD_ONLY.exec(raw) : null;
	if (field) {
		const key = field[1] ?? field[3];
		const items = ctx.getInputData();
		return (itemIndex) => items[itemIndex]?.json[key];
	}
	return (itemIndex) => ctx.getNodeParameter(name, itemIndex, '', { rawExpressions: false }) as unknown;
}
