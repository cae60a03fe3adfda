import type { INodeCredentialDescription, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { MediaAssetsResource } from './node.type';

const HUAWEI_RESOURCES = ['mediaFile', 'metaStudioAsset'];

/** The Huawei credentials, each shown for its Authentication choice (and, in the node, its resources). */
export function huaweiCredentials(resources?: string[]): INodeCredentialDescription[] {
	const show = (authentication: string) => ({ ...(resources ? { resource: resources } : {}), authentication: [authentication] });
	return [
		{ name: 'huaweiCloudAkSkApi', required: true, displayOptions: { show: show('akSk') } },
		{ name: 'huaweiCloudIamApi', required: true, displayOptions: { show: show('iamToken') } },
	];
}

export const mediaAssetsCredentials: INodeCredentialDescription[] = [
	{ name: 'kyyVideo2Api', required: true, displayOptions: { show: { resource: ['asset'] } } },
	...huaweiCredentials(HUAWEI_RESOURCES),
];

export const resourceProperty: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: [
		{ name: 'Asset (Huawei Cloud MetaStudio)', value: 'metaStudioAsset' },
		{ name: 'Asset (Seedance 2.0 / KyyVideo2)', value: 'asset' },
		{ name: 'Media File (Huawei Cloud MetaStudio)', value: 'mediaFile' },
	],
	default: 'asset',
};

const authenticationOptions: INodePropertyOptions[] = [
	{ name: 'AK/SK (Access Key)', value: 'akSk', description: 'Sign every request with an access key ID and secret access key' },
	{ name: 'IAM Token', value: 'iamToken', description: 'Log in as an IAM user; n8n fetches and renews the token' },
];

/** Huawei Cloud's two ways to authenticate; in the node only for its MetaStudio resources. */
export function authenticationProperty(resources?: string[]): INodeProperties {
	return {
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		...(resources ? { displayOptions: { show: { resource: resources } } } : {}),
		options: authenticationOptions,
		default: 'akSk',
	};
}

/** The Authentication choice of the node's MetaStudio resources. */
export const mediaAssetsAuthenticationProperty = authenticationProperty(HUAWEI_RESOURCES);

/**
 * How each resource's objects are named in the Operation options' actions ("Delete a MetaStudio asset":
 * n8n's AI tool describes each as "<action> in Media Assets") and in execution hints.
 */
export const RESOURCE_NOUNS: Record<MediaAssetsResource, { one: string; many: string }> = {
	asset: { one: 'Seedance asset', many: 'Seedance assets' },
	mediaFile: { one: 'MetaStudio media file', many: 'MetaStudio media files' },
	metaStudioAsset: { one: 'MetaStudio asset', many: 'MetaStudio assets' },
};

export function resourceNouns(resource: string): { one: string; many: string } {
	return RESOURCE_NOUNS[resource as MediaAssetsResource] ?? { one: 'item', many: 'items' };
}
