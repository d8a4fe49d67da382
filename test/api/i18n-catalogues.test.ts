/**
 * The message catalogues of both packages (web/messages and server/messages, en/fr/es): every language has
 * exactly English's keys, every message the same placeholders as its English one, no message is empty; the
 * server's copies of the web's reference labels and chart texts are the web's; every problem title the server
 * throws has a translation.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { keyOfEnglish } from '@mm/server/i18n/messages';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const LANGS = ['en', 'fr', 'es'] as const;
const PACKAGES = ['web', 'server'] as const;

type Catalogue = Record<string, unknown>;
function catalogue(pkg: string, lang: string): Catalogue {
  const all = JSON.parse(fs.readFileSync(path.join(ROOT, pkg, 'messages', `${lang}.json`), 'utf8')) as Catalogue;
  delete all.$schema;
  return all;
}
const placeholders = (text: string): string[] => [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? ''))].sort();

/** What is wrong with a language's catalogue against English's (empty when nothing). */
function catalogueProblems(en: Catalogue, other: Catalogue): string[] {
  const problems: string[] = [];
  for (const k of Object.keys(en)) if (!Object.hasOwn(other, k)) problems.push(`missing ${k}`);
  for (const k of Object.keys(other)) if (!Object.hasOwn(en, k)) problems.push(`not in English: ${k}`);
  for (const [k, v] of Object.entries(other)) {
    const e = en[k];
    if (typeof v !== 'string' || v.trim() === '') problems.push(`${k}: not a text`);
    else if (typeof e === 'string' && placeholders(e).join() !== placeholders(v).join()) problems.push(`${k}: placeholders {${placeholders(v).join('}, {')}} instead of {${placeholders(e).join('}, {')}}`);
  }
  return problems;
}

describe(catalogueProblems.name, () => {
  it('reports a missing key, an extra key and different placeholders (so the checks below can fail)', () => {
    const en = { a: 'A {n}', b: 'B', c: 'C {x} {y}' };
    expect(catalogueProblems(en, { a: 'A {n}', b: 'B', c: 'C {x} {y}' })).toEqual([]);
    expect(catalogueProblems(en, { a: 'A {n}', c: 'C {x} {y}', d: 'D' })).toEqual(['missing b', 'not in English: d']);
    expect(catalogueProblems(en, { a: 'A {count}', b: '', c: 'C {y} {x}' })).toEqual(['a: placeholders {count} instead of {n}', 'b: not a text']);
  });
});

describe.each(PACKAGES)('the %s catalogues', (pkg) => {
  const en = catalogue(pkg, 'en');
  it('English has messages, all texts', () => {
    expect(Object.keys(en).length).toBeGreaterThan(100);
    expect(Object.entries(en).filter(([, v]) => typeof v !== 'string' || v === '').map(([k]) => k)).toEqual([]);
  });
  it.each(LANGS.filter((l) => l !== 'en'))('%s has English\'s keys, no others, and the same placeholders', (lang) => {
    expect(catalogueProblems(en, catalogue(pkg, lang))).toEqual([]);
  });
});

describe('the server catalogues', () => {
  it.each(LANGS)('%s: the reference labels and chart texts copied from the web are the web\'s', (lang) => {
    const web = catalogue('web', lang);
    const server = catalogue('server', lang);
    const shared = Object.keys(server).filter((k) => /^(ref_|dim_name_|dim_heading_|chart_group_|chart_title_|chart_desc_|series_|category_|chart_allCriteria$|chart_target$)/.test(k));
    expect(shared.length).toBeGreaterThan(150);
    expect(Object.fromEntries(shared.map((k) => [k, server[k]]))).toEqual(Object.fromEntries(shared.map((k) => [k, web[k]])));
    // …and every reference label the web has, the server has.
    expect(Object.keys(web).filter((k) => k.startsWith('ref_') && !Object.hasOwn(server, k))).toEqual([]);
  });

  it('every problem title the server throws has a translation', () => {
    const titles = new Set<string>();
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) {
          for (const m of fs.readFileSync(p, 'utf8').matchAll(/ProblemError\(\s*\d{3},\s*'([^']+)'/g)) titles.add(m[1] ?? '');
        }
      }
    };
    walk(path.join(ROOT, 'server/src'));
    expect(titles.size).toBeGreaterThan(30);
    expect([...titles].filter((title) => !keyOfEnglish(title, 'problem_'))).toEqual([]);
  });
});
