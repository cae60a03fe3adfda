/** Every resource and the operations it offers: the router's dispatch table is typed by this. */
export type MediaAssetsMap = {
	asset: 'delete' | 'download' | 'get';
	mediaFile: 'delete';
	metaStudioAsset: 'getAll' | 'get' | 'delete' | 'download' | 'restore' | 'activate' | 'deactivate';
};

export type MediaAssetsResource = keyof MediaAssetsMap;
