/** Small helpers shared by the queries: chunking, grouping, ordering and the compact (JSON) row form. */
import { describe, expect, it } from 'vitest';
import { openDatabase } from './connect.ts';
import { chunks, compactRows, groupBy, inOrder } from './util.ts';

describe(inOrder.name, () => {
  const byN = (a: { n: number }, b: { n: number }) => a.n - b.n;

  it('sorts rows that are out of order', () => {
    expect(inOrder([{ n: 3 }, { n: 1 }, { n: 2 }], byN)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
  });

  it('leaves ordered rows as they are, ties in input order', () => {
    const rows = [{ n: 1, k: 'a' }, { n: 1, k: 'b' }, { n: 2, k: 'c' }];
    const same = inOrder(rows, byN);
    expect(same).toBe(rows);
    expect(same.map((r) => r.k)).toEqual(['a', 'b', 'c']);
  });

  it('handles no rows and one row', () => {
    expect(inOrder([], byN)).toEqual([]);
    expect(inOrder([{ n: 5 }], byN)).toEqual([{ n: 5 }]);
  });
});

describe(chunks.name, () => {
  it('slices into pieces of at most the size', () => {
    expect(chunks([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunks([], 3)).toEqual([]);
  });
});

describe(groupBy.name, () => {
  it('groups by key, each group in input order', () => {
    expect([...groupBy([{ k: 'a', v: 1 }, { k: 'b', v: 2 }, { k: 'a', v: 3 }], (r) => r.k)]).toEqual([['a', [{ k: 'a', v: 1 }, { k: 'a', v: 3 }]], ['b', [{ k: 'b', v: 2 }]]]);
  });
});

describe(compactRows.name, () => {
  it('returns every row as an array of the named columns, numbers exact and nulls kept (SQLite)', async () => {
    const h = openDatabase('sqlite::memory:');
    try {
      await h.db.schema.createTable('t').addColumn('id', 'integer').addColumn('v', 'real').addColumn('s', 'text').execute();
      await h.db.insertInto('t' as never).values([{ id: 2, v: 0.1 + 0.2, s: 'b' }, { id: 1, v: null, s: 'a "q"' }] as never).execute();
      const rows = await compactRows(h.db, h.dialect, h.db.selectFrom('t' as never).select(['id', 'v', 's'] as never), ['id', 'v', 's']);
      expect(inOrder(rows, (a, b) => Number(a[0]) - Number(b[0]))).toEqual([[1, null, 'a "q"'], [2, 0.1 + 0.2, 'b']]);
      expect(await compactRows(h.db, h.dialect, h.db.selectFrom('t' as never).select(['id'] as never).where('id' as never, '>', 9 as never), ['id'])).toEqual([]);
    } finally {
      await h.close();
    }
  });
});
