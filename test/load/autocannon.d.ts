/** The part of autocannon's API the load script uses (the package ships no types). */
declare module 'autocannon' {
  interface Request { method?: string; path: string; headers?: Record<string, string>; body?: string }
  interface Options { url: string; connections?: number; duration?: number; headers?: Record<string, string>; requests?: Request[]; timeout?: number }
  interface Histogram { p50: number; p90: number; p99: number; average: number; max: number; total: number }
  interface Result {
    requests: Histogram; latency: Histogram; errors: number; timeouts: number; non2xx: number;
    '1xx': number; '2xx': number; '3xx': number; '4xx': number; '5xx': number;
    statusCodeStats: Record<string, { count: number }>;
  }
  function autocannon(opts: Options): Promise<Result>;
  export default autocannon;
}
