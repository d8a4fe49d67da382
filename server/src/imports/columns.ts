/**
 * THE column definitions of every spreadsheet import: the parser reads by them, the templates are written
 * from them, and the XLSX explanation sheet describes them. Change a column here and all three follow.
 */
import {
  COUNTRIES, DIRECTIONS, INDICATOR_UNITS, LEVELS, MANDATES, MILESTONE_STATUS_LIST, MODALITIES, OUTCOMES, PARTNER_ROLES,
  PARTNER_TYPES, PARTNERSHIP_STATUSES, REGIONS, ENTITY_TYPES, SCORECARD_RATINGS, type ImportEntity, type ImportType,
} from '@mm/shared';

export type Coded = readonly { code: string; label: string }[];
/** The import types keyed by externalId (the record engine); `assessments` has its own importer (imports/assessments.ts). */
export type RecordImportType = Exclude<ImportType, 'assessments'>;

export type ColumnKind =
  | { kind: 'externalId' }
  | { kind: 'text'; max: number }
  | { kind: 'url' }
  | { kind: 'code'; list: Coded }
  | { kind: 'codes'; list: Coded }
  | { kind: 'date' }
  | { kind: 'number' }
  | { kind: 'integer'; min: number; max: number }
  | { kind: 'ref'; to: ImportEntity }
  | { kind: 'refs'; to: ImportEntity }
  /** `EXT-ID=role; EXT-ID=role` (role by code or label; blank role = implementing). */
  | { kind: 'partnerLinks' };

export interface ColumnDef {
  name: string;
  required: boolean;
  description: string;
  /** The template's example value (refers to demo records DEMO-P-n, DEMO-PS-n, DEMO-AP-n, DEMO-I-n). */
  example: string;
  type: ColumnKind;
}

const externalId = (what: string, example: string): ColumnDef => ({
  name: 'externalId', required: true, type: { kind: 'externalId' }, example,
  description: `Your stable id for this ${what} (up to 100 characters, no spaces, ";" or "="). Importing a row with an id that exists updates that ${what}; a new id creates one.`,
});

export const COLUMNS: Record<ImportType, readonly ColumnDef[]> = {
  partners: [
    externalId('partner', 'EXAMPLE-P-1'),
    { name: 'name', required: true, type: { kind: 'text', max: 300 }, example: 'Example National Employment Agency', description: 'Name of the organization.' },
    { name: 'partnerType', required: true, type: { kind: 'code', list: PARTNER_TYPES }, example: 'government', description: 'Kind of partner, by code or label.' },
    { name: 'hqCountry', required: false, type: { kind: 'code', list: COUNTRIES }, example: 'TZA', description: 'Country of the headquarters (ISO alpha-3 code or name); blank for international organizations.' },
    { name: 'hqRegion', required: false, type: { kind: 'code', list: REGIONS }, example: 'AFR', description: 'Region of the headquarters; taken from hqCountry when blank. Partners are created and changed by admins.' },
  ],
  partnerships: [
    externalId('partnership', 'EXAMPLE-PS-1'),
    { name: 'title', required: true, type: { kind: 'text', max: 500 }, example: 'Youth employment in Tanzania (example)', description: 'Title of the partnership.' },
    { name: 'modality', required: true, type: { kind: 'code', list: MODALITIES }, example: 'earmarked', description: 'How it is funded or run.' },
    { name: 'level', required: true, type: { kind: 'code', list: LEVELS }, example: 'national', description: 'International, regional or national.' },
    { name: 'region', required: true, type: { kind: 'code', list: REGIONS }, example: 'AFR', description: 'Region (code or label). Partnerships are created and changed by admins.' },
    { name: 'country', required: false, type: { kind: 'code', list: COUNTRIES }, example: 'TZA', description: 'Country, for national partnerships; must lie in the region.' },
    { name: 'mandates', required: true, type: { kind: 'codes', list: MANDATES }, example: 'MDG-1B-2008; ECOSOC-MD-2006', description: 'Mandates it answers to, separated by ";" (at least one).' },
    { name: 'outcomes', required: false, type: { kind: 'codes', list: OUTCOMES }, example: 'O1; O19', description: 'ILO outcomes O1–O19 it contributes to, separated by ";".' },
    { name: 'startDate', required: true, type: { kind: 'date' }, example: '2012-01-01', description: 'Start date, YYYY-MM-DD.' },
    { name: 'endDate', required: true, type: { kind: 'date' }, example: '2015-12-31', description: 'End date, YYYY-MM-DD, not before the start.' },
    { name: 'resourcesUsd', required: true, type: { kind: 'integer', min: 0, max: 1e12 }, example: '1,250,000', description: 'Resources in whole US dollars (1250000 or 1,250,000); 0 for partnerships without funds.' },
    { name: 'status', required: true, type: { kind: 'code', list: PARTNERSHIP_STATUSES }, example: 'active', description: 'Pipeline, active, completed or suspended.' },
    { name: 'leadPartner', required: true, type: { kind: 'ref', to: 'partners' }, example: 'DEMO-P-1', description: 'External id of the lead partner (a partner in the database or in an earlier import).' },
    { name: 'leadRole', required: false, type: { kind: 'code', list: PARTNER_ROLES }, example: 'funding', description: 'Role of the lead partner; funding when blank.' },
    { name: 'partners', required: false, type: { kind: 'partnerLinks' }, example: 'DEMO-P-2=implementing', description: 'Other partners as externalId=role, separated by ";" (role blank = implementing).' },
  ],
  'action-plans': [
    externalId('action plan', 'EXAMPLE-AP-1'),
    { name: 'title', required: true, type: { kind: 'text', max: 500 }, example: 'Decent work action plan, Tanzania 2012–2015 (example)', description: 'Title of the action plan.' },
    { name: 'owningUnit', required: true, type: { kind: 'text', max: 200 }, example: 'Country Office', description: 'Unit responsible for it.' },
    { name: 'region', required: true, type: { kind: 'code', list: REGIONS }, example: 'AFR', description: 'Region (code or label). Action plans are created and changed by admins.' },
    { name: 'country', required: false, type: { kind: 'code', list: COUNTRIES }, example: 'TZA', description: 'Country, when the plan is for one country; must lie in the region.' },
    { name: 'mandates', required: true, type: { kind: 'codes', list: MANDATES }, example: 'ECOSOC-MD-2006', description: 'Mandates it answers to, separated by ";" (at least one).' },
    { name: 'outcomes', required: false, type: { kind: 'codes', list: OUTCOMES }, example: 'O19', description: 'ILO outcomes O1–O19, separated by ";".' },
    { name: 'partnerships', required: false, type: { kind: 'refs', to: 'partnerships' }, example: 'DEMO-PS-1', description: 'External ids of the partnerships it covers, separated by ";".' },
    { name: 'startDate', required: true, type: { kind: 'date' }, example: '2012-01-01', description: 'Start date, YYYY-MM-DD.' },
    { name: 'endDate', required: true, type: { kind: 'date' }, example: '2015-12-31', description: 'End date, YYYY-MM-DD, not before the start.' },
  ],
  milestones: [
    externalId('milestone', 'EXAMPLE-M-1'),
    { name: 'actionPlan', required: true, type: { kind: 'ref', to: 'action-plans' }, example: 'DEMO-AP-1', description: 'External id of the action plan it belongs to. Admins create milestones and change actionPlan, title and dueDate; editors of the plan\'s region may import the progress columns of existing milestones.' },
    { name: 'title', required: true, type: { kind: 'text', max: 500 }, example: 'Validate the national employment policy (example)', description: 'What is to be done.' },
    { name: 'dueDate', required: true, type: { kind: 'date' }, example: '2013-06-30', description: 'Due date, YYYY-MM-DD.' },
    { name: 'status', required: false, type: { kind: 'code', list: MILESTONE_STATUS_LIST }, example: 'completed', description: 'Not started (default), in progress, completed, delayed or cancelled.' },
    { name: 'percentComplete', required: false, type: { kind: 'integer', min: 0, max: 100 }, example: '100', description: 'Whole percent 0–100; 100 when blank and completed, else 0.' },
    { name: 'completedDate', required: false, type: { kind: 'date' }, example: '2013-06-15', description: 'Date it was completed; required when the status is completed.' },
    { name: 'statusDate', required: false, type: { kind: 'date' }, example: '', description: 'Date the status took effect, for the history ("as of" views); when blank, the completed date for completed milestones, else the day of the import.' },
    { name: 'evidenceNote', required: false, type: { kind: 'text', max: 4000 }, example: 'Validation workshop report', description: 'Evidence of progress.' },
    { name: 'evidenceUrl', required: false, type: { kind: 'url' }, example: '', description: 'Link to the evidence (http or https).' },
  ],
  indicators: [
    externalId('indicator', 'EXAMPLE-I-1'),
    { name: 'actionPlan', required: true, type: { kind: 'ref', to: 'action-plans' }, example: 'DEMO-AP-1', description: 'External id of the action plan it measures. Indicators are created and changed by admins.' },
    { name: 'name', required: true, type: { kind: 'text', max: 500 }, example: 'Member States making decent work central to policy-making (example)', description: 'What is measured.' },
    { name: 'unit', required: true, type: { kind: 'code', list: INDICATOR_UNITS }, example: 'number', description: 'Number, percent, USD or rating.' },
    { name: 'direction', required: true, type: { kind: 'code', list: DIRECTIONS }, example: 'increase', description: 'Whether progress means the value goes up (increase) or down (decrease).' },
    { name: 'baselineValue', required: true, type: { kind: 'number' }, example: '2', description: 'Value at the baseline date.' },
    { name: 'baselineDate', required: true, type: { kind: 'date' }, example: '2010-01-01', description: 'Date of the baseline, YYYY-MM-DD.' },
    { name: 'targetValue', required: true, type: { kind: 'number' }, example: '8', description: 'Target value; not below the baseline for increase indicators, not above it for decrease indicators.' },
    { name: 'targetDate', required: false, type: { kind: 'date' }, example: '2015-12-31', description: 'Date of the target, after the baseline; 2015-12-31 when blank.' },
  ],
  measurements: [
    externalId('measurement', 'EXAMPLE-MS-1'),
    { name: 'indicator', required: true, type: { kind: 'ref', to: 'indicators' }, example: 'DEMO-I-1', description: 'External id of the indicator measured; editors may import measurements of indicators in their regions.' },
    { name: 'value', required: true, type: { kind: 'number' }, example: '5', description: 'Measured value.' },
    { name: 'date', required: true, type: { kind: 'date' }, example: '2014-12-31', description: 'Date the value applies to, YYYY-MM-DD.' },
    { name: 'source', required: false, type: { kind: 'text', max: 500 }, example: 'Country office report', description: 'Where the value comes from.' },
    { name: 'note', required: false, type: { kind: 'text', max: 4000 }, example: '', description: 'Anything a reader should know.' },
  ],
  assessments: [
    { name: 'entityType', required: true, type: { kind: 'code', list: ENTITY_TYPES }, example: 'country_team', description: 'agency (a UN agency or IFI) or country_team (a UN country team). One row per rating: the rows of one entity and checkpoint make one assessment, created or updated as a whole.' },
    { name: 'agency', required: false, type: { kind: 'ref', to: 'partners' }, example: '', description: 'For agencies: external id of the partner (of type un or ifi).' },
    { name: 'country', required: false, type: { kind: 'code', list: COUNTRIES }, example: 'TZA', description: 'For country teams: the country (ISO alpha-3 code or name).' },
    { name: 'checkpoint', required: true, type: { kind: 'text', max: 10 }, example: '2015', description: 'baseline, 2010, 2015, or an interim date YYYY-MM-DD.' },
    { name: 'assessedOn', required: true, type: { kind: 'date' }, example: '2015-11-30', description: 'Date of the assessment, YYYY-MM-DD; the same on every row of the assessment. It counts on the scorecard from this date on.' },
    { name: 'status', required: false, type: { kind: 'code', list: [{ code: 'draft', label: 'Draft' }, { code: 'complete', label: 'Complete' }] }, example: 'draft', description: 'draft (default) or complete; complete needs a rating of every current criterion (in the file or already stored).' },
    { name: 'criterion', required: true, type: { kind: 'text', max: 20 }, example: 'EE1', description: 'Code of the criterion rated (see the checklist).' },
    { name: 'rating', required: true, type: { kind: 'code', list: SCORECARD_RATINGS }, example: 'meets', description: 'missing, approaches, meets, exceeds or not_applicable (code or label).' },
    { name: 'note', required: false, type: { kind: 'text', max: 2000 }, example: 'Youth employment strategy adopted (example)', description: 'Short justification of the rating.' },
    { name: 'evidenceUrl', required: false, type: { kind: 'url' }, example: '', description: 'Link to the evidence (http or https).' },
  ],
};

/** Human words for each import type (messages, audit, sheet names). */
export const TYPE_LABEL: Record<ImportEntity, string> = {
  partners: 'partner', partnerships: 'partnership', 'action-plans': 'action plan', milestones: 'milestone', indicators: 'indicator', measurements: 'measurement',
};
