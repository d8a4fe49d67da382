import type { AnyDb, Migration } from './kit.ts';

/**
 * Single sign-on (issue 18): one row per sign-in under way with the OpenID provider — the PKCE verifier, state
 * and nonce, found by the hash of a random token in an HttpOnly cookie of the browser that started it, taken
 * (deleted) by the callback, so a code or a state can be used once and only from that browser. Short-lived
 * (minutes), never backed up.
 */
export const migration: Migration = async (trx) => {
  const s = (trx as unknown as AnyDb).schema;
  await s.createTable('oidc_logins')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('code_verifier', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await s.createIndex('oidc_logins_expires').on('oidc_logins').column('expires_at').execute();
};
