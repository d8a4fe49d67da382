/**
 * The load script in its short mode (about 10 s per database): 50 read connections and staff editors at
 * once must give zero 5xx and zero lost updates. Figures are printed by the script (`pnpm load` for 60 s).
 */
import { spawnSync } from 'node:child_process';
import { expect, it } from 'vitest';
import type { LoadResult } from '../load/load.ts';
import { ROOT } from './proc.ts';

it('pnpm load --short: zero 5xx and zero lost updates on every database', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'test/load/load.ts', '--short'], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
  const line = r.stdout.split('\n').find((l) => l.startsWith('LOAD_RESULT '));
  expect(line, `${r.stdout}\n${r.stderr}`).toBeDefined();
  console.log(r.stdout.split('\n').filter((l) => /^(==|reads|edits|checks)/.test(l)).join('\n'));
  const results = JSON.parse((line ?? '').slice('LOAD_RESULT '.length)) as LoadResult[];
  expect(results.map((x) => x.db)).toContain('sqlite');
  if (process.env.TEST_DATABASE_URL) expect(results.map((x) => x.db)).toContain('postgres');
  for (const x of results) {
    expect(x.reads.status5xx, x.db).toBe(0);
    expect(x.reads.errors, x.db).toBe(0);
    expect(x.reads.requests, x.db).toBeGreaterThan(0);
    expect(x.edits.status5xx, x.db).toBe(0);
    expect(x.edits.ok, x.db).toBeGreaterThan(0);
    expect(x.lostUpdates, x.db).toBe(0);
    expect(x.missingAudit, x.db).toBe(0);
  }
  expect(r.status).toBe(0);
}, 320_000);
