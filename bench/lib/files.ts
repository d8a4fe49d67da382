/** The import side of the file measurements: a CSV built from the server's own template. */

/** Splits CSV text into records (RFC 4180 quotes, CRLF or LF). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(cell); cell = ''; }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length > 0) { row.push(cell); rows.push(row); }
  return rows.filter((r) => r.some((c) => c !== ''));
}

const quote = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/**
 * `n` milestone rows in the template's columns: the template's example row with a fresh external id,
 * a demo action plan (the m scale has 2,000) and a numbered title.
 */
export function milestoneCsv(template: string, n: number, actionPlans: number): string {
  const rows = parseCsv(template.replace(/^\uFEFF/, ''));
  const header = rows[0];
  if (!header) throw new Error('template has no header');
  const example = rows[1] ?? header.map(() => '');
  const col = (name: string) => header.indexOf(name);
  const out = [header.map(quote).join(',')];
  for (let i = 1; i <= n; i++) {
    const r = [...example];
    const set = (name: string, v: string) => { const c = col(name); if (c >= 0) r[c] = v; };
    set('externalId', `BENCH-M-${i}`);
    set('actionPlan', `DEMO-AP-${(i % actionPlans) + 1}`);
    set('title', `Benchmark milestone ${i}`);
    out.push(r.map(quote).join(','));
  }
  return `${out.join('\r\n')}\r\n`;
}
