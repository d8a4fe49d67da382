import { describe, expect, it } from 'vitest';
import { matchRoute } from './routes.ts';

describe(`${matchRoute.name} (staff pages)`, () => {
  it.each([
    ['/my-work', { name: 'myWork' }],
    ['/import', { name: 'import' }],
    ['/snapshots', { name: 'snapshots' }],
    ['/snapshots/compare', { name: 'snapshotCompare' }],
    ['/snapshots/schedules', { name: 'snapshotSchedules' }],
    ['/snapshots/schedules/3', { name: 'notFound' }],
    ['/snapshots/AbCdEfGhIjKlMnOpQrStU_', { name: 'snapshot', key: 'AbCdEfGhIjKlMnOpQrStU_' }],
    ['/snapshots/short', { name: 'notFound' }],
    ['/my-work/3', { name: 'notFound' }],
    ['/reporting', { name: 'reporting' }],
    ['/reporting/periods', { name: 'reportingPeriods' }],
    ['/reporting/events', { name: 'events' }],
    ['/reporting/12/AFR', { name: 'reportingRegion', id: 12, key: 'AFR' }],
    ['/reporting/12/afr', { name: 'notFound' }],
    ['/reporting/0/AFR', { name: 'notFound' }],
    ['/reporting/12', { name: 'notFound' }],
    ['/reporting/12/AFR/x', { name: 'notFound' }],
  ])('%s → %o', (path, route) => {
    expect(matchRoute(path)).toEqual(route);
  });
});
