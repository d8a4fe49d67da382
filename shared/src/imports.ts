/**
 * Bulk import contract: the record types a spreadsheet may hold, the query parameters of the import and
 * template routes, and the report every import returns (dry run or real).
 */
import { z } from 'zod';

/** `assessments`: scorecard assessments, one row per rating (rows of the same entity and checkpoint form one assessment). */
export const IMPORT_TYPES = ['partners', 'partnerships', 'action-plans', 'milestones', 'indicators', 'measurements', 'assessments'] as const;
export const importType = z.enum(IMPORT_TYPES);
export type ImportType = z.infer<typeof importType>;

/** What an import writes: every spreadsheet type, plus `iati` (partners, partnerships, action plans, indicators, measurements). */
export const importEntity = z.enum(['partners', 'partnerships', 'action-plans', 'milestones', 'indicators', 'measurements']);
export type ImportEntity = z.infer<typeof importEntity>;

export const importTypeParams = z.strictObject({ type: importType });
export const templateQuery = z.strictObject({ format: z.enum(['csv', 'xlsx']).default('csv') });

/** `dryRun=true` (the default, so nothing is written by accident) or `dryRun=false`. */
export const importQuery = z.strictObject({
  dryRun: z.enum(['true', 'false'], { error: 'must be true or false' }).default('true').transform((v) => v === 'true'),
});

/**
 * One thing wrong (a problem: blocks the import) or worth knowing (a warning: a value mapped by a stated
 * rule). `row` is the spreadsheet row number (the header is row 1, the first record row 2); for IATI it is
 * the activity's position in the file (1-based) and `column` an xpath-like location.
 */
export const importIssue = z.object({ row: z.number().int(), column: z.string(), value: z.string().nullable(), message: z.string() });
export type ImportIssue = z.infer<typeof importIssue>;

const counts = z.object({ created: z.number().int(), updated: z.number().int(), unchanged: z.number().int() });
export type ImportCounts = z.infer<typeof counts>;

export const importReport = z.object({
  type: z.union([importType, z.literal('iati')]),
  dryRun: z.boolean(),
  /** Records read from the file (spreadsheet rows after the header; IATI activities). */
  rows: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  /** The same counts per record type (an IATI file writes several). */
  byType: z.partialRecord(importEntity, counts),
  problems: z.array(importIssue),
  warnings: z.array(importIssue),
  /** True only when a real run wrote everything; a dry run or a run with problems writes nothing. */
  committed: z.boolean(),
});
export type ImportReport = z.infer<typeof importReport>;
