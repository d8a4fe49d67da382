/**
 * Uploaded files: the type is decided by the content (never the name), limits are checked before any
 * parsing, and an XLSX's zip central directory is inspected before a single entry is unpacked.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import yauzl from 'yauzl';
import { ProblemError } from '../http/problem.ts';
import type { Sheet } from './rows.ts';
import type { Cell } from './values.ts';

export const IMPORT_LIMITS = {
  /** Records per file; larger files are split by the person importing. */
  maxRows: 50_000,
  /** XLSX: entries in the zip. A workbook has a few dozen. */
  maxZipEntries: 1_000,
  /** XLSX: total declared uncompressed size of all entries. */
  maxUnzippedBytes: 100 * 1024 * 1024,
  /** XLSX: an entry bigger than this … */
  ratioCheckFromBytes: 1024 * 1024,
  /** … may not be compressed more than this (spreadsheet XML stays well below; zeros reach ~1000). */
  maxCompressionRatio: 200,
} as const;

export type FileKind = 'csv' | 'xlsx';

const ZIP_SIGNATURE = [0x50, 0x4b, 0x03, 0x04];

const unsupported = (detail: string) => new ProblemError(415, 'Unsupported file type', detail);
const tooLarge = (detail: string) => new ProblemError(413, 'File too large', detail);

export function isZip(buf: Uint8Array): boolean {
  return ZIP_SIGNATURE.every((b, i) => buf[i] === b);
}

/** Decodes strict UTF-8 text without NUL bytes (what a CSV or XML file is); null for anything else. */
export function utf8Text(buf: Uint8Array): string | null {
  if (buf.includes(0)) return null;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
    return text.startsWith('\uFEFF') ? text.slice(1) : text;
  } catch {
    return null;
  }
}

/** CSV or XLSX by content; anything else (a PNG named .csv, a PDF, a Word file) is a 415. */
export async function sniffSpreadsheet(buf: Buffer): Promise<FileKind> {
  if (isZip(buf)) {
    await checkZip(buf);
    return 'xlsx';
  }
  if (utf8Text(buf) === null) throw unsupported('The file is neither a CSV (UTF-8 text) nor an XLSX workbook. Upload the template format, saved as CSV UTF-8 or Excel workbook.');
  return 'csv';
}

interface ZipSummary { entries: number; unzippedBytes: number; hasWorkbook: boolean }

function readCentralDirectory(buf: Buffer): Promise<ZipSummary> {
  return new Promise((resolve, reject) => {
    // lazyEntries: entries come from the central directory one by one; nothing is decompressed here.
    yauzl.fromBuffer(buf, { lazyEntries: true, validateEntrySizes: true }, (err, zip) => {
      if (err || !zip) { reject(unsupported(`The file starts like a zip (XLSX) but is not a readable zip archive: ${err?.message ?? 'unknown error'}.`)); return; }
      const s: ZipSummary = { entries: 0, unzippedBytes: 0, hasWorkbook: false };
      const stop = (e: ProblemError) => { zip.close(); reject(e); };
      zip.on('entry', (entry: yauzl.Entry) => {
        s.entries++;
        s.unzippedBytes += entry.uncompressedSize;
        if (entry.fileName === 'xl/workbook.xml') s.hasWorkbook = true;
        if (s.entries > IMPORT_LIMITS.maxZipEntries) return stop(tooLarge(`The XLSX holds more than ${IMPORT_LIMITS.maxZipEntries} files; a spreadsheet holds a few dozen. It was not unpacked.`));
        if (s.unzippedBytes > IMPORT_LIMITS.maxUnzippedBytes) return stop(tooLarge(`The XLSX would unpack to more than ${IMPORT_LIMITS.maxUnzippedBytes / 1024 / 1024} MB. It was not unpacked.`));
        if (entry.uncompressedSize > IMPORT_LIMITS.ratioCheckFromBytes && entry.uncompressedSize > entry.compressedSize * IMPORT_LIMITS.maxCompressionRatio) {
          return stop(tooLarge(`The XLSX entry "${entry.fileName.slice(0, 100)}" is compressed more than ${IMPORT_LIMITS.maxCompressionRatio}:1 (a zip bomb). It was not unpacked.`));
        }
        if (entry.fileName.endsWith('/')) { zip.readEntry(); return; }
        // The directory passed; now make sure it told the truth. yauzl stops an entry that inflates past its
        // declared size, so at most the declared total (bounded above) is ever inflated, before exceljs sees the file.
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) { stop(unsupported(`The XLSX entry "${entry.fileName.slice(0, 100)}" cannot be read: ${e?.message ?? 'unknown error'}.`)); return; }
          stream.on('error', (err: Error) => stop(tooLarge(`The XLSX entry "${entry.fileName.slice(0, 100)}" does not match its declared size (${err.message.slice(0, 120)}); the file was refused.`)));
          stream.on('end', () => zip.readEntry());
          stream.resume();
        });
      });
      zip.on('end', () => resolve(s));
      zip.on('error', (e: Error) => reject(unsupported(`The zip archive is damaged: ${e.message}.`)));
      zip.readEntry();
    });
  });
}

/** Checks an XLSX's zip directory against the limits, before anything is unpacked. */
export async function checkZip(buf: Buffer): Promise<void> {
  const s = await readCentralDirectory(buf);
  if (!s.hasWorkbook) throw unsupported('The zip file is not an Excel workbook (it has no xl/workbook.xml). Upload a .xlsx file or a CSV.');
}

function tooManyRows(n: number): ProblemError {
  return tooLarge(`The file has ${n.toLocaleString('en-US')} or more rows; at most ${IMPORT_LIMITS.maxRows.toLocaleString('en-US')} records are imported at once. Split it into smaller files.`);
}

export function readCsv(buf: Buffer): Sheet {
  const text = utf8Text(buf);
  if (text === null) throw unsupported('The CSV is not UTF-8 text. Save it as "CSV UTF-8".');
  let records: string[][];
  try {
    records = parseCsv(text, { relax_column_count: true, skip_empty_lines: true, to_line: IMPORT_LIMITS.maxRows + 2 }) as string[][];
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new ProblemError(422, 'Unreadable CSV', `The CSV could not be read: ${msg.slice(0, 300)}`);
  }
  if (records.length > IMPORT_LIMITS.maxRows + 1) throw tooManyRows(IMPORT_LIMITS.maxRows + 1);
  const [header = [], ...rows] = records;
  return { header, rows };
}

function cellValue(v: ExcelJS.CellValue): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Date) return v;
  if ('richText' in v) return v.richText.map((t) => t.text).join('');
  if ('error' in v) return `#${String(v.error)}`;
  if ('formula' in v || 'sharedFormula' in v) {
    const r = v.result;
    if (r === undefined || r === null) return null;
    if (typeof r === 'string' || typeof r === 'number' || r instanceof Date) return r;
    if (typeof r === 'boolean') return r ? 'true' : 'false';
    return null;
  }
  if ('hyperlink' in v) return typeof v.text === 'string' ? v.text : null;
  return null;
}

/** Reads the first worksheet of an XLSX whose zip directory passed checkZip. */
export async function readXlsx(buf: Buffer): Promise<Sheet> {
  const wb = new ExcelJS.Workbook();
  try {
    // exceljs's typings predate Node's generic Buffer; the bytes are the same.
    await wb.xlsx.load(buf as unknown as ExcelJS.Buffer);
  } catch (e) {
    throw new ProblemError(422, 'Unreadable workbook', `The XLSX could not be read: ${(e instanceof Error ? e.message : String(e)).slice(0, 300)}`);
  }
  const ws = wb.worksheets[0];
  if (!ws) throw new ProblemError(422, 'Unreadable workbook', 'The workbook has no worksheet.');
  if (ws.rowCount > IMPORT_LIMITS.maxRows + 1) throw tooManyRows(ws.rowCount - 1);
  const width = ws.columnCount;
  const rows: Cell[][] = [];
  ws.eachRow({ includeEmpty: true }, (r, n) => {
    const cells: Cell[] = [];
    for (let i = 1; i <= width; i++) cells.push(cellValue(r.getCell(i).value));
    rows[n - 1] = cells;
  });
  const [header = [], ...data] = Array.from(rows, (r) => r ?? []);
  return { header, rows: data };
}
