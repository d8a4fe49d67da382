/** Snapshots (issue 6): list, take, open, compare, delete, share links, and download addresses. */
import type { CompareResult, ExportFormat, ExportView, Snapshot, SnapshotSummary } from '@mm/shared';
import type { Filters } from '../filters.ts';
import { locale as pageLocale, type Locale } from '../i18n/locale.ts';
import { getJson, send } from './client.ts';
import { apiSearch } from './query.ts';

type Ctx = { signal: AbortSignal };

export interface SnapshotList { items: SnapshotSummary[]; canCreate: boolean }
export interface ShareLink { id: number; token: string; url: string; expiresAt: string }
export interface ShareLinkInfo { id: number; createdAt: string; expiresAt: string; revokedAt: string | null; createdBy: number | null }

export const snapshotsKey = ['snapshots'] as const;

export function snapshotsQuery() {
  return { queryKey: [...snapshotsKey, 'list'] as const, queryFn: ({ signal }: Ctx) => getJson<SnapshotList>('/snapshots', signal) };
}

/** A snapshot never changes once taken, so it is fetched once. */
export function snapshotQuery(id: string) {
  return { queryKey: [...snapshotsKey, 'detail', id] as const, queryFn: ({ signal }: Ctx) => getJson<Snapshot>(`/snapshots/${id}`, signal), staleTime: Infinity };
}

/** The snapshot a share link opens (no sign-in). */
export function sharedSnapshotQuery(token: string) {
  return { queryKey: ['shared', token] as const, queryFn: ({ signal }: Ctx) => getJson<Snapshot>(`/shared/${token}`, signal), staleTime: Infinity, retry: false };
}

/** `to` is another snapshot's id or 'live' (today's data with the from-snapshot's filters). */
export function compareQuery(from: string, to: string) {
  return {
    queryKey: [...snapshotsKey, 'compare', from, to] as const,
    queryFn: ({ signal }: Ctx) => getJson<CompareResult>(`/snapshots/compare?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, signal),
    // Two snapshots compare the same way forever; live data moves.
    staleTime: to === 'live' ? 0 : Infinity,
  };
}

export function shareLinksQuery(id: string) {
  return { queryKey: [...snapshotsKey, 'share', id] as const, queryFn: ({ signal }: Ctx) => getJson<ShareLinkInfo[]>(`/snapshots/${id}/share`, signal), retry: false };
}

/** Filters as sent: the URL's codes (the server validates each against the reference lists). */
export type SnapshotFilters = Record<string, string[] | string>;
export interface TakeSnapshotInput { title: string; note: string | null; filters: SnapshotFilters }

/** The API's filter object from the URL's (empty lists left out; `figures` only when approved, latest being the default). */
export function snapshotFilters(f: Filters): SnapshotFilters {
  const out: SnapshotFilters = {};
  for (const [k, v] of Object.entries(f)) if (Array.isArray(v) ? v.length > 0 : v) out[k] = v;
  return out;
}

export function takeSnapshot(input: TakeSnapshotInput): Promise<SnapshotSummary> {
  return send<SnapshotSummary>('POST', '/snapshots', { json: input });
}

export function deleteSnapshot(id: string): Promise<void> {
  return send<void>('DELETE', `/snapshots/${id}`);
}

export function createShareLink(id: string, expiresInDays: number): Promise<ShareLink> {
  return send<ShareLink>('POST', `/snapshots/${id}/share`, { json: { expiresInDays } });
}

export function revokeShareLink(id: string, linkId: number): Promise<void> {
  return send<void>('DELETE', `/snapshots/${id}/share/${linkId}`);
}

/**
 * The file's language: the page's, stated in the address so a copied link gives the same file (JSON stays
 * English whatever the language, so it carries none).
 */
const langParam = (format: ExportFormat, lang: Locale): string => (format === 'json' ? '' : `&lang=${lang}`);

/** Download address of a snapshot (or, with a share token, of the shared snapshot), in the page's language. */
export function snapshotExportHref(source: { id: string } | { token: string }, format: ExportFormat, view?: ExportView, lang: Locale = pageLocale): string {
  const base = 'token' in source ? `/api/v1/shared/${source.token}` : `/api/v1/snapshots/${source.id}`;
  return `${base}/export?format=${format}${view ? `&view=${view}` : ''}${langParam(format, lang)}`;
}

/** Download address of a live view with the current filters (and, for a PDF, the trajectory's interval as on screen), in the page's language. */
export function liveExportHref(view: ExportView, f: Partial<Filters>, format: ExportFormat, interval: 'year' | 'quarter' = 'year', lang: Locale = pageLocale): string {
  return `/api/v1/export/${view}${apiSearch(f, { format, interval: format === 'pdf' && interval === 'quarter' ? 'quarter' : undefined, lang: format === 'json' ? undefined : lang })}`;
}

export interface Settings { viewersMayTakeSnapshots: boolean }

/** Admin settings (today: whether viewers may take snapshots). */
export function settingsQuery() {
  return { queryKey: ['settings'] as const, queryFn: ({ signal }: Ctx) => getJson<Settings>('/settings', signal) };
}

export function putSettings(s: Settings): Promise<Settings> {
  return send<Settings>('PUT', '/settings', { json: s });
}
