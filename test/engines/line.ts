/** The n8n engine line this Jest project runs on (jest.config.js sets it per project). */
export type EngineLine = '1.x' | '2.x';

export const ENGINE_LINE: EngineLine = (globalThis as { n8nEngineLine?: EngineLine }).n8nEngineLine ?? '2.x';
