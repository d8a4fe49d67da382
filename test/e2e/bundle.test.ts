/** The built app's first load stays small: the entry script and what it preloads, gzipped, ≤ 150 KB. */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ROOT } from './server.ts';

describe('initial JavaScript', () => {
  it('is at most 150 KB gzipped; pages and Chart.js load on demand', () => {
    const dist = path.join(ROOT, 'web/dist');
    const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
    const initial = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1] ?? '');
    expect(initial.length).toBeGreaterThan(0);
    const gz = initial.reduce((sum, f) => sum + zlib.gzipSync(fs.readFileSync(path.join(dist, f))).length, 0);
    expect(gz).toBeLessThanOrEqual(150 * 1024);
    // Chart.js (in the chunk of the Chart wrapper) is not part of the first load.
    const chartChunk = fs.readdirSync(path.join(dist, 'assets')).find((f) => /^Chart-.*\.js$/.test(f));
    expect(chartChunk).toBeDefined();
    expect(initial).not.toContain(`/assets/${chartChunk}`);
  });
});
