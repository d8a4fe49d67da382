import { describe, expect, it } from 'vitest';
import { tableFromChart } from './table.ts';

describe(tableFromChart.name, () => {
  it('gives one row per label and one cell per series, formatted', () => {
    const t = tableFromChart(['Africa', 'Americas'], [{ label: 'Partnerships', data: [120, 35] }, { label: 'Share', data: [0.5, null] }], (n, i) => (i === 0 ? String(n) : `${n * 100}%`));
    expect(t.columns).toEqual(['Partnerships', 'Share']);
    expect(t.rows).toEqual([{ label: 'Africa', cells: ['120', '50%'] }, { label: 'Americas', cells: ['35', '–'] }]);
  });
  it('reads {x, y} points and multi-line labels', () => {
    const t = tableFromChart([['Asia and', 'the Pacific']], [{ data: [{ x: 'a', y: 2 }] }], String);
    expect(t.rows[0]).toEqual({ label: 'Asia and the Pacific', cells: ['2'] });
    expect(t.columns).toEqual(['Series 1']);
  });
});
