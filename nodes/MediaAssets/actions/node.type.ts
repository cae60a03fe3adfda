/** Every resource and the operations it offers: the router's dispatch table is typed by this. */
export type MediaAssetsMap = {
	asset: 'delete';
	mediaFile: 'delete';
};

export type MediaAssetsResource = keyof MediaAssetsMap;
