import { describe, expect, it } from 'vitest';
import { milestoneBadge } from './milestone-status.ts';

describe(milestoneBadge.name, () => {
  it.each([
    ['completed', { symbol: '✔', label: 'Completed', tone: 'achieved' }],
    ['delayed', { symbol: '✖', label: 'Delayed', tone: 'off_track' }],
    ['in_progress', { symbol: '○', label: 'In progress', tone: 'neutral' }],
    ['not_started', { symbol: '○', label: 'Not started', tone: 'neutral' }],
    ['cancelled', { symbol: '○', label: 'Cancelled', tone: 'neutral' }],
  ] as const)('shows %s with a symbol and words', (status, badge) => {
    expect(milestoneBadge(status)).toEqual(badge);
  });
});
