import { readFileSync } from 'node:fs';

import { serialised, V1_FIXTURE, v1Description } from './v1Description';

describe('Media Assets version 1 description', () => {
	it('should be byte-identical to the pinned fixture (version 1 only ever gains operations and options)', () => {
		expect(serialised(v1Description())).toBe(readFileSync(V1_FIXTURE, 'utf8'));
	});
});
