/**
 * Load test: a real server process on 127.0.0.1, 50 connections of reads (progress summary, progress by
 * region, lists) from autocannon, while staff edit milestones of their region (PATCH with If-Match,
 * re-reading on 412) — for 60 s, or about 10 s with --short. On SQLite, and on PostgreSQL when
 * TEST_DATABASE_URL (or DATABASE_URL, a postgres:// server URL) is set: a database of its own is created and dropped.
 *
 *   pnpm load [--short] [--duration S] [--connections N] [--db sqlite|postgres|all]
 *
 * Prints req/s and p50/p99 latency of reads and edits, and checks: zero 5xx, zero lost updates (every edit
 * answered 200 is in the final state, or superseded and recorded in milestone_history and audit). The last
 * line is `LOAD_RESULT <json>`; the exit code is 1 when a check fails.
 */
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { openDatabase } from '@mm/server/db/connect';
import type { DbKind } from '../api/harness.ts';
import { signIn, startServer, tempDb, type Client } from '../fault/proc.ts';
import { lostEdits, type AckedEdit } from './lost.ts';

const { values } = parseArgs({
  options: {
    short: { type: 'boolean', default: false },
    duration: { type: 'string' },
    connections: { type: 'string', default: '50' },
    editors: { type: 'string', default: '4' },
    db: { type: 'string', default: 'all' },
  },
});
const DURATION = Number(values.duration ?? (values.short ? 10 : 60));
const CONNECTIONS = Number(values.connections);
const EDITORS = Number(values.editors);
const pgServer = process.env.TEST_DATABASE_URL ?? (process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : undefined);
if (pgServer) process.env.TEST_DATABASE_URL = pgServer;
const kinds: DbKind[] = values.db === 'sqlite' ? ['sqlite'] : values.db === 'postgres' ? ['postgres'] : pgServer ? ['sqlite', 'postgres'] : ['sqlite'];

type Edit = AckedEdit;
export interface LoadResult {
  db: DbKind; seconds: number; connections: number;
  reads: { requests: number; rps: number; p50: number; p99: number; status5xx: number; non2xx: number; errors: number; timeouts: number };
  edits: { ok: number; stale: number; status5xx: number; other: number; p50: number; p99: number };
  lostUpdates: number; missingAudit: number;
}

const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};

/** Staff editors: several of them on the same few milestones, so 412s (and any lost update) really happen. */
async function editLoop(c: Client, ids: number[], until: number, out: { edits: Edit[]; stale: number; status5xx: number; other: number; ms: number[] }): Promise<void> {
  while (Date.now() < until) {
    const id = ids[Math.floor(Math.random() * ids.length)] ?? ids[0] ?? 1;
    const cur = await c.fetch('GET', `/api/v1/milestones/${id}`);
    if (cur.status >= 500) out.status5xx++;
    let etag = cur.headers.get('etag') ?? '';
    await cur.arrayBuffer();
    for (let attempt = 0; attempt < 5 && Date.now() < until; attempt++) {
      const value = Math.floor(Math.random() * 101);
      const t0 = performance.now();
      const res = await c.fetch('PATCH', `/api/v1/milestones/${id}`, { percentComplete: value }, { 'If-Match': etag });
      out.ms.push(performance.now() - t0);
      const body = await res.json();
      if (res.status === 200) {
        out.edits.push({ id, version: body.version, percentComplete: body.percentComplete });
        break;
      }
      if (res.status === 412) {
        out.stale++;
        etag = res.headers.get('etag') ?? '';
        continue;
      }
      if (res.status >= 500) out.status5xx++;
      else out.other++;
      console.error(`edit ${id}: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
      break;
    }
  }
}

async function runOn(kind: DbKind): Promise<LoadResult> {
  const db = await tempDb(kind);
  const server = await startServer(db, { READ_TIMEOUT_MS: '30000' });
  try {
    const admin = await signIn(server.base, 'admin@demo.local');
    const staff = await Promise.all(Array.from({ length: EDITORS }, () => signIn(server.base, 'staff.africa@demo.local')));
    const list = await (await admin.fetch('GET', '/api/v1/milestones?region=AFR&pageSize=12')).json();
    const ids: number[] = list.items.map((m: { id: number }) => m.id);
    if (ids.length === 0) throw new Error('no AFR milestones to edit');
    const reads = ['/api/v1/progress/summary', '/api/v1/progress/by/region', '/api/v1/partnerships?page=1', '/api/v1/partnerships?page=3&sort=-resourcesUsd',
      '/api/v1/milestones?region=AFR', '/api/v1/action-plans?page=2', '/api/v1/progress/summary?region=ASP', '/api/v1/partners?q=a'];
    const until = Date.now() + DURATION * 1000;
    const acc = { edits: [] as Edit[], stale: 0, status5xx: 0, other: 0, ms: [] as number[] };
    const editing = Promise.all(staff.map((c) => editLoop(c, ids, until, acc)));
    const r = await autocannon({
      url: server.base, connections: CONNECTIONS, duration: DURATION, timeout: 30,
      headers: { cookie: admin.cookie }, requests: reads.map((path) => ({ method: 'GET', path })),
    });
    await editing;

    // Lost updates: every edit answered 200 must be in the final state or in milestone_history (lost.ts), and
    // every one must have its audit entry.
    const h = openDatabase(db.url);
    let lost = 0;
    let missingAudit = 0;
    try {
      const rows = await h.db.selectFrom('milestones').select(['id', 'version', 'percent_complete']).where('id', 'in', ids).execute();
      const hist = await h.db.selectFrom('milestone_history').select(['id', 'milestone_id', 'version', 'percent_complete']).where('milestone_id', 'in', ids).orderBy('id').execute();
      const audits = await h.db.selectFrom('audit').select(['entity_id', 'after']).where('entity', '=', 'milestone').where('action', '=', 'update').execute();
      const auditKeys = new Set(audits.map((a) => {
        const after = JSON.parse(a.after ?? '{}') as { version?: number; percentComplete?: number };
        return `${a.entity_id}@${after.version}:${after.percentComplete}`;
      }));
      const flagged = lostEdits(acc.edits, rows, hist);
      for (const f of flagged) console.error(`lost update: milestone ${f.edit.id} v${f.edit.version} ${f.edit.percentComplete}%: ${f.reason}`);
      lost = flagged.length;
      missingAudit = acc.edits.filter((e) => !auditKeys.has(`${e.id}@${e.version}:${e.percentComplete}`)).length;
    } finally {
      await h.close();
    }
    return {
      db: kind, seconds: DURATION, connections: CONNECTIONS,
      reads: { requests: r.requests.total, rps: Math.round(r.requests.average), p50: r.latency.p50, p99: r.latency.p99, status5xx: r['5xx'], non2xx: r.non2xx, errors: r.errors, timeouts: r.timeouts },
      edits: { ok: acc.edits.length, stale: acc.stale, status5xx: acc.status5xx, other: acc.other, p50: Math.round(pct(acc.ms, 50)), p99: Math.round(pct(acc.ms, 99)) },
      lostUpdates: lost, missingAudit,
    };
  } finally {
    server.proc.kill('SIGTERM');
    await server.exited;
    await db.drop();
  }
}

const results: LoadResult[] = [];
for (const kind of kinds) {
  console.log(`\n== ${kind}: ${CONNECTIONS} read connections + ${EDITORS} staff editors for ${DURATION} s on 127.0.0.1 ==`);
  const r = await runOn(kind);
  results.push(r);
  console.log(`reads : ${r.reads.requests} requests, ${r.reads.rps} req/s, latency p50 ${r.reads.p50} ms, p99 ${r.reads.p99} ms, 5xx ${r.reads.status5xx}, non-2xx ${r.reads.non2xx}, errors ${r.reads.errors}, timeouts ${r.reads.timeouts}`);
  console.log(`edits : ${r.edits.ok} accepted, ${r.edits.stale} stale (412, re-read and retried), 5xx ${r.edits.status5xx}, other ${r.edits.other}, latency p50 ${r.edits.p50} ms, p99 ${r.edits.p99} ms`);
  console.log(`checks: lost updates ${r.lostUpdates}, accepted edits without audit entry ${r.missingAudit}`);
}
const failed = results.some((r) => r.reads.status5xx > 0 || r.edits.status5xx > 0 || r.lostUpdates > 0 || r.missingAudit > 0 || r.reads.errors > 0 || r.edits.ok === 0);
console.log(`LOAD_RESULT ${JSON.stringify(results)}`);
process.exit(failed ? 1 : 0);
