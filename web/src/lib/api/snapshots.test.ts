import { describe, expect, it } from 'vitest';
import { parseFilters } from '../filters.ts';
import { liveExportHref, snapshotFilters } from './snapshots.ts';

describe('liveExportHref', () => {
  const f = { region: ['AFR', 'ASP'], asOf: '2012-12-31' };
  it('carries the filters and the format', () => {
    expect(liveExportHref('summary', f, 'xlsx')).toBe('/api/v1/export/summary?region=AFR&region=ASP&asOf=2012-12-31&format=xlsx');
  });
  it('asks a PDF for quarters when the screen shows quarters, and nothing else for it', () => {
    expect(liveExportHref('summary', f, 'pdf', 'quarter')).toBe('/api/v1/export/summary?region=AFR&region=ASP&asOf=2012-12-31&format=pdf&interval=quarter');
    expect(liveExportHref('summary', f, 'pdf', 'year')).toBe('/api/v1/export/summary?region=AFR&region=ASP&asOf=2012-12-31&format=pdf');
    expect(liveExportHref('summary', f, 'csv', 'quarter')).toBe('/api/v1/export/summary?region=AFR&region=ASP&asOf=2012-12-31&format=csv');
  });
});

describe('snapshotFilters', () => {
  it('carries approved figures into the snapshot filter object, and leaves latest (the default) out', () => {
    expect(snapshotFilters(parseFilters('region=AFR&figures=approved'))).toEqual({ region: ['AFR'], figures: 'approved' });
    expect(snapshotFilters(parseFilters('region=AFR'))).toEqual({ region: ['AFR'] });
  });
});

describe('liveExportHref with approved figures', () => {
  it('asks the export for approved figures', () => {
    expect(liveExportHref('summary', parseFilters('figures=approved'), 'csv')).toBe('/api/v1/export/summary?figures=approved&format=csv');
  });
});
