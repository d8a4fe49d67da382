/**
 * A real Prometheus server (Debian's `prometheus` package) on 127.0.0.1, scraping one target every second into a
 * temp folder: the metrics tests ask it, through its HTTP API, what it read from the server's /metrics.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../server-process.ts';

export interface Prometheus {
  base: string;
  /** The value of an instant query with one series in its answer, or undefined while it has none. */
  value(query: string): Promise<number | undefined>;
  /** Polls `query` until `accept` says yes (Prometheus scrapes once a second); throws with its log after `timeoutMs`. */
  waitFor(query: string, accept: (v: number | undefined) => boolean, timeoutMs?: number): Promise<number | undefined>;
  output(): string;
  stop(): Promise<void>;
}

export async function startPrometheus(target: string, job = 'mainstream-monitor'): Promise<Prometheus> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mm-prom-'));
  const config = path.join(dir, 'prometheus.yml');
  fs.writeFileSync(config, [
    'global:',
    '  scrape_interval: 1s',
    '  scrape_timeout: 900ms',
    'scrape_configs:',
    `  - job_name: ${job}`,
    '    static_configs:',
    `      - targets: ['${target}']`,
    '',
  ].join('\n'));
  const port = await freePort();
  let out = '';
  const proc: ChildProcess = spawn('prometheus', [
    `--config.file=${config}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`,
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout?.on('data', (d: Buffer) => { out += d.toString(); });
  proc.stderr?.on('data', (d: Buffer) => { out += d.toString(); });
  const spawned = new Promise<void>((resolve, reject) => { proc.once('spawn', resolve); proc.once('error', (e) => reject(new Error(`Prometheus is needed for this test (Debian package prometheus): ${e.message}`))); });
  await spawned;
  const base = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const deadline = Date.now() + 30_000;
  while (!(await fetch(`${base}/-/ready`).then((r) => r.ok, () => false))) {
    if (proc.exitCode !== null || Date.now() > deadline) throw new Error(`Prometheus did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const value = async (query: string): Promise<number | undefined> => {
    const res = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(query)}`);
    const body = (await res.json()) as { status: string; error?: string; data?: { result: { value: [number, string] }[] } };
    if (body.status !== 'success') throw new Error(`Prometheus refused ${query}: ${body.error}`);
    const result = body.data?.result ?? [];
    if (result.length > 1) throw new Error(`${query} matched ${result.length} series`);
    return result[0] ? Number(result[0].value[1]) : undefined;
  };
  return {
    base, value, output: () => out,
    waitFor: async (query, accept, timeoutMs = 20_000) => {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const v = await value(query);
        if (accept(v)) return v;
        if (Date.now() > until) throw new Error(`${query} stayed at ${v} for ${timeoutMs / 1000} s; Prometheus said:\n${out.slice(-3000)}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    },
    stop: async () => {
      proc.kill('SIGTERM');
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
