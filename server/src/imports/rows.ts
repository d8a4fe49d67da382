/** Spreadsheet rows (header + cells) → typed records, using the column definitions; every problem names row, column, value and reason. */
import { COUNTRIES, DEFAULT_TARGET_DATE, PARTNER_ROLES, type ImportIssue } from '@mm/shared';
import { COLUMNS, type ColumnDef, type RecordImportType } from './columns.ts';
import { BATCH_KEY, emptyBatch, issue, type Batch, type PartnerLink } from './records.ts';
import {
  cellText, isBlank, parseCode, parseCodes, parseDate, parseExternalId, parseInteger, parseNumber, parseText, parseUrl, splitList,
  type Cell, type Parsed,
} from './values.ts';

export interface Sheet { header: Cell[]; rows: Cell[][] }

type Value = string | number | string[] | PartnerLink[] | null;

const regionOfCountry = new Map<string, string>(COUNTRIES.map((c) => [c.code, c.region]));

function parseLinks(cell: Cell): Parsed<PartnerLink[]> {
  const out: PartnerLink[] = [];
  for (const item of splitList(cell)) {
    const [idPart = '', rolePart = '', ...rest] = item.split('=').map((s) => s.trim());
    if (rest.length > 0) return { ok: false, message: `"${item}": write each partner as externalId=role` };
    const id = parseExternalId(idPart);
    if (!id.ok) return { ok: false, message: `"${item}": ${id.message}` };
    const role = rolePart === '' ? { ok: true as const, value: 'implementing' } : parseCode(rolePart, PARTNER_ROLES);
    if (!role.ok) return { ok: false, message: `"${item}": role ${role.message}` };
    out.push({ ref: id.value, role: role.value, lead: false });
  }
  return { ok: true, value: out };
}

export function parseCell(col: ColumnDef, cell: Cell): Parsed<Value> {
  const t = col.type;
  switch (t.kind) {
    case 'externalId': case 'ref': return parseExternalId(cell);
    case 'text': return parseText(cell, t.max);
    case 'url': return parseUrl(cell);
    case 'code': return parseCode(cell, t.list);
    case 'codes': return parseCodes(cell, t.list);
    case 'date': return parseDate(cell);
    case 'number': return parseNumber(cell);
    case 'integer': return parseInteger(cell, t.min, t.max);
    case 'refs': {
      const ids: string[] = [];
      for (const item of splitList(cell)) {
        const r = parseExternalId(item);
        if (!r.ok) return { ok: false, message: `"${item}": ${r.message}` };
        if (!ids.includes(r.value)) ids.push(r.value);
      }
      return { ok: true, value: ids };
    }
    case 'partnerLinks': return parseLinks(cell);
  }
}

/** Typed reads of one parsed row; a wrong kind is a programming error in this file, not a user error. */
class RowValues {
  constructor(private readonly v: Map<string, Value>) {}
  private get(name: string): Value { return this.v.get(name) ?? null; }
  str(name: string): string { const x = this.get(name); if (typeof x !== 'string') throw new Error(`column ${name}: expected text`); return x; }
  optStr(name: string): string | null { const x = this.get(name); return typeof x === 'string' ? x : null; }
  num(name: string): number { const x = this.get(name); if (typeof x !== 'number') throw new Error(`column ${name}: expected a number`); return x; }
  optNum(name: string): number | null { const x = this.get(name); return typeof x === 'number' ? x : null; }
  list(name: string): string[] { const x = this.get(name); return Array.isArray(x) ? x.filter((s): s is string => typeof s === 'string') : []; }
  links(name: string): PartnerLink[] { const x = this.get(name); return Array.isArray(x) ? x.filter((s): s is PartnerLink => typeof s === 'object') : []; }
}

/** Reads one sheet of a record type into a batch; rows with problems are left out (the import will not run anyway). */
export function readSheet(type: RecordImportType, sheet: Sheet): { batch: Batch; problems: ImportIssue[]; rows: number } {
  const cols = COLUMNS[type];
  const problems: ImportIssue[] = [];
  const batch = emptyBatch();
  const index = new Map<string, number>();
  sheet.header.forEach((h, i) => {
    const name = cellText(h);
    if (name === '') return;
    const col = cols.find((c) => c.name.toLowerCase() === name.toLowerCase());
    if (!col) problems.push(issue(1, name, name, `unknown column; the ${type} columns are ${cols.map((c) => c.name).join(', ')}`));
    else if (index.has(col.name)) problems.push(issue(1, name, name, 'this column appears twice'));
    else index.set(col.name, i);
  });
  for (const c of cols) if (c.required && !index.has(c.name)) problems.push(issue(1, c.name, null, 'required column is missing from the header row'));
  if (problems.length > 0) return { batch, problems, rows: sheet.rows.length };

  let rows = 0;
  sheet.rows.forEach((cells, i) => {
    const row = i + 2;
    if (cells.every((c) => isBlank(c))) return;
    rows++;
    const values = new Map<string, Value>();
    let bad = false;
    for (const col of cols) {
      const at = index.get(col.name);
      const cell = at === undefined ? null : (cells[at] ?? null);
      if (isBlank(cell)) {
        if (col.required) { problems.push(issue(row, col.name, null, 'required; the cell is empty')); bad = true; }
        values.set(col.name, null);
        continue;
      }
      const r = parseCell(col, cell);
      if (r.ok) values.set(col.name, r.value);
      else { problems.push(issue(row, col.name, cellText(cell), r.message)); bad = true; }
    }
    if (bad) return;
    const before = problems.length;
    build(type, row, new RowValues(values), batch, (column, value, message) => problems.push(issue(row, column, value, message)));
    if (problems.length > before) {
      // A record with a cross-field problem must not also be planned.
      const list = batch[BATCH_KEY[type]];
      if (list.at(-1)?.row === row) list.pop();
    }
  });
  return { batch, problems, rows };
}

type Report = (column: string, value: unknown, message: string) => void;

function checkCountry(region: string, country: string | null, report: Report): void {
  if (country !== null && regionOfCountry.get(country) !== region) report('country', country, `is not in region ${region} (it is in ${regionOfCountry.get(country) ?? 'no region'})`);
}

/** Region, country, period and mandates: read and checked alike for partnerships and action plans. */
function scopeAndPeriod(v: RowValues, report: Report) {
  const region = v.str('region');
  const country = v.optStr('country');
  checkCountry(region, country, report);
  const startDate = v.str('startDate');
  const endDate = v.str('endDate');
  if (endDate < startDate) report('endDate', endDate, `must not be before startDate ${startDate}`);
  const mandates = v.list('mandates');
  if (mandates.length === 0) report('mandates', null, 'needs at least one mandate');
  return { region, country, startDate, endDate, mandates };
}

function build(type: RecordImportType, row: number, v: RowValues, batch: Batch, report: Report): void {
  const externalId = v.str('externalId');
  switch (type) {
    case 'partners': {
      const hqCountry = v.optStr('hqCountry');
      const hqRegion = v.optStr('hqRegion') ?? (hqCountry ? (regionOfCountry.get(hqCountry) ?? null) : null);
      if (hqCountry && hqRegion && regionOfCountry.get(hqCountry) !== hqRegion) report('hqRegion', hqRegion, `does not match hqCountry ${hqCountry} (in ${regionOfCountry.get(hqCountry) ?? '?'})`);
      batch.partners.push({ row, externalId, name: v.str('name'), partnerType: v.str('partnerType'), hqCountry, hqRegion });
      return;
    }
    case 'partnerships': {
      const { region, country, startDate, endDate, mandates } = scopeAndPeriod(v, report);
      const lead = v.str('leadPartner');
      const others = v.links('partners');
      const seen = new Set([lead]);
      for (const o of others) {
        if (seen.has(o.ref)) report('partners', o.ref, o.ref === lead ? 'is already the lead partner' : 'appears twice');
        seen.add(o.ref);
      }
      batch.partnerships.push({
        row, externalId, title: v.str('title'), modality: v.str('modality'), level: v.str('level'), region, country, mandates,
        outcomes: v.list('outcomes'), startDate, endDate, resourcesUsd: v.num('resourcesUsd'), status: v.str('status'),
        partners: [{ ref: lead, role: v.optStr('leadRole') ?? 'funding', lead: true }, ...others],
      });
      return;
    }
    case 'action-plans': {
      const { region, country, startDate, endDate, mandates } = scopeAndPeriod(v, report);
      batch.actionPlans.push({
        row, externalId, title: v.str('title'), owningUnit: v.str('owningUnit'), region, country, mandates, outcomes: v.list('outcomes'),
        partnerships: v.list('partnerships'), startDate, endDate,
      });
      return;
    }
    case 'milestones': {
      const status = v.optStr('status') ?? 'not_started';
      const completedDate = v.optStr('completedDate');
      if (status === 'completed' && completedDate === null) report('completedDate', null, 'is required when the status is completed');
      if (status !== 'completed' && completedDate !== null) report('completedDate', completedDate, `must be empty unless the status is completed (status is ${status})`);
      const percentComplete = v.optNum('percentComplete') ?? (status === 'completed' ? 100 : 0);
      if (status === 'completed' && percentComplete !== 100) report('percentComplete', percentComplete, 'must be 100 when the status is completed');
      batch.milestones.push({
        row, externalId, actionPlan: v.str('actionPlan'), title: v.str('title'), dueDate: v.str('dueDate'), status, percentComplete,
        completedDate, statusDate: v.optStr('statusDate'), evidenceNote: v.optStr('evidenceNote'), evidenceUrl: v.optStr('evidenceUrl'),
      });
      return;
    }
    case 'indicators': {
      const rec = {
        row, externalId, actionPlan: v.str('actionPlan'), name: v.str('name'), unit: v.str('unit'), direction: v.str('direction'),
        baselineValue: v.num('baselineValue'), baselineDate: v.str('baselineDate'), targetValue: v.num('targetValue'),
        targetDate: v.optStr('targetDate') ?? DEFAULT_TARGET_DATE,
      };
      for (const p of indicatorProblems(rec)) report(p.column, p.value, p.message);
      batch.indicators.push(rec);
      return;
    }
    case 'measurements':
      batch.measurements.push({
        row, externalId, indicator: v.str('indicator'), value: v.num('value'), date: v.str('date'), source: v.optStr('source'), note: v.optStr('note'),
      });
  }
}

/** The indicator rules of the API (target after baseline, target on the right side of the baseline), shared with the IATI mapping. */
export function indicatorProblems(x: { direction: string; baselineValue: number; baselineDate: string; targetValue: number; targetDate: string }): { column: string; value: string | number; message: string }[] {
  const out: { column: string; value: string | number; message: string }[] = [];
  if (x.targetDate <= x.baselineDate) out.push({ column: 'targetDate', value: x.targetDate, message: `must be after baselineDate ${x.baselineDate}` });
  if (x.direction === 'increase' && x.targetValue < x.baselineValue) out.push({ column: 'targetValue', value: x.targetValue, message: `must not be below the baseline ${x.baselineValue} for an increase indicator` });
  if (x.direction === 'decrease' && x.targetValue > x.baselineValue) out.push({ column: 'targetValue', value: x.targetValue, message: `must not be above the baseline ${x.baselineValue} for a decrease indicator` });
  return out;
}
