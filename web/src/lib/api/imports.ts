/** Bulk import (issue 7): templates, dry runs and real runs of a spreadsheet or an IATI file. */
import { m } from '../i18n/locale.ts';
import type { ImportReport, ImportType } from '@mm/shared';
import { ApiError, send } from './client.ts';

export type ImportKind = ImportType | 'iati';

/** The record types a person picks from, in the order they usually fill them. */
export const IMPORT_KINDS: { kind: ImportKind; label: string; accept: string }[] = [
  { kind: 'partners', label: m.im_kind_partners(), accept: '.csv,.xlsx' },
  { kind: 'partnerships', label: m.nav_partnerships(), accept: '.csv,.xlsx' },
  { kind: 'action-plans', label: m.nav_actionPlans(), accept: '.csv,.xlsx' },
  { kind: 'milestones', label: m.nav_milestones(), accept: '.csv,.xlsx' },
  { kind: 'indicators', label: m.nav_indicators(), accept: '.csv,.xlsx' },
  { kind: 'measurements', label: m.im_kind_measurements(), accept: '.csv,.xlsx' },
  { kind: 'iati', label: m.im_kind_iati(), accept: '.xml' },
];

export function templateHref(kind: ImportType, format: 'csv' | 'xlsx'): string {
  return `/api/v1/imports/${kind}/template?format=${format}`;
}

function isReport(v: unknown): v is ImportReport {
  return typeof v === 'object' && v !== null && 'problems' in v && Array.isArray(v.problems) && 'rows' in v && typeof v.rows === 'number';
}

/**
 * Sends the file for a dry run (nothing written) or a real run. A real run that finds problems is a 422
 * carrying the same report; it is returned like a dry run's (with `committed: false`), since the user acts on it.
 */
export async function runImport(kind: ImportKind, file: File, dryRun: boolean): Promise<ImportReport> {
  const form = new FormData();
  form.append('file', file, file.name);
  try {
    return await send<ImportReport>('POST', `/imports/${kind}?dryRun=${dryRun}`, { form });
  } catch (e) {
    if (e instanceof ApiError && e.status === 422 && 'report' in e.problem && isReport(e.problem.report)) return e.problem.report;
    throw e;
  }
}
