/** Every resource and the operations it offers: the router's dispatch table is typed by this. */
export type MediaAssetsMap = {
	asset: 'create' | 'delete' | 'download' | 'get';
	mediaFile: 'delete';
	metaStudioAsset: 'getAll' | 'get' | 'create' | 'delete' | 'download' | 'restore' | 'activate' | 'deactivate' | 'update';
};

export type MediaAssetsResource = keyof MediaAssetsMap;
