/**
 * Reading the audit trail (append-only; nothing here writes or deletes it) and turning before/after into
 * readable changes: "status: in progress → completed, by staff.africa@demo.local, 2026-11-28 10:04 UTC".
 */
import { MAX_ID, type AuditEntry, type AuditQuery } from '@mm/shared';
import { sql } from 'kysely';
import type { Db } from '../db/types.ts';
import { num } from '../db/util.ts';
import { notFound } from '../http/problem.ts';
import { offsetOf, type Page } from './records.ts';

/** The record as stored for the audit trail: without fields computed at read time. */
export function auditable<T extends object>(record: T, computed: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([k]) => !computed.includes(k)));
}

/** Bookkeeping fields that change on every write and say nothing to a reader. */
const NOISE = new Set(['version', 'updatedAt', 'createdAt']);

function parse(s: string | null): unknown {
  if (s === null) return null;
  try { return JSON.parse(s); } catch { return s; }
}
const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Field-by-field differences between before and after (created: from null; deleted: to null). */
export function changesOf(before: unknown, after: unknown): { field: string; from: unknown; to: unknown }[] {
  const b = isRecord(before) ? before : {};
  const a = isRecord(after) ? after : {};
  const fields = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((f) => !NOISE.has(f));
  return fields
    .filter((f) => JSON.stringify(b[f] ?? null) !== JSON.stringify(a[f] ?? null))
    .map((f) => ({ field: f, from: b[f] ?? null, to: a[f] ?? null }));
}

/** A value in the users' words: codes like in_progress read "in progress"; lists are comma-joined. */
function show(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (Array.isArray(v)) return v.length === 0 ? '—' : v.map(show).join(', ');
  if (typeof v === 'string') return /^[a-z]+(_[a-z]+)+$/.test(v) ? v.replace(/_/g, ' ') : v.length > 80 ? `${v.slice(0, 80)}…` : v;
  if (typeof v === 'object') return '(details)';
  return String(v);
}

/** "2026-11-28T10:04:31.120Z" → "2026-11-28 10:04 UTC". */
const when = (at: string): string => `${at.slice(0, 10)} ${at.slice(11, 16)} UTC`;

export function summaryOf(e: { action: string; entity: string; userEmail: string | null; at: string }, changes: { field: string; from: unknown; to: unknown }[]): string {
  const who = `by ${e.userEmail ?? 'the system'}, ${when(e.at)}`;
  const entity = e.entity.replace(/_/g, ' ');
  if (e.action === 'create') return `${entity} created, ${who}`;
  if (e.action === 'delete') return `${entity} deleted, ${who}`;
  if (e.action === 'update') {
    const shown = changes.slice(0, 4).map((c) => `${c.field}: ${show(c.from)} → ${show(c.to)}`).join('; ');
    const more = changes.length > 4 ? `; and ${changes.length - 4} more` : '';
    return `${shown || 'no visible change'}${more}, ${who}`;
  }
  return `${e.action.replace(/_/g, ' ')} (${entity}), ${who}`;
}

interface AuditRow { id: number; at: string; user_id: number | null; user_email: string | null; action: string; entity: string; entity_id: string | null; region: string | null; before: string | null; after: string | null }

export function toEntry(r: AuditRow): AuditEntry {
  const before = parse(r.before);
  const after = parse(r.after);
  const changes = r.action === 'create' || r.action === 'update' || r.action === 'delete' ? changesOf(before, after) : [];
  const e = { id: r.id, at: r.at, userId: r.user_id, userEmail: r.user_email, action: r.action, entity: r.entity, entityId: r.entity_id, region: r.region, before, after, changes };
  return { ...e, summary: summaryOf(e, changes) };
}

/** Audit entries, newest first; `regions` limits to entries of those regions (editors), null = all (admins). */
export async function listAudit(db: Db, q: AuditQuery, regions: readonly string[] | null): Promise<Page<AuditEntry>> {
  let b = db.selectFrom('audit');
  if (regions) b = b.where('region', 'in', regions.length > 0 ? [...regions] : ['-']);
  if (q.entity) b = b.where('entity', '=', q.entity);
  if (q.entityId) b = b.where('entity_id', '=', q.entityId);
  if (q.action) b = b.where('action', '=', q.action);
  if (q.user) {
    const u = q.user;
    if (/^\d+$/.test(u)) {
      // A number beyond the id range is nobody (and would overflow PostgreSQL's integer column: a 500).
      const id = Number(u);
      b = id <= MAX_ID ? b.where('user_id', '=', id) : b.where(sql<boolean>`1 = 0`);
    } else b = b.where((eb) => eb(eb.fn('lower', ['user_email']), '=', u.toLowerCase()));
  }
  if (q.from) b = b.where('at', '>=', q.from);
  // `to` is a calendar date: include the whole day.
  if (q.to) b = b.where('at', '<', `${q.to}T99`);
  const [count, rows] = await Promise.all([
    b.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
    b.selectAll().orderBy('at', 'desc').orderBy('id', 'desc').limit(q.pageSize).offset(offsetOf(q)).execute(),
  ]);
  return { items: rows.map(toEntry), total: num(count.n), page: q.page, pageSize: q.pageSize };
}

/** Create/update/delete entries of one record, newest first (the readable history on detail pages). */
export async function recordHistory(db: Db, entity: string, entityId: number): Promise<AuditEntry[]> {
  const rows = await db.selectFrom('audit').selectAll()
    .where('entity', '=', entity).where('entity_id', '=', String(entityId)).where('action', 'in', ['create', 'update', 'delete', 'import'])
    .orderBy('at', 'desc').orderBy('id', 'desc').limit(500).execute();
  return rows.map(toEntry);
}

/** The readable history of a record; 404 when the record never existed (a deleted record keeps its history). */
export async function historyOf(db: Db, entity: string, entityId: number, exists: boolean): Promise<{ entity: string; entityId: string; items: AuditEntry[] }> {
  const items = await recordHistory(db, entity, entityId);
  if (!exists && items.length === 0) throw notFound(`The ${entity.replace(/_/g, ' ')}`);
  return { entity, entityId: String(entityId), items };
}
