/**
 * Regions and endpoints of Huawei Cloud MetaStudio and IAM. Pure: the credentials and the node share
 * these, so the URL a credential test calls is the URL the node calls.
 */

/** The regions MetaStudio is offered in. */
export const METASTUDIO_REGIONS = [
	{ value: 'cn-north-4', name: 'CN North-Beijing4' },
	{ value: 'cn-east-3', name: 'CN East-Shanghai1' },
	{ value: 'ap-southeast-3', name: 'AP-Singapore (international site)' },
] as const;

export type MetaStudioRegion = (typeof METASTUDIO_REGIONS)[number]['value'];

export const DEFAULT_METASTUDIO_REGION: MetaStudioRegion = 'cn-north-4';

/** Options for a credential's Region field: "CN North-Beijing4 (cn-north-4)". */
export const METASTUDIO_REGION_OPTIONS = METASTUDIO_REGIONS.map((region) => ({
	name: `${region.name} (${region.value})`,
	value: region.value,
}));

interface EndpointSettings {
	region?: unknown;
	endpoint?: unknown;
	iamEndpoint?: unknown;
}

// A region ends up in a host name, so anything but a region-like token would change the host.
const REGION_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

function regionOf(settings: EndpointSettings): string {
	const region = typeof settings.region === 'string' ? settings.region.trim() : '';
	if (region === '') return DEFAULT_METASTUDIO_REGION;
	if (!REGION_PATTERN.test(region)) {
		throw new Error(
			`The region "${region}" is not a Huawei Cloud region ID such as cn-north-4: select a region in the credential`,
		);
	}
	return region;
}

function override(value: unknown): string | undefined {
	if (typeof value !== 'string') return undefined;
	const trimmed = value.trim().replace(/\/+$/, '');
	return trimmed === '' ? undefined : trimmed;
}

/** The credential's Endpoint override without trailing slashes, else `https://metastudio.{region}.myhuaweicloud.com`. */
export function metaStudioEndpoint(settings: EndpointSettings): string {
	return override(settings.endpoint) ?? `https://metastudio.${regionOf(settings)}.myhuaweicloud.com`;
}

/** The credential's IAM Endpoint override without trailing slashes, else `https://iam.{region}.myhuaweicloud.com`. */
export function iamEndpoint(settings: EndpointSettings): string {
	return override(settings.iamEndpoint) ?? `https://iam.${regionOf(settings)}.myhuaweicloud.com`;
}
