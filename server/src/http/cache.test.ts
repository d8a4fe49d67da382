/** ReadCache.shared: one computation per (data version, key), shared by concurrent callers; failures not kept. */
import { describe, expect, it } from 'vitest';
import { acceptsGzip, ReadCache } from './cache.ts';

describe(acceptsGzip.name, () => {
  it.each([
    ['gzip', true], ['gzip, deflate, br', true], ['br;q=1, GZIP;q=0.5', true], ['*', true], ['br, *;q=0.1', true],
    [undefined, false], ['', false], ['identity', false], ['br', false], ['gzip;q=0', false], ['gzip; q=0.0, *', false], ['*;q=0', false], ['x-gzip', false],
  ] as const)('%j → %s', (header, expected) => {
    expect(acceptsGzip(header)).toBe(expected);
  });
});

describe('ReadCache.shared', () => {
  it('computes once per version and key, for concurrent and later callers alike', async () => {
    const cache = new ReadCache();
    let runs = 0;
    const compute = async () => { runs++; await new Promise((r) => setTimeout(r, 5)); return { n: runs }; };
    const [a, b] = await Promise.all([cache.shared('7', 'k', compute), cache.shared('7', 'k', compute)]);
    expect(runs).toBe(1);
    expect(a).toBe(b);
    expect(await cache.shared('7', 'k', compute)).toBe(a);
    // A new data version or another key computes again.
    expect(await cache.shared('8', 'k', compute)).toEqual({ n: 2 });
    expect(await cache.shared('8', 'other', compute)).toEqual({ n: 3 });
  });

  it('keeps the newest data version only: a newer one drops the older results, a request on an older one computes its own', async () => {
    const cache = new ReadCache();
    let runs = 0;
    const compute = async () => ++runs;
    expect(await cache.shared('9', 'k', compute)).toBe(1);
    expect(await cache.shared('10', 'k', compute)).toBe(2);
    // Version 9 is gone; a straggler on it gets a fresh computation, which is not kept.
    expect(await cache.shared('9', 'k', compute)).toBe(3);
    expect(await cache.shared('9', 'k', compute)).toBe(4);
    // Version 10's result is still shared (numeric order: '10' is newer than '9').
    expect(await cache.shared('10', 'k', compute)).toBe(2);
  });

  it('does not keep a failed computation', async () => {
    const cache = new ReadCache();
    await expect(cache.shared('1', 'k', async () => { throw new Error('db down'); })).rejects.toThrow('db down');
    expect(await cache.shared('1', 'k', async () => 'ok')).toBe('ok');
  });

  it('keeps only the most recently used entries', async () => {
    const cache = new ReadCache();
    let runs = 0;
    const compute = async () => ++runs;
    for (let i = 0; i < 40; i++) await cache.shared('1', `k${i}`, compute);
    expect(runs).toBe(40);
    await cache.shared('1', 'k39', compute);
    expect(runs).toBe(40);
    await cache.shared('1', 'k0', compute);
    expect(runs).toBe(41);
  });
});
