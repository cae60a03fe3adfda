/** A bare HTTP client for the emulators' self-tests: the request goes out exactly as given. */
import http from 'node:http';

export interface Reply {
	status: number;
	headers: http.IncomingHttpHeaders;
	text: string;
	json: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read whatever the answer holds
}

/** One request with a raw path (sent as is); rejects with the socket error when there is no answer. */
export function call(
	origin: string,
	method: string,
	rawPath: string,
	headers: Record<string, string> = {},
	/** Sent as is: a string as UTF-8, a Buffer byte for byte. */
	body?: string | Buffer,
	agent?: http.Agent,
): Promise<Reply> {
	const url = new URL(origin);
	return new Promise((resolve, reject) => {
		const req = http.request(
			{
				host: url.hostname,
				port: url.port,
				method,
				path: rawPath,
				// DELETE is not chunked by default in Node: without a length its body would not be framed.
				headers: body === undefined ? headers : { 'content-length': String(Buffer.byteLength(body)), ...headers },
				agent: agent ?? false,
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (chunk: Buffer) => chunks.push(chunk));
				res.on('end', () => {
					const text = Buffer.concat(chunks).toString('utf8');
					let json: unknown;
					try {
						json = text === '' ? undefined : JSON.parse(text);
					} catch {
						json = undefined;
					}
					resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
				});
				res.on('error', reject);
			},
		);
		req.on('error', reject);
		req.end(body);
	});
}

/** A token from the IAM emulator for the user and project (password login, as the IAM credential does it). */
export async function iamToken(
	iamEndpoint: string,
	user: { domainName: string; userName: string; password: string },
	projectId: string,
): Promise<Reply> {
	return await call(
		iamEndpoint,
		'POST',
		'/v3/auth/tokens?nocatalog=true',
		{ 'content-type': 'application/json' },
		JSON.stringify({
			auth: {
				identity: {
					methods: ['password'],
					password: { user: { name: user.userName, password: user.password, domain: { name: user.domainName } } },
				},
				scope: { project: { id: projectId } },
			},
		}),
	);
}
