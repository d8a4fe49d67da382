/** Downloadable templates: the header row and an example row that imports as it stands (it refers to demo records). */
import { PARTNER_ROLES, type ImportType } from '@mm/shared';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { COLUMNS, TYPE_LABEL, type ColumnDef } from './columns.ts';
import { LIST_SEPARATOR } from './values.ts';

/** Rows of the XLSX data sheet that get drop-down lists. */
const VALIDATED_ROWS = 1000;

export function templateCsv(type: ImportType): string {
  const cols = COLUMNS[type];
  // A BOM so that Excel opens the UTF-8 file with the right encoding; the importer strips it.
  return `\uFEFF${stringify([cols.map((c) => c.name), cols.map((c) => c.example)])}`;
}

function format(c: ColumnDef): string {
  const t = c.type;
  switch (t.kind) {
    case 'externalId': return 'External id (text, no spaces)';
    case 'text': return `Text, up to ${t.max} characters`;
    case 'url': return 'http(s) URL';
    case 'code': return 'One code or label from the list';
    case 'codes': return `Codes or labels from the list, separated by "${LIST_SEPARATOR}"`;
    case 'date': return 'Date YYYY-MM-DD';
    case 'number': return 'Number, e.g. 1234567 or 1,234,567.5';
    case 'integer': return `Whole number ${t.min}–${t.max.toLocaleString('en-US')} (thousands may be separated by commas)`;
    case 'ref': return `External id of a ${TYPE_LABEL[t.to]}`;
    case 'refs': return `External ids of ${TYPE_LABEL[t.to]}s, separated by "${LIST_SEPARATOR}"`;
    case 'partnerLinks': return `externalId=role pairs, separated by "${LIST_SEPARATOR}"`;
  }
}

function allowed(c: ColumnDef): string {
  const t = c.type;
  if (t.kind === 'code' || t.kind === 'codes') return t.list.map((x) => `${x.code} = ${x.label}`).join('\n');
  if (t.kind === 'partnerLinks') return `Roles: ${PARTNER_ROLES.map((x) => `${x.code} = ${x.label}`).join('; ')}`;
  return '';
}

/** exceljs keeps range validations on the worksheet but its typings don't declare them; one range beats 1,000 cells. */
interface RangeValidations { dataValidations: { add(address: string, validation: ExcelJS.DataValidation): void } }
function hasRangeValidations(ws: object): ws is RangeValidations {
  return 'dataValidations' in ws && typeof ws.dataValidations === 'object' && ws.dataValidations !== null && 'add' in ws.dataValidations;
}

export async function templateXlsx(type: ImportType): Promise<Buffer> {
  const cols = COLUMNS[type];
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Mainstream Monitor';
  const data = wb.addWorksheet(type);
  const help = wb.addWorksheet('Columns');
  const lists = wb.addWorksheet('Lists', { state: 'hidden' });

  data.addRow(cols.map((c) => c.name));
  data.addRow(cols.map((c) => c.example));
  data.getRow(1).font = { bold: true };
  data.views = [{ state: 'frozen', ySplit: 1 }];
  cols.forEach((c, i) => {
    const col = data.getColumn(i + 1);
    col.width = Math.min(50, Math.max(14, c.name.length + 2, c.example.length + 2));
    // Everything is text, so Excel leaves dates and ids exactly as typed.
    col.numFmt = '@';
  });

  let listCol = 0;
  cols.forEach((c, i) => {
    if (c.type.kind !== 'code') return;
    listCol++;
    const codes = c.type.list.map((x) => x.code);
    lists.getCell(1, listCol).value = c.name;
    codes.forEach((code, k) => { lists.getCell(k + 2, listCol).value = code; });
    const letter = lists.getColumn(listCol).letter;
    const validation: ExcelJS.DataValidation = {
      type: 'list', allowBlank: !c.required, formulae: [`Lists!$${letter}$2:$${letter}$${codes.length + 1}`],
      showErrorMessage: true, errorStyle: 'warning', errorTitle: c.name, error: 'Pick a code from the list (the label is accepted too).',
    };
    const column = data.getColumn(i + 1).letter;
    if (hasRangeValidations(data)) data.dataValidations.add(`${column}2:${column}${VALIDATED_ROWS + 1}`, validation);
    else for (let r = 2; r <= VALIDATED_ROWS + 1; r++) data.getCell(r, i + 1).dataValidation = validation;
  });

  help.addRow(['Column', 'Required', 'Format', 'What it is', 'Allowed values (code = label)', 'Example']);
  help.getRow(1).font = { bold: true };
  for (const c of cols) help.addRow([c.name, c.required ? 'yes' : 'no', format(c), c.description, allowed(c), c.example]);
  help.addRow([]);
  const note = type === 'assessments'
    ? 'One row per rating; the rows of one entity and checkpoint make one assessment (created, or updated when it exists: the ratings in the file replace those criteria\'s ratings). The header must stay as it is. Codes or labels are accepted for coded columns; dates must be YYYY-MM-DD. Replace the example row with your own rows.'
    : `One row per ${TYPE_LABEL[type]}; the header must stay as it is. Importing the same externalId again updates that record instead of adding one. Codes or labels are accepted for coded columns; dates must be YYYY-MM-DD. The example row refers to the demo records (DEMO-…); replace it with your own rows.`;
  help.addRow(['Notes', '', '', note]);
  help.columns.forEach((col, i) => { col.width = [16, 10, 36, 70, 48, 30][i] ?? 20; col.alignment = { wrapText: true, vertical: 'top' }; });

  const out = await wb.xlsx.writeBuffer();
  return Buffer.from(out);
}
