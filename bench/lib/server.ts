/** The real server process (node --import tsx server/src/main.ts) on a given database, and its memory. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface ServerProcess {
  base: string;
  pid: number;
  /** Lines the process printed (for error reports). */
  output: string[];
  memory(): { rssMb: number; hwmMb: number };
  /** Resets the peak-RSS mark (VmHWM) so the next peak is the peak of what follows; false where Linux refuses. */
  resetPeak(): boolean;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
  return m?.[1] ? Number(m[1]) : 0;
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

/** Starts the server and waits until /api/v1/health answers 200. */
export async function startServer(databaseUrl: string, extraEnv: Record<string, string> = {}): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', DEMO: '', ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const keep = (b: Buffer) => { for (const line of b.toString().split('\n')) if (line.trim()) output.push(line); };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output.join('\n')}`);
    try {
      const res = await fetch(`${base}/api/v1/health`);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not become healthy within 60 s:\n${output.join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const pid = child.pid;
  if (pid === undefined) throw new Error('server has no pid');
  return {
    base, pid, output,
    memory: () => ({ rssMb: statusKb(pid, 'VmRSS') / 1024, hwmMb: statusKb(pid, 'VmHWM') / 1024 }),
    resetPeak: () => {
      try {
        fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
        return true;
      } catch {
        return false;
      }
    },
    stop: async () => {
      const done = exited(child);
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await done;
      clearTimeout(timer);
    },
  };
}

/** Samples VmRSS every few ms while `work` runs; returns the work's result, its duration and the peak RSS growth. */
export async function withPeakMemory<T>(server: ServerProcess, work: () => Promise<T>): Promise<{ result: T; ms: number; baseMb: number; peakMb: number }> {
  const baseMb = server.memory().rssMb;
  const hwmReset = server.resetPeak();
  let peak = baseMb;
  const timer = setInterval(() => { peak = Math.max(peak, server.memory().rssMb); }, 10);
  const t0 = performance.now();
  try {
    const result = await work();
    const ms = performance.now() - t0;
    const m = server.memory();
    // VmHWM (reset above) catches a peak between two samples.
    peak = Math.max(peak, m.rssMb, hwmReset ? m.hwmMb : 0);
    return { result, ms, baseMb, peakMb: peak };
  } finally {
    clearInterval(timer);
  }
}
