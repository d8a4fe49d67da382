import type { AnyDb, Migration } from './kit.ts';

/**
 * Partnerships by strategic objective (progress by/objective) count each partnership once per objective of
 * its outcomes: grouped by (partnership, objective), which this index delivers in order, so the grouping
 * streams instead of sorting every link (SQLite, m scale: 22 → 9 ms). An index only: the data is unchanged.
 */
export const migration: Migration = async (trx) => {
  await (trx as unknown as AnyDb).schema.createIndex('partnership_outcomes_objective').on('partnership_outcomes').columns(['partnership_id', 'objective']).execute();
};
