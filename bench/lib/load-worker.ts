/**
 * One autocannon run in a process of its own (bench/lib/load.ts starts it): the load generator gets a fresh,
 * small heap instead of sharing the benchmark process, which by the second database holds the first one's
 * results and an in-process copy of the service. Prints one JSON line: p50, p95 (ms), rps, requests, bad, and
 * the latencies themselves (ms, 0.01 ms steps) so several runs can be merged.
 */
import autocannon from 'autocannon';
import { percentile } from './stats.ts';

const [url, secondsArg] = process.argv.slice(2);
const seconds = Number(secondsArg);
if (!url || !Number.isFinite(seconds) || seconds <= 0) throw new Error('usage: load-worker.ts <url> <seconds> (cookie in LOAD_COOKIE)');
const cookie = process.env.LOAD_COOKIE;

const latencies: number[] = [];
let bad = 0;
const result = await new Promise<autocannon.Result>((resolve, reject) => {
  const inst = autocannon({ url, connections: 20, duration: seconds, headers: cookie ? { cookie } : {} }, (err: unknown, res) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(res)));
  inst.on('response', (_client, status, _bytes, responseTime) => {
    latencies.push(responseTime);
    if (status !== 200) bad++;
  });
});
process.stdout.write(`${JSON.stringify({
  p50: percentile(latencies, 50), p95: percentile(latencies, 95), rps: result.requests.average, requests: latencies.length, bad: bad + result.errors + result.timeouts,
  seconds: result.duration, latencies: latencies.map((x) => Math.round(x * 100) / 100),
})}\n`);
