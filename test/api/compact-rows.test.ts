/** compactRows (the JSON form of large reads) gives exactly what a plain select gives, on both databases. */
import { compactRows, inOrder } from '@mm/server/db/util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, type TestApp } from './harness.ts';

describe.each(databases())('compactRows on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp(kind, { seed: 'none' }); });
  afterAll(async () => { await t?.close(); });

  it('matches a plain select value for value: doubles to the last bit, numerics, counts, nulls and text', async () => {
    const db = t.handle.db;
    await sql`CREATE TABLE cr_t (id integer, d double precision, n numeric, s text)`.execute(db);
    const doubles = [0.1 + 0.2, 1 / 3, 123456789.12345679, -2.5e-12, 9007199254740991, 0];
    for (const [i, d] of doubles.entries()) {
      await sql`INSERT INTO cr_t VALUES (${i}, ${d}, ${`${i}.125`}, ${i % 2 ? null : `"quoted" é ${i}`})`.execute(db);
    }
    const q = db.selectFrom('cr_t' as never).select(() => [
      sql<number>`id`.as('id'), sql<number>`d`.as('d'), sql<number>`n`.as('n'), sql<string | null>`s`.as('s'),
      sql<number>`(SELECT count(*) FROM cr_t)`.as('c'),
    ] as never);
    const compact = inOrder(await compactRows(db, t.handle.dialect, q, ['id', 'd', 'n', 's', 'c'], ['s']), (a, b) => Number(a[0]) - Number(b[0]));
    expect(compact.map((r) => r[1])).toEqual(doubles);
    expect(compact.map((r) => Number(r[2]))).toEqual(doubles.map((_, i) => i + 0.125));
    expect(compact.map((r) => r[3])).toEqual(doubles.map((_, i) => (i % 2 ? null : `"quoted" é ${i}`)));
    expect(compact.map((r) => Number(r[4]))).toEqual(doubles.map(() => doubles.length));
    // Text that looks like JSON or holds the separators stays text.
    await sql`CREATE TABLE cr_s (id integer, s text)`.execute(db);
    const awkward = ['1,2', '[3]', 'a\\b', 'line\nbreak', 'null', ''];
    for (const [i, v] of awkward.entries()) await sql`INSERT INTO cr_s VALUES (${i}, ${v})`.execute(db);
    const texts = inOrder(await compactRows(db, t.handle.dialect, db.selectFrom('cr_s' as never).select(() => [sql<number>`id`.as('id'), sql<string>`s`.as('s')] as never), ['id', 's'], ['s']), (a, b) => Number(a[0]) - Number(b[0]));
    expect(texts.map((r) => r[1])).toEqual(awkward);
    expect(await compactRows(db, t.handle.dialect, db.selectFrom('cr_s' as never).select(() => [sql<number>`id`.as('id')] as never).where(sql<boolean>`id > 99`), ['id'])).toEqual([]);
  });

  it.runIf(kind === 'postgres')('reads a double with no JSON form (an infinity, a NaN) as the string PostgreSQL writes for it', async () => {
    const db = t.handle.db;
    await sql`CREATE TABLE cr_inf (id integer, d double precision)`.execute(db);
    await sql`INSERT INTO cr_inf VALUES (1, 'Infinity'), (2, 'NaN'), (3, 2.5)`.execute(db);
    const rows = inOrder(await compactRows(db, t.handle.dialect, db.selectFrom('cr_inf' as never).select(() => [sql<number>`id`.as('id'), sql<number>`d`.as('d')] as never), ['id', 'd']), (a, b) => Number(a[0]) - Number(b[0]));
    expect(rows.map((r) => r[1])).toEqual(['Infinity', 'NaN', 2.5]);
  });
});
