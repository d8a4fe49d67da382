/** The audit trail, read-only (no route changes or deletes entries; database triggers refuse it too), and "My work". */
import { auditPage, auditQuery, myWork, myWorkQuery } from '@mm/shared';
import { endpoint } from '../http/endpoint.ts';
import { scopeRegions, signedIn } from '../http/scope.ts';
import { listAudit } from '../queries/audit-log.ts';
import { indicatorsNeedingMeasurement } from '../queries/indicators.ts';
import { milestonesNeedingWork } from '../queries/milestones.ts';
import { todayOf } from '../queries/progress.ts';

export const auditEndpoints = [
  endpoint({
    method: 'get', path: '/audit', access: ['editor', 'admin'], scope: 'region', tag: 'audit',
    summary: 'Audit entries, newest first, with readable changes (admins: all; editors: entries of their regions). Filters: entity, entityId, user (email or id), action, from, to.',
    query: auditQuery, response: auditPage,
    handler: async ({ c, deps, user, query }) => c.json(await listAudit(deps.db, query, scopeRegions(signedIn(user)))),
  }),
  endpoint({
    method: 'get', path: '/my-work', access: ['editor', 'admin'], scope: 'region', tag: 'audit',
    summary: 'My work: milestones in my regions due within `days` (default 90) or overdue, and indicators with no measurement in the last 12 months (admins: all regions).',
    query: myWorkQuery, response: myWork,
    handler: async ({ c, deps, user, query }) => {
      const u = signedIn(user);
      const mine = scopeRegions(u);
      // Admins may narrow with region=; editors see their own regions (narrowed further if they ask).
      const regions = query.region.length > 0 ? (mine ? mine.filter((r) => query.region.includes(r)) : query.region) : mine;
      const [milestones, indicators] = await Promise.all([milestonesNeedingWork(deps, regions, query.days), indicatorsNeedingMeasurement(deps, regions)]);
      return c.json({ asOf: todayOf(deps), regions: regions ?? [], milestones, indicators });
    },
  }),
];
