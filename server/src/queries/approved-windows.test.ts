import { describe, expect, it } from 'vitest';
import { mergeWindows } from './progress-data.ts';

describe('mergeWindows', () => {
  it('merges a region\'s adjacent and overlapping approved periods, never across regions or gaps', () => {
    expect(mergeWindows([
      { region: 'AME', start: '2007-07-01', end: '2007-12-31' },
      { region: 'AFR', start: '2007-01-01', end: '2007-06-30' },
      { region: 'AME', start: '2007-01-01', end: '2007-06-30' },
      { region: 'AME', start: '2008-01-01', end: '2008-12-31' },
      { region: 'AME', start: '2008-06-01', end: '2008-09-30' },
      { region: 'AME', start: '2010-01-01', end: '2010-06-30' },
      { region: 'AFR', start: '2007-07-02', end: '2007-12-31' },
    ])).toEqual([
      { region: 'AFR', start: '2007-01-01', end: '2007-06-30' },
      { region: 'AFR', start: '2007-07-02', end: '2007-12-31' },
      { region: 'AME', start: '2007-01-01', end: '2008-12-31' },
      { region: 'AME', start: '2010-01-01', end: '2010-06-30' },
    ]);
  });
});
