/**
 * The built app's first load stays small in every language: the entry script and what it preloads, gzipped,
 * ≤ 150 KB. Each language is its own build (web/dist/ English, web/dist/fr/, web/dist/es/) carrying only its
 * own strings, so the other languages cost the first load nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ROOT } from './server.ts';

const dist = path.join(ROOT, 'web/dist');
const LANGS = [
  { lang: 'en', dir: '', own: 'Partnerships', others: ['Partenariats', 'Alianzas'] },
  { lang: 'fr', dir: 'fr', own: 'Partenariats', others: ['Alianzas'] },
  { lang: 'es', dir: 'es', own: 'Alianzas', others: ['Partenariats'] },
] as const;

describe('initial JavaScript', () => {
  it.each(LANGS)('$lang: is at most 150 KB gzipped; pages and Chart.js load on demand; only its own language inside', ({ lang, dir, own, others }) => {
    const html = fs.readFileSync(path.join(dist, dir, 'index.html'), 'utf8');
    expect(html).toContain(`<html lang="${lang}">`);
    const prefix = dir ? `/${dir}/assets/` : '/assets/';
    const initial = [...html.matchAll(/(?:src|href)="(\/[^"]+\.js)"/g)].map((m) => m[1] ?? '');
    expect(initial.length).toBeGreaterThan(0);
    expect(initial.every((f) => f.startsWith(prefix))).toBe(true);
    const code = initial.map((f) => fs.readFileSync(path.join(dist, f)));
    const gz = code.reduce((sum, b) => sum + zlib.gzipSync(b).length, 0);
    expect(gz).toBeLessThanOrEqual(150 * 1024);
    // Chart.js (in the chunk of the Chart wrapper) is not part of the first load.
    const assets = path.join(dist, dir, 'assets');
    const chartChunk = fs.readdirSync(assets).find((f) => /^Chart-.*\.js$/.test(f));
    expect(chartChunk).toBeDefined();
    expect(initial).not.toContain(`${prefix}${chartChunk}`);
    // The navigation's words are in this build's first load, the other languages' nowhere in the build.
    const text = code.map((b) => b.toString('utf8')).join('\n');
    expect(text).toContain(own);
    const all = fs.readdirSync(assets).filter((f) => f.endsWith('.js')).map((f) => fs.readFileSync(path.join(assets, f), 'utf8')).join('\n');
    for (const o of others) expect(all).not.toContain(o);
  });
});
