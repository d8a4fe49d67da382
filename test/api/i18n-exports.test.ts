/**
 * Issue 17 on the server: exports and errors in English, French and Spanish. A French PDF and a Spanish XLSX
 * of a snapshot carry translated stamps, headings and headers and the same numbers as the English ones
 * (numbers parsed back from the PDF text; XLSX cells compared one by one); record names stay as typed;
 * `lang` defaults to the person's language (PUT /auth/me/locale), else Accept-Language; problem+json reads
 * in French with the same type, status and field names; an unknown `lang` is a 400 naming it.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, type TestApp } from './harness.ts';

const NOW = new Date('2026-12-06T09:30:00.000Z');
const AS_OF = '2012-12-31';

interface Summary {
  partnerships: { total: number; active: number };
  resourcesUsd: number;
  milestones: { total: number; completed: number; overdue: number; completionRate: number | null };
  indicators: { total: number; achieved: number; on_track: number; at_risk: number; off_track: number; no_data: number };
  attainment: number | null;
  expected: number | null;
}

/** pdftotext's text of a PDF, white space collapsed. */
function pdfText(bytes: ArrayBuffer): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mm-i18n-'));
  try {
    const file = path.join(dir, 'a.pdf');
    fs.writeFileSync(file, Buffer.from(bytes));
    return execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/[\s\u00a0\u202f]+/g, ' ');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
/** Intl's French and Spanish forms with plain spaces, as pdftotext writes the no-break ones. */
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
const count = (tag: string, n: number) => plain(new Intl.NumberFormat(tag, { maximumFractionDigits: 0 }).format(n));
const pct = (tag: string, n: number) => plain(new Intl.NumberFormat(tag, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(n));

function csvStamp(text: string): Map<string, string> {
  const records = parse(text, { bom: true, relax_column_count: true }) as string[][];
  const blank = records.findIndex((r) => r.every((c) => c === ''));
  return new Map(records.slice(0, blank).map((r) => [r[0] ?? '', r[1] ?? '']));
}

async function workbook(res: Response): Promise<ExcelJS.Workbook> {
  expect(res.status).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await res.arrayBuffer());
  return wb;
}
function rowsOf(ws: ExcelJS.Worksheet | undefined): ExcelJS.CellValue[][] {
  const rows: ExcelJS.CellValue[][] = [];
  ws?.eachRow({ includeEmpty: true }, (r) => {
    const cells: ExcelJS.CellValue[] = [];
    for (let i = 1; i <= r.cellCount; i++) cells.push(r.getCell(i).value);
    rows.push(cells);
  });
  return rows;
}

describe.each(databases())('exports and errors in French and Spanish on %s', (kind) => {
  let t: TestApp;
  let manager: string;
  let editor: string;
  let snapId: string;
  let summary: Summary;
  const title = 'Évaluation Afrique — décembre';

  beforeAll(async () => {
    t = await startTestApp(kind, { clock: () => NOW });
    [manager, editor] = await Promise.all([t.login('manager@demo.local'), t.login('staff.africa@demo.local')]);
    const res = await t.request('POST', '/api/v1/snapshots', { cookie: editor, body: { title, filters: { asOf: AS_OF } } });
    expect(res.status).toBe(201);
    snapId = ((await res.json()) as { id: string }).id;
    const snap = (await (await t.request('GET', `/api/v1/snapshots/${snapId}`, { cookie: manager })).json()) as { data: { progress: { summary: Summary } } };
    summary = snap.data.progress.summary;
  });
  afterAll(async () => { await t?.close(); });

  it('a French PDF of the snapshot: translated stamps and headings, the English PDF\'s numbers in French forms', async () => {
    const en = pdfText(await (await t.request('GET', `/api/v1/snapshots/${snapId}/export?format=pdf&lang=en`, { cookie: manager })).arrayBuffer());
    const res = await t.request('GET', `/api/v1/snapshots/${snapId}/export?format=pdf&lang=fr`, { cookie: manager });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-language')).toBe('fr');
    const fr = pdfText(await res.arrayBuffer());
    // Stamps and headings in French; the snapshot's title as its author typed it.
    for (const s of [
      'Situation au 31 déc. 2012', `Titre de l'instantané: ${title}`, 'Instantané pris le: 6 déc. 2026', 'Filtres: aucun (toutes les fiches)',
      'Chiffres: derniers (chaque fiche telle que saisie', 'Généré le: 6 déc. 2026', 'Produit par: Mainstream Monitor', 'Chiffres clés',
      'Partenariats', 'Jalons achevés', 'Réalisation moyenne', 'Trajectoire vers 2015', 'Cumul des jalons', 'Synthèse', 'Progrès par région',
      "Plans d'action", 'Indicateurs', 'ID externe', 'Ressources (USD)', 'Afrique',
    ]) expect(fr, s).toContain(s);
    expect(fr).toMatch(/page 1 sur \d+/);
    for (const s of ['Headline numbers', 'As of', 'Snapshot taken at', 'Produced by', 'Milestones completed']) expect(fr, s).not.toContain(s);
    expect(en).toContain('Headline numbers');
    expect(en).toContain(`Snapshot title: ${title}`);

    // The headline numbers: the snapshot's figures, written the English way in English and the French way in French.
    const s = summary;
    const enHeadline = [
      `${s.partnerships.total.toLocaleString('en-US')} (${s.partnerships.active.toLocaleString('en-US')} active)`,
      `${s.milestones.completed.toLocaleString('en-US')} of ${s.milestones.total.toLocaleString('en-US')}`,
      `${s.indicators.at_risk} / ${s.indicators.off_track}`,
    ];
    const frHeadline = [
      `${count('fr-FR', s.partnerships.total)} (${count('fr-FR', s.partnerships.active)} actifs)`,
      `${count('fr-FR', s.milestones.completed)} sur ${count('fr-FR', s.milestones.total)}`,
      `${count('fr-FR', s.indicators.at_risk)} / ${count('fr-FR', s.indicators.off_track)}`,
      pct('fr-FR', s.attainment ?? 0), pct('fr-FR', s.milestones.completionRate ?? 0),
    ];
    for (const x of enHeadline) expect(en, x).toContain(x);
    for (const x of frHeadline) expect(fr, x).toContain(x);
    expect(s.milestones.total).toBeGreaterThan(999); // so the French thousands separator is exercised
    expect(fr).toContain(count('fr-FR', s.milestones.total));
    expect(fr).toMatch(/\d,\d %/);

    // The numbers of the PDFs' tables, parsed back: the same in both languages. pdftotext writes the French
    // grouping space as a plain space, so both sides are compared as digit groups: English numbers with
    // thousands separators are written in French and split at the separators, the French text split at
    // spaces (years and other numbers under 1,000 are grouped in neither). As multisets: pdftotext orders a
    // row's cells by where they start, which moves with their width. The tables compared: the summary, the
    // progress tables, trajectories and timeline, the milestones and the scorecard grid; not the mandates'
    // table (the mandates' names carry years and resolution numbers, cut short at different places in the two
    // languages) nor the partnership, action plan and indicator lists (the English PDF cuts their dates and
    // amounts short: "US$21…"; the XLSX test compares those cell by cell). Dates, codes with digits (O14,
    // WSO-2005, DEMO-PS-272) and the page footers (their snapshot id) are left out.
    const footer = new RegExp(`${title} · .*? · page \\d+ (?:of|sur) \\d+`, 'g');
    const sections = (text: string, ranges: [string, string][]) => ranges.map(([from, to]) => {
      const start = text.indexOf(from);
      const end = text.indexOf(to, start);
      expect(start, from).toBeGreaterThanOrEqual(0);
      expect(end, to).toBeGreaterThan(start);
      return text.slice(start, end);
    }).join(' ').replace(footer, ' ').replace(/\d{4}-\d{2}-\d{2}|\d{2}\/\d{2}\/\d{4}/g, ' ');
    const enBody = sections(en, [
      ['Milestone completion rate (due milestones completed)', 'Progress by mandate'], ['Progress by modality', 'Partnerships ID'],
      ['Milestones ID', 'Indicators ID'], ['Mainstreaming scorecard Entity', 'Scorecard: % of criteria met or exceeded'],
    ]).replace(/US\$([\d.,]+)(bn|m|k)/g, 'US$ $1 $2'); // US$1.2m: the number on its own
    const frBody = sections(fr, [
      ["Taux d'achèvement des jalons (jalons échus achevés)", 'Progrès par mandat'], ['Progrès par modalité', 'Partenariats ID'],
      ['Jalons ID', 'Indicateurs ID'], ["Tableau de bord de l'intégration Entité", 'Tableau de bord : % des critères satisfaits ou dépassés'],
    ]);
    const frenchOf = (token: string): string[] => {
      const [int = '', dec] = token.split('.');
      const groups = int.split(',');
      if (dec !== undefined) groups[groups.length - 1] += `,${dec}`;
      return groups;
    };
    const alone = (re: string) => new RegExp(`(?<![\\p{L}\\d-])(?:${re})(?![\\p{L}\\d-])`, 'gu');
    const enGroups = [...enBody.matchAll(alone('\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?'))].flatMap((m) => frenchOf(m[0]));
    const frGroups = [...frBody.matchAll(alone('\\d+(?:,\\d+)?'))].map((m) => m[0]);
    expect(enGroups.length).toBeGreaterThan(5000);
    expect(frGroups.sort()).toEqual(enGroups.sort());
  });

  it('a Spanish XLSX of the snapshot: translated sheets, headers and stamp; every number, date and record name as in English', async () => {
    const en = await workbook(await t.request('GET', `/api/v1/snapshots/${snapId}/export?format=xlsx&lang=en`, { cookie: manager }));
    const es = await workbook(await t.request('GET', `/api/v1/snapshots/${snapId}/export?format=xlsx&lang=es`, { cookie: manager }));
    const names = es.worksheets.map((w) => w.name);
    expect(names.slice(0, 3)).toEqual(['Acerca de esta exportación', 'Resumen', 'Avance por región']);
    for (const n of ['Alianzas', 'Planes de acción', 'Hitos', 'Indicadores', 'Cronograma de hitos']) expect(names).toContain(n);
    expect(es.worksheets.length).toBe(en.worksheets.length);

    const about = new Map(rowsOf(es.getWorksheet('Acerca de esta exportación')).map((r) => [String(r[0] ?? ''), String(r[1] ?? '')]));
    expect(about.get('Exportación')).toBe(title);
    expect(about.get('Fuente')).toBe(`instantánea ${snapId}`);
    expect(about.get('Título de la instantánea')).toBe(title);
    expect(about.get('Situación al')).toBe('31 dic 2012');
    expect(about.get('Filtros')).toBe('ninguno (todos los registros)');
    expect(about.get('Cifras')).toMatch(/^últimas \(cada registro/);
    expect(about.get('Elaborado por')).toBe('Mainstream Monitor');
    expect(about.get('Alianzas')).toBe(`${count('es-ES', summary.partnerships.total)} (${count('es-ES', summary.partnerships.active)} activas)`);

    const ps = rowsOf(es.getWorksheet('Alianzas'));
    expect(ps[0]?.slice(0, 5)).toEqual(['ID', 'ID externo', 'Título', 'Región', 'País']);
    expect(ps[0]).toContain('Recursos (USD)');
    expect(rowsOf(es.getWorksheet('Hitos'))[0]).toEqual(['ID', 'ID externo', 'ID del plan de acción', 'Región', 'Título', 'Vencimiento', 'Estado', 'Porcentaje completado', 'Completado el']);
    expect(rowsOf(es.getWorksheet('Resumen')).map((r) => r[0])).toContain('Indicadores sin datos');

    // Cell by cell, after the header row: numbers and dates identical, record names identical (text may be translated).
    let numbersCompared = 0;
    let textsSame = 0;
    en.worksheets.forEach((wsEn, i) => {
      if (i === 0) return;
      const a = rowsOf(wsEn);
      const b = rowsOf(es.worksheets[i]);
      expect(b.length, wsEn.name).toBe(a.length);
      a.slice(1).forEach((row, r) => row.forEach((cell, c) => {
        const other = b[r + 1]?.[c];
        if (typeof cell === 'number') {
          expect(other, `${wsEn.name} ${r + 2}:${c + 1}`).toBe(cell);
          numbersCompared++;
        } else if (cell instanceof Date) expect((other as Date).toISOString()).toBe(cell.toISOString());
        else if (cell === null) expect(other ?? null).toBeNull();
        else if (other === cell) textsSame++;
      }));
    });
    expect(numbersCompared).toBeGreaterThan(5000);
    // Record titles and names (as typed) are the same cells in both.
    const titleColumn = (rows: ExcelJS.CellValue[][]) => rows.slice(1).map((r) => r[2]);
    expect(titleColumn(rowsOf(es.getWorksheet('Alianzas')))).toEqual(titleColumn(rowsOf(en.getWorksheet('Partnerships'))));
    expect(textsSame).toBeGreaterThan(1000);
    // The by-region sheet labels the groups in Spanish by their codes.
    const byRegion = rowsOf(es.getWorksheet('Avance por región'));
    expect(byRegion[0]?.slice(0, 3)).toEqual(['Código', 'Región', 'Alianzas']);
    expect(byRegion.find((r) => r[0] === 'AFR')?.[1]).toBe('África');
    expect(byRegion.at(-1)?.[1]).toBe('Sin asignar');
  });

  it('without lang, an export speaks the person\'s language, else the browser\'s (Accept-Language), else English; lang wins', async () => {
    const stampOf = async (query: string, cookie: string, headers?: Record<string, string>) =>
      csvStamp(await (await t.request('GET', `/api/v1/snapshots/${snapId}/export?format=csv${query}`, { cookie, headers })).text());
    const viewer = await t.login('reviewer@demo.local');
    expect((await stampOf('', viewer)).get('As of')).toBe(AS_OF);
    expect((await stampOf('', viewer, { 'Accept-Language': 'es-MX,es;q=0.9,en;q=0.5' })).get('Situación al')).toBe('31 dic 2012');
    expect((await stampOf('&lang=en', viewer, { 'Accept-Language': 'es' })).get('As of')).toBe(AS_OF);

    const put = await t.request('PUT', '/api/v1/auth/me/locale', { cookie: viewer, body: { locale: 'fr' } });
    expect(put.status).toBe(200);
    // The account's language comes before the browser's.
    const fr = await stampOf('', viewer, { 'Accept-Language': 'es' });
    expect(fr.get('Situation au')).toBe('31 déc. 2012');
    expect(fr.get('Export')).toBe(`${title} : Synthèse`);
    expect((await stampOf('&lang=es', viewer)).get('Situación al')).toBe('31 dic 2012');
    // A live export too, with a filter named in French.
    const live = csvStamp(await (await t.request('GET', `/api/v1/export/progress/by/region?format=csv&asOf=${AS_OF}&region=AFR`, { cookie: viewer })).text());
    expect(live.get('Filtres')).toBe('Région : AFR');
    expect(live.get('Source')).toBe('données en direct');
    await t.request('PUT', '/api/v1/auth/me/locale', { cookie: viewer, body: { locale: null } });
    expect((await stampOf('', viewer)).get('As of')).toBe(AS_OF);
  });

  it('a chart PNG in French is drawn (its words differ from the English one)', async () => {
    const png = async (lang: string) => {
      const res = await t.request('GET', `/api/v1/snapshots/${snapId}/chart.png?chart=status-by-region&lang=${lang}`, { cookie: manager });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/png');
      return Buffer.from(await res.arrayBuffer());
    };
    const [en, fr] = [await png('en'), await png('fr')];
    expect(fr.subarray(1, 4).toString()).toBe('PNG');
    expect(fr.equals(en)).toBe(false);
  });

  it('an unknown lang is a 400 naming lang', async () => {
    for (const url of [`/api/v1/snapshots/${snapId}/export?format=pdf&lang=de`, '/api/v1/export/summary?format=xlsx&lang=fr-FR', `/api/v1/snapshots/${snapId}/chart.png?lang=pt`]) {
      const res = await t.request('GET', url, { cookie: manager });
      expect(res.status, url).toBe(400);
      const body = (await res.json()) as { errors: { field: string; reason: string }[] };
      expect(body.errors.map((e) => e.field)).toEqual(['lang']);
      expect(body.errors[0]?.reason).toMatch(/en, fr, es/);
    }
  });

  it('problem+json in French: same type, status and field names; title, detail and reason translated', async () => {
    const fr = { 'Accept-Language': 'fr-FR,fr;q=0.9' };
    const url = `/api/v1/export/summary?format=csv&region=XYZ`;
    const [en, fra] = [await t.request('GET', url, { cookie: manager }), await t.request('GET', url, { cookie: manager, headers: fr })];
    expect([en.status, fra.status]).toEqual([400, 400]);
    expect(fra.headers.get('content-type')).toBe('application/problem+json');
    expect(fra.headers.get('content-language')).toBe('fr');
    const a = (await en.json()) as { type: string; title: string; detail: string; errors: { field: string; reason: string; value?: unknown }[] };
    const b = (await fra.json()) as typeof a;
    expect(b.type).toBe(a.type);
    expect(a.title).toBe('Invalid request');
    expect(b.title).toBe('Requête non valide');
    expect(b.detail).toBe("Un paramètre de l'adresse n'est pas valide.");
    expect(b.errors.map((e) => [e.field, e.value])).toEqual(a.errors.map((e) => [e.field, e.value]));
    expect(a.errors[0]?.reason).toMatch(/^unknown value "XYZ"; expected one of AFR/);
    expect(b.errors[0]?.reason).toMatch(/^valeur inconnue "XYZ" ; valeurs attendues : AFR/);

    const missing = await t.request('GET', '/api/v1/snapshots/AAAAAAAAAAAAAAAAAAAAAA', { cookie: manager, headers: fr });
    expect(missing.status).toBe(404);
    const m = (await missing.json()) as { type: string; title: string; detail: string };
    expect(m).toMatchObject({ type: '/api/v1/problems/not-found', title: 'Introuvable', detail: "L'instantané n'existe pas." });
    const route = (await (await t.request('GET', '/api/v1/nowhere', { cookie: manager, headers: fr })).json()) as { title: string; detail: string };
    expect(route).toMatchObject({ title: 'Introuvable', detail: 'Aucune route pour GET /api/v1/nowhere.' });

    // Signed out: Accept-Language decides. Signed in with a language: the account's.
    const anon = (await (await t.request('GET', '/api/v1/auth/me', { headers: { 'Accept-Language': 'es' } })).json()) as { title: string };
    expect(anon.title).toBe('Inicio de sesión obligatorio');
    await t.request('PUT', '/api/v1/auth/me/locale', { cookie: manager, body: { locale: 'es' } });
    const es = (await (await t.request('GET', url, { cookie: manager, headers: fr })).json()) as typeof a;
    expect(es.title).toBe('Solicitud no válida');
    expect(es.errors.map((e) => e.field)).toEqual(a.errors.map((e) => e.field));
    await t.request('PUT', '/api/v1/auth/me/locale', { cookie: manager, body: { locale: null } });
    expect(((await (await t.request('GET', url, { cookie: manager })).json()) as typeof a).title).toBe('Invalid request');
  });
});
