/** Row types of every table, as Kysely sees them. Booleans are 0/1 integers so one code path serves both databases. */
import type { ColumnType, Generated, Kysely } from 'kysely';

type Id = Generated<number>;
/** Sums and counts come back as strings from pg; queries normalise with `num()`. */
type BigNum = ColumnType<number, number, number>;

export interface UsersTable { id: Id; email: string; name: string; role: string; regions: string; password_hash: string; disabled: number; created_at: string; updated_at: string; version: number; locale: string | null }
export interface OidcLoginsTable { id: string; state: string; nonce: string; code_verifier: string; created_at: string; expires_at: string }
export interface SessionsTable { id: string; user_id: number; created_at: string; last_seen_at: string; expires_at: string }
export interface PartnersTable { id: Id; external_id: string | null; name: string; partner_type: string; hq_country: string | null; hq_region: string | null; version: number; created_at: string; updated_at: string }
export interface PartnershipsTable {
  id: Id; external_id: string | null; title: string; modality: string; level: string; region: string; country: string | null;
  start_date: string; end_date: string; resources_usd: BigNum; status: string; lead_partner_type: string | null;
  version: number; created_at: string; updated_at: string;
}
export interface PartnershipPartnersTable { partnership_id: number; partner_id: number; role: string; lead: number }
export interface PartnershipMandatesTable { partnership_id: number; mandate: string }
export interface PartnershipOutcomesTable { partnership_id: number; outcome: string; objective: string }
export interface ActionPlansTable {
  id: Id; external_id: string | null; title: string; owning_unit: string; region: string; country: string | null;
  start_date: string; end_date: string; version: number; created_at: string; updated_at: string;
}
export interface ActionPlanMandatesTable { action_plan_id: number; mandate: string }
export interface ActionPlanOutcomesTable { action_plan_id: number; outcome: string; objective: string }
export interface ActionPlanPartnershipsTable { action_plan_id: number; partnership_id: number }
export interface MilestonesTable {
  id: Id; external_id: string | null; action_plan_id: number; title: string; due_date: string; status: string;
  percent_complete: number; completed_date: string | null; evidence_note: string | null; evidence_url: string | null;
  version: number; created_at: string; updated_at: string; event_id: number | null;
}
/** Every status change of a milestone with the date it took effect, so "as of" is exact. */
export interface MilestoneHistoryTable { id: Id; milestone_id: number; status: string; percent_complete: number; completed_date: string | null; effective_date: string; changed_at: string; changed_by: number | null; version: number }
export interface IndicatorsTable {
  id: Id; external_id: string | null; action_plan_id: number; name: string; unit: string; direction: string;
  baseline_value: number; baseline_date: string; target_value: number; target_date: string;
  version: number; created_at: string; updated_at: string;
}
export interface MeasurementsTable { id: Id; external_id: string | null; indicator_id: number; value: number; date: string; source: string | null; note: string | null; version: number; created_at: string; updated_at: string }
export interface AuditTable { id: Id; at: string; user_id: number | null; user_email: string | null; action: string; entity: string; entity_id: string | null; region: string | null; before: string | null; after: string | null }
export interface LoginFailuresTable { id: Id; email: string; client: string; at: string }
/** Kept by triggers on measurements (migration m002): the statistics of all of an indicator's measurements. */
export interface IndicatorStatsTable { indicator_id: number; n: number; sx: number | null; sy: number | null; sxy: number | null; sxx: number | null; latest_id: number | null; max_date: string | null; latest_value: number | null }
/** Each indicator's latest measurement per year ('2012') and quarter ('2012-Q3'), kept by triggers (migration 5). */
export interface IndicatorPeriodsTable { kind: string; indicator_id: number; period: string; measurement_id: number; value: number }
/** Milestones per (action plan, status, completed on time), kept by triggers (migration 3). */
export interface MilestoneCountsTable { action_plan_id: number; status: string; on_time: number; n: number }
/** Milestones per due quarter, current status and completion quarter ('' when not completed); migration 6. */
export interface MilestoneQuartersTable { due_quarter: string; status: string; done_quarter: string; n: number }
export interface MetaTable { key: string; value: string }
/** Approved figures' derived tables (migration 13): sums over each indicator's measurements in approved windows, and each milestone's last approved state. */
export interface ApprovedIndicatorStatsTable { indicator_id: number; n: number; sx: number | null; sy: number | null; sxy: number | null; sxx: number | null; latest_id: number | null; max_date: string | null; latest_value: number | null }
export interface ApprovedMilestoneStateTable { milestone_id: number; status: string; completed_date: string | null }
// ---- snapshots and share links (issue 6)
/** A frozen copy of a dashboard view; `data` is the JSON payload, never joined to live rows. */
export interface SnapshotsTable { id: string; title: string; note: string | null; filters: string; as_of: string; created_by: number | null; created_by_name: string | null; created_by_email: string | null; created_at: string; counts: string; data: string; demo: number }
/** Read-only links to one snapshot; only the SHA-256 of the token is stored. */
export interface ShareLinksTable { id: Id; token_hash: string; snapshot_id: string; created_by: number | null; created_at: string; expires_at: string; revoked_at: string | null }
/** Admin settings as JSON values by key (e.g. `viewers_may_take_snapshots`). */
export interface SettingsTable { key: string; value: string; updated_at: string; updated_by: number | null }

// ---- the mainstreaming scorecard (issue 15)
export interface ScorecardCriteriaTable { id: Id; code: string; text: string; pillar: string; retired: number; version: number; created_at: string; updated_at: string }
/** Every version of every criterion (the first included), so ratings show the criterion as it stood. */
export interface CriterionVersionsTable { criterion_id: number; version: number; code: string; text: string; pillar: string; retired: number; changed_at: string; changed_by: number | null }
export interface AssessmentsTable {
  id: Id; entity_type: string; partner_id: number | null; country: string | null; entity_key: string; region: string; checkpoint: string;
  assessed_on: string; status: string; version: number; created_at: string; updated_at: string;
}
export interface AssessmentRatingsTable { assessment_id: number; criterion_id: number; criterion_version: number; rating: string; note: string | null; evidence_url: string | null }

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  oidc_logins: OidcLoginsTable;
  partners: PartnersTable;
  partnerships: PartnershipsTable;
  partnership_partners: PartnershipPartnersTable;
  partnership_mandates: PartnershipMandatesTable;
  partnership_outcomes: PartnershipOutcomesTable;
  action_plans: ActionPlansTable;
  action_plan_mandates: ActionPlanMandatesTable;
  action_plan_outcomes: ActionPlanOutcomesTable;
  action_plan_partnerships: ActionPlanPartnershipsTable;
  milestones: MilestonesTable;
  milestone_history: MilestoneHistoryTable;
  indicators: IndicatorsTable;
  measurements: MeasurementsTable;
  audit: AuditTable;
  meta: MetaTable;
  indicator_stats: IndicatorStatsTable;
  approved_indicator_stats: ApprovedIndicatorStatsTable;
  approved_milestone_state: ApprovedMilestoneStateTable;
  milestone_counts: MilestoneCountsTable;
  milestone_quarters: MilestoneQuartersTable;
  indicator_periods: IndicatorPeriodsTable;
  login_failures: LoginFailuresTable;
  snapshots: SnapshotsTable;
  share_links: ShareLinksTable;
  settings: SettingsTable;
  scorecard_criteria: ScorecardCriteriaTable;
  criterion_versions: CriterionVersionsTable;
  assessments: AssessmentsTable;
  assessment_ratings: AssessmentRatingsTable;
  reporting_periods: ReportingPeriodsTable;
  period_region_states: PeriodRegionStatesTable;
  reporting_transitions: ReportingTransitionsTable;
  events: EventsTable;
  snapshot_schedules: SnapshotSchedulesTable;
  snapshot_deliveries: SnapshotDeliveriesTable;
}
/** Reporting cycles and events (migration 9). */
export interface ReportingPeriodsTable { id: Id; name: string; start_date: string; end_date: string; due_date: string; version: number; created_at: string; updated_at: string }
export interface PeriodRegionStatesTable { period_id: number; region: string; state: string; comment: string | null; version: number; updated_at: string; updated_by: number | null }
export interface ReportingTransitionsTable { id: Id; period_id: number; region: string; from_state: string; to_state: string; comment: string | null; at: string; by_user: number | null; by_email: string | null }
export interface EventsTable { id: Id; date: string; title: string; kind: string; url: string | null; mandates: string; verified: number; version: number; created_at: string; updated_at: string }
/** Scheduled snapshots and their deliveries (migration 11); JSON text in filters, cadence, recipients, formats, attempts. */
export interface SnapshotSchedulesTable {
  id: Id; title_pattern: string; note: string | null; filters: string; cadence: string; time_zone: string; recipients: string; formats: string;
  active: number; next_run_at: string | null; created_by: number | null; created_by_name: string | null; created_by_email: string | null;
  version: number; created_at: string; updated_at: string;
}
export interface SnapshotDeliveriesTable {
  id: Id; schedule_id: number; trigger: string; slot_at: string; status: string; attempts: string; next_attempt_at: string | null;
  lease_until: string | null; lease_owner: string | null; snapshot_id: string | null; title: string | null; recipients: string; formats: string;
  error: string | null; created_at: string; sent_at: string | null;
}

export type Db = Kysely<Database>;
export type Dialect = 'sqlite' | 'postgres';
