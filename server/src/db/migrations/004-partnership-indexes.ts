import type { AnyDb, Migration } from './kit.ts';

/**
 * Covering indexes for the partnership figures of the progress reads (counts and resources per region,
 * country, lead partner type and modality, and the totals), chosen from the query plans: each becomes an
 * index-only scan in group order instead of a table scan and a temporary sort.
 */
export const migration: Migration = async (trx) => {
  const s = (trx as unknown as AnyDb).schema;
  for (const col of ['region', 'country', 'lead_partner_type', 'modality']) {
    await s.createIndex(`partnerships_by_${col}`).on('partnerships').columns([col, 'start_date', 'resources_usd']).execute();
  }
  await s.createIndex('partnerships_totals').on('partnerships').columns(['start_date', 'end_date', 'status', 'resources_usd']).execute();
};
