/**
 * JSON: `{ "meta": {…stamp…}, "headline": […], "tables": { "<name>": { "title", "columns", "rows": [[…]] } } }`,
 * written in chunks so record tables stream. Rows are arrays in column order (compact for 50,000 rows);
 * numbers are numbers, dates `YYYY-MM-DD` strings, percentages ratios (1 = 100 %). No neutralising: JSON
 * is read by programs, and the values must round-trip exactly.
 */
import { DEMO_NOTICE, type Cell, type ExportDoc } from './model.ts';

const plain = (c: Cell) => (c !== null && typeof c === 'object' ? c.value : c);

export async function* jsonChunks(doc: ExportDoc): AsyncGenerator<string> {
  const meta = { ...doc.meta, ...(doc.meta.demo ? { notice: DEMO_NOTICE } : {}) };
  yield `{"meta":${JSON.stringify(meta)},"headline":${JSON.stringify(doc.headline)},"tables":{`;
  let firstTable = true;
  for (const t of doc.tables) {
    yield `${firstTable ? '' : ','}${JSON.stringify(t.name)}:{"title":${JSON.stringify(t.title)},"columns":${JSON.stringify(t.columns)},"rows":[`;
    firstTable = false;
    let first = true;
    for await (const batch of t.batches()) {
      if (batch.length === 0) continue;
      yield (first ? '' : ',') + batch.map((r) => JSON.stringify(r.map(plain))).join(',');
      first = false;
    }
    yield ']}';
  }
  yield '}}';
}
