/**
 * Read cache keyed by the data version. Every write bumps meta.data_version in its own transaction, so a
 * cached answer is reused only while no write has committed since — across processes too, since the
 * version lives in the database. Responses carry an ETag derived from the version and the request key,
 * and `If-None-Match` gets a 304.
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { Context } from 'hono';
import type { Db } from '../db/types.ts';
import type { AppEnv } from './endpoint.ts';
import { securedResponse, securityHeadersFor } from './security.ts';

const MAX_ENTRIES = 500;
/**
 * Answers at least this large are also kept gzip-compressed, compressed once when the entry is made, and sent
 * so to clients that accept it (every browser does): the scorecard's grid at `m` scale is 170 KB of JSON and
 * 12 KB gzipped. Smaller answers gain too little for the header bytes and the work.
 */
const GZIP_FROM_BYTES = 1024;
const gzipAsync = promisify(gzip);

/** Intermediate results (e.g. every indicator's progress) are large: keep only a few scopes of the newest data version. */
const MAX_SHARED = 16;

interface Entry {
  /** The JSON as UTF-8 bytes, encoded once (a hit neither measures nor encodes the text again). */
  version: string; body: Uint8Array<ArrayBuffer>; etag: string;
  /** Response headers, security headers included, built once per entry (a cache hit only looks them up). */
  headers: Record<string, string>; notModified: Record<string, string>;
  /** The same bytes gzipped, with their headers, for answers of {@link GZIP_FROM_BYTES} or more. */
  gzip: { body: Uint8Array<ArrayBuffer>; headers: Record<string, string> } | null;
}

async function entryOf(version: string, key: string, json: string, security: Readonly<Record<string, string>>): Promise<Entry> {
  // One weak ETag for both encodings: they are the same representation, byte for byte once decoded.
  const etag = `W/"${version}-${createHash('sha1').update(key).digest('base64url').slice(0, 12)}"`;
  const notModified = { ...security, ETag: etag, 'Cache-Control': 'private, no-cache', Vary: 'Cookie, Accept-Encoding' };
  const headers = { ...notModified, 'Content-Type': 'application/json' };
  const body = new TextEncoder().encode(json);
  let zipped: Entry['gzip'] = null;
  if (body.byteLength >= GZIP_FROM_BYTES) {
    // Off the event loop (zlib's thread pool): other requests go on while a large answer is compressed.
    const z = await gzipAsync(body, { level: 6 });
    zipped = { body: new Uint8Array(z.buffer, z.byteOffset, z.byteLength) as Uint8Array<ArrayBuffer>, headers: { ...headers, 'Content-Encoding': 'gzip' } };
  }
  return { version, body, etag, notModified, headers, gzip: zipped };
}

/**
 * Whether an Accept-Encoding header allows gzip: named (or `*`) without `q=0`. A client that says nothing
 * gets the plain bytes, as HTTP asks.
 */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  let star = false;
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((x) => x.trim()).find((x) => x.startsWith('q='));
    const zero = q !== undefined && Number(q.slice(2)) === 0;
    if (name.trim() === 'gzip') return !zero;
    if (name.trim() === '*') star = !zero;
  }
  return star;
}

/** Whether an If-None-Match header names `etag` (a list, possibly with spaces). */
function matchesEtag(inm: string, etag: string): boolean {
  return inm === etag || inm.split(',').some((s) => s.trim() === etag);
}

const canonical = new WeakMap<object, string>();
/**
 * JSON of a parsed query as a cache-key part. Parsed queries are reused for the same query text (see
 * http/mount.ts), so the text is built once per distinct query.
 */
export function queryKey(query: object): string {
  let k = canonical.get(query);
  if (k === undefined) canonical.set(query, (k = JSON.stringify(query)));
  return k;
}

/** One cache per app (created in createApp), never module-level state. */
export class ReadCache {
  private readonly entries = new Map<string, Entry>();
  /** Computations under way, so concurrent misses of one key share one computation. */
  private readonly pending = new Map<string, Promise<Entry>>();
  /** Intermediate results shared by several endpoints within one data version (see {@link shared}). */
  private readonly sharedEntries = new Map<string, Promise<unknown>>();
  /** The data version the shared entries belong to. */
  private sharedVersion = Number.NEGATIVE_INFINITY;
  hits = 0;
  misses = 0;

  /**
   * One computation of an intermediate result per `version` and `key`, shared by every caller (the overview
   * asks for the summary and several breakdowns at once, all built on the same indicator progress). The
   * caller reads `version` before computing, as for {@link json}; a failed computation is not kept.
   */
  shared<T>(version: string, key: string, compute: () => Promise<T>): Promise<T> {
    // Only the newest data version's results are worth keeping (they are large: thousands of indicators):
    // a newer version drops the older ones, and a request still on an older version computes its own.
    const v = Number(version);
    if (v > this.sharedVersion) {
      this.sharedEntries.clear();
      this.sharedVersion = v;
    } else if (v < this.sharedVersion) {
      return compute();
    }
    const slot = `${version}\u0000${key}`;
    const hit = this.sharedEntries.get(slot);
    if (hit) {
      this.sharedEntries.delete(slot);
      this.sharedEntries.set(slot, hit);
      return hit as Promise<T>;
    }
    const running = compute();
    this.sharedEntries.set(slot, running);
    running.catch(() => this.sharedEntries.delete(slot));
    while (this.sharedEntries.size > MAX_SHARED) {
      const oldest = this.sharedEntries.keys().next().value;
      if (oldest === undefined) break;
      this.sharedEntries.delete(oldest);
    }
    return running;
  }

  async dataVersion(db: Db): Promise<string> {
    const row = await db.selectFrom('meta').select('value').where('key', '=', 'data_version').executeTakeFirst();
    return row?.value ?? '0';
  }

  /**
   * Serves `compute(version)` as JSON for `key`, from cache when the data version is unchanged; answers 304
   * when the client already holds this version. `version` is the one the answer is labelled with (read
   * before computing, so the data is never older than its label).
   */
  async json(c: Context<AppEnv>, key: string, compute: (version: string) => Promise<unknown>): Promise<Response> {
    // The version read along with the session when there is one (the same value a separate query would give
    // at that moment: it is read before anything is computed, so an answer is never newer-labelled than its data).
    const version = c.get('dataVersion') ?? await this.dataVersion(c.get('deps').db);
    let entry = this.entries.get(key);
    if (entry?.version === version) {
      this.hits++;
      // Refresh recency for LRU eviction.
      this.entries.delete(key);
      this.entries.set(key, entry);
    } else {
      this.misses++;
      const slot = `${version}\u0000${key}`;
      let running = this.pending.get(slot);
      if (!running) {
        running = (async () => {
          const fresh = await entryOf(version, key, JSON.stringify(await compute(version)), securityHeadersFor(c.get('deps').config));
          this.entries.delete(key);
          this.entries.set(key, fresh);
          if (this.entries.size > MAX_ENTRIES) {
            const oldest = this.entries.keys().next().value;
            if (oldest !== undefined) this.entries.delete(oldest);
          }
          return fresh;
        })().finally(() => this.pending.delete(slot));
        this.pending.set(slot, running);
      }
      entry = await running;
    }
    const inm = c.req.header('if-none-match');
    if (inm !== undefined && matchesEtag(inm, entry.etag)) return securedResponse(null, 304, entry.notModified);
    if (entry.gzip && acceptsGzip(c.req.header('accept-encoding'))) return securedResponse(entry.gzip.body, 200, entry.gzip.headers);
    return securedResponse(entry.body, 200, entry.headers);
  }
}
