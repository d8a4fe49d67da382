/**
 * The message catalogues (web/messages/<lang>.json): every language has exactly English's keys, each message
 * has the same placeholders in every language, the compiler turned every key into a message function, and
 * French and Spanish are translations (not English copied over).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as messages from '../../paraglide/messages.js';
import { LANGUAGES } from './locale.ts';

const DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../messages');
type Catalogue = Record<string, string>;
function load(lang: string): Catalogue {
  const { $schema: _schema, ...entries } = JSON.parse(fs.readFileSync(path.join(DIR, `${lang}.json`), 'utf8')) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(entries).map(([k, v]) => {
    if (typeof v !== 'string') throw new Error(`${lang}.json: ${k} is not a plain message`);
    return [k, v];
  }));
}
const placeholders = (text: string): string[] => [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((x) => x[1] ?? ''))].sort();

const en = load('en');
const SPELT_ALIKE: Record<string, ReadonlySet<string>> = {
  fr: new Set(['ref_level_international', 'ref_level_national', 'doc_title', 'menu', 'ts_note', 'list_pages', 'p_type', 'ind_date', 'mp_version',
    'as_justification', 'cr_code', 'cr_version', 'sn_pts', 'sn_actions', 'dl_xlsx', 'ref_partnerRole_accountable',
    'ed_field_date', 'ed_field_note', 'ed_field_source', 'mf_date', 'mf_source', 'mf_note',
    'ev2_kind_initiative']),
  es: new Set(['ref_level_regional', 'doc_title', 'dl_xlsx', 'ref_partnerRole_accountable', 'ref_partnerType_regional', 'role_editor']),
};
const others = LANGUAGES.map((l) => l.code).filter((l) => l !== 'en');

describe('message catalogues', () => {
  it('exist for every language the switcher offers, English with a few hundred messages', () => {
    expect(fs.readdirSync(DIR).filter((f) => f.endsWith('.json')).sort()).toEqual(LANGUAGES.map((l) => `${l.code}.json`).sort());
    expect(Object.keys(en).length).toBeGreaterThan(300);
  });

  it.each(others)('%s has every key English has, and none English lacks', (lang) => {
    const cat = load(lang);
    expect(Object.keys(en).filter((k) => !(k in cat)), `missing in ${lang}`).toEqual([]);
    expect(Object.keys(cat).filter((k) => !(k in en)), `only in ${lang}`).toEqual([]);
  });

  it.each(others)('%s has the same placeholders as English in every message, and no empty message', (lang) => {
    const cat = load(lang);
    const differ = Object.keys(en).filter((k) => placeholders(en[k] ?? '').join() !== placeholders(cat[k] ?? '').join());
    expect(differ, `placeholders differ in ${lang}`).toEqual([]);
    expect(Object.keys(cat).filter((k) => (cat[k] ?? '').trim() === '')).toEqual([]);
  });

  it.each(others)('%s is translated: messages equal to English are only names, codes and words the languages share', (lang) => {
    const cat = load(lang);
    const same = Object.keys(en).filter((k) => cat[k] === en[k] && /[a-z]{3}/.test((en[k] ?? '').replace(/\{\w+\}/g, '')));
    // Words spelt alike in that language ("Version", "Pages", "Menu", "Note", "Type", "Justification", "Regional"…),
    // listed one by one: anything else equal to English is an untranslated message.
    expect(same.filter((k) => !SPELT_ALIKE[lang]?.has(k)), `identical to English in ${lang}`).toEqual([]);
  });

  it('were compiled: every English key is a message function, and English reads as the catalogue says', () => {
    const fns = messages as unknown as Record<string, (inputs?: Record<string, unknown>) => string>;
    expect(Object.keys(en).filter((k) => typeof fns[k] !== 'function')).toEqual([]);
    expect(fns.nav_partnerships?.()).toBe('Partnerships');
    expect(fns.tile_active_detail?.({ total: '300' })).toBe('of 300 in total');
  });

  it('French and Spanish use the domain terms of these users', () => {
    const fr = load('fr');
    const es = load('es');
    expect(fr.nav_partnerships).toBe('Partenariats');
    expect(fr.nav_actionPlans).toBe("Plans d'action");
    expect(fr.nav_milestones).toBe('Jalons');
    expect(fr.ref_mandate_DAO_2007).toBe("Unis dans l'action");
    expect(es.ref_mandate_DAO_2007).toBe('Unidos en la acción');
    expect(fr.ref_outcome_O19).toContain('travail décent');
    expect(es.ref_outcome_O19).toContain('trabajo decente');
  });
});
