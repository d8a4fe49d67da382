import { idCol, type AnyDb, type Migration } from './kit.ts';

/**
 * The mainstreaming scorecard (issue 15): the CEB Toolkit checklist as versioned criteria (every change is a new
 * row in criterion_versions, so an assessment shows the criteria as they stood), and assessments of an entity
 * (an agency or a UN country team) at a checkpoint, one per (entity, checkpoint), with one rating per criterion
 * that records the criterion version it was given against. `region` and `entity_key` are derived on write
 * (agency: the partner's hq_region or GLO; country team: the country's region) so filters and the uniqueness
 * rule are plain columns.
 */
export const migration: Migration = async (trx, dialect) => {
  const s = (trx as unknown as AnyDb).schema;
  const id = idCol(dialect);
  await s.createTable('scorecard_criteria')
    .addColumn('id', id, (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('pillar', 'text', (c) => c.notNull())
    .addColumn('retired', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await s.createTable('criterion_versions')
    .addColumn('criterion_id', 'integer', (c) => c.notNull().references('scorecard_criteria.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('pillar', 'text', (c) => c.notNull())
    .addColumn('retired', 'integer', (c) => c.notNull())
    .addColumn('changed_at', 'text', (c) => c.notNull())
    .addColumn('changed_by', 'integer')
    .addPrimaryKeyConstraint('criterion_versions_pk', ['criterion_id', 'version'])
    .execute();
  await s.createTable('assessments')
    .addColumn('id', id, (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('partner_id', 'integer', (c) => c.references('partners.id'))
    .addColumn('country', 'text')
    .addColumn('entity_key', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('checkpoint', 'text', (c) => c.notNull())
    .addColumn('assessed_on', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('assessments_entity_checkpoint', ['entity_key', 'checkpoint'])
    .execute();
  await s.createIndex('assessments_assessed_on').on('assessments').columns(['assessed_on']).execute();
  await s.createIndex('assessments_partner').on('assessments').columns(['partner_id']).execute();
  await s.createTable('assessment_ratings')
    .addColumn('assessment_id', 'integer', (c) => c.notNull().references('assessments.id').onDelete('cascade'))
    .addColumn('criterion_id', 'integer', (c) => c.notNull().references('scorecard_criteria.id'))
    .addColumn('criterion_version', 'integer', (c) => c.notNull())
    .addColumn('rating', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('evidence_url', 'text')
    .addPrimaryKeyConstraint('assessment_ratings_pk', ['assessment_id', 'criterion_id'])
    .execute();
};
