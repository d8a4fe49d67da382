/** Turns an export document into a streamed HTTP response in the requested format. */
import { PassThrough, Readable, type Writable } from 'node:stream';
import type { ExportFormat, ExportView } from '@mm/shared';
import { csvChunks } from './csv.ts';
import { jsonChunks } from './json.ts';
import { contentDisposition, exportFilename, type ExportDoc } from './model.ts';
import { writePdf } from './pdf.ts';
import { writeXlsx } from './xlsx.ts';

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8; header=present',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  json: 'application/json; charset=utf-8',
  pdf: 'application/pdf',
};

/** A writer that fills a Node stream, run while the response is read. Failures end the download. */
function piped(write: (out: Writable) => Promise<void>): ReadableStream<Uint8Array> {
  const out = new PassThrough();
  write(out).then(() => out.end(), (err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))));
  return Readable.toWeb(out) as ReadableStream<Uint8Array>;
}

function fromChunks(chunks: AsyncIterable<string>): ReadableStream<Uint8Array> {
  return Readable.toWeb(Readable.from(chunks, { objectMode: false })) as ReadableStream<Uint8Array>;
}

export function exportResponse(doc: ExportDoc, format: ExportFormat, view: ExportView | undefined): Response {
  let body: ReadableStream<Uint8Array>;
  if (format === 'csv') {
    const table = doc.tables[0];
    if (!table) throw new Error('a CSV export needs a table');
    body = fromChunks(csvChunks(doc.meta, table));
  } else if (format === 'json') body = fromChunks(jsonChunks(doc));
  else if (format === 'xlsx') body = piped((out) => writeXlsx(doc, out));
  else body = piped((out) => writePdf(doc, out));
  return new Response(body, {
    status: 200,
    headers: {
      'Content-Type': CONTENT_TYPES[format],
      'Content-Disposition': contentDisposition(exportFilename(doc.meta, view ?? (format === 'csv' ? doc.tables[0]?.name : undefined), format)),
      'Cache-Control': 'no-store',
      // Without lang=, the language comes from the account or the browser (http/locale.ts).
      'Content-Language': doc.meta.locale ?? 'en', Vary: 'Accept-Language, Cookie',
    },
  });
}
