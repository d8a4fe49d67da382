/** ReadCache.shared: one computation per (data version, key), shared by concurrent callers; failures not kept. */
import { describe, expect, it } from 'vitest';
import { ReadCache } from './cache.ts';

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
