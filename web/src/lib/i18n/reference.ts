/**
 * The reference data's labels in the page's language, by code (generated from shared/src/reference.ts and
 * scorecard-reference.ts; the texts are in web/messages/<lang>.json, keys `ref_<kind>_<code>`).
 * An unknown code reads as itself, as labelOf does.
 */
import { COUNTRIES, COUNTRY_ALPHA2 } from '@mm/shared/reference';
import { ILLUSTRATIVE_CRITERIA } from '@mm/shared/scorecard-reference';
import { intlLocale } from './format.ts';
import { locale, m } from './locale.ts';

type Labels = Readonly<Record<string, () => string>>;

const REGION: Labels = { 'AFR': m.ref_region_AFR, 'AME': m.ref_region_AME, 'ARB': m.ref_region_ARB, 'ASP': m.ref_region_ASP, 'ECA': m.ref_region_ECA, 'GLO': m.ref_region_GLO };
const PARTNERTYPE: Labels = { 'un': m.ref_partnerType_un, 'ifi': m.ref_partnerType_ifi, 'donor': m.ref_partnerType_donor, 'regional': m.ref_partnerType_regional, 'private': m.ref_partnerType_private, 'ngo': m.ref_partnerType_ngo, 'faith': m.ref_partnerType_faith, 'academia': m.ref_partnerType_academia, 'parliament': m.ref_partnerType_parliament, 'foundation': m.ref_partnerType_foundation, 'government': m.ref_partnerType_government };
const MODALITY: Labels = { 'earmarked': m.ref_modality_earmarked, 'rbsa': m.ref_modality_rbsa, 'domestic_trust': m.ref_modality_domestic_trust, 'joint_un': m.ref_modality_joint_un, 'ppp': m.ref_modality_ppp, 'south_south': m.ref_modality_south_south, 'triangular': m.ref_modality_triangular, 'policy': m.ref_modality_policy };
const LEVEL: Labels = { 'international': m.ref_level_international, 'regional': m.ref_level_regional, 'national': m.ref_level_national };
const MANDATE: Labels = { 'WSO-2005': m.ref_mandate_WSO_2005, 'ECOSOC-MD-2006': m.ref_mandate_ECOSOC_MD_2006, 'CEB-TOOLKIT-2007': m.ref_mandate_CEB_TOOLKIT_2007, 'DAO-2007': m.ref_mandate_DAO_2007, 'TCPR-2007': m.ref_mandate_TCPR_2007, 'MDG-1B-2008': m.ref_mandate_MDG_1B_2008, 'SJD-2008': m.ref_mandate_SJD_2008, 'GJP-2009': m.ref_mandate_GJP_2009, 'SPF-2009': m.ref_mandate_SPF_2009, 'RIO20-2012': m.ref_mandate_RIO20_2012, 'QCPR-2012': m.ref_mandate_QCPR_2012 };
const OBJECTIVE: Labels = { 'EMP': m.ref_objective_EMP, 'SP': m.ref_objective_SP, 'SD': m.ref_objective_SD, 'STD': m.ref_objective_STD, 'PC': m.ref_objective_PC };
const OUTCOME: Labels = { 'O1': m.ref_outcome_O1, 'O2': m.ref_outcome_O2, 'O3': m.ref_outcome_O3, 'O4': m.ref_outcome_O4, 'O5': m.ref_outcome_O5, 'O6': m.ref_outcome_O6, 'O7': m.ref_outcome_O7, 'O8': m.ref_outcome_O8, 'O9': m.ref_outcome_O9, 'O10': m.ref_outcome_O10, 'O11': m.ref_outcome_O11, 'O12': m.ref_outcome_O12, 'O13': m.ref_outcome_O13, 'O14': m.ref_outcome_O14, 'O15': m.ref_outcome_O15, 'O16': m.ref_outcome_O16, 'O17': m.ref_outcome_O17, 'O18': m.ref_outcome_O18, 'O19': m.ref_outcome_O19 };
const PARTNERROLE: Labels = { 'funding': m.ref_partnerRole_funding, 'implementing': m.ref_partnerRole_implementing, 'accountable': m.ref_partnerRole_accountable, 'extending': m.ref_partnerRole_extending, 'technical': m.ref_partnerRole_technical };
const PARTNERSHIPSTATUS: Labels = { 'pipeline': m.ref_partnershipStatus_pipeline, 'active': m.ref_partnershipStatus_active, 'completed': m.ref_partnershipStatus_completed, 'suspended': m.ref_partnershipStatus_suspended };
const MILESTONESTATUS: Labels = { 'not_started': m.ref_milestoneStatus_not_started, 'in_progress': m.ref_milestoneStatus_in_progress, 'completed': m.ref_milestoneStatus_completed, 'delayed': m.ref_milestoneStatus_delayed, 'cancelled': m.ref_milestoneStatus_cancelled };
const UNIT: Labels = { 'number': m.ref_unit_number, 'percent': m.ref_unit_percent, 'usd': m.ref_unit_usd, 'rating': m.ref_unit_rating };
const DIRECTION: Labels = { 'increase': m.ref_direction_increase, 'decrease': m.ref_direction_decrease };
const INDICATORSTATUS: Labels = { 'achieved': m.ref_indicatorStatus_achieved, 'on_track': m.ref_indicatorStatus_on_track, 'at_risk': m.ref_indicatorStatus_at_risk, 'off_track': m.ref_indicatorStatus_off_track, 'no_data': m.ref_indicatorStatus_no_data };
const PILLAR: Labels = { 'employment': m.ref_pillar_employment, 'social_protection': m.ref_pillar_social_protection, 'standards': m.ref_pillar_standards, 'governance': m.ref_pillar_governance };
const RATING: Labels = { 'missing': m.ref_rating_missing, 'approaches': m.ref_rating_approaches, 'meets': m.ref_rating_meets, 'exceeds': m.ref_rating_exceeds, 'not_applicable': m.ref_rating_not_applicable };
const CHECKPOINT: Labels = { 'baseline': m.ref_checkpoint_baseline, '2010': m.ref_checkpoint_2010, '2015': m.ref_checkpoint_2015 };
const ENTITYTYPE: Labels = { 'agency': m.ref_entityType_agency, 'country_team': m.ref_entityType_country_team };
const CRITERION: Labels = { EE1: m.ref_criterion_EE1, EE2: m.ref_criterion_EE2, EE3: m.ref_criterion_EE3, EE4: m.ref_criterion_EE4, EE5: m.ref_criterion_EE5, SP1: m.ref_criterion_SP1, SP2: m.ref_criterion_SP2, SP3: m.ref_criterion_SP3, SP4: m.ref_criterion_SP4, SP5: m.ref_criterion_SP5, SR1: m.ref_criterion_SR1, SR2: m.ref_criterion_SR2, SR3: m.ref_criterion_SR3, SR4: m.ref_criterion_SR4, SR5: m.ref_criterion_SR5, GS1: m.ref_criterion_GS1, GS2: m.ref_criterion_GS2, GS3: m.ref_criterion_GS3, GS4: m.ref_criterion_GS4, GS5: m.ref_criterion_GS5 };

function label(list: Labels, code: string | null | undefined): string {
  if (code === null || code === undefined) return '';
  return list[code]?.() ?? code;
}

export const regionLabel = (code: string | null | undefined): string => label(REGION, code);
export const partnerTypeLabel = (code: string | null | undefined): string => label(PARTNERTYPE, code);
export const modalityLabel = (code: string | null | undefined): string => label(MODALITY, code);
export const levelLabel = (code: string | null | undefined): string => label(LEVEL, code);
export const mandateLabel = (code: string | null | undefined): string => label(MANDATE, code);
export const objectiveLabel = (code: string | null | undefined): string => label(OBJECTIVE, code);
export const outcomeLabel = (code: string | null | undefined): string => label(OUTCOME, code);
export const partnerRoleLabel = (code: string | null | undefined): string => label(PARTNERROLE, code);
export const partnershipStatusLabel = (code: string | null | undefined): string => label(PARTNERSHIPSTATUS, code);
export const milestoneStatusLabel = (code: string | null | undefined): string => label(MILESTONESTATUS, code);
export const unitLabel = (code: string | null | undefined): string => label(UNIT, code);
export const directionLabel = (code: string | null | undefined): string => label(DIRECTION, code);
export const indicatorStatusLabel = (code: string | null | undefined): string => label(INDICATORSTATUS, code);
export const pillarLabel = (code: string | null | undefined): string => label(PILLAR, code);
export const ratingLabel = (code: string | null | undefined): string => label(RATING, code);
export const checkpointLabel = (code: string | null | undefined): string => label(CHECKPOINT, code);
export const entityTypeLabel = (code: string | null | undefined): string => label(ENTITYTYPE, code);
/** A criterion's text: the illustrative checklist's in this language while unchanged, else as an admin wrote it. */
export function criterionText(code: string, text: string): string {
  const illustrative = ILLUSTRATIVE_CRITERIA.find((c) => c.code === code);
  return illustrative?.text === text ? (CRITERION[code]?.() ?? text) : text;
}

const alpha2 = new Map<string, string>(Object.entries(COUNTRY_ALPHA2).map(([two, three]) => [three, two]));
const regionNames = locale === 'en' ? undefined : new Intl.DisplayNames([intlLocale], { type: 'region' });
/** A country by its ISO alpha-3 code: the UN name in English, Intl's name in French and Spanish. */
export function countryLabel(code: string | null | undefined): string {
  if (!code) return '';
  const two = alpha2.get(code);
  if (regionNames && two) return regionNames.of(two) ?? code;
  return COUNTRIES.find((c) => c.code === code)?.label ?? code;
}

const ROLE: Labels = { viewer: m.role_viewer, editor: m.role_editor, reviewer: m.role_reviewer, admin: m.role_admin };
export const roleLabel = (code: string | null | undefined): string => label(ROLE, code);
