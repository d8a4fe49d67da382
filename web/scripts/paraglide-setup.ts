/** The web unit tests import the compiled messages: compile them first (English, as the unit tests read). */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile } from '@inlang/paraglide-js';
import { PARAGLIDE_OPTIONS } from './paraglide.mjs';

export default async function setup(): Promise<void> {
  const web = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  await compile({ ...PARAGLIDE_OPTIONS, project: path.join(web, 'project.inlang'), outdir: path.join(web, 'src/paraglide') });
}
