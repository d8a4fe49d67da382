/**
 * PDF report (pdfkit): a title page with the stamp, the headline numbers, the charts (rendered on the
 * server from the shared chart configurations) and the tables, paginated with a repeated header row.
 * A PDF is for reading, so each table stops after PDF_ROW_LIMIT rows, with a note right under it saying how
 * many there are and that CSV/XLSX carry them all.
 */
import fs from 'node:fs';
import type { Writable } from 'node:stream';
import type { ChartConfig } from '@mm/shared';
import type { Formatter, L10n } from '../i18n/index.ts';
import PDFDocument from 'pdfkit';
import { renderChartPng } from './charts.ts';
import { describeSource, l10nOf, metaRows, type Cell, type Column, type ColumnType, type ExportDoc } from './model.ts';

export const PDF_ROW_LIMIT = 1000;

const FONT_DIR = '/usr/share/fonts/truetype/dejavu';
const FONTS = { regular: `${FONT_DIR}/DejaVuSans.ttf`, bold: `${FONT_DIR}/DejaVuSans-Bold.ttf` };

const WEIGHT: Record<ColumnType, number> = { text: 3, integer: 1, number: 1.3, usd: 1.5, percent: 1, date: 1.3 };

function show(c: Cell, type: ColumnType, f: Formatter): string {
  if (c === null) return '';
  if (typeof c === 'string') return type === 'date' ? f.shortDate(c) : c;
  const { value, kind } = typeof c === 'number' ? { value: c, kind: type } : { value: c.value, kind: c.type };
  if (!Number.isFinite(value)) return '';
  if (kind === 'percent') return f.percent(value);
  if (kind === 'usd') return f.shortUsd(value);
  if (kind === 'integer') return f.count(value);
  return f.number(value);
}

/**
 * The picture size of a chart in a PDF (CSS pixels at 760 wide): horizontal bars carry a label per group
 * down the side, so they grow with the groups until every label has room (up to a page).
 */
function chartSize(config: ChartConfig): { width: number; height: number } {
  if (config.options.indexAxis !== 'y') return { width: 760, height: 400 };
  return { width: 760, height: Math.min(1060, Math.max(460, 90 + config.data.labels.length * 24)) };
}

export async function writePdf(doc: ExportDoc, out: Writable): Promise<void> {
  const t = l10nOf(doc.meta);
  const asOf = t.f.date(doc.meta.asOf);
  const haveFonts = fs.existsSync(FONTS.regular) && fs.existsSync(FONTS.bold);
  const pdf = new PDFDocument({
    size: 'A4', margin: 40, bufferPages: true,
    info: { Title: doc.meta.title, Author: 'Mainstream Monitor', Subject: t.m('pdf_asOf', { date: asOf }), Creator: 'Mainstream Monitor' },
  });
  const done = new Promise<void>((resolve, reject) => {
    out.on('finish', resolve);
    out.on('error', reject);
  });
  pdf.pipe(out);
  if (haveFonts) {
    pdf.registerFont('body', FONTS.regular);
    pdf.registerFont('bold', FONTS.bold);
  } else {
    pdf.registerFont('body', 'Helvetica');
    pdf.registerFont('bold', 'Helvetica-Bold');
  }
  // Table cells use the built-in Helvetica: no glyph shaping per cell (several times faster than a TrueType
  // font on long tables); it covers Western European text (WinAnsi), which is what the record fields hold.
  // (By their own names: pdfkit re-parses a standard font on every switch when it is used under an alias.)
  const left = pdf.page.margins.left;

  // ---- title page
  pdf.font('body').fontSize(10).fillColor('#555555').text('Mainstream Monitor', left, 60);
  pdf.moveDown(2).font('bold').fontSize(24).fillColor('#000000').text(doc.meta.title);
  pdf.moveDown(0.5).font('body').fontSize(13).text(t.m('pdf_asOf', { date: asOf }));
  pdf.moveDown(1.5).fontSize(10);
  for (const [k, v] of metaRows(doc.meta)) {
    pdf.font('bold').text(`${k}: `, { continued: true }).font('body').text(v);
  }
  if (doc.meta.demo) {
    pdf.moveDown(1.5).font('bold').fontSize(12).fillColor('#B00020').text(t.m('meta_demoNotice')).fillColor('#000000');
  }

  // ---- headline numbers
  if (doc.headline.length > 0) {
    pdf.addPage().font('bold').fontSize(16).text(t.m('pdf_headline')).moveDown(0.8);
    const colW = (pdf.page.width - left * 2) / 2;
    doc.headline.forEach((h, i) => {
      const x = left + (i % 2) * colW;
      if (i % 2 === 0 && i > 0) pdf.moveDown(0.6);
      const y = pdf.y;
      pdf.font('body').fontSize(9).fillColor('#555555').text(h.label, x, y, { width: colW - 10 });
      pdf.font('bold').fontSize(16).fillColor('#000000').text(h.value, x, pdf.y, { width: colW - 10 });
      if (i % 2 === 0) pdf.y = y;
    });
  }

  // ---- charts: the screen's charts (shared definitions), each under its title as a heading, two to a
  // page where they fit
  const chartWidth = pdf.page.width - left * 2;
  for (let i = 0; i < doc.charts.length; i++) {
    const chart = doc.charts[i];
    if (!chart) continue;
    const size = chartSize(chart.config);
    const h = (chartWidth * size.height) / size.width;
    const bottom = pdf.page.height - pdf.page.margins.bottom;
    const description = chart.description ?? '';
    if (i === 0 || pdf.y + 24 + 20 + (description ? 14 : 0) + h > bottom) {
      pdf.addPage();
      pdf.y = 50;
    } else pdf.y += 24;
    const png = await renderChartPng(chart.config, { ...size, scale: 2, format: 'jpeg', title: false });
    pdf.font('bold').fontSize(12).fillColor('#000000').text(chart.config.options.plugins.title.text, left, pdf.y, { width: chartWidth });
    // The sentence under the title, as on screen.
    if (description) pdf.font('body').fontSize(9).fillColor('#555555').text(description, left, pdf.y + 1, { width: chartWidth }).fillColor('#000000');
    const top = pdf.y + 4;
    pdf.image(png, left, top, { width: chartWidth });
    pdf.y = top + h;
  }

  // ---- tables
  // Tables run on landscape pages; a short table follows the previous one when a good part of the page is left.
  let onTablePage = false;
  for (const table of doc.tables) {
    if (onTablePage && pdf.y < pdf.page.height * 0.6) pdf.moveDown(1.5);
    else pdf.addPage({ size: 'A4', layout: 'landscape', margin: 30 });
    onTablePage = true;
    await drawTable(pdf, table.title, table.columns, table.batches(), t);
  }

  // ---- footer on every page
  const range = pdf.bufferedPageRange();
  const foot = `${t.m('pdf_footer', { title: doc.meta.title, date: asOf, source: describeSource(doc.meta, t) })}${doc.meta.demo ? ` · ${t.m('pdf_footerDemo')}` : ''}`;
  for (let p = range.start; p < range.start + range.count; p++) {
    pdf.switchToPage(p);
    const bottom = pdf.page.margins.bottom;
    pdf.page.margins.bottom = 0;
    pdf.font('body').fontSize(7).fillColor('#777777')
      .text(`${foot} · ${t.m('pdf_page', { page: p + 1, count: range.count })}`, pdf.page.margins.left, pdf.page.height - 20, { width: pdf.page.width - pdf.page.margins.left * 2, lineBreak: false });
    pdf.page.margins.bottom = bottom;
  }
  pdf.end();
  await done;
}

async function drawTable(pdf: PDFKit.PDFDocument, title: string, columns: Column[], batches: AsyncIterable<Cell[][]>, t: L10n): Promise<void> {
  const m = pdf.page.margins;
  const width = pdf.page.width - m.left - m.right;
  const total = columns.reduce((s, c) => s + (c.pdfWeight ?? WEIGHT[c.type]), 0);
  const widths = columns.map((c) => (width * (c.pdfWeight ?? WEIGHT[c.type])) / total);
  const fontSize = columns.length > 12 ? 6 : 7;
  const rowH = fontSize + 5;
  const fit = (s: string, w: number): string => {
    if (pdf.widthOfString(s) <= w) return s;
    let lo = 0;
    let hi = s.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (pdf.widthOfString(`${s.slice(0, mid)}…`) <= w) lo = mid;
      else hi = mid - 1;
    }
    return `${s.slice(0, lo)}…`;
  };
  const drawRow = (cells: string[], bold: boolean, shade: boolean) => {
    const y = pdf.y;
    if (shade) pdf.rect(m.left, y - 1, width, rowH).fill('#F2F2F2').fillColor('#000000');
    pdf.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(fontSize).fillColor('#000000');
    let x = m.left;
    cells.forEach((s, i) => {
      const w = widths[i] ?? 0;
      const numeric = (columns[i]?.type ?? 'text') !== 'text' && (columns[i]?.type ?? 'text') !== 'date';
      // Positioned by hand: giving pdfkit a width runs its line wrapper for every cell, which dominates the cost.
      const t = fit(s, w - 4);
      pdf.text(t, numeric ? x + w - 2 - pdf.widthOfString(t) : x + 2, y + 1, { lineBreak: false });
      x += w;
    });
    pdf.x = m.left;
    pdf.y = y + rowH;
  };
  const header = () => drawRow(columns.map((c) => c.header), true, true);
  pdf.font('bold').fontSize(13).text(title, m.left, pdf.y).moveDown(0.4);
  header();
  // Every row is counted (the note says how many there are) but only the first PDF_ROW_LIMIT are drawn;
  // each page keeps room for the note, so it always sits right under the last row drawn.
  const noteH = 16;
  let n = 0;
  for await (const batch of batches) {
    for (const r of batch) {
      n++;
      if (n > PDF_ROW_LIMIT) continue;
      if (pdf.y + rowH + noteH > pdf.page.height - m.bottom) {
        pdf.addPage({ size: 'A4', layout: 'landscape', margin: 30 });
        pdf.y = m.top;
        header();
      }
      drawRow(r.map((c, i) => {
        const short = columns[i]?.pdfShort;
        return short && typeof c === 'string' ? (short[c] ?? c) : show(c, columns[i]?.type ?? 'text', t.f);
      }), false, n % 2 === 0);
    }
  }
  const note = n > PDF_ROW_LIMIT
    ? t.m('pdf_rowsFirst', { limit: t.f.count(PDF_ROW_LIMIT), count: t.f.count(n) })
    : t.m('pdf_rows', { count: t.f.count(n) });
  pdf.font('body').fontSize(8).fillColor('#555555').text(note, m.left, pdf.y + 3).fillColor('#000000');
  pdf.moveDown(0.5);
}
