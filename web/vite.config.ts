import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';
import { PARAGLIDE_OPTIONS } from './scripts/paraglide.mjs';

/**
 * One build per language (MM_LOCALE=en|fr|es; `pnpm build` runs all three): Paraglide's message functions are
 * compiled with the language fixed at build time, so each build's JavaScript carries only its own language's
 * strings. English is the default build at dist/; French and Spanish go to dist/fr/ and dist/es/ (their assets
 * under /fr/assets/ and /es/assets/), and the server serves the index of the user's language.
 */
const LOCALES = ['en', 'fr', 'es'] as const;
const locale = process.env.MM_LOCALE ?? 'en';
if (!(LOCALES as readonly string[]).includes(locale)) throw new Error(`MM_LOCALE must be one of ${LOCALES.join(', ')}`);
const DESCRIPTION: Record<string, string> = {
  en: 'Mainstream Monitor: are the decent-work partnerships and action plans on track for 2015?',
  fr: "Mainstream Monitor : les partenariats et les plans d'action pour le travail décent sont-ils en bonne voie pour 2015 ?",
  es: 'Mainstream Monitor: ¿van bien encaminados para 2015 las alianzas y los planes de acción de trabajo decente?',
};
const sub = locale === 'en' ? '' : `${locale}/`;

// The API runs on its own port in development (`pnpm dev`); the built app is served by the API itself.
export default defineConfig({
  base: `/${sub}`,
  plugins: [
    paraglideVitePlugin(PARAGLIDE_OPTIONS),
    svelte(),
    {
      name: 'mm-index-language',
      transformIndexHtml: (html) => html.replace('<html lang="en">', `<html lang="${locale}">`).replace(/(<meta name="description" content=")[^"]*/, `$1${DESCRIPTION[locale]}`),
    },
  ],
  define: { 'globalThis.__PARAGLIDE_STATIC_LOCALE__': JSON.stringify(locale) },
  server: { proxy: { '/api': `http://127.0.0.1:${process.env.API_PORT ?? '8787'}` } },
  build: { outDir: `dist/${sub}`, emptyOutDir: locale === 'en', target: 'es2022', chunkSizeWarningLimit: 400 },
});
