import { describe, expect, it } from 'vitest';
import { matchRoute } from './routes.ts';

describe(matchRoute.name, () => {
  it.each([
    ['/', { name: 'overview' }],
    ['/partnerships', { name: 'partnerships' }],
    ['/partnerships/12', { name: 'partnership', id: 12 }],
    ['/action-plans/3/', { name: 'actionPlan', id: 3 }],
    ['/indicators/7', { name: 'indicator', id: 7 }],
    ['/milestones', { name: 'milestones' }],
    ['/milestones/4', { name: 'milestone', id: 4 }],
    ['/milestones/4/history', { name: 'notFound' }],
    ['/indicators/0', { name: 'notFound' }],
    ['/indicators/abc', { name: 'notFound' }],
    ['/nowhere', { name: 'notFound' }],
    ['/scorecard', { name: 'scorecard' }],
    ['/scorecard/assessments/new', { name: 'assessmentNew' }],
    ['/scorecard/assessments/42', { name: 'assessment', id: 42 }],
    ['/scorecard/assessments/0', { name: 'notFound' }],
    ['/scorecard/criteria', { name: 'scorecardCriteria' }],
    ['/scorecard/criteria/3', { name: 'notFound' }],
    ['/users', { name: 'users' }],
    ['/users/3', { name: 'notFound' }],
  ])('%s → %o', (path, route) => {
    expect(matchRoute(path)).toEqual(route);
  });
});
