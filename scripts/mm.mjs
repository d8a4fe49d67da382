#!/usr/bin/env node
// The two quick-start commands, for a fresh machine with only Node 20 and npm:
//   npm run quickstart   install, build, start the dashboard on SQLite with illustrative demo data
//   npm run verify       install, then run the whole test suite (lint, types, unit, API, browser)
// pnpm is pinned (packageManager) and fetched with npx when it isn't installed globally.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PNPM_VERSION = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).packageManager.split('@')[1];

function has(cmd, args = ['--version']) {
  const r = spawnSync(cmd, args, { stdio: 'pipe', encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

const pnpm = has('pnpm') === PNPM_VERSION ? ['pnpm'] : ['npx', '-y', `pnpm@${PNPM_VERSION}`];

function env(extra = {}) {
  const e = { ...process.env, ...extra };
  // better-sqlite3 builds from source here; point node-gyp at the installed Node headers (no download).
  if (!e.npm_config_nodedir && fs.existsSync('/usr/include/node/node.h')) e.npm_config_nodedir = '/usr';
  return e;
}

function run(args, extra = {}) {
  const [cmd, ...rest] = [...pnpm, ...args];
  console.log(`\n$ ${[cmd, ...rest].join(' ')}`);
  const r = spawnSync(cmd, rest, { cwd: root, stdio: 'inherit', env: env(extra) });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function install() {
  run(['install', '--frozen-lockfile']);
}

function ensureBrowserTools() {
  const missing = ['/usr/bin/chromium', '/usr/bin/pdftotext', '/usr/bin/xmllint', '/usr/bin/prometheus', '/usr/bin/promtool'].filter((p) => !fs.existsSync(p));
  if (missing.length === 0) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && has('apt-get', ['--version'])) {
    console.log(`\nInstalling Chromium, poppler-utils, libxml2-utils and Prometheus for the browser, PDF, IATI and metrics tests (missing: ${missing.join(', ')})…`);
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    const r = spawnSync('apt-get', ['install', '-y', '-qq', 'chromium', 'poppler-utils', 'libxml2-utils', 'prometheus'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (r.status === 0) return;
  }
  console.error(`The test suite needs ${missing.join(', ')}: install the Debian packages chromium, poppler-utils, libxml2-utils and prometheus.`);
  process.exit(1);
}

const command = process.argv[2];
if (command === 'quickstart') {
  install();
  run(['build']);
  run(['start'], { DEMO: process.env.DEMO ?? '1' });
} else if (command === 'verify') {
  install();
  ensureBrowserTools();
  run(['test']);
} else {
  console.error('usage: node scripts/mm.mjs quickstart|verify');
  process.exit(2);
}
