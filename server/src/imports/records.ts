/** The typed records an import writes, whatever file they came from (spreadsheet rows or IATI activities). */
import type { ImportEntity, ImportIssue } from '@mm/shared';

interface Source {
  /** Spreadsheet row number (header = 1) or IATI activity position; problems point here. */
  row: number;
  externalId: string;
}
export interface PartnerLink { ref: string; role: string; lead: boolean }

export interface PartnerRec extends Source {
  name: string; partnerType: string; hqCountry: string | null; hqRegion: string | null;
  /** Set by the IATI import: an existing partner keeps its HQ and, when its type reports as this IATI code, its type. */
  iatiType?: string;
}
export interface PartnershipRec extends Source {
  title: string; modality: string; level: string; region: string; country: string | null; mandates: string[]; outcomes: string[];
  startDate: string; endDate: string; resourcesUsd: number; status: string; partners: PartnerLink[];
}
export interface ActionPlanRec extends Source {
  title: string; owningUnit: string; region: string; country: string | null; mandates: string[]; outcomes: string[];
  partnerships: string[]; startDate: string; endDate: string;
}
export interface MilestoneRec extends Source {
  actionPlan: string; title: string; dueDate: string; status: string; percentComplete: number; completedDate: string | null;
  statusDate: string | null; evidenceNote: string | null; evidenceUrl: string | null;
}
export interface IndicatorRec extends Source {
  actionPlan: string; name: string; unit: string; direction: string; baselineValue: number; baselineDate: string; targetValue: number; targetDate: string;
}
export interface MeasurementRec extends Source { indicator: string; value: number; date: string; source: string | null; note: string | null }

/** Everything one import wants to write, in dependency order. */
export interface Batch {
  partners: PartnerRec[];
  partnerships: PartnershipRec[];
  actionPlans: ActionPlanRec[];
  milestones: MilestoneRec[];
  indicators: IndicatorRec[];
  measurements: MeasurementRec[];
}

export const emptyBatch = (): Batch => ({ partners: [], partnerships: [], actionPlans: [], milestones: [], indicators: [], measurements: [] });

export const BATCH_KEY: Record<ImportEntity, keyof Batch> = {
  partners: 'partners', partnerships: 'partnerships', 'action-plans': 'actionPlans', milestones: 'milestones', indicators: 'indicators', measurements: 'measurements',
};

/** Problems block an import; warnings say which rule mapped a value. */
export interface Issues { problems: ImportIssue[]; warnings: ImportIssue[] }

export const issue = (row: number, column: string, value: unknown, message: string): ImportIssue => ({
  row, column, value: value === null || value === undefined ? null : String(value).slice(0, 200), message,
});
