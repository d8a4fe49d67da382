/**
 * Crash consistency: the server is killed with SIGKILL at a random moment while a bulk import
 * (POST /api/v1/imports/partners, dryRun=false) and a stream of milestone edits (PATCH with If-Match) are
 * running, several times in a row, and restarted each time. After every kill: the database opens (SQLite
 * integrity_check ok), the import is all or nothing, milestone versions only go up, every edit the client
 * saw answered 200 is in the database with its audit entry, and the restarted server serves again.
 * CRASH_KILLS sets the number of kills per database (default 4, the CI short mode).
 */
import { openDatabase } from '@mm/server/db/connect';
import { describe, expect, it } from 'vitest';
import { databases, editableMilestones, signIn, startServer, tempDb, type Client } from './proc.ts';

const KILLS = Number(process.env.CRASH_KILLS ?? 4);
const IMPORT_ROWS = Number(process.env.CRASH_IMPORT_ROWS ?? 1500);

interface Edit { id: number; version: number; percentComplete: number }

/** Edits milestones until the connection dies; returns every edit answered 200. */
async function editStream(c: Client, stop: { dead: boolean }, MILESTONES: readonly number[]): Promise<Edit[]> {
  const seen: Edit[] = [];
  const one = async (id: number) => {
    let etag = '';
    while (!stop.dead) {
      try {
        if (!etag) {
          const cur = await c.fetch('GET', `/api/v1/milestones/${id}`);
          etag = cur.headers.get('etag') ?? '';
          await cur.arrayBuffer();
        }
        const pct = Math.floor(Math.random() * 101);
        const res = await c.fetch('PATCH', `/api/v1/milestones/${id}`, { percentComplete: pct }, { 'If-Match': etag });
        const body = await res.json();
        if (res.status === 200) {
          seen.push({ id, version: body.version, percentComplete: body.percentComplete });
          etag = res.headers.get('etag') ?? '';
        } else if (res.status === 412) {
          etag = res.headers.get('etag') ?? '';
        } else {
          throw new Error(`PATCH milestone ${id}: ${res.status} ${JSON.stringify(body)}`);
        }
      } catch (e) {
        if (stop.dead) return;
        throw e;
      }
    }
  };
  await Promise.all(MILESTONES.map(one));
  return seen;
}

function importCsv(prefix: string): string {
  const rows = ['externalId,name,partnerType,hqCountry,hqRegion'];
  for (let i = 0; i < IMPORT_ROWS; i++) rows.push(`${prefix}${i},Crash test partner ${prefix}${i},ngo,KEN,AFR`);
  return rows.join('\n');
}

describe.each(databases())('SIGKILL during an import and milestone edits on %s', (kind) => {
  it(`keeps the database consistent across ${KILLS} kills at random moments`, async () => {
    const db = await tempDb(kind);
    const maxVersion = new Map<number, number>();
    const tally = { midImport: 0, importCommitted: 0, importAbsent: 0, edits: 0 };
    let MILESTONES: number[] = [];
    try {
      for (let round = 0; round <= KILLS; round++) {
        const s = await startServer(db);
        const c = await signIn(s.base);
        if (round === 0) MILESTONES = await editableMilestones(c, 8);
        // The restarted server serves: every milestone reads back at a version no lower than before.
        for (const id of MILESTONES) {
          const m = await (await c.fetch('GET', `/api/v1/milestones/${id}`)).json();
          expect(m.version).toBeGreaterThanOrEqual(maxVersion.get(id) ?? 1);
        }
        if (round === KILLS) {
          s.proc.kill('SIGKILL');
          await s.exited;
          break;
        }
        const prefix = `CRASH${round}-`;
        const form = new FormData();
        form.append('file', new Blob([importCsv(prefix)], { type: 'text/csv' }), 'partners.csv');
        const stop = { dead: false };
        const edits = editStream(c, stop, MILESTONES);
        // Edits run alone for a moment, then the import joins; the kill lands at a random moment 0.2–3 s later:
        // before, during or after the import's transaction, and in the middle of the edit stream.
        await new Promise((r) => setTimeout(r, 300 + Math.random() * 700));
        let importStatus = 0;
        const imported = fetch(`${s.base}/api/v1/imports/partners?dryRun=false`, { method: 'POST', headers: { Cookie: c.cookie, 'X-Requested-With': 'MainstreamMonitor' }, body: form })
          .then(async (r) => { importStatus = r.status; await r.arrayBuffer(); }, () => { importStatus = -1; });
        await new Promise((r) => setTimeout(r, 200 + Math.random() * 2800));
        stop.dead = true;
        s.proc.kill('SIGKILL');
        await s.exited;
        await imported;
        const seen = await edits;
        tally.edits += seen.length;

        const h = openDatabase(db.url);
        try {
          if (h.sqlite) expect(h.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
          // All or nothing.
          const n = await h.db.selectFrom('partners').select((eb) => eb.fn.countAll().as('n')).where('external_id', 'like', `${prefix}%`).executeTakeFirstOrThrow();
          const count = Number(n.n);
          expect([0, IMPORT_ROWS], `import rows after kill in round ${round}`).toContain(count);
          if (importStatus === 200) expect(count).toBe(IMPORT_ROWS);
          if (count === IMPORT_ROWS) tally.importCommitted++;
          else tally.importAbsent++;
          if (importStatus === -1) tally.midImport++;
          // Versions only go up, and every edit answered 200 is there with its audit entry.
          const rows = await h.db.selectFrom('milestones').select(['id', 'version', 'percent_complete']).where('id', 'in', MILESTONES).execute();
          const audits = await h.db.selectFrom('audit').select(['entity_id', 'after']).where('entity', '=', 'milestone').where('action', '=', 'update').execute();
          const audited = new Set(audits.map((a) => `${a.entity_id}@${(JSON.parse(a.after ?? '{}') as { version?: number }).version}`));
          for (const e of seen) expect(audited.has(`${e.id}@${e.version}`), `audit for milestone ${e.id} v${e.version}`).toBe(true);
          for (const r of rows) {
            const mine = seen.filter((e) => e.id === r.id);
            const last = mine.at(-1);
            expect(r.version).toBeGreaterThanOrEqual(Math.max(maxVersion.get(r.id) ?? 1, last?.version ?? 1));
            // When no later edit committed unseen (the version matches the last 200), the value is the one the client was told.
            if (last && r.version === last.version) expect(r.percent_complete).toBe(last.percentComplete);
            maxVersion.set(r.id, r.version);
          }
        } finally {
          await h.close();
        }
      }
      console.log(`crash on ${kind}: ${KILLS} kills, ${tally.edits} acknowledged edits checked, imports committed ${tally.importCommitted} / absent ${tally.importAbsent} (${tally.midImport} killed with the import unanswered)`);
      expect(tally.edits).toBeGreaterThan(0);
    } finally {
      await db.drop();
    }
  }, 600_000);
});
