/**
 * XLSX through exceljs's streaming WorkbookWriter: each row is committed as it is written, so memory stays
 * flat however many rows a table has. One sheet per table (bold, frozen header row; column widths; real
 * numeric and date cells with number formats) and an "About this export" sheet with the stamp. Text cells
 * that would start a formula are neutralised; numbers stay numeric cells.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import ExcelJS from 'exceljs';
import { l10nOf, metaRows, neutralise, type Cell, type Column, type ColumnType, type ExportDoc } from './model.ts';

// Plain numbers keep Excel's General format: a style on every cell costs exceljs a style lookup per cell.
const NUM_FMT: Record<ColumnType, string | undefined> = {
  text: undefined, integer: undefined, number: undefined, usd: '#,##0', percent: '0.0%', date: 'yyyy-mm-dd',
};
const WIDTH: Record<ColumnType, number> = { text: 24, integer: 10, number: 14, usd: 16, percent: 11, date: 12 };

function dateCell(s: string): Date | string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  return m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : neutralise(s);
}

function cellValue(c: Cell, col: Column): ExcelJS.CellValue {
  if (c === null) return null;
  if (typeof c === 'number') return Number.isFinite(c) ? c : null;
  if (typeof c === 'object') return Number.isFinite(c.value) ? c.value : null;
  if (col.type === 'date') return dateCell(c);
  return neutralise(c);
}

/** Sheet names: at most 31 characters, none of []:*?/\ , unique. */
function sheetName(name: string, used: Set<string>): string {
  const base = name.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31) || 'Sheet';
  let n = base;
  for (let i = 2; used.has(n.toLowerCase()); i++) n = `${base.slice(0, 28)} ${i}`;
  used.add(n.toLowerCase());
  return n;
}

export async function writeXlsx(doc: ExportDoc, out: Writable): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = 'Mainstream Monitor';
  wb.created = new Date(doc.meta.generatedAt);
  const used = new Set<string>();
  const t = l10nOf(doc.meta);

  const about = wb.addWorksheet(sheetName(t.m('xlsx_about'), used));
  about.columns = [{ header: t.m('xlsx_item'), key: 'k', width: 22 }, { header: t.m('xlsx_value'), key: 'v', width: 90 }];
  about.getRow(1).font = { bold: true };
  for (const [k, v] of metaRows(doc.meta)) about.addRow([k, neutralise(v)]).commit();
  about.addRow([]).commit();
  for (const h of doc.headline) about.addRow([neutralise(h.label), neutralise(h.value)]).commit();
  about.addRow([]).commit();
  about.addRow([t.m('xlsx_sheets'), doc.tables.map((t) => t.title).join(', ')]).commit();
  about.commit();

  for (const t of doc.tables) {
    const ws = wb.addWorksheet(sheetName(t.title, used), { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = t.columns.map((c, i) => ({
      header: c.header, key: `c${i}`, width: c.width ?? Math.max(WIDTH[c.type], Math.min(40, c.header.length + 2)),
      style: NUM_FMT[c.type] ? { numFmt: NUM_FMT[c.type] } : {},
    }));
    ws.getRow(1).font = { bold: true };
    for await (const batch of t.batches()) {
      for (const r of batch) {
        const row = ws.addRow(r.map((c, i) => cellValue(c, t.columns[i] ?? { header: '', type: 'text' })));
        r.forEach((c, i) => {
          if (c !== null && typeof c === 'object') {
            const fmt = NUM_FMT[c.type];
            if (fmt) row.getCell(i + 1).numFmt = fmt;
          }
        });
        row.commit();
      }
      // Row XML piles up until the zip side reads it: after each batch let archiver drain, and wait while
      // the response is not being read, so memory stays flat instead of holding the whole sheet.
      await nextTurn();
      while (out.writableNeedDrain) await once(out, 'drain');
    }
    ws.commit();
  }
  await wb.commit();
}
