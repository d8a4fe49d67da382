import { describe, expect, it } from 'vitest';
import { pngName } from './png.ts';

describe(pngName.name, () => {
  it.each([
    ['trajectory', '2012-12-31', 'trajectory_asof-2012-12-31.png'],
    ['status-by-region', undefined, 'status-by-region.png'],
    ['odd id/with spaces', undefined, 'odd-id-with-spaces.png'],
  ])('%s as of %s → %s', (id, asOf, name) => {
    expect(pngName(id, asOf)).toBe(name);
  });
});
