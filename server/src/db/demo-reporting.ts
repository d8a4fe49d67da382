/**
 * Reporting periods and timeline events for the seed (issue 16). The events are real (DOMAIN.md); `verified`
 * is false wherever the day (or month) is a best reading rather than a confirmed fact — admins can correct them.
 * The periods' states are illustrative demo data: half-years 2007–2015 with a plausible mix of approvals,
 * returns and pending submissions.
 */
import { REGIONS, type EventInput, type ReportingState } from '@mm/shared';

export const SEED_EVENTS: readonly (EventInput & { verified: boolean })[] = [
  { date: '2005-09-16', title: 'World Summit Outcome (GA res 60/1): decent work a central objective', kind: 'general_assembly', url: null, mandates: ['WSO-2005'], verified: false },
  { date: '2006-07-05', title: 'ECOSOC Ministerial Declaration: mainstream decent work, time-bound action plans to 2015', kind: 'ecosoc', url: null, mandates: ['ECOSOC-MD-2006'], verified: true },
  { date: '2007-01-01', title: 'Delivering as One: eight pilot countries start', kind: 'initiative', url: null, mandates: ['DAO-2007'], verified: false },
  { date: '2007-04-15', title: 'CEB endorses the Toolkit for Mainstreaming Employment and Decent Work', kind: 'ceb', url: null, mandates: ['CEB-TOOLKIT-2007'], verified: false },
  { date: '2007-12-19', title: 'TCPR 2007–2010 (GA res 62/208)', kind: 'general_assembly', url: null, mandates: ['TCPR-2007'], verified: false },
  { date: '2008-06-10', title: 'ILO Declaration on Social Justice for a Fair Globalization', kind: 'ilo', url: null, mandates: ['SJD-2008'], verified: false },
  { date: '2009-04-15', title: 'CEB launches the Social Protection Floor Initiative (ILO and WHO lead)', kind: 'ceb', url: null, mandates: ['SPF-2009'], verified: false },
  { date: '2009-04-25', title: 'IMF and World Bank Spring Meetings', kind: 'ifi', url: null, mandates: ['GJP-2009'], verified: false },
  { date: '2009-06-19', title: 'Global Jobs Pact adopted by the International Labour Conference', kind: 'ilo', url: null, mandates: ['GJP-2009'], verified: true },
  { date: '2012-06-22', title: 'Rio+20 "The Future We Want": green economy and decent work', kind: 'conference', url: null, mandates: ['RIO20-2012'], verified: false },
  { date: '2012-12-21', title: 'QCPR 2013–2016 (GA res 67/226)', kind: 'general_assembly', url: null, mandates: ['QCPR-2012'], verified: false },
];

export interface SeedPeriod { name: string; startDate: string; endDate: string; dueDate: string; states: { region: string; state: ReportingState; comment: string | null }[] }

/** Half-years 2007–2015, due two months after they end; states illustrative. */
export function seedPeriods(): SeedPeriod[] {
  const out: SeedPeriod[] = [];
  for (let y = 2007; y <= 2015; y++) {
    for (const h of [1, 2] as const) {
      const startDate = h === 1 ? `${y}-01-01` : `${y}-07-01`;
      const endDate = h === 1 ? `${y}-06-30` : `${y}-12-31`;
      const dueDate = h === 1 ? `${y}-08-31` : `${y + 1}-02-28`;
      const states: SeedPeriod['states'] = [];
      for (const { code } of REGIONS) {
        // Americas, Arab States, Europe and Central Asia and Global: approved through 2012. Africa and
        // Asia-Pacific (the demo staff's regions) are still in review, so the demo staff can edit their data.
        const early = y <= 2012;
        let state: ReportingState = 'open';
        let comment: string | null = null;
        if (['AME', 'ARB', 'ECA', 'GLO'].includes(code) && early) state = 'approved';
        if (code === 'AME' && y === 2013 && h === 1) { state = 'returned'; comment = 'Please add the 2013 measurements for the employment-ratio indicators (illustrative).'; }
        if (code === 'ECA' && y === 2013 && h === 1) state = 'submitted';
        if (code === 'AFR' && y === 2012 && h === 2) state = 'submitted';
        if (code === 'ASP' && y === 2012 && h === 1) { state = 'returned'; comment = 'Two milestones lack evidence (illustrative).'; }
        if (state !== 'open') states.push({ region: code, state, comment });
      }
      out.push({ name: `${y}-H${h}`, startDate, endDate, dueDate, states });
    }
  }
  return out;
}
