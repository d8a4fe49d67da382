/**
 * `pnpm bench`: seeds the `m` scale (and `demo`, for the growth ratio) on SQLite and, when DATABASE_URL
 * names a PostgreSQL server, on a fresh PostgreSQL database too; starts the real server process on each and
 * measures everything issue 8 asks for in one run, so the ratios hold on a noisy machine. Prints
 * metric | value | target | met? and writes the same to bench/results.md with the machine's description.
 *
 * Knobs (environment): BENCH_DATABASES (sqlite,postgres: which, in order), BENCH_COLD_SAMPLES (20), BENCH_WARM_SECONDS (10 for the summary and the floor, 5 for
 * the other endpoints unless set), BENCH_SKIP_BUILD=1 (use web/dist as it is), CHROMIUM_PATH.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROGRESS_DIMENSIONS } from '@mm/shared';
import { sql } from 'kysely';
import { overviewVisit, CHROMIUM } from './lib/browser.ts';
import { bumpVersion, createBenchDb, type BenchDb } from './lib/db.ts';
import { milestoneCsv } from './lib/files.ts';
import { closeAgents, CSRF, login, timed, timedGet, unavailable } from './lib/http.ts';
import { LoadGenerator } from './lib/load.ts';
import type { LoadResult } from './lib/load-worker.ts';
import {
  byCall, filtersOf, loadProgressService, NO_FILTERS, scorecardCall, summaryCall, timelineCall, traced, trajectoryCall,
  type ProgressService, type QueryRecord, type ServiceCall, type Traced,
} from './lib/inprocess.ts';
import { REPO_ROOT, startServer, withPeakMemory, type ServerProcess } from './lib/server.ts';
import { ms, percentile, ratio } from './lib/stats.ts';
import type { Dialect } from '@mm/server/db/types';

// ------------------------------------------------------------------ targets (issue 8)
const TARGET = {
  coldP95Ms: 100,
  warmP95Ms: 5,
  floorShare: 0.5,
  overhead: 1.3,
  growth: 10,
  drawnMs: 1500,
  jsGzipKb: 150,
  xlsxSeconds: 5,
  xlsxMb: 150,
  importSeconds: 5,
  seedSeconds: 60,
} as const;

const envInt = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : fallback;
};
const COLD_SAMPLES = envInt('BENCH_COLD_SAMPLES', 20);
/** A slow endpoint stops sampling after this long (with at least MIN_SAMPLES), to bound the run. */
const COLD_BUDGET_MS = 6_000;
const MIN_SAMPLES = 3;
/** Untimed rounds of every cold probe before sampling (JIT warm-up, see measureAt). */
const WARMUP_ROUNDS = 3;
const WARM_MAIN_S = envInt('BENCH_WARM_SECONDS', 10);
const WARM_OTHER_S = envInt('BENCH_WARM_SECONDS', 5);
const OVERVIEW_WARM_VISITS = 2;
const IMPORT_ROWS = 10_000;
const M_ACTION_PLANS = 2000;

const PG_ADMIN_URL = /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? '') ? process.env.DATABASE_URL : undefined;

// ------------------------------------------------------------------ what is measured
interface Probe {
  label: string;
  path: string;
  call: ServiceCall;
  /** cold p95 ≤ 100 ms applies (summary and every by/{dimension}). */
  coldTarget: boolean;
  /** Warm run length. */
  warmSeconds: number;
  /** Measured for information only: not among the endpoints issue 8 names, so no target applies. */
  extra?: true;
}

const FILTERED = { partnerType: ['un'], mandate: ['MDG-1B-2008'] };
const APPROVED = { ...NO_FILTERS, figures: 'approved' as const };
const PROBES: Probe[] = [
  { label: 'progress/summary', path: '/api/v1/progress/summary', call: summaryCall(NO_FILTERS), coldTarget: true, warmSeconds: WARM_MAIN_S },
  // Issue 16: approved figures (only what lies in approved reporting periods) replay the history; the same targets.
  { label: 'progress/summary?figures=approved', path: '/api/v1/progress/summary?figures=approved', call: summaryCall(APPROVED), coldTarget: true, warmSeconds: WARM_MAIN_S },
  ...PROGRESS_DIMENSIONS.map((dim): Probe => ({ label: `progress/by/${dim}`, path: `/api/v1/progress/by/${dim}`, call: byCall(dim, NO_FILTERS), coldTarget: true, warmSeconds: WARM_OTHER_S })),
  { label: 'progress/by/region?partnerType=un&mandate=MDG-1B-2008', path: '/api/v1/progress/by/region?partnerType=un&mandate=MDG-1B-2008', call: byCall('region', filtersOf(FILTERED)), coldTarget: true, warmSeconds: WARM_OTHER_S },
  { label: 'progress/trajectory', path: '/api/v1/progress/trajectory', call: trajectoryCall(NO_FILTERS), coldTarget: false, warmSeconds: WARM_OTHER_S },
  { label: 'progress/timeline', path: '/api/v1/progress/timeline', call: timelineCall(NO_FILTERS), coldTarget: false, warmSeconds: WARM_OTHER_S, extra: true },
  // The mainstreaming scorecard (issue 15): the same cold and warm targets as the other progress routes.
  // Requested as the scorecard page does (50 entities a page; the default page of 100 is 140 KB of grid cells at demo scale).
  { label: 'progress/scorecard?pageSize=50', path: '/api/v1/progress/scorecard?pageSize=50', call: scorecardCall(), coldTarget: true, warmSeconds: WARM_OTHER_S },
];

type Outcome<T> = { ok: true; value: T } | { ok: false; why: string };
const na = (why: string): { ok: false; why: string } => ({ ok: false, why });

interface Row { metric: string; value: string; target: string; met: boolean | null }
interface Plan { probe: string; why: string; queries: { sql: string; ms: number; plan: string[] }[] }
interface DbReport { title: string; rows: Row[]; plans: Plan[]; notes: string[] }

const log = (msg: string) => console.log(`[bench ${((performance.now()) / 1000).toFixed(0).padStart(3)} s] ${msg}`);

// ------------------------------------------------------------------ measurements
/** One kind of timed call, sampled alongside the others. */
interface Stream { once: () => Promise<Outcome<number>>; samples: number[]; failed?: string }

/**
 * Samples every stream in turn (demo HTTP, m HTTP, m in-process), so drift in the machine's load hits all of
 * them alike and their ratios hold; stops after COLD_SAMPLES rounds or when the budget is spent (at least
 * MIN_SAMPLES). Each stream's first call pays module loading and JIT warm-up and is not counted — unless it is
 * slow anyway (> 500 ms), when that overhead is noise and the call counts, to keep the run bounded.
 */
async function sampleTogether(streams: Stream[]): Promise<void> {
  const round = async (first: boolean) => {
    for (const st of streams) {
      if (st.failed) continue;
      const call = () => st.once().catch((e: unknown) => na(`n/a (${e instanceof Error ? e.message : String(e)})`));
      let r = await call();
      // A fast first call was the warm-up: take the stream's first sample now, so all streams start even.
      if (first && r.ok && r.value <= 500) r = await call();
      if (!r.ok) st.failed = r.why;
      else st.samples.push(r.value);
    }
  };
  const t0 = performance.now();
  await round(true);
  const live = () => streams.filter((st) => !st.failed);
  const fewest = () => Math.min(...live().map((st) => st.samples.length));
  while (live().length > 0 && fewest() < COLD_SAMPLES && (fewest() < MIN_SAMPLES || performance.now() - t0 < COLD_BUDGET_MS)) await round(false);
}

const result = (st: Stream): Outcome<number[]> => (st.failed ? na(st.failed) : { ok: true, value: st.samples });

/** Cold HTTP requests: a committed write (data version bump) before each. */
function coldStream(server: ServerProcess, db: BenchDb, cookie: string, probe: Probe): Stream {
  const url = server.base + probe.path;
  return {
    samples: [],
    once: async () => {
      await bumpVersion(db);
      const r = await timedGet(url, { cookie });
      return r.status === 200 ? { ok: true, value: r.ms } : na(unavailable(r));
    },
  };
}

/** The same computation in-process; keeps the queries of the latest call for EXPLAIN. */
function inProcessStream(tr: Traced, svc: ProgressService | null, probe: Probe, last: { queries: QueryRecord[] }): Stream {
  const run = svc ? probe.call(svc, tr.deps) : undefined;
  const missing = !svc ? 'n/a (server/src/queries/progress.ts missing)' : !run ? 'n/a (service function missing)' : undefined;
  return {
    samples: [],
    failed: missing,
    once: async () => {
      if (!run) return na('n/a (service function missing)');
      const t0 = performance.now();
      try {
        last.queries = (await tr.record(run)).queries;
      } catch (e) {
        return na(`n/a (in-process call failed: ${e instanceof Error ? e.message : String(e)})`);
      }
      return { ok: true, value: performance.now() - t0 };
    },
  };
}

/** A warm run's figures (lib/load-worker.ts). */
type Warm = LoadResult;

/** The load generator: one process for the whole run (see lib/load-worker.ts), started on first use. */
let loadGenerator: LoadGenerator | undefined;

/** A warm run: autocannon (20 connections) in the load-generator process. */
function warmLoad(url: string, cookie: string | null, seconds: number): Promise<Warm> {
  loadGenerator ??= new LoadGenerator(REPO_ROOT);
  return loadGenerator.run({ url, cookie, seconds });
}

/**
 * Two loads in alternating slices (a, b, a, b, …), each side's slices merged: on a machine whose speed
 * drifts, both sides see the same drift, so their ratio holds.
 */
async function alternating(a: { url: string; cookie: string | null }, b: { url: string; cookie: string | null }, rounds: number, sliceSeconds: number): Promise<[Warm, Warm]> {
  const runs: [Warm[], Warm[]] = [[], []];
  for (let i = 0; i < rounds; i++) {
    runs[0].push(await warmLoad(a.url, a.cookie, sliceSeconds));
    runs[1].push(await warmLoad(b.url, b.cookie, sliceSeconds));
  }
  const merge = (ws: Warm[]): Warm => {
    const latencies = ws.flatMap((w) => w.latencies);
    const seconds = ws.reduce((t, w) => t + w.seconds, 0);
    const requests = ws.reduce((t, w) => t + w.requests, 0);
    return { p50: percentile(latencies, 50), p95: percentile(latencies, 95), rps: requests / seconds, requests, bad: ws.reduce((t, w) => t + w.bad, 0), seconds, latencies };
  };
  return [merge(runs[0]), merge(runs[1])];
}

/** Builds web/dist when it is missing or older than web/src (the overview measurement needs the real build). */
function ensureWebBuilt(): Outcome<string> {
  const dist = path.join(REPO_ROOT, 'web/dist/index.html');
  const newest = (dir: string): number => {
    let t = 0;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
    }
    return t;
  };
  const srcDir = path.join(REPO_ROOT, 'web/src');
  if (!fs.existsSync(srcDir)) return na('n/a (no web app)');
  const stale = !fs.existsSync(dist) || newest(srcDir) > fs.statSync(dist).mtimeMs;
  if (stale && process.env.BENCH_SKIP_BUILD !== '1') {
    log('building the web app (pnpm build)…');
    const r = spawnSync('pnpm', ['build'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
    if (r.status !== 0) return na(`n/a (pnpm build failed: ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' ')})`);
  }
  return fs.existsSync(dist) ? { ok: true, value: dist } : na('n/a (web/dist missing)');
}

async function databaseVersion(db: BenchDb): Promise<string> {
  if (db.dialect === 'sqlite') {
    const r = await sql<{ v: string }>`SELECT sqlite_version() AS v`.execute(db.handle.db);
    return `SQLite ${r.rows[0]?.v ?? '?'}`;
  }
  const r = await sql<{ v: string }>`SHOW server_version`.execute(db.handle.db).catch(() => ({ rows: [] }));
  const row: unknown = r.rows[0];
  const v = row && typeof row === 'object' ? Object.values(row)[0] : undefined;
  return `PostgreSQL ${typeof v === 'string' ? v : '?'}`;
}

// ------------------------------------------------------------------ one database
/** Releases servers and databases if the run is interrupted (Ctrl-C): each start registers its undo here. */
type Undo = Set<() => Promise<void>>;

async function guarded<T>(undo: Undo, thing: T, release: () => Promise<void>): Promise<{ thing: T; release: () => Promise<void> }> {
  const once = async () => { undo.delete(once); await release(); };
  undo.add(once);
  return { thing, release: once };
}

async function benchDatabase(dialect: Dialect, web: Outcome<string>, undo: Undo): Promise<DbReport> {
  const rows: Row[] = [];
  const plans: Plan[] = [];
  const notes: string[] = [];
  const name = dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL';
  const push = (metric: string, value: string, target: string, met: boolean | null) => rows.push({ metric, value, target, met });

  // Both scales run side by side, so growth (m over demo) is sampled under the same machine load.
  log(`${name}: seeding demo scale…`);
  const { thing: demoDb, release: dropDemo } = await createBenchDb(dialect, 'demo', PG_ADMIN_URL).then((d) => guarded(undo, d, d.drop));
  try {
    push('seed demo scale', `${demoDb.seedSeconds.toFixed(1)} s`, '—', null);
    log(`${name}: seeding m scale…`);
    const { thing: db, release: dropM } = await createBenchDb(dialect, 'm', PG_ADMIN_URL).then((d) => guarded(undo, d, d.drop));
    try {
      const title = await databaseVersion(db);
      push('seed m scale (10,000 partnerships, 50,000 milestones, 100,000 measurements)', `${db.seedSeconds.toFixed(1)} s`, `≤ ${TARGET.seedSeconds} s`, db.seedSeconds <= TARGET.seedSeconds);
      if (dialect === 'postgres') notes.push('VACUUM ANALYZE and CHECKPOINT ran after each seed (outside its timing), as autovacuum and the checkpointer would shortly after a bulk load.');
      const { thing: demoServer, release: stopDemo } = await startServer(demoDb.url).then((x) => guarded(undo, x, async () => { await x.stop(); }));
      const { thing: server, release: stopM } = await startServer(db.url).then((x) => guarded(undo, x, async () => { await x.stop(); }));
      const tr = traced(db);
      try {
        await measureAt({ name, db, demoDb, server, demoServer, tr, push, plans, stopDemo, web });
      } finally {
        await tr.close();
        await stopM();
        await stopDemo();
      }
      return { title, rows, plans, notes };
    } finally {
      await dropM();
    }
  } finally {
    await dropDemo();
  }
}

/** Where one in-process call spent its time (SQLite runs queries one after another; PostgreSQL may overlap them). */
function inSql(db: BenchDb, queries: readonly QueryRecord[], wallMs: number): string {
  const sum = queries.reduce((a, q) => a + q.ms, 0);
  return db.dialect === 'sqlite'
    ? `one in-process call: ${queries.length} queries, ${ms(sum)} in SQL, ${ms(wallMs - sum)} outside it, ${ms(wallMs)} in all`
    : `one in-process call: ${queries.length} queries taking ${ms(sum)} together (some run concurrently), ${ms(wallMs)} in all`;
}

interface MeasureContext {
  name: string;
  db: BenchDb;
  demoDb: BenchDb;
  server: ServerProcess;
  demoServer: ServerProcess;
  tr: Traced;
  push: (metric: string, value: string, target: string, met: boolean | null) => void;
  plans: Plan[];
  /** The demo side is released once the cold sampling is done, so it cannot disturb the rest. */
  stopDemo: () => Promise<void>;
  web: Outcome<string>;
}

async function measureAt(x: MeasureContext): Promise<void> {
  const { name, db, demoDb, server, demoServer, tr, push, plans, web } = x;
  const cookie = await login(server.base, 'manager@demo.local');
  const demoCookie = await login(demoServer.base, 'manager@demo.local');
  const adminCookie = await login(server.base, 'admin@demo.local');
  const svc = await loadProgressService();

  // "Cold" means no cache can answer, not code that V8 has yet to optimise: a few untimed rounds of every
  // probe first, on every side, so that the first probes sampled do not carry the whole JIT warm-up (of the
  // server process, and of this one for the in-process calls) and the last ones none of it.
  log(`${name}: warming up (${WARMUP_ROUNDS} untimed rounds of every probe on every side)…`);
  for (let i = 0; i < WARMUP_ROUNDS; i++) {
    for (const p of PROBES) {
      for (const st of [coldStream(demoServer, demoDb, demoCookie, p), coldStream(server, db, cookie, p), inProcessStream(tr, svc, p, { queries: [] })]) {
        if (!st.failed) await st.once().catch(() => undefined);
      }
    }
  }

  log(`${name}: cold latency (a committed write before each request) at demo and m, and in-process at m, interleaved…`);
  const cold = new Map<string, Outcome<number[]>>();
  const demoCold = new Map<string, Outcome<number[]>>();
  const inproc = new Map<string, Outcome<{ samples: number[]; queries: QueryRecord[] }>>();
  for (const p of PROBES) {
    const last: { queries: QueryRecord[] } = { queries: [] };
    const streams = { demo: coldStream(demoServer, demoDb, demoCookie, p), m: coldStream(server, db, cookie, p), inproc: inProcessStream(tr, svc, p, last) };
    await sampleTogether([streams.demo, streams.m, streams.inproc]);
    cold.set(p.label, result(streams.m));
    demoCold.set(p.label, result(streams.demo));
    const ip = result(streams.inproc);
    inproc.set(p.label, ip.ok ? { ok: true, value: { samples: ip.value, queries: last.queries } } : ip);
  }
  // The demo server stops now; its database is dropped at the end (on PostgreSQL DROP DATABASE forces an
  // immediate checkpoint, which would run under the warm measurements).
  await x.stopDemo();

  log(`${name}: warm load (autocannon, 20 connections)…`);
  // Unmeasured warm-up runs: the first seconds under 20 connections pay V8's optimisation of the hot paths.
  await warmLoad(`${server.base}/api/v1/ping`, null, 2);
  await timed(server.base + '/api/v1/progress/summary', { headers: { cookie } });
  await warmLoad(`${server.base}/api/v1/progress/summary`, cookie, 2);
  // The floor and the summary, whose throughputs are compared, in alternating 2 s slices.
  const main = PROBES[0];
  const mainCold = main ? cold.get(main.label) : undefined;
  const warm = new Map<string, Outcome<Warm>>();
  const ping = { url: `${server.base}/api/v1/ping`, cookie: null };
  const rounds = Math.max(1, Math.round(WARM_MAIN_S / 2));
  let floor: Warm;
  if (main && mainCold?.ok) {
    const [f, s] = await alternating(ping, { url: server.base + main.path, cookie }, rounds, WARM_MAIN_S / rounds);
    floor = f;
    warm.set(main.label, { ok: true, value: s });
  } else floor = await warmLoad(ping.url, null, WARM_MAIN_S);
  push('floor: GET /api/v1/ping warm p50 / p95', `${ms(floor.p50)} / ${ms(floor.p95)}`, '—', null);
  push('floor: GET /api/v1/ping throughput', `${Math.round(floor.rps)} req/s`, '—', null);
  for (const p of PROBES) {
    if (warm.has(p.label)) continue;
    const c = cold.get(p.label);
    if (!c?.ok) { warm.set(p.label, na(c?.why ?? 'n/a')); continue; }
    // One request so the read cache holds this answer, as it would for a dashboard in use.
    await timed(server.base + p.path, { headers: { cookie } });
    warm.set(p.label, { ok: true, value: await warmLoad(server.base + p.path, cookie, p.warmSeconds) });
  }

  for (const p of PROBES) {
    // An extra probe's figures are shown with no target (see Probe.extra).
    const target = (text: string, met: boolean | null): [string, boolean | null] => (p.extra ? ['— (extra probe, not in issue 8)', null] : [text, met]);
    const c = cold.get(p.label);
    const d = demoCold.get(p.label);
    const w = warm.get(p.label);
    const ip = inproc.get(p.label);
    if (!c?.ok) {
      push(`${p.label}`, c?.why ?? 'n/a', 'cold, warm, overhead, growth', null);
      continue;
    }
    const p50 = percentile(c.value, 50);
    const p95 = percentile(c.value, 95);
    push(`${p.label} — cold p50 / p95 (${c.value.length} samples)`, `${ms(p50)} / ${ms(p95)}`, p.coldTarget ? `p95 ≤ ${TARGET.coldP95Ms} ms` : '— (no target)', p.coldTarget ? p95 <= TARGET.coldP95Ms : null);
    if (w?.ok) {
      const bad = w.value.bad > 0 ? ` (${w.value.bad} non-200/errors!)` : '';
      push(`${p.label} — warm p50 / p95`, `${ms(w.value.p50)} / ${ms(w.value.p95)}${bad}`, ...target(`p95 ≤ ${TARGET.warmP95Ms} ms`, w.value.p95 <= TARGET.warmP95Ms && w.value.bad === 0));
      const share = w.value.rps / floor.rps;
      const isSummary = p.label === 'progress/summary' || p.label === 'progress/summary?figures=approved';
      push(`${p.label} — warm throughput`, `${Math.round(w.value.rps)} req/s (${(share * 100).toFixed(0)} % of floor)`, isSummary ? `≥ ${Math.round(floor.rps * TARGET.floorShare)} req/s (half the floor)` : '—', isSummary ? share >= TARGET.floorShare : null);
    } else push(`${p.label} — warm`, w?.why ?? 'n/a', `p95 ≤ ${TARGET.warmP95Ms} ms`, null);
    if (ip?.ok) {
      const inP50 = percentile(ip.value.samples, 50);
      const r = p50 / inP50;
      push(`${p.label} — overhead (HTTP cold p50 ${ms(p50)} / in-process p50 ${ms(inP50)})`, ratio(r), ...target(`≤ ${TARGET.overhead}`, r <= TARGET.overhead));
    } else push(`${p.label} — overhead`, ip?.why ?? 'n/a', `≤ ${TARGET.overhead}`, null);
    if (d?.ok) {
      const dp50 = percentile(d.value, 50);
      const g = p50 / dp50;
      push(`${p.label} — growth (cold p50 m ${ms(p50)} / demo ${ms(dp50)})`, ratio(g), ...target(`≤ ${TARGET.growth}`, g <= TARGET.growth));
    } else push(`${p.label} — growth`, d?.why ?? 'n/a', `≤ ${TARGET.growth}`, null);

    // Explain the slowest queries of anything that missed its cold or growth target.
    const missedCold = p.coldTarget && p95 > TARGET.coldP95Ms;
    const missedGrowth = !p.extra && d?.ok === true && p50 / percentile(d.value, 50) > TARGET.growth;
    if ((missedCold || missedGrowth) && ip?.ok) {
      const slow = [...ip.value.queries].sort((a, b) => b.ms - a.ms).slice(0, 3).filter((q) => q.ms >= 2);
      const explained: Plan['queries'] = [];
      for (const q of slow) {
        try {
          explained.push({ sql: q.sql, ms: q.ms, plan: await tr.explain(q) });
        } catch (e) {
          explained.push({ sql: q.sql, ms: q.ms, plan: [`(EXPLAIN failed: ${e instanceof Error ? e.message : String(e)})`] });
        }
      }
      plans.push({ probe: p.label, why: `${missedCold ? `cold p95 ${ms(p95)}` : ''}${missedCold && missedGrowth ? ', ' : ''}${missedGrowth ? `growth ${ratio(p50 / percentile(d.value, 50))}` : ''}; ${inSql(db, ip.value.queries, ip.value.samples.at(-1) ?? Number.NaN)}`, queries: explained });
    }
  }

  // What the request log and the metrics cost: every server above ran with both on, as deployed; here two more
  // processes on the demo database, one with both and one with both off, take the same load in alternating slices.
  log(`${name}: cost of logging and metrics (the same load on a server with both on and one with both off)…`);
  {
    const loud = await startServer(demoDb.url);
    const quiet = await startServer(demoDb.url, {}, { observe: false });
    try {
      const [lc, qc] = [await login(loud.base, 'manager@demo.local'), await login(quiet.base, 'manager@demo.local')];
      for (const [b, c] of [[loud.base, lc], [quiet.base, qc]] as const) {
        await warmLoad(`${b}/api/v1/ping`, null, 1);
        await timed(`${b}/api/v1/progress/summary`, { headers: { cookie: c } });
        await warmLoad(`${b}/api/v1/progress/summary`, c, 1);
      }
      const [lp, qp] = await alternating({ url: `${loud.base}/api/v1/ping`, cookie: null }, { url: `${quiet.base}/api/v1/ping`, cookie: null }, 3, 2);
      const [ls, qs] = await alternating({ url: `${loud.base}/api/v1/progress/summary`, cookie: lc }, { url: `${quiet.base}/api/v1/progress/summary`, cookie: qc }, 3, 2);
      const cost = (on: Warm, off: Warm) => `${Math.round(on.rps)} / ${Math.round(off.rps)} req/s (${((on.rps / off.rps - 1) * 100).toFixed(1)} %), p50 ${ms(on.p50)} / ${ms(off.p50)}`;
      push('logging + metrics on / off: GET /api/v1/ping warm throughput, p50', cost(lp, qp), '—', null);
      push('logging + metrics on / off: progress/summary warm throughput, p50', cost(ls, qs), '—', null);
      const scrapes: number[] = [];
      let bytes = 0;
      for (let i = 0; i < 20; i++) {
        const t0 = performance.now();
        bytes = (await (await fetch(loud.metricsUrl ?? '')).text()).length;
        scrapes.push(performance.now() - t0);
      }
      push('GET /metrics (METRICS_PORT) p50 / p95, size', `${ms(percentile(scrapes, 50))} / ${ms(percentile(scrapes, 95))}, ${(bytes / 1024).toFixed(0)} KB`, '—', null);
      const { logLines, logBytes } = await loud.stop(); // flushes its log
      push('request log of that server: lines, bytes per line', logLines > 0 ? `${logLines} lines, ${(logBytes / logLines).toFixed(0)} B per line` : 'n/a (no log written)', '—', null);
    } finally {
      await loud.stop();
      await quiet.stop();
    }
  }

  // The overview page in headless Chromium, with a fresh profile each visit (no browser cache): once right
  // after a write (the server computes every chart's figures), then with the server's read cache warm.
  const drawnTarget = `≤ ${TARGET.drawnMs} ms`;
  if (!web.ok) push('overview: every chart drawn', web.why, drawnTarget, null);
  else if (!fs.existsSync(CHROMIUM)) push('overview: every chart drawn', `n/a (no Chromium at ${CHROMIUM})`, drawnTarget, null);
  else {
    log(`${name}: overview page in headless Chromium…`);
    const visit = async (label: string, before: () => Promise<void>) => {
      try {
        return await overviewVisit(server.base, 'manager@demo.local', before);
      } catch (e) {
        push(`overview: every chart drawn, ${label}`, `n/a (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`, drawnTarget, false);
        return undefined;
      }
    };
    const cold = await visit('first visit after a write', () => bumpVersion(db));
    if (cold) push(`overview: every chart drawn (${cold.charts} charts), first visit after a write`, `${Math.round(cold.drawnMs)} ms`, drawnTarget, cold.drawnMs <= TARGET.drawnMs);
    const warmRuns = [];
    for (let i = 0; i < OVERVIEW_WARM_VISITS; i++) {
      const r = await visit('server cache warm', async () => {});
      if (r) warmRuns.push(r);
    }
    if (warmRuns.length > 0) {
      const drawn = warmRuns.map((r) => r.drawnMs);
      const med = percentile(drawn, 50);
      push(`overview: every chart drawn, server cache warm (median of ${drawn.length} visits)`, `${Math.round(med)} ms (${drawn.map((v) => Math.round(v)).join(', ')})`, drawnTarget, med <= TARGET.drawnMs);
    }
    const any = cold ?? warmRuns[0];
    if (any) {
      const kb = any.jsGzipBytes / 1024;
      push(`overview: JavaScript loaded before the charts were drawn (gzip, ${any.jsFiles} files)`, `${kb.toFixed(1)} KB`, `≤ ${TARGET.jsGzipKb} KB`, kb <= TARGET.jsGzipKb);
    }
    // The same in French and Spanish: each language is its own build, and only the active one is loaded.
    for (const locale of ['fr', 'es'] as const) {
      const label = `overview in ${locale === 'fr' ? 'French' : 'Spanish'}: JavaScript loaded before the charts were drawn`;
      try {
        const r = await overviewVisit(server.base, 'manager@demo.local', async () => {}, 60_000, locale);
        const kb = r.jsGzipBytes / 1024;
        push(`${label} (gzip, ${r.jsFiles} files)`, `${kb.toFixed(1)} KB`, `≤ ${TARGET.jsGzipKb} KB`, kb <= TARGET.jsGzipKb);
      } catch (e) {
        push(label, `n/a (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`, `≤ ${TARGET.jsGzipKb} KB`, false);
      }
    }
  }

  // 50,000-row XLSX export.
  log(`${name}: XLSX export of every milestone…`);
  {
    const url = `${server.base}/api/v1/export/milestones?format=xlsx`;
    const r = await withPeakMemory(server, () => timed(url, { headers: { cookie: adminCookie } }));
    if (r.result.status !== 200) push('export milestones XLSX (50,000 rows)', unavailable(r.result), `≤ ${TARGET.xlsxSeconds} s`, null);
    else {
      const s = r.ms / 1000;
      const growth = r.peakMb - r.baseMb;
      push(`export milestones XLSX (50,000 rows, ${(r.result.bytes / 1048576).toFixed(1)} MB) — time`, `${s.toFixed(2)} s`, `≤ ${TARGET.xlsxSeconds} s`, s <= TARGET.xlsxSeconds);
      push('export milestones XLSX — server peak RSS growth', `${growth.toFixed(0)} MB (${r.baseMb.toFixed(0)} → ${r.peakMb.toFixed(0)} MB)`, `≤ ${TARGET.xlsxMb} MB`, growth <= TARGET.xlsxMb);
    }
  }

  // 10,000-row CSV import, built from the server's own template.
  log(`${name}: CSV import of ${IMPORT_ROWS} milestones…`);
  {
    const tpl = await timed(`${server.base}/api/v1/imports/milestones/template?format=csv`, { headers: { cookie: adminCookie } });
    if (tpl.status !== 200) push(`import ${IMPORT_ROWS} milestones from CSV`, unavailable(tpl), `≤ ${TARGET.importSeconds} s`, null);
    else {
      const csv = milestoneCsv(new TextDecoder().decode(tpl.body), IMPORT_ROWS, M_ACTION_PLANS);
      const form = new FormData();
      form.append('file', new Blob([csv], { type: 'text/csv' }), 'bench-milestones.csv');
      const r = await withPeakMemory(server, () => timed(`${server.base}/api/v1/imports/milestones?dryRun=false`, { method: 'POST', headers: { ...CSRF, cookie: adminCookie }, body: form }));
      if (r.result.status !== 200) push(`import ${IMPORT_ROWS} milestones from CSV`, unavailable(r.result), `≤ ${TARGET.importSeconds} s`, null);
      else {
        const report: unknown = JSON.parse(new TextDecoder().decode(r.result.body));
        const field = (k: string): unknown => (typeof report === 'object' && report !== null ? Reflect.get(report, k) : undefined);
        const created = Number(field('created'));
        const committed = field('committed') === true;
        const s = r.ms / 1000;
        const ok = committed && created === IMPORT_ROWS;
        push(`import ${IMPORT_ROWS} milestones from CSV (${(csv.length / 1048576).toFixed(1)} MB) — time`, `${s.toFixed(2)} s${ok ? '' : ` (committed: ${String(committed)}, created: ${created})`}`, `≤ ${TARGET.importSeconds} s`, ok && s <= TARGET.importSeconds);
        push('import CSV — server peak RSS growth', `${(r.peakMb - r.baseMb).toFixed(0)} MB (${r.baseMb.toFixed(0)} → ${r.peakMb.toFixed(0)} MB)`, '—', null);
      }
    }
  }
}

// ------------------------------------------------------------------ report
function machine(): string[] {
  const cpus = os.cpus();
  return [
    `CPU: ${cpus[0]?.model.trim() ?? 'unknown'} × ${cpus.length}`,
    `Memory: ${(os.totalmem() / 1024 ** 3).toFixed(1)} GB`,
    `OS: ${os.type()} ${os.release()} (${os.arch()})`,
    `Node: ${process.version}`,
    `Date: ${new Date().toISOString()}`,
    // Figures are only comparable between runs on an otherwise idle machine; the load average says how idle it was.
    `Load average (1/5/15 min) when the report was written: ${os.loadavg().map((l) => l.toFixed(1)).join(' / ')}`,
  ];
}

const metText = (m: boolean | null) => (m === null ? '—' : m ? 'yes' : 'NO');

function printTable(r: DbReport): void {
  const head = ['metric', 'value', 'target', 'met?'];
  const body = r.rows.map((x) => [x.metric, x.value, x.target, metText(x.met)]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ');
  console.log(`\n== ${r.title}`);
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const b of body) console.log(line(b));
  const judged = r.rows.filter((x) => x.met !== null);
  console.log(`${judged.filter((x) => x.met).length} of ${judged.length} targets met${r.rows.some((x) => x.value.startsWith('n/a')) ? '; some measurements not available (n/a)' : ''}.`);
  for (const n of r.notes) console.log(`note: ${n}`);
  for (const p of r.plans) {
    console.log(`\n-- plan for ${p.probe} (${p.why})`);
    for (const q of p.queries) {
      console.log(`   ${q.ms.toFixed(1)} ms: ${q.sql.slice(0, 300)}${q.sql.length > 300 ? '…' : ''}`);
      for (const l of q.plan.slice(0, 25)) console.log(`     ${l}`);
    }
  }
}

function markdown(reports: DbReport[], seconds: number): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const out = [
    '# Benchmark results',
    '',
    `Written by \`pnpm bench\` (bench/bench.ts) in ${seconds.toFixed(0)} s. Targets from issue 8. Cold = the first request after a committed`,
    'write (the data version changed, so no cache can answer); warm = autocannon, 20 connections, against 127.0.0.1, sending a browser\'s Accept-Encoding (large cached answers come gzipped, as to a browser); the floor is',
    '`GET /api/v1/ping`, a bare route on the same server. Overhead = HTTP cold p50 over the p50 of the same service function called',
    'in-process (through the server\'s database layer, on a connection of its own); growth = cold p50 at `m` over cold p50 at `demo`.',
    '',
    '## Machine',
    '',
    ...machine().map((l) => `- ${l}`),
    '',
  ];
  for (const r of reports) {
    const judged = r.rows.filter((x) => x.met !== null);
    out.push(`## ${r.title}`, '', `${judged.filter((x) => x.met).length} of ${judged.length} targets met.`, '', '| metric | value | target | met? |', '|---|---|---|---|');
    for (const x of r.rows) out.push(`| ${esc(x.metric)} | ${esc(x.value)} | ${esc(x.target)} | ${metText(x.met)} |`);
    out.push('');
    for (const n of r.notes) out.push(`Note: ${n}`, '');
    if (r.plans.length > 0) {
      out.push(`### ${r.title}: query plans behind missed targets`, '', 'The slowest queries of one in-process call, with the database\'s plan.', '');
      for (const p of r.plans) {
        out.push(`#### ${p.probe} (${p.why})`, '');
        for (const q of p.queries) {
          out.push(`${q.ms.toFixed(1)} ms:`, '', '```sql', q.sql.length > 1500 ? `${q.sql.slice(0, 1500)} …` : q.sql, '```', '', '```', ...q.plan.slice(0, 40), '```', '');
        }
      }
    }
  }
  return out.join('\n');
}

async function main(): Promise<void> {
  const t0 = performance.now();
  console.log(machine().join('\n'));
  const web = ensureWebBuilt();
  // BENCH_DATABASES=postgres (or sqlite, or postgres,sqlite) picks and orders the databases; default: SQLite,
  // then PostgreSQL when DATABASE_URL names a server.
  const wanted = (process.env.BENCH_DATABASES ?? 'sqlite,postgres').split(',').map((x) => x.trim());
  const dialects = wanted.filter((d): d is Dialect => d === 'sqlite' || (d === 'postgres' && PG_ADMIN_URL !== undefined));
  if (dialects.length === 0) throw new Error('BENCH_DATABASES names no database this run can use (postgres needs DATABASE_URL)');
  if (!PG_ADMIN_URL) log('DATABASE_URL is not a postgres:// URL: SQLite only.');
  const undo: Undo = new Set();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping servers and dropping benchmark databases…`);
      void Promise.allSettled([...undo].map((u) => u())).then(() => process.exit(130));
    });
  }
  const reports: DbReport[] = [];
  for (const d of dialects) {
    try {
      reports.push(await benchDatabase(d, web, undo));
    } catch (e) {
      // One database failing (a server that would not start, a lost connection) still leaves the other's figures.
      console.error(e);
      reports.push({ title: d === 'sqlite' ? 'SQLite' : 'PostgreSQL', rows: [{ metric: 'benchmark run', value: `failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`, target: '—', met: false }], plans: [], notes: [] });
    }
  }
  closeAgents();
  loadGenerator?.stop();
  const seconds = (performance.now() - t0) / 1000;
  for (const r of reports) printTable(r);
  const file = path.join(REPO_ROOT, 'bench/results.md');
  fs.writeFileSync(file, markdown(reports, seconds));
  console.log(`\nWrote ${path.relative(process.cwd(), file)} (${seconds.toFixed(0)} s in all).`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
