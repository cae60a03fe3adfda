/** Where the Seedance 2.0 / KyyVideo2 API lives unless a credential says otherwise (GlobalAiOpc's docs). */
export const KYY_DEFAULT_BASE_URL = 'https://zcbservice.aizfw.cn/kyyReactApiServer';
