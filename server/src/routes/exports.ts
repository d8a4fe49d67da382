/**
 * Live exports: any view of the current data with the request's filters, as CSV, XLSX, JSON or PDF.
 * Record tables stream in id-ordered batches; every file is stamped with its filters, as-of date,
 * generation time and source ("live").
 */
import { dimensionParams, exportFormat, exportLang, exportView, FIGURES_RULES, progressQuery } from '@mm/shared';
import { z } from 'zod';
import { liveDoc } from '../export/live.ts';
import { exportResponse } from '../export/respond.ts';
import { endpoint } from '../http/endpoint.ts';
import { requestLocale } from '../http/locale.ts';

// `interval`: the trajectory chart's points in a PDF (year or quarter), as the screen's toggle shows them.
const exportQuery = progressQuery.extend({ format: exportFormat, interval: z.enum(['year', 'quarter']).optional(), lang: exportLang });
const PRODUCES = ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/json', 'application/pdf'] as const;
const FILTERS_DOC = 'Filters as for the progress API (region, country, partnerType, modality, mandate, objective, outcome, status, from, to, asOf; default asOf today); `interval` (year, the default, or quarter) sets the points of the trajectory chart in a PDF. `lang` (en, fr, es): the language of the file’s words, numbers and dates (default: the signed-in person’s language, else the browser’s, else en); record names stay as typed and JSON stays English.\n\nFigures (stamped on the file): ' + FIGURES_RULES + ' Record tables (partnerships, action plans, milestones, indicators) list the records as entered either way.';

export const exportEndpoints = [
  endpoint({
    method: 'get', path: '/export/progress/by/:dimension', access: 'signed-in', scope: 'none', tag: 'exports',
    summary: 'Download the progress figures per group of a dimension (as `GET /progress/by/:dimension`).',
    description: FILTERS_DOC, params: dimensionParams, query: exportQuery, produces: PRODUCES,
    handler: async ({ c, deps, params, query }) => {
      const { format, interval, lang, ...f } = query;
      const view = exportView.parse(`progress-by-${params.dimension}`);
      return exportResponse(await liveDoc(deps, f, view, format, interval, lang ?? await requestLocale(c)), format, view);
    },
  }),
  endpoint({
    method: 'get', path: '/export/:view', access: 'signed-in', scope: 'none', tag: 'exports',
    summary: 'Download a live view: summary, partnerships, action-plans, milestones, indicators or progress-by-<dimension>.',
    description: `CSV: RFC 4180, UTF-8 with BOM; a block of "label,value" stamp rows, an empty row, then the header row and the table. XLSX: a sheet per table plus "About this export". JSON: { meta, headline, tables }. PDF: title page, headline numbers, charts, tables. ${FILTERS_DOC}`,
    params: z.strictObject({ view: exportView }), query: exportQuery, produces: PRODUCES,
    handler: async ({ c, deps, params, query }) => {
      const { format, interval, lang, ...f } = query;
      return exportResponse(await liveDoc(deps, f, params.view, format, interval, lang ?? await requestLocale(c)), format, params.view);
    },
  }),
];
