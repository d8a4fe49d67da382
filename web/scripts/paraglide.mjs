/**
 * Paraglide's compiler options, shared by the Vite plugin (builds) and `pnpm --filter @mm/web i18n` (which
 * writes src/paraglide/ for the type check and unit tests without a build).
 */
/** @type {{ project: string, outdir: string, experimentalStaticLocale: string, strategy: ['baseLocale'], emitReadme: boolean, emitPrettierIgnore: boolean }} */
export const PARAGLIDE_OPTIONS = {
  project: './project.inlang',
  outdir: './src/paraglide',
  // The language is fixed per build (vite.config.ts defines this global); unset, messages are English.
  experimentalStaticLocale: '/** @type {any} */ (globalThis).__PARAGLIDE_STATIC_LOCALE__',
  strategy: ['baseLocale'],
  emitReadme: false,
  emitPrettierIgnore: false,
};

if (import.meta.url === `file://${process.argv[1]}`) {
  const { compile } = await import('@inlang/paraglide-js');
  const path = await import('node:path');
  const web = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
  await compile({ ...PARAGLIDE_OPTIONS, project: path.join(web, 'project.inlang'), outdir: path.join(web, 'src/paraglide') });
}
