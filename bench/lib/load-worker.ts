/**
 * The load generator, in a process of its own (bench/lib/load.ts forks it once per benchmark run): a fresh,
 * small heap instead of the benchmark process's, which by the second database holds the first one's results
 * and an in-process copy of the service; and one long-lived process, so autocannon's code is optimised after
 * the first run instead of starting cold (and slow, inflating latencies) in every measured slice.
 * Each message { url, seconds, cookie } runs autocannon (20 connections) and answers with p50, p95 (ms), rps,
 * requests, bad, seconds and the latencies (ms, 0.01 ms steps) so several runs can be merged.
 */
import autocannon from 'autocannon';
import { percentile } from './stats.ts';

/**
 * What every browser sends with its requests, and the dashboard's requests are a browser's: the server sends
 * large cached answers gzipped to such clients (http/cache.ts), so the warm figures measure what users get.
 */
const BROWSER_HEADERS = { 'accept-encoding': 'gzip, deflate, br, zstd' };

export interface LoadJob { url: string; seconds: number; cookie: string | null }
export interface LoadResult { p50: number; p95: number; rps: number; requests: number; bad: number; seconds: number; latencies: number[] }

async function run(job: LoadJob): Promise<LoadResult> {
  const latencies: number[] = [];
  let bad = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const inst = autocannon({ url: job.url, connections: 20, duration: job.seconds, headers: { ...BROWSER_HEADERS, ...(job.cookie ? { cookie: job.cookie } : {}) } }, (err: unknown, res) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(res)));
    inst.on('response', (_client, status, _bytes, responseTime) => {
      latencies.push(responseTime);
      if (status !== 200) bad++;
    });
  });
  return {
    p50: percentile(latencies, 50), p95: percentile(latencies, 95), rps: result.requests.average, requests: latencies.length,
    bad: bad + result.errors + result.timeouts, seconds: result.duration, latencies: latencies.map((x) => Math.round(x * 100) / 100),
  };
}

process.on('message', (job: LoadJob) => {
  run(job).then((r) => process.send?.({ ok: true, result: r }), (e: unknown) => process.send?.({ ok: false, error: e instanceof Error ? e.message : String(e) }));
});
// The benchmark went away (finished, interrupted): so does its load generator.
process.on('disconnect', () => process.exit(0));
