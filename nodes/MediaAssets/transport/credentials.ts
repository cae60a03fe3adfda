import type { ICredentialDataDecryptedObject, ICredentialsDecrypted } from 'n8n-workflow';

import type { RequestContext } from './request';

// n8n hands every item of a run the same execution context, so a credential is read once per run.
const byRun = new WeakMap<RequestContext, Map<string, Promise<ICredentialsDecrypted>>>();

/**
 * The run's credential of this type. The same object is given back to n8n with each request
 * (`credentialsDecrypted`), which spares n8n resolving the credential again for every item; when n8n
 * refreshes an expirable token it writes the new one into this object, so later requests use it.
 */
export async function runCredential(ctx: RequestContext, type: string): Promise<ICredentialsDecrypted> {
	let forRun = byRun.get(ctx);
	if (!forRun) {
		forRun = new Map();
		byRun.set(ctx, forRun);
	}
	let credential = forRun.get(type);
	if (!credential) {
		credential = ctx.getCredentials(type).then((data) => ({ id: '', name: type, type, data: { ...data } }));
		forRun.set(type, credential);
	}
	return await credential;
}

export async function runCredentialData(ctx: RequestContext, type: string): Promise<ICredentialDataDecryptedObject> {
	return (await runCredential(ctx, type)).data ?? {};
}
