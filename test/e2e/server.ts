/**
 * Starts the real server the way `pnpm start` does (DEMO=1, a fresh SQLite file, a free port) and
 * a headless Chromium. Used by the vitest global setup and the screenshot script.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { REPO_ROOT, spawnServer, stopServer, waitHealthy } from '../server-process.ts';

export const ROOT = REPO_ROOT;
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface RunningServer { url: string; stop: () => Promise<void>; log: () => string }

export async function startServer(): Promise<RunningServer> {
  if (!fs.existsSync(path.join(ROOT, 'web/dist/index.html'))) throw new Error('web/dist is missing: run `pnpm build` first (pnpm test:e2e does).');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mm-e2e-'));
  const server = await spawnServer(`sqlite:${path.join(dir, 'e2e.sqlite')}`, { DEMO: '1' });
  await waitHealthy(server, { pollMs: 200 });
  return {
    url: server.base,
    log: server.output,
    stop: async () => {
      await stopServer(server, 5000);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function launchBrowser(): Promise<Browser> {
  // A fresh temporary profile per launch (playwright's default), so no state leaks between runs.
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}
