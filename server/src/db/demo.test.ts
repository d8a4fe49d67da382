import { MODALITIES, PARTNER_TYPES, REGIONS } from '@mm/shared';
import { describe, expect, it } from 'vitest';
import { generateDemoData, SCALES } from './demo.ts';

describe(generateDemoData.name, () => {
  const d = generateDemoData('demo');

  it('produces the same data on every run (seeded PRNG)', () => {
    expect(JSON.stringify(generateDemoData('demo'))).toBe(JSON.stringify(d));
  });

  it('has the documented demo scale', () => {
    expect(d.partnerships).toHaveLength(SCALES.demo.partnerships);
    expect(d.actionPlans).toHaveLength(SCALES.demo.actionPlans);
    expect(d.milestones).toHaveLength(SCALES.demo.milestones);
    expect(d.indicators).toHaveLength(SCALES.demo.indicators);
    const measurements = d.indicators.reduce((s, i) => s + i.measurements.length, 0);
    expect(measurements).toBeGreaterThan(SCALES.demo.measurements * 0.95);
    expect(measurements).toBeLessThanOrEqual(SCALES.demo.measurements);
  });

  it('covers every region, lead partner type and modality', () => {
    expect(new Set(d.partnerships.map((p) => p.region))).toEqual(new Set(REGIONS.map((r) => r.code)));
    expect(new Set(d.partnerships.map((p) => p.modality))).toEqual(new Set(MODALITIES.map((m) => m.code)));
    const typeOf = new Map(d.partners.map((p) => [p.key, p.partnerType]));
    const leadTypes = new Set(d.partnerships.map((p) => typeOf.get(p.partners.find((x) => x.lead)?.partnerKey ?? 0)));
    expect(leadTypes).toEqual(new Set(PARTNER_TYPES.map((t) => t.code)));
  });

  it('gives every partnership exactly one lead partner and keeps dates in 2007–2015 order', () => {
    for (const p of d.partnerships) {
      expect(p.partners.filter((x) => x.lead)).toHaveLength(1);
      expect(p.startDate >= '2007-01-01' && p.startDate <= p.endDate).toBe(true);
    }
    for (const i of d.indicators) for (const m of i.measurements) expect(m.date <= '2015-12-31' && m.date > i.baselineDate).toBe(true);
  });

  it('mixes completed, overdue-prone and cancelled milestones', () => {
    const by = (s: string) => d.milestones.filter((m) => m.status === s).length / d.milestones.length;
    expect(by('completed')).toBeGreaterThan(0.5);
    expect(by('delayed') + by('in_progress') + by('not_started')).toBeGreaterThan(0.1);
    expect(by('cancelled')).toBeGreaterThan(0.03);
  });

  it("ends every milestone's history (latest effective date, then order) in its current state", () => {
    for (const m of d.milestones) {
      if (m.history.length === 0) { expect(m.status).toBe('not_started'); continue; }
      const last = [...m.history].map((h, i) => ({ h, i })).sort((a, b) => (a.h.effectiveDate === b.h.effectiveDate ? a.i - b.i : a.h.effectiveDate < b.h.effectiveDate ? -1 : 1)).at(-1);
      expect(last?.h.status).toBe(m.status);
    }
  });

  it('keeps resources of the right order of magnitude (US$50k–20m per funded partnership)', () => {
    for (const p of d.partnerships) {
      if (p.modality === 'policy') expect(p.resourcesUsd).toBe(0);
      else expect(p.resourcesUsd >= 50_000 && p.resourcesUsd <= 20_000_000).toBe(true);
    }
  });
});
