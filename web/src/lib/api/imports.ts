/** Bulk import (issue 7): templates, dry runs and real runs of a spreadsheet or an IATI file. */
import type { ImportReport, ImportType } from '@mm/shared';
import { ApiError, send } from './client.ts';

export type ImportKind = ImportType | 'iati';

/** The record types a person picks from, in the order they usually fill them. */
export const IMPORT_KINDS: { kind: ImportKind; label: string; accept: string }[] = [
  { kind: 'partners', label: 'Partners', accept: '.csv,.xlsx' },
  { kind: 'partnerships', label: 'Partnerships', accept: '.csv,.xlsx' },
  { kind: 'action-plans', label: 'Action plans', accept: '.csv,.xlsx' },
  { kind: 'milestones', label: 'Milestones', accept: '.csv,.xlsx' },
  { kind: 'indicators', label: 'Indicators', accept: '.csv,.xlsx' },
  { kind: 'measurements', label: 'Measurements', accept: '.csv,.xlsx' },
  { kind: 'iati', label: 'IATI activity file (XML)', accept: '.xml' },
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
