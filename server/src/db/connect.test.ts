/** The SQLite statement cache (statements reused, a statement busy in a streamed read never shared) and the query log option. */
import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDatabase, withStatementCache } from './connect.ts';

describe('withStatementCache', () => {
  it('reuses a prepared statement for the same SQL text', () => {
    const db = withStatementCache(new SQLite(':memory:'));
    expect(db.prepare('select 1 as x')).toBe(db.prepare('select 1 as x'));
    expect(db.prepare('select 2 as x')).not.toBe(db.prepare('select 1 as x'));
  });

  it('gives a fresh statement while the cached one is being iterated', () => {
    const raw = new SQLite(':memory:');
    raw.exec('create table t (v integer); insert into t values (1), (2), (3);');
    const db = withStatementCache(raw);
    const sql = 'select v from t order by v';
    const outer = db.prepare(sql) as unknown as SQLite.Statement;
    const seen: number[] = [];
    for (const row of outer.iterate() as Iterable<{ v: number }>) {
      // Same SQL inside the loop: must not be the busy statement (better-sqlite3 would throw).
      const inner = db.prepare(sql) as unknown as SQLite.Statement;
      expect(inner).not.toBe(outer);
      seen.push(row.v, (inner.all() as { v: number }[]).length);
    }
    expect(seen).toEqual([1, 3, 2, 3, 3, 3]);
  });

  it('serves Kysely queries and streams through it', async () => {
    const h = openDatabase('sqlite::memory:');
    try {
      await h.db.schema.createTable('t').addColumn('v', 'integer').execute();
      await h.db.insertInto('t' as never).values([{ v: 1 }, { v: 2 }] as never).execute();
      // (Kysely holds SQLite's one connection while a stream is open, so the queries run one after the other.)
      for (let i = 0; i < 3; i++) {
        const streamed: unknown[] = [];
        for await (const r of h.db.selectFrom('t' as never).selectAll().stream()) streamed.push(r);
        expect(streamed).toHaveLength(2);
        expect(await h.db.selectFrom('t' as never).selectAll().execute()).toHaveLength(2);
      }
    } finally {
      await h.close();
    }
  });
});

describe('openDatabase log option', () => {
  it('hands every query, with its parameters, to the log', async () => {
    const seen: { sql: string; parameters: readonly unknown[] }[] = [];
    const h = openDatabase('sqlite::memory:', { log: (e) => { if (e.level === 'query') seen.push({ sql: e.query.sql, parameters: e.query.parameters }); } });
    try {
      await h.db.schema.createTable('t').addColumn('v', 'integer').execute();
      await h.db.selectFrom('t' as never).selectAll().where('v' as never, '=', 7 as never).execute();
      expect(seen).toHaveLength(2);
      expect(seen[1]).toEqual({ sql: 'select * from "t" where "v" = ?', parameters: [7] });
    } finally {
      await h.close();
    }
  });
});
