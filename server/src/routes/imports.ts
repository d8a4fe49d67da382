/**
 * Bulk import: templates, spreadsheet imports (CSV / XLSX) and IATI activity files. Every import is a
 * dry run unless `dryRun=false`; a dry run answers 200 with the report (problems included), a real run
 * answers 200 with `committed: true`, or 422 problem+json carrying the same report when anything is wrong
 * (then nothing at all was written).
 */
import { importQuery, importReport, importTypeParams, templateQuery, type ImportReport } from '@mm/shared';
import type { Context } from 'hono';
import type { AppEnv, SessionUser } from '../http/endpoint.ts';
import { endpoint } from '../http/endpoint.ts';
import { badRequest, ProblemError } from '../http/problem.ts';
import { importAssessments } from '../imports/assessments.ts';
import { runImport, type RunContext } from '../imports/engine.ts';
import { IMPORT_LIMITS, readCsv, readXlsx, sniffSpreadsheet } from '../imports/files.ts';
import { readIati } from '../imports/iati.ts';
import { readSheet } from '../imports/rows.ts';
import { templateCsv, templateXlsx } from '../imports/template.ts';
import type { AppDeps } from '../deps.ts';

const EDITORS = ['editor', 'admin'] as const;
const MB = 1024 * 1024;
const RULES = [
  'Dry run unless dryRun=false. A dry run answers 200 with the report, problems included; a real run answers 200 with committed=true, or 422 problem+json whose `report` member is the same report, and then nothing at all was written (one transaction).',
  'Rights as on the record routes: editors import measurements and the progress columns of existing milestones in their regions, and scorecard assessments of their regions\' entities; admins everything. Unchanged rows pass for both.',
  'Assessments (type `assessments`): one row per rating; the rows of one entity and checkpoint are one assessment, created or updated (the ratings in the file replace those criteria\'s ratings). The API\'s rules apply: unknown or retired criterion, rating outside the scale, complete without every current criterion rated, an agency that is not a un/ifi partner.',
  `Limits: the upload is at most MAX_UPLOAD_BYTES (default 20 MB) → 413; at most ${IMPORT_LIMITS.maxRows.toLocaleString('en-US')} records → 413; the type is read from the content (CSV = UTF-8 text without NUL bytes, XLSX = a zip with xl/workbook.xml, IATI = XML) → 415 otherwise; an XLSX is refused before unpacking when its zip directory lists more than ${IMPORT_LIMITS.maxZipEntries} files, more than ${IMPORT_LIMITS.maxUnzippedBytes / MB} MB unpacked, or an entry over ${IMPORT_LIMITS.ratioCheckFromBytes / MB} MB compressed more than ${IMPORT_LIMITS.maxCompressionRatio}:1 → 413.`,
].join('\n\n');
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The uploaded `file` field, size-checked before it is read into memory. */
async function readUpload(c: Context<AppEnv>, maxBytes: number): Promise<{ name: string; bytes: Buffer }> {
  const type = (c.req.header('content-type') ?? '').toLowerCase();
  if (!type.startsWith('multipart/form-data')) throw new ProblemError(415, 'Unsupported media type', 'Send the file as multipart/form-data in a field named "file".');
  let form: Record<string, string | File>;
  try {
    form = await c.req.parseBody();
  } catch (e) {
    if (e instanceof ProblemError) throw e;
    throw badRequest('The multipart body could not be read.', [{ field: 'file', reason: 'send a multipart/form-data body with a boundary and a "file" field' }]);
  }
  const file = form.file;
  if (!(file instanceof File)) throw badRequest('No file was uploaded.', [{ field: 'file', reason: 'required: a file in the multipart field "file"' }]);
  if (file.size > maxBytes) throw new ProblemError(413, 'File too large', `The file is ${file.size} bytes; at most ${maxBytes} bytes (${Math.round(maxBytes / 1024 / 1024)} MB) are accepted.`);
  if (file.size === 0) throw new ProblemError(422, 'Empty file', 'The uploaded file is empty.');
  return { name: file.name.slice(0, 200), bytes: Buffer.from(await file.arrayBuffer()) };
}

function context(deps: AppDeps, user: SessionUser | null): RunContext {
  if (!user) throw new ProblemError(401, 'Sign-in required');
  const now = deps.clock();
  return { actor: { id: user.id, email: user.email, role: user.role, regions: user.regions }, now: now.toISOString(), today: now.toISOString().slice(0, 10) };
}

function reply(c: Context<AppEnv>, report: ImportReport): Response {
  c.get('deps').metrics.imports.inc({ type: report.type, outcome: report.dryRun ? 'dry_run' : report.committed ? 'committed' : 'refused' });
  if (!report.dryRun && !report.committed) {
    throw new ProblemError(422, 'Import not done', `Nothing was written: ${report.problems.length} problem(s) in the file. The report lists each row, column, value and reason.`,
      report.problems.slice(0, 100).map((p) => ({ field: `row ${p.row}: ${p.column}`, reason: p.message, ...(p.value === null ? {} : { value: p.value }) })), { report });
  }
  return c.json(importReport.parse(report));
}

export const importEndpoints = [
  endpoint({
    method: 'get', path: '/imports/:type/template', access: EDITORS, scope: 'none', tag: 'imports', summary: 'Template for a spreadsheet import: header row and an example row (CSV, or XLSX with drop-down lists and a sheet explaining each column).',
    params: importTypeParams, query: templateQuery, produces: ['text/csv', XLSX_TYPE],
    handler: async ({ c, params, query }) => {
      const name = `mainstream-monitor-${params.type}-template.${query.format}`;
      const disposition = `attachment; filename="${name}"`;
      if (query.format === 'csv') return c.body(templateCsv(params.type), 200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': disposition });
      return c.body(new Uint8Array(await templateXlsx(params.type)), 200, { 'Content-Type': XLSX_TYPE, 'Content-Disposition': disposition });
    },
  }),
  // Declared before /imports/:type so that "iati" is not taken for a spreadsheet type.
  endpoint({
    method: 'post', path: '/imports/iati', access: EDITORS, scope: 'region', tag: 'imports', bodyKind: 'multipart',
    summary: 'Import an IATI activity file (2.0x XML): participating organisations → partners, activities → partnerships, results → action plan, indicators and measurements. Dry run unless dryRun=false.',
    description: `Problems name the activity (row = its position in the file) and an xpath-like column; warnings state each default used (region GLO, modality earmarked, mandate MDG-1B-2008, resources 0). DOCTYPE and ENTITY declarations are refused.\n\n${RULES}`,
    query: importQuery, response: importReport, statuses: [200, 413, 415, 422],
    handler: async ({ c, deps, user, query }) => {
      const ctx = context(deps, user);
      const file = await readUpload(c, deps.config.maxUploadBytes);
      const parsed = readIati(file.bytes);
      const report = await runImport(deps.db, { type: 'iati', dryRun: query.dryRun, rows: parsed.rows, fileName: file.name, batch: parsed.batch, problems: parsed.problems, warnings: parsed.warnings }, ctx);
      return reply(c, report);
    },
  }),
  endpoint({
    method: 'post', path: '/imports/:type', access: EDITORS, scope: 'region', tag: 'imports', bodyKind: 'multipart',
    summary: 'Import a CSV or XLSX file of one record type; rows are matched on externalId (create, update or leave alone). Dry run unless dryRun=false.',
    description: `Columns as in the template (GET /imports/{type}/template); row numbers count the header as row 1. Coded columns take codes or labels, dates YYYY-MM-DD, numbers 1234567 or 1,234,567; anything else is a problem, never a guess.\n\n${RULES}`,
    params: importTypeParams, query: importQuery, response: importReport, statuses: [200, 413, 415, 422],
    handler: async ({ c, deps, user, params, query }) => {
      const ctx = context(deps, user);
      const file = await readUpload(c, deps.config.maxUploadBytes);
      const kind = await sniffSpreadsheet(file.bytes);
      const sheet = kind === 'csv' ? readCsv(file.bytes) : await readXlsx(file.bytes);
      if (params.type === 'assessments') return reply(c, await importAssessments(deps.db, sheet, query.dryRun, file.name, ctx));
      const { batch, problems, rows } = readSheet(params.type, sheet);
      if (rows === 0 && problems.length === 0) problems.push({ row: 2, column: '', value: null, message: 'the file has a header row but no records' });
      const report = await runImport(deps.db, { type: params.type, dryRun: query.dryRun, rows, fileName: file.name, batch, problems, warnings: [] }, ctx);
      return reply(c, report);
    },
  }),
];
