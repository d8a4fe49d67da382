/**
 * Snapshots: take (editors, admins; viewers when the admin setting allows), list, open, compare, delete
 * (admins), export, chart PNGs, and read-only share links (admin or the snapshot's author).
 * Ids are checked for shape by the params schema (400) and looked up exactly (404).
 */
import {
  chartQuery, compareQuery, compareResult, shareInput, shareLink, shareLinkInfo, shareLinkParams, snapshot, snapshotExportQuery,
  settings, settingsInput, snapshotInput, snapshotList, snapshotParams, snapshotSummary,
} from '@mm/shared';
import { z } from 'zod';
import { exportResponse } from '../export/respond.ts';
import { requestLocale } from '../http/locale.ts';
import { snapshotDoc } from '../export/live.ts';
import { endpoint, type SessionUser } from '../http/endpoint.ts';
import { ProblemError, notFound, unauthenticated } from '../http/problem.ts';
import { recordRefusal } from '../queries/audit.ts';
import { chartPng, compareSnapshots } from '../snapshots/service.ts';
import {
  createShareLink, createSnapshot, deleteSnapshot, getSettings, getSnapshot, listShareLinks, listSnapshots, mayTakeSnapshot, putSettings,
  revokeShareLink, snapshotIdForToken,
} from '../snapshots/store.ts';
import type { AppDeps } from '../deps.ts';
import type { Context } from 'hono';
import type { AppEnv } from '../http/endpoint.ts';

const EVERYONE = 'signed-in' as const;

function actorOf(user: SessionUser | null) {
  if (!user) throw unauthenticated();
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

async function found(deps: AppDeps, id: string) {
  const s = await getSnapshot(deps.db, id);
  if (!s) throw notFound('The snapshot');
  return s;
}

async function refuse(c: Context<AppEnv>, user: SessionUser, detail: string): Promise<never> {
  await recordRefusal(c.get('deps'), user, `${c.req.method} ${c.req.path}`, detail);
  throw new ProblemError(403, 'Forbidden', detail);
}

/** Share links: admins, or the author of the snapshot. */
async function assertMayShare(c: Context<AppEnv>, user: SessionUser, createdBy: number | null): Promise<void> {
  if (user.role === 'admin' || (createdBy !== null && createdBy === user.id)) return;
  await refuse(c, user, 'Only an admin or the author of this snapshot may manage its share links.');
}

export const snapshotEndpoints = [
  endpoint({
    method: 'post', path: '/snapshots', access: EVERYONE, scope: 'none', tag: 'snapshots',
    summary: 'Take a snapshot of a view (title, note, filters incl. asOf): a frozen copy of its progress numbers and record rows. Editors and admins; viewers when the admin setting allows.',
    body: snapshotInput, response: snapshotSummary, statuses: [201, 403],
    handler: async ({ c, deps, user, body }) => {
      const actor = actorOf(user);
      if (user && !(await mayTakeSnapshot(deps.db, actor.role))) await refuse(c, user, 'Viewers may take snapshots only when an admin allows it (Settings).');
      const s = await createSnapshot(deps, actor, body);
      return c.json(snapshotSummary.parse(s), 201, { Location: `/api/v1/snapshots/${s.id}` });
    },
  }),
  endpoint({
    method: 'get', path: '/snapshots', access: EVERYONE, scope: 'none', tag: 'snapshots',
    summary: 'Every snapshot, newest first, without the frozen payload; `canCreate` says whether you may take one.',
    response: snapshotList,
    handler: async ({ c, deps, user }) => {
      const actor = actorOf(user);
      return c.json(snapshotList.parse({ items: await listSnapshots(deps.db), canCreate: await mayTakeSnapshot(deps.db, actor.role) }));
    },
  }),
  endpoint({
    method: 'get', path: '/snapshots/compare', access: EVERYONE, scope: 'none', tag: 'snapshots',
    summary: 'What moved between two snapshots, or a snapshot and live data (`to=live`, with the from-snapshot\'s filters, as of `asOf` or today): per region, partner type and mandate — milestones completed, indicator status transitions, resources and partnerships added or removed.',
    query: compareQuery, response: compareResult, statuses: [404],
    handler: async ({ c, deps, query }) => c.json(compareResult.parse(await compareSnapshots(deps, query.from, query.to, query.asOf))),
  }),
  endpoint({
    method: 'get', path: '/snapshots/:id', access: EVERYONE, scope: 'none', tag: 'snapshots',
    summary: 'One snapshot with its frozen payload (progress views and record rows), exactly as taken.',
    params: snapshotParams, response: snapshot, statuses: [404],
    handler: async ({ c, deps, params }) => c.json(await found(deps, params.id)),
  }),
  endpoint({
    method: 'delete', path: '/snapshots/:id', access: ['admin'], scope: 'none', tag: 'snapshots',
    summary: 'Delete a snapshot and its share links (admins); the audit trail keeps who deleted which snapshot.',
    params: snapshotParams, bodyKind: 'none', statuses: [204, 404],
    handler: async ({ c, deps, user, params }) => {
      if (!(await deleteSnapshot(deps, actorOf(user), params.id))) throw notFound('The snapshot');
      return c.body(null, 204);
    },
  }),
  endpoint({
    method: 'get', path: '/snapshots/:id/export', access: EVERYONE, scope: 'none', tag: 'snapshots',
    summary: 'Download a snapshot as CSV (one table: `view`, default summary), XLSX, JSON or PDF (every table, or one `view`).',
    params: snapshotParams, query: snapshotExportQuery, statuses: [404],
    produces: ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/json', 'application/pdf'],
    handler: async ({ c, deps, params, query }) => exportResponse(snapshotDoc(deps, await found(deps, params.id), query.view, query.format, query.lang ?? await requestLocale(c)), query.format, query.view),
  }),
  endpoint({
    method: 'get', path: '/snapshots/:id/chart.png', access: EVERYONE, scope: 'none', tag: 'snapshots',
    summary: 'One chart of a snapshot as PNG, rendered on the server from the same Chart.js configuration as the web app.',
    params: snapshotParams, query: chartQuery, statuses: [404], produces: ['image/png'],
    handler: async ({ c, deps, params, query }) => chartPng(await found(deps, params.id), query.chart, query.lang ?? await requestLocale(c)),
  }),
  endpoint({
    method: 'post', path: '/snapshots/:id/share', access: EVERYONE, scope: 'owner', tag: 'snapshots',
    summary: 'Create a read-only link to this snapshot (admins or its author); the token is shown once and only its hash is stored.',
    params: snapshotParams, body: shareInput, response: shareLink, statuses: [201, 403, 404],
    handler: async ({ c, deps, user, params, body }) => {
      const actor = actorOf(user);
      const s = await found(deps, params.id);
      if (user) await assertMayShare(c, user, s.createdBy.id);
      const link = await createShareLink(deps, actor, s.id, body.expiresInDays);
      const url = `${new URL(c.req.url).origin}/shared/${link.token}`;
      return c.json(shareLink.parse({ ...link, url }), 201);
    },
  }),
  endpoint({
    method: 'get', path: '/snapshots/:id/share', access: EVERYONE, scope: 'owner', tag: 'snapshots',
    summary: 'The share links of a snapshot (admins or its author); tokens are never shown again.',
    params: snapshotParams, response: z.array(shareLinkInfo), statuses: [403, 404],
    handler: async ({ c, deps, user, params }) => {
      const s = await found(deps, params.id);
      if (user) await assertMayShare(c, user, s.createdBy.id);
      return c.json(await listShareLinks(deps.db, s.id));
    },
  }),
  endpoint({
    method: 'delete', path: '/snapshots/:id/share/:linkId', access: EVERYONE, scope: 'owner', tag: 'snapshots',
    summary: 'Revoke a share link (admins or the snapshot\'s author); the link answers 404 from then on.',
    params: shareLinkParams, bodyKind: 'none', statuses: [204, 403, 404],
    handler: async ({ c, deps, user, params }) => {
      const actor = actorOf(user);
      const s = await found(deps, params.id);
      if (user) await assertMayShare(c, user, s.createdBy.id);
      if (!(await revokeShareLink(deps, actor, s.id, params.linkId))) throw notFound('The share link');
      return c.body(null, 204);
    },
  }),
];

/** A share token opens one snapshot, read-only; anything else about the token is a plain 404. */
async function sharedSnapshot(deps: AppDeps, token: string) {
  const id = await snapshotIdForToken(deps, token);
  const s = id ? await getSnapshot(deps.db, id) : undefined;
  if (!s) throw notFound('The shared snapshot');
  // The public view names who took it, not their email address.
  return { ...s, createdBy: { id: null, name: s.createdBy.name, email: null } };
}
const tokenParams = z.strictObject({ token: z.string().max(200) });

export const sharedEndpoints = [
  endpoint({
    method: 'get', path: '/shared/:token', access: 'public', scope: 'none', tag: 'snapshots',
    summary: 'The one snapshot a share link opens, read-only. Unknown, malformed, expired or revoked tokens are 404.',
    params: tokenParams, response: snapshot, statuses: [404],
    handler: async ({ c, deps, params }) => c.json(await sharedSnapshot(deps, params.token)),
  }),
  endpoint({
    method: 'get', path: '/shared/:token/export', access: 'public', scope: 'none', tag: 'snapshots',
    summary: 'Download the shared snapshot (as `GET /snapshots/:id/export`).',
    params: tokenParams, query: snapshotExportQuery, statuses: [404],
    produces: ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/json', 'application/pdf'],
    handler: async ({ c, deps, params, query }) => exportResponse(snapshotDoc(deps, await sharedSnapshot(deps, params.token), query.view, query.format, query.lang ?? await requestLocale(c)), query.format, query.view),
  }),
  endpoint({
    method: 'get', path: '/shared/:token/chart.png', access: 'public', scope: 'none', tag: 'snapshots',
    summary: 'One chart of the shared snapshot as PNG.',
    params: tokenParams, query: chartQuery, statuses: [404], produces: ['image/png'],
    handler: async ({ c, deps, params, query }) => chartPng(await sharedSnapshot(deps, params.token), query.chart, query.lang ?? await requestLocale(c)),
  }),
];

/** The one admin setting snapshots need: whether viewers may take them. */
export const settingsEndpoints = [
  endpoint({
    method: 'get', path: '/settings', access: ['admin'], scope: 'none', tag: 'settings', summary: 'Admin settings.',
    response: settings,
    handler: async ({ c, deps }) => c.json(await getSettings(deps.db)),
  }),
  endpoint({
    method: 'put', path: '/settings', access: ['admin'], scope: 'none', tag: 'settings', summary: 'Change admin settings (e.g. whether viewers may take snapshots).',
    body: settingsInput, response: settings,
    handler: async ({ c, deps, user, body }) => c.json(await putSettings(deps, actorOf(user), body)),
  }),
];
