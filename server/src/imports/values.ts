/**
 * Cell values → typed values, strictly: ISO dates only, numbers with or without thousands separators,
 * reference values by code or label. Anything else is an error with a reason, never a guess.
 */
import { MAX_QUANTITY } from '@mm/shared';

/** A spreadsheet cell as read: CSV gives strings, XLSX may give numbers and dates too. */
export type Cell = string | number | Date | null;

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = (message: string): Parsed<never> => ({ ok: false, message });

const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;
const GROUPED_NUMBER = /^-?\d{1,3}(,\d{3})+(\.\d+)?$/;

/** The API's bound on quantities (MAX_QUANTITY): larger values would overflow the progress statistics. */
const bounded = (n: number): Parsed<number> => (Math.abs(n) <= MAX_QUANTITY ? ok(n) : fail('must be between -1e12 and 1e12'));

/** `1234567`, `1,234,567`, `-12.5`, `1,234.5`; not `1.2.3`, `12abc`, `1,23`, `1 234` or `1e6`. */
export function parseNumber(cell: Cell): Parsed<number> {
  if (typeof cell === 'number') return Number.isFinite(cell) ? bounded(cell) : fail('must be a finite number');
  if (cell instanceof Date || cell === null) return fail('must be a number');
  const s = cell.trim();
  if (PLAIN_NUMBER.test(s)) return bounded(Number(s));
  if (GROUPED_NUMBER.test(s)) return bounded(Number(s.replaceAll(',', '')));
  return fail('must be a number like 1234567 or 1,234,567 (thousands separated by commas, decimals by a point)');
}

export function parseInteger(cell: Cell, min: number, max: number): Parsed<number> {
  const n = parseNumber(cell);
  if (!n.ok) return n;
  if (!Number.isInteger(n.value)) return fail('must be a whole number');
  if (n.value < min || n.value > max) return fail(`must be between ${min} and ${max}`);
  return n;
}

/** ISO `YYYY-MM-DD` text, or a date cell from a spreadsheet (taken as the UTC calendar date). */
export function parseDate(cell: Cell): Parsed<string> {
  if (cell instanceof Date) {
    return Number.isNaN(cell.getTime()) ? fail('must be a date YYYY-MM-DD') : ok(cell.toISOString().slice(0, 10));
  }
  if (typeof cell !== 'string') return fail('must be a date YYYY-MM-DD');
  const s = cell.trim();
  if (!ISO_DATE.test(s)) return fail('must be a date YYYY-MM-DD');
  return new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s ? ok(s) : fail('must be a real calendar date');
}

type Coded = readonly { code: string; label: string }[];

// Same rule as resolveCode (trimmed, case-insensitive code or label), as a map: imports resolve 100,000s of cells.
const lookups = new WeakMap<Coded, Map<string, string>>();
function lookup(list: Coded): Map<string, string> {
  let m = lookups.get(list);
  if (!m) {
    m = new Map();
    for (const x of list) { m.set(x.label.toLowerCase(), x.code); }
    for (const x of list) { m.set(x.code.toLowerCase(), x.code); }
    lookups.set(list, m);
  }
  return m;
}

export function parseCode(cell: Cell, list: Coded): Parsed<string> {
  const s = cellText(cell).toLowerCase();
  const code = s === '' ? undefined : lookup(list).get(s);
  if (code !== undefined) return ok(code);
  return fail(`unknown value; expected a code or label: ${list.slice(0, 12).map((x) => x.code).join(', ')}${list.length > 12 ? ', …' : ''}`);
}

/** Separator for lists in one cell (`MDG-1B-2008; GJP-2009`); labels may contain commas, so never a comma. */
export const LIST_SEPARATOR = ';';

export function splitList(cell: Cell): string[] {
  return cellText(cell).split(LIST_SEPARATOR).map((s) => s.trim()).filter((s) => s !== '');
}

export function parseCodes(cell: Cell, list: Coded): Parsed<string[]> {
  const out: string[] = [];
  for (const item of splitList(cell)) {
    const r = parseCode(item, list);
    if (!r.ok) return fail(`"${item}": ${r.message}`);
    if (!out.includes(r.value)) out.push(r.value);
  }
  return ok(out);
}

/** External ids: up to 100 characters, no spaces, and none of `;` `=` (they separate lists). */
const EXTERNAL_ID = /^[^\s;=]{1,100}$/;

export function parseExternalId(cell: Cell): Parsed<string> {
  const s = cellText(cell);
  return EXTERNAL_ID.test(s) ? ok(s) : fail('must be an external id: 1–100 characters without spaces, ";" or "="');
}

export function parseText(cell: Cell, max: number): Parsed<string> {
  const s = cellText(cell);
  if (s === '') return fail('must not be empty');
  return s.length > max ? fail(`must be at most ${max} characters`) : ok(s);
}

export function parseUrl(cell: Cell): Parsed<string> {
  const s = cellText(cell);
  try {
    const u = new URL(s);
    if ((u.protocol === 'http:' || u.protocol === 'https:') && s.length <= 2000) return ok(s);
  } catch {
    // fall through to the error below
  }
  return fail('must be an http(s) URL');
}

/** The text of a cell: trimmed; numbers as written; dates as ISO dates. */
export function cellText(cell: Cell): string {
  if (cell === null) return '';
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? '' : cell.toISOString().slice(0, 10);
  return String(cell).trim();
}

export function isBlank(cell: Cell | undefined): boolean {
  return cell === undefined || cellText(cell) === '';
}
