/** Every resource and the operations it offers: the router's dispatch table is typed by this. */
export type MediaAssetsMap = {
	asset: 'delete' | 'get';
	mediaFile: 'delete';
	metaStudioAsset: 'getAll' | 'get' | 'delete' | 'restore' | 'activate' | 'deactivate';
};
