/** One error shape for every failure: RFC 9457 problem+json. No stack traces ever reach a client. */
import type { Locale, Problem } from '@mm/shared';
import type { z } from 'zod';
import { l10n, type L10n } from '../i18n/index.ts';
import { keyOfEnglish } from '../i18n/messages.ts';

export interface FieldError { field: string; reason: string; value?: unknown }

export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: FieldError[],
    /** Extra members merged into the body (e.g. the current record on a 412). */
    readonly extra?: Record<string, unknown>,
    readonly headers?: Record<string, string>,
  ) {
    super(detail ?? title);
  }
}

const TYPES: Record<number, string> = {
  400: 'validation-error', 401: 'unauthenticated', 403: 'forbidden', 404: 'not-found', 405: 'method-not-allowed',
  409: 'conflict', 412: 'precondition-failed', 413: 'payload-too-large', 415: 'unsupported-media-type',
  422: 'unprocessable', 428: 'precondition-required', 429: 'too-many-requests', 500: 'internal-error', 503: 'unavailable',
};

/** A text of the catalogue by its English wording (`prefix`: which family), in the language; else as it is. */
function known(t: L10n, text: string, prefix: string): string | undefined {
  const key = keyOfEnglish(text, prefix);
  return key ? t.m(key) : undefined;
}

/** A problem's detail in the language: the common ones (invalid input, not found, no route, sign-in, role, internal); others stay English. */
function translateDetail(t: L10n, detail: string): string {
  const exact = known(t, detail, 'problemDetail_');
  if (exact) return exact;
  const missing = /^(.+) does not exist\.$/.exec(detail);
  if (missing?.[1]) return t.m('problemDetail_notFound', { what: known(t, missing[1], 'problemDetail_') ?? missing[1] });
  const route = /^No route for (\S+) (.+)\.$/.exec(detail);
  if (route?.[1] && route[2]) return t.m('problemDetail_noRoute', { method: route[1], path: route[2] });
  return detail;
}

/** A field error's reason in the language (field names and values stay as sent). */
function translateReason(t: L10n, reason: string): string {
  const exact = known(t, reason, 'problemReason_');
  if (exact) return exact;
  const unknownValue = /^unknown value (.*); expected one of (.*)$/s.exec(reason);
  if (unknownValue?.[1] !== undefined && unknownValue[2] !== undefined) return t.m('problemReason_unknownValue', { value: unknownValue[1], expected: unknownValue[2] });
  const unknownFields = /^unknown field\(s\): (.*)$/s.exec(reason);
  if (unknownFields?.[1] !== undefined) return t.m('problemReason_unknownFields', { fields: unknownFields[1] });
  return reason;
}

/**
 * The problem+json body, in `locale`: the title (by its English wording), the common details and field
 * reasons translated; `type`, `status`, field names, values and extra members are the same in every language.
 */
export function problemBody(e: ProblemError, locale: Locale = 'en'): Problem & Record<string, unknown> {
  const t = l10n(locale);
  const english = locale === 'en';
  const errors = e.errors && e.errors.length > 0 ? (english ? e.errors : e.errors.map((x) => ({ ...x, reason: translateReason(t, x.reason) }))) : undefined;
  return {
    type: `/api/v1/problems/${TYPES[e.status] ?? 'error'}`,
    title: english ? e.title : known(t, e.title, 'problem_') ?? e.title,
    status: e.status,
    ...(e.detail ? { detail: english ? e.detail : translateDetail(t, e.detail) } : {}),
    ...(errors ? { errors } : {}),
    ...e.extra,
  };
}

/**
 * A write refused by a unique constraint (PostgreSQL 23505, SQLite SQLITE_CONSTRAINT_UNIQUE / PRIMARYKEY),
 * as 409 naming the field (e.g. an externalId another record already has); undefined for any other error.
 * The transaction it happened in has rolled back, so nothing was written.
 */
export function uniqueViolation(e: unknown): ProblemError | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const code = Reflect.get(e, 'code');
  const message = String(Reflect.get(e, 'message') ?? '');
  let column: string | undefined;
  if (code === '23505') column = /Key \(([^)]+)\)=/.exec(String(Reflect.get(e, 'detail') ?? ''))?.[1];
  else if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') column = /constraint failed: \w+\.(\w+)/.exec(message)?.[1];
  else return undefined;
  const field = (column ?? '(body)').split(',')[0]?.trim().replace(/_([a-z])/g, (_m, ch: string) => ch.toUpperCase()) ?? '(body)';
  return new ProblemError(409, 'Already exists', `Another record already has this ${field}; nothing was changed.`, [{ field, reason: 'must be unique' }]);
}

export const badRequest = (detail: string, errors?: FieldError[]) => new ProblemError(400, 'Invalid request', detail, errors);
export const notFound = (what = 'The record') => new ProblemError(404, 'Not found', `${what} does not exist.`);
export const forbidden = (detail = 'Your role does not allow this.') => new ProblemError(403, 'Forbidden', detail);
export const unauthenticated = () => new ProblemError(401, 'Sign-in required', 'Sign in to use this route.');

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = input;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[k];
  }
  return cur;
}

/** Turns a zod error into field errors that name the field, the reason and (short) the offending value. */
export function fieldErrors(err: z.ZodError, input: unknown, prefix = ''): FieldError[] {
  return err.issues.map((i) => {
    const path = i.path.map(String).join('.');
    const field = prefix ? (path ? `${prefix}.${path}` : prefix) : path || '(body)';
    let value = valueAt(input, i.path);
    let reason = i.message;
    if (i.code === 'invalid_value' && 'values' in i) {
      reason = `unknown value ${JSON.stringify(typeof value === 'string' ? value.slice(0, 100) : value)}; expected one of ${i.values.slice(0, 20).join(', ')}${i.values.length > 20 ? ', …' : ''}`;
    } else if (i.code === 'unrecognized_keys') {
      reason = `unknown field(s): ${i.keys.join(', ')}`;
      value = undefined;
    }
    if (typeof value === 'string' && value.length > 200) value = `${value.slice(0, 200)}…`;
    if (value !== null && typeof value === 'object') value = undefined;
    return value === undefined ? { field, reason } : { field, reason, value };
  });
}
