/**
 * IATI activity files (2.0x) → an import batch. Parsed with fast-xml-parser with entity processing off;
 * a DOCTYPE or ENTITY declaration is refused outright. Every value that cannot be mapped is reported
 * (a problem when the record would be wrong, a warning when a stated default was used), never dropped.
 */
import {
  COUNTRIES, COUNTRY_ALPHA2, IATI_ORG_ROLES, IATI_ORG_TYPE_TO_PARTNER_TYPE, MANDATES, OUTCOMES, PARTNER_TYPES, resolveCode,
  type ImportIssue,
} from '@mm/shared';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ProblemError } from '../http/problem.ts';
import { utf8Text } from './files.ts';
import { emptyBatch, issue, type Batch, type PartnerLink } from './records.ts';
import { indicatorProblems } from './rows.ts';
import { parseDate, parseNumber } from './values.ts';

/** OECD DAC recipient-region codes (vocabulary 1) → our regions; a best reading, unlisted codes become GLO with a warning. */
export const DAC_REGION_TO_REGION: Record<string, string> = {
  '189': 'AFR', '289': 'AFR', '298': 'AFR', '1027': 'AFR', '1028': 'AFR', '1029': 'AFR', '1030': 'AFR',
  '380': 'AME', '389': 'AME', '489': 'AME', '498': 'AME',
  '589': 'ARB',
  '619': 'ASP', '679': 'ASP', '689': 'ASP', '789': 'ASP', '798': 'ASP', '889': 'ASP',
  '89': 'ECA',
};
const STATUS: Record<string, { status: string; warn?: string }> = {
  '1': { status: 'pipeline' }, '2': { status: 'active' }, '3': { status: 'completed' }, '4': { status: 'completed' },
  '5': { status: 'suspended', warn: 'IATI status 5 (cancelled) has no equivalent; recorded as suspended' }, '6': { status: 'suspended' },
};
const DEFAULT_MANDATE = 'MDG-1B-2008';
const regionOfCountry = new Map<string, string>(COUNTRIES.map((c) => [c.code, c.region]));

type XNode = Record<string, unknown>;
const isNode = (v: unknown): v is XNode => v !== null && typeof v === 'object' && !Array.isArray(v);

const ARRAYS = new Set(['iati-activity', 'participating-org', 'narrative', 'activity-date', 'recipient-country', 'recipient-region', 'budget', 'result', 'indicator', 'period', 'target', 'actual', 'baseline', 'tag']);

/** The five predefined XML entities and character references; nothing else is ever expanded. */
export function decodeXml(s: string): string {
  return s.replace(/&(lt|gt|amp|quot|apos|#\d{1,7}|#x[0-9a-fA-F]{1,6});/g, (m, e: string) => {
    if (e === 'lt') return '<';
    if (e === 'gt') return '>';
    if (e === 'amp') return '&';
    if (e === 'quot') return '"';
    if (e === 'apos') return "'";
    const code = e.startsWith('#x') ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
  });
}

function attr(n: XNode | undefined, name: string): string | undefined {
  const v = n?.[`@${name}`];
  return typeof v === 'string' && v.trim() !== '' ? decodeXml(v.trim()) : undefined;
}
function kids(n: XNode | undefined, name: string): XNode[] {
  const v = n?.[name];
  const list = Array.isArray(v) ? v : v === undefined ? [] : [v];
  // An element without attributes or children parses as its text (or ''); wrap it so every kid is a node.
  return list.map((x) => (isNode(x) ? x : { '#text': typeof x === 'string' || typeof x === 'number' ? String(x) : '' }));
}
const kid = (n: XNode | undefined, name: string): XNode | undefined => kids(n, name)[0];
function text(n: XNode | undefined): string | undefined {
  const v = n?.['#text'];
  const s = typeof v === 'string' || typeof v === 'number' ? decodeXml(String(v)).trim() : '';
  return s === '' ? undefined : s;
}
/** First narrative, preferring English. */
function narrative(n: XNode | undefined): string | undefined {
  const ns = kids(n, 'narrative');
  const en = ns.find((x) => attr(x, 'xml:lang') === 'en');
  return text(en) ?? ns.map(text).find((s) => s !== undefined);
}

function slug(s: string): string {
  return s.normalize('NFKD').replace(/[^\w\s-]/g, '').trim().toUpperCase().replace(/[\s_-]+/g, '-').slice(0, 80);
}

const EXTERNAL_ID = /^[^\s;=]{1,100}$/;

const unprocessable = (detail: string) => new ProblemError(422, 'Unreadable IATI file', detail);

function parseXml(buf: Buffer): XNode {
  const xml = utf8Text(buf);
  if (xml === null || !xml.trimStart().startsWith('<')) throw new ProblemError(415, 'Unsupported file type', 'The file is not an XML text file (UTF-8). Upload an IATI activity file (.xml).');
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw unprocessable('The file declares a DOCTYPE or ENTITY; IATI files need neither and they are refused for safety.');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw unprocessable(`The XML is not well-formed (line ${valid.err.line}, column ${valid.err.col}): ${valid.err.msg}`);
  const parser = new XMLParser({
    ignoreAttributes: false, attributeNamePrefix: '@', processEntities: false, htmlEntities: false, parseTagValue: false,
    parseAttributeValue: false, trimValues: true, ignoreDeclaration: true, ignorePiTags: true, isArray: (name) => ARRAYS.has(name),
  });
  let doc: unknown;
  try {
    doc = parser.parse(xml);
  } catch (e) {
    // The parser's own limits (e.g. nesting depth) end here as a 422, not a 500.
    throw unprocessable(`The XML could not be read: ${(e instanceof Error ? e.message : String(e)).slice(0, 200)}`);
  }
  const root = isNode(doc) ? doc['iati-activities'] : undefined;
  if (!isNode(root)) throw new ProblemError(415, 'Unsupported file type', 'The XML is not an IATI activity file (its root element is not <iati-activities>).');
  return root;
}

export interface IatiResult { batch: Batch; problems: ImportIssue[]; warnings: ImportIssue[]; rows: number }

export function readIati(buf: Buffer): IatiResult {
  const root = parseXml(buf);
  const batch = emptyBatch();
  const problems: ImportIssue[] = [];
  const warnings: ImportIssue[] = [];
  const version = attr(root, 'version');
  if (version === undefined) warnings.push(issue(0, 'iati-activities/@version', null, 'no IATI version given; read as 2.0x'));
  else if (!/^2\.0\d$/.test(version)) problems.push(issue(0, 'iati-activities/@version', version, 'only IATI 2.0x activity files are read'));
  const activities = kids(root, 'iati-activity');
  if (activities.length === 0) problems.push(issue(0, 'iati-activities', null, 'the file has no <iati-activity>'));
  const partnerSeen = new Set<string>();
  activities.forEach((a, i) => readActivity(a, i + 1, batch, problems, warnings, partnerSeen));
  return { batch, problems, warnings, rows: activities.length };
}

function readActivity(a: XNode, row: number, batch: Batch, problems: ImportIssue[], warnings: ImportIssue[], partnerSeen: Set<string>): void {
  const problem = (column: string, value: unknown, message: string) => { problems.push(issue(row, column, value, message)); };
  const warn = (column: string, value: unknown, message: string) => { warnings.push(issue(row, column, value, message)); };
  const before = problems.length;

  const id = text(kid(a, 'iati-identifier'));
  if (id === undefined) { problem('iati-identifier', null, 'every activity needs an iati-identifier (it becomes the external id)'); return; }
  if (!EXTERNAL_ID.test(`${id}/results`)) { problem('iati-identifier', id, 'must be at most 92 characters without spaces, ";" or "=" to serve as external id'); return; }
  const title = narrative(kid(a, 'title'));
  if (title === undefined) problem('title/narrative', null, 'the activity has no title');

  // Participating organisations → partners and the partnership's partner list.
  const links: PartnerLink[] = [];
  const roleOf = new Map<string, string>();
  kids(a, 'participating-org').forEach((o, k) => {
    const at = `participating-org[${k + 1}]`;
    const ref = attr(o, 'ref');
    const name = narrative(o);
    const externalId = ref ?? (name ? `IATI-ORG-${slug(name)}` : undefined);
    if (externalId === undefined || !EXTERNAL_ID.test(externalId)) { problem(`${at}/@ref`, ref ?? null, 'an organisation needs a ref or a name (up to 100 characters, no spaces) to become a partner'); return; }
    if (ref === undefined) warn(`${at}/@ref`, name, `no ref; the partner's external id is derived from its name: ${externalId}`);
    const roleCode = attr(o, 'role');
    const role = roleCode === undefined ? undefined : IATI_ORG_ROLES[roleCode as keyof typeof IATI_ORG_ROLES];
    if (role === undefined) { problem(`${at}/@role`, roleCode ?? null, 'unknown or missing organisation role; expected 1 funding, 2 accountable, 3 extending or 4 implementing'); return; }
    const typeCode = attr(o, 'type');
    const partnerType = typeCode === undefined ? undefined : IATI_ORG_TYPE_TO_PARTNER_TYPE[typeCode];
    if (partnerType === undefined) {
      problem(`${at}/@type`, typeCode ?? null, `${typeCode === undefined ? 'missing' : 'unknown'} IATI organisation type; mapped codes are ${Object.keys(IATI_ORG_TYPE_TO_PARTNER_TYPE).join(', ')}`);
      return;
    }
    if (!partnerSeen.has(externalId)) {
      partnerSeen.add(externalId);
      if (name === undefined) warn(`${at}/narrative`, ref, 'no name; the ref is used as the name');
      const alternatives = PARTNER_TYPES.filter((t) => t.code !== partnerType && (t.iati as readonly string[]).includes(typeCode ?? '')).map((t) => t.code);
      if (alternatives.length > 0) warn(`${at}/@type`, typeCode, `IATI type ${typeCode} read as "${partnerType}" (could also be ${alternatives.join(', ')}); an existing partner keeps its type when it reports as ${typeCode}`);
      batch.partners.push({ row, externalId, name: (name ?? externalId).slice(0, 300), partnerType, hqCountry: null, hqRegion: null, iatiType: typeCode });
    }
    if (!roleOf.has(externalId)) {
      roleOf.set(externalId, role);
      links.push({ ref: externalId, role, lead: false });
    }
  });
  const lead = links.find((l) => l.role === 'accountable') ?? links.find((l) => l.role === 'funding') ?? links[0];
  if (lead === undefined) problem('participating-org', null, 'the activity has no usable participating organisation, so the partnership would have no partner');
  else {
    if (lead.role !== 'accountable' && lead.role !== 'funding') warn('participating-org', lead.ref, 'no accountable or funding organisation; the first organisation is the lead partner');
    lead.lead = true;
  }

  // Status and dates.
  const statusCode = attr(kid(a, 'activity-status'), 'code');
  const status = statusCode === undefined ? undefined : STATUS[statusCode];
  if (status === undefined) problem('activity-status/@code', statusCode ?? null, 'missing or unknown activity status; expected 1–6');
  else if (status.warn) warn('activity-status/@code', statusCode, status.warn);
  const dates = new Map<string, string>();
  kids(a, 'activity-date').forEach((d, k) => {
    const type = attr(d, 'type');
    const raw = attr(d, 'iso-date');
    const parsed = parseDate(raw ?? '');
    if (!parsed.ok) { problem(`activity-date[${k + 1}]/@iso-date`, raw ?? null, parsed.message); return; }
    if (type !== undefined && !dates.has(type)) dates.set(type, parsed.value);
  });
  const startDate = dates.get('2') ?? dates.get('1');
  const endDate = dates.get('4') ?? dates.get('3');
  if (startDate === undefined) problem('activity-date[@type=1|2]', null, 'needs a planned (1) or actual (2) start date');
  if (endDate === undefined) problem('activity-date[@type=3|4]', null, 'needs a planned (3) or actual (4) end date');
  if (startDate && endDate && endDate < startDate) problem('activity-date[@type=3|4]', endDate, `the end date is before the start date ${startDate}`);

  // Where: one known country → national; several → regional (or global across regions); else the recipient region.
  const countries: string[] = [];
  kids(a, 'recipient-country').forEach((rc, k) => {
    const code = attr(rc, 'code');
    const alpha3 = code === undefined ? undefined : COUNTRY_ALPHA2[code.toUpperCase()];
    if (alpha3 === undefined) warn(`recipient-country[${k + 1}]/@code`, code ?? null, 'country not in this tool\'s country list; the partnership is recorded without it');
    else if (!countries.includes(alpha3)) countries.push(alpha3);
  });
  let region = 'GLO';
  let country: string | null = null;
  let level = 'international';
  const regionsOf = [...new Set(countries.map((c) => regionOfCountry.get(c) ?? 'GLO'))];
  if (countries.length === 1) { country = countries[0] ?? null; region = regionsOf[0] ?? 'GLO'; level = 'national'; }
  else if (countries.length > 1) {
    if (regionsOf.length === 1) { region = regionsOf[0] ?? 'GLO'; level = 'regional'; }
    warn('recipient-country', countries.join(' '), `several recipient countries; recorded as ${level} in ${region} without a country`);
  } else {
    const rr = kid(a, 'recipient-region');
    const code = attr(rr, 'code');
    const vocabulary = attr(rr, 'vocabulary') ?? '1';
    const mapped = code !== undefined && vocabulary === '1' ? DAC_REGION_TO_REGION[code] : undefined;
    if (mapped) { region = mapped; level = 'regional'; }
    else if (rr) warn('recipient-region/@code', code ?? null, `recipient region (vocabulary ${vocabulary}) has no equivalent here; recorded as GLO (interregional / global)`);
    else if (kids(a, 'recipient-country').length === 0) warn('recipient-country', null, 'no recipient country or region; recorded as GLO (interregional / global)');
  }

  // Budgets, in US dollars only: a revised budget replaces the original one for the same period.
  const byPeriod = new Map<string, { type: string; value: number }>();
  const defaultCurrency = attr(a, 'default-currency');
  kids(a, 'budget').forEach((bud, k) => {
    const at = `budget[${k + 1}]`;
    const v = kid(bud, 'value');
    const currency = attr(v, 'currency') ?? defaultCurrency;
    const amount = parseNumber(text(v) ?? '');
    if (currency !== 'USD') { problem(`${at}/value/@currency`, currency ?? null, 'only US dollar budgets are imported; convert the budget to USD (no exchange rate is guessed)'); return; }
    if (!amount.ok || amount.value < 0) { problem(`${at}/value`, text(v) ?? null, amount.ok ? 'must not be negative' : amount.message); return; }
    const period = attr(kid(bud, 'period-start'), 'iso-date') ?? `#${k}`;
    const type = attr(bud, 'type') ?? '1';
    const prev = byPeriod.get(period);
    if (!prev || (prev.type !== '2' && type === '2')) byPeriod.set(period, { type, value: amount.value });
  });
  const resourcesUsd = Math.round([...byPeriod.values()].reduce((s, b) => s + b.value, 0));
  if (kids(a, 'budget').length === 0) warn('budget', null, 'no budget; resources recorded as 0');

  // Modality from collaboration type / default aid type.
  const collaboration = attr(kid(a, 'collaboration-type'), 'code');
  const aidType = attr(kid(a, 'default-aid-type'), 'code');
  let modality: string | undefined;
  if (collaboration === '8') modality = 'triangular';
  else if (aidType === 'B04') modality = 'joint_un';
  else if (aidType === 'B02') modality = 'rbsa';
  else if (aidType === 'C01' || collaboration === '1') modality = 'earmarked';
  if (modality === undefined) {
    modality = 'earmarked';
    warn('collaboration-type|default-aid-type', [collaboration, aidType].filter(Boolean).join(' ') || null, 'no mappable collaboration or aid type; modality recorded as earmarked');
  }

  // Mandates and outcomes from tags (vocabulary 99, reporting organisation's own codes).
  const mandates: string[] = [];
  const outcomes: string[] = [];
  kids(a, 'tag').forEach((t) => {
    if (attr(t, 'vocabulary') !== '99') return;
    const code = attr(t, 'code') ?? '';
    const m = resolveCode(MANDATES, code);
    const o = resolveCode(OUTCOMES, code);
    if (m && !mandates.includes(m)) mandates.push(m);
    else if (o && !outcomes.includes(o)) outcomes.push(o);
  });
  if (mandates.length === 0) { mandates.push(DEFAULT_MANDATE); warn('tag[@vocabulary=99]', null, `no mandate tag; recorded as answering to ${DEFAULT_MANDATE}`); }

  const activityOk = problems.length === before && title !== undefined && status !== undefined && startDate !== undefined && endDate !== undefined;
  if (activityOk) {
    batch.partnerships.push({
      row, externalId: id, title: title.slice(0, 500), modality, level, region, country, mandates, outcomes, startDate, endDate, resourcesUsd,
      status: status.status, partners: links,
    });
  }

  // Results → one action plan for the activity, with its indicators and their actuals.
  const planId = `${id}/results`;
  let indicatorCount = 0;
  kids(a, 'result').forEach((res, r) => {
    kids(res, 'indicator').forEach((ind, k) => {
      const at = `result[${r + 1}]/indicator[${k + 1}]`;
      const indId = `${id}/R${r + 1}/I${k + 1}`;
      const name = narrative(kid(ind, 'title')) ?? narrative(kid(res, 'title'));
      const measure = attr(ind, 'measure') ?? '1';
      const unit = measure === '1' ? 'number' : measure === '2' ? 'percent' : undefined;
      const n0 = problems.length;
      if (name === undefined) problem(`${at}/title`, null, 'the indicator has no title');
      if (unit === undefined) problem(`${at}/@measure`, measure, 'only measures 1 (unit) and 2 (percentage) can be tracked against a target; 3–5 (nominal, ordinal, qualitative) cannot');
      const ascending = attr(ind, 'ascending');
      const direction = ascending === '0' || ascending === 'false' ? 'decrease' : 'increase';
      const base = kid(ind, 'baseline');
      const baseValue = parseNumber(attr(base, 'value') ?? '');
      const baseDate = attr(base, 'iso-date') ?? (attr(base, 'year') ? `${attr(base, 'year')}-01-01` : undefined);
      const baseDateOk = parseDate(baseDate ?? '');
      if (!baseValue.ok) problem(`${at}/baseline/@value`, attr(base, 'value') ?? null, base ? baseValue.message : 'the indicator has no baseline');
      if (!baseDateOk.ok) problem(`${at}/baseline/@year`, baseDate ?? null, 'the baseline needs a year (or iso-date)');
      let target: { value: number; date: string } | undefined;
      const actuals: { value: number; date: string; p: number; start: string | undefined }[] = [];
      kids(ind, 'period').forEach((per, p) => {
        const end = parseDate(attr(kid(per, 'period-end'), 'iso-date') ?? '');
        if (!end.ok) { problem(`${at}/period[${p + 1}]/period-end/@iso-date`, attr(kid(per, 'period-end'), 'iso-date') ?? null, end.message); return; }
        const tv = attr(kid(per, 'target'), 'value');
        if (tv !== undefined) {
          const t = parseNumber(tv);
          if (!t.ok) problem(`${at}/period[${p + 1}]/target/@value`, tv, t.message);
          else if (!target || end.value >= target.date) target = { value: t.value, date: end.value };
        }
        const av = attr(kid(per, 'actual'), 'value');
        if (av !== undefined) {
          const v = parseNumber(av);
          if (!v.ok) problem(`${at}/period[${p + 1}]/actual/@value`, av, v.message);
          else actuals.push({ value: v.value, date: end.value, p: p + 1, start: attr(kid(per, 'period-start'), 'iso-date') });
        }
      });
      if (!target) problem(`${at}/period/target`, null, 'no period has a target value');
      if (problems.length > n0 || !name || !unit || !baseValue.ok || !baseDateOk.ok || !target) return;
      const rec = { row, externalId: indId, actionPlan: planId, name: name.slice(0, 500), unit, direction, baselineValue: baseValue.value, baselineDate: baseDateOk.value, targetValue: target.value, targetDate: target.date };
      const bad = indicatorProblems(rec);
      for (const b of bad) problem(`${at}/${b.column === 'targetDate' ? 'period/period-end' : 'period/target/@value'}`, b.value, b.message);
      if (bad.length > 0 || !activityOk) return;
      batch.indicators.push(rec);
      indicatorCount++;
      for (const x of actuals) {
        batch.measurements.push({ row, externalId: `${indId}/P${x.p}`, indicator: indId, value: x.value, date: x.date, source: 'IATI result actual', note: x.start ? `Period ${x.start} to ${x.date}` : null });
      }
    });
  });
  // Results are read (and their problems reported) even when the activity itself has problems.
  if (activityOk && indicatorCount > 0) {
    const rep = kid(a, 'reporting-org');
    batch.actionPlans.push({
      row, externalId: planId, title: `Results: ${title}`.slice(0, 500), owningUnit: (narrative(rep) ?? attr(rep, 'ref') ?? 'IATI import').slice(0, 200),
      region, country, mandates, outcomes, partnerships: [id], startDate, endDate,
    });
  }
}
