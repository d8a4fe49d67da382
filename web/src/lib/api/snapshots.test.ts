import { describe, expect, it } from 'vitest';
import { parseFilters } from '../filters.ts';
import { liveExportHref, snapshotExportHref, snapshotFilters } from './snapshots.ts';

describe('liveExportHref', () => {
  const f = { region: ['AFR', 'ASP'], asOf: '2012-12-31' };
  it('carries the filters and the format', () => {
    expect(liveExportHref('summary', f, 'xlsx')).toBe('/api/v1/export/summary?region=AFR&region=ASP&asOf=2012-12-31&format=xlsx&lang=en');
  });
  it('asks a PDF for quarters when the screen shows quarters, and nothing else for it', () => {
    expect(liveExportHref('summary', f, 'pdf', 'quarter')).toBe('/api/v1/export/summary?region=AFR&region=ASP&asOf=2012-12-31&format=pdf&interval=quarter&lang=en');
    expect(liveExportHref('summary', f, 'pdf', 'year')).toBe('/api/v1/export/summary?region=AFR&region=ASP&asOf=2012-12-31&format=pdf&lang=en');
    expect(liveExportHref('summary', f, 'csv', 'quarter')).toBe('/api/v1/export/summary?region=AFR&region=ASP&asOf=2012-12-31&format=csv&lang=en');
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
    expect(liveExportHref('summary', parseFilters('figures=approved'), 'csv')).toBe('/api/v1/export/summary?figures=approved&format=csv&lang=en');
  });
});

describe('download addresses name the page\'s language', () => {
  it('asks for the file in the language of the page (English here), or the one given; JSON stays English and names none', () => {
    expect(liveExportHref('summary', { region: ['AFR'] }, 'pdf', 'year', 'fr')).toBe('/api/v1/export/summary?region=AFR&format=pdf&lang=fr');
    expect(liveExportHref('summary', { region: ['AFR'] }, 'json', 'year', 'es')).toBe('/api/v1/export/summary?region=AFR&format=json');
    expect(snapshotExportHref({ id: 'abc' }, 'xlsx')).toBe('/api/v1/snapshots/abc/export?format=xlsx&lang=en');
    expect(snapshotExportHref({ token: 't0k' }, 'pdf', undefined, 'es')).toBe('/api/v1/shared/t0k/export?format=pdf&lang=es');
    expect(snapshotExportHref({ id: 'abc' }, 'csv', 'milestones', 'fr')).toBe('/api/v1/snapshots/abc/export?format=csv&view=milestones&lang=fr');
    expect(snapshotExportHref({ id: 'abc' }, 'json', undefined, 'fr')).toBe('/api/v1/snapshots/abc/export?format=json');
  });
});
