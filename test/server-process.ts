/**
 * The real server as a child process (`node --import tsx server/src/main.ts`) on a free 127.0.0.1 port, for the
 * fault, scale and browser tests and for the benchmark (bench/lib/server.ts imports it from here; it needs
 * nothing but Node, so neither package pulls in the other's dependencies).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

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

export interface ServerChild {
  port: number;
  base: string;
  proc: ChildProcess;
  /** Everything the process printed so far (stdout — its JSON log lines, unless sent to `logFile` — and stderr as they came). */
  output(): string;
  /** Resolves with the exit code (or signal name) when the process ends. */
  exited: Promise<number | string>;
  /** The exit code (or signal name) once the process has ended, else undefined. */
  exitCode(): number | string | undefined;
}

export interface SpawnOptions {
  /** A fixed port (a test that must know the address in advance, e.g. for OIDC_REDIRECT_URL); else a free one. */
  port?: number;
  /** Send stdout (the JSON request log) to this file instead of output() (the benchmark: many lines). */
  logFile?: string;
}

/** Spawns the server with DATABASE_URL, PORT and HOST set, then `env`; does not wait for it. */
export async function spawnServer(databaseUrl: string, env: Record<string, string> = {}, { port: fixed, logFile }: SpawnOptions = {}): Promise<ServerChild> {
  const port = fixed ?? await freePort();
  const logFd = logFile === undefined ? undefined : fs.openSync(logFile, 'a');
  const proc = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', ...env },
    stdio: ['ignore', logFd ?? 'pipe', 'pipe'],
  });
  if (logFd !== undefined) fs.closeSync(logFd); // the child has its own copy
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => { out += d.toString(); });
  proc.stderr?.on('data', (d: Buffer) => { out += d.toString(); });
  let code: number | string | undefined;
  const exited = new Promise<number | string>((resolve) => proc.once('exit', (c, signal) => {
    code = c ?? signal ?? 'unknown';
    resolve(code);
  }));
  return { port, base: `http://127.0.0.1:${port}`, proc, output: () => out, exited, exitCode: () => code };
}

/** Waits until GET /api/v1/ready answers 200 (migrated, database answering); throws with the output if the process exits or `timeoutMs` passes (then kills it). */
export async function waitHealthy(s: ServerChild, { timeoutMs = 60_000, pollMs = 100 } = {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const code = s.exitCode();
    if (code !== undefined) throw new Error(`server exited with ${code}:\n${s.output()}`);
    const ok = await fetch(`${s.base}/api/v1/ready`).then((r) => r.status === 200, () => false); // not listening yet
    if (ok) return;
    if (Date.now() > deadline) {
      s.proc.kill('SIGKILL');
      throw new Error(`server did not become ready within ${timeoutMs / 1000} s:\n${s.output()}`);
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/**
 * Waits until the server prints `marker` (by default once it is migrated, seeded and running; 'Listening at'
 * as soon as it listens, before migrating); rejects with its output if it exits first or `timeoutMs` passes.
 */
export async function waitListening(s: ServerChild, timeoutMs = 60_000, marker = 'is running at'): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within ${timeoutMs} ms:\n${s.output()}`)), timeoutMs);
    const check = () => { if (s.output().includes(marker)) { clearTimeout(timer); resolve(); } };
    s.proc.stdout?.on('data', check);
    s.proc.stderr?.on('data', check);
    check();
    void s.exited.then((code) => { clearTimeout(timer); reject(new Error(`server exited (${code}) before listening:\n${s.output()}`)); });
  });
}

/** SIGTERM, then SIGKILL if it is still running after `graceMs`; resolves once the process has ended (at once if none was started). */
export async function stopServer(s: ServerChild | undefined, graceMs = 10_000): Promise<void> {
  if (!s || s.exitCode() !== undefined) return;
  s.proc.kill('SIGTERM');
  const timer = setTimeout(() => s.proc.kill('SIGKILL'), graceMs);
  await s.exited;
  clearTimeout(timer);
}
