import { readFileSync } from 'node:fs';

import { RELEASED_FIXTURE, releasedDescription, serialised } from './releasedDescription';

describe('Media Assets description', () => {
	it('should be byte-identical to the released fixture (a change goes into a new node version)', () => {
		expect(serialised(releasedDescription())).toBe(readFileSync(RELEASED_FIXTURE, 'utf8'));
	});

	it('should be one node version, not a versioned node', () => {
		const description = releasedDescription();
		expect(description.version).toBe(1);
		expect(description).not.toHaveProperty('defaultVersion');
	});
});
