import type { AnyDb, Migration } from './kit.ts';

/**
 * The language a person reads the web app in (`en`, `fr` or `es`); null = not chosen, the browser's
 * Accept-Language decides. Set by the person themselves (PUT /auth/me/locale).
 */
export const migration: Migration = async (trx) => {
  await (trx as unknown as AnyDb).schema.alterTable('users').addColumn('locale', 'text').execute();
};
