/**
 * The load test's lost-update check must flag a real lost update and must not flag kept edits — including
 * an edit that repeated the current percent on a milestone whose seeded history has several version-1 rows
 * (the case that made the check flaky: it used to compare against the first seeded row, not the last).
 */
import { describe, expect, it } from 'vitest';
import { lostEdits } from '../load/lost.ts';

const seeded = [
  { id: 1, milestone_id: 7, version: 1, percent_complete: 20 },
  { id: 2, milestone_id: 7, version: 1, percent_complete: 60 },
];

describe('lost-update check of the load test', () => {
  it('keeps an edit that set the seeded percent again (no history row written)', () => {
    const edits = [{ id: 7, version: 2, percentComplete: 60 }, { id: 7, version: 3, percentComplete: 10 }];
    const history = [...seeded, { id: 3, milestone_id: 7, version: 3, percent_complete: 10 }];
    expect(lostEdits(edits, [{ id: 7, version: 3, percent_complete: 10 }], history)).toEqual([]);
  });

  it('keeps edits found in the final state or in history at their version', () => {
    const edits = [{ id: 7, version: 2, percentComplete: 30 }, { id: 7, version: 3, percentComplete: 40 }];
    const history = [...seeded, { id: 3, milestone_id: 7, version: 2, percent_complete: 30 }, { id: 4, milestone_id: 7, version: 3, percent_complete: 40 }];
    expect(lostEdits(edits, [{ id: 7, version: 3, percent_complete: 40 }], history)).toEqual([]);
  });

  it('flags an acknowledged edit whose value is nowhere', () => {
    const edits = [{ id: 7, version: 2, percentComplete: 30 }, { id: 7, version: 3, percentComplete: 40 }];
    const history = [...seeded, { id: 4, milestone_id: 7, version: 3, percent_complete: 40 }];
    const lost = lostEdits(edits, [{ id: 7, version: 3, percent_complete: 40 }], history);
    expect(lost.map((l) => l.edit)).toEqual([{ id: 7, version: 2, percentComplete: 30 }]);
  });

  it('flags two acknowledged edits that share a version (one overwrote the other)', () => {
    const edits = [{ id: 7, version: 2, percentComplete: 30 }, { id: 7, version: 2, percentComplete: 35 }];
    const history = [...seeded, { id: 3, milestone_id: 7, version: 2, percent_complete: 35 }];
    const lost = lostEdits(edits, [{ id: 7, version: 2, percent_complete: 35 }], history);
    // 30% is nowhere, and the second 200 for v2 is a lost update in itself.
    expect(lost.map((l) => l.reason)).toEqual([expect.stringMatching(/holds 30% at v2/), expect.stringMatching(/also got version 2/)]);
  });

  it('flags an edit repeated at a version whose state in force differs', () => {
    // v2 claims 20% (the first seeded row's value) but the state in force at v2 was the later seeded row, 60%.
    const lost = lostEdits([{ id: 7, version: 2, percentComplete: 20 }], [{ id: 7, version: 2, percent_complete: 60 }], seeded);
    expect(lost).toHaveLength(1);
  });
});
