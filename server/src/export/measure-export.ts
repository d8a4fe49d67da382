/**
 * Measures a streamed 50,000-row export (time, peak RSS): seeds the `m` demo scale (50,000 milestones)
 * into a throw-away SQLite file and writes the live milestones export to a byte counter.
 *   node --import tsx server/src/export/measure-export.ts [xlsx|csv|json] [sqlite-file]
 * Not a test: the figures depend on the machine. `--expose-gc` makes the baseline steadier.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { exportFormat, progressFilters } from '@mm/shared';
import { openDatabase } from '../db/connect.ts';
import { migrate } from '../db/migrations.ts';
import { seedDemo } from '../db/seed.ts';
import { DEFAULT_CONFIG } from '../deps.ts';
import { appDeps } from '../app.ts';
import { csvChunks } from './csv.ts';
import { jsonChunks } from './json.ts';
import { liveDoc } from './live.ts';
import { writeXlsx } from './xlsx.ts';

const format = exportFormat.parse(process.argv[2] ?? 'xlsx');
const file = process.argv[3] ?? path.join(os.tmpdir(), 'mm-measure-m.sqlite');
const fresh = !fs.existsSync(file);
const handle = openDatabase(`sqlite:${file}`);
await migrate(handle.db, handle.dialect);
if (fresh) {
  const t0 = performance.now();
  await seedDemo(handle.db, handle.dialect, 'm');
  console.log(`seeded scale m in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
const deps = appDeps({ db: handle.db, dialect: handle.dialect, clock: () => new Date('2016-01-15T00:00:00Z'), config: DEFAULT_CONFIG });

let bytes = 0;
const sink = new Writable({ write(chunk: Buffer, _enc, cb) { bytes += chunk.length; cb(); } });
globalThis.gc?.();
const baseline = process.memoryUsage().rss;
let peak = baseline;
const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 20);
const t0 = performance.now();
const cpu0 = process.cpuUsage();
const doc = await liveDoc(deps, progressFilters.parse({ asOf: "2015-12-31" }), "milestones", format);
console.log(`summary and setup: ${((performance.now() - t0) / 1000).toFixed(2)} s`);
let rows = 0;
const table = doc.tables[0];
if (!table) throw new Error('no table');
const counted = { ...table, batches: async function* () { for await (const b of table.batches()) { rows += b.length; yield b; } } };
const counting = { ...doc, tables: [counted] };
if (format === 'xlsx') await writeXlsx(counting, sink);
else {
  for await (const chunk of format === 'csv' ? csvChunks(doc.meta, counted) : jsonChunks(counting)) bytes += Buffer.byteLength(chunk);
}
const ms = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
clearInterval(timer);
peak = Math.max(peak, process.memoryUsage().rss);
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
console.log(`${format}: ${rows} rows, ${mb(bytes)} written in ${(ms / 1000).toFixed(2)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s CPU (load average ${os.loadavg()[0]?.toFixed(1)}); RSS baseline ${mb(baseline)}, peak ${mb(peak)} (+${mb(peak - baseline)})`);
await handle.close();
