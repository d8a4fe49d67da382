/** The progress API's answers for one set of filters, gathered for a snapshot (kept verbatim). */
import { eventsForView, type ProgressFilters, type SnapshotProgress } from '@mm/shared';
import type { AppDeps } from '../deps.ts';
import { getByDimension, getSummary, getTimeline, getTrajectory } from '../queries/progress.ts';
import { listEvents } from '../queries/reporting.ts';
import { scorecardOfView } from '../queries/scorecard-view.ts';

export async function progressViews(deps: AppDeps, f: ProgressFilters & { asOf: string }): Promise<SnapshotProgress> {
  const summary = await getSummary(deps, f);
  const byDimension: SnapshotProgress['byDimension'] = {
    region: await getByDimension(deps, 'region', f),
    country: await getByDimension(deps, 'country', f),
    partnerType: await getByDimension(deps, 'partnerType', f),
    modality: await getByDimension(deps, 'modality', f),
    mandate: await getByDimension(deps, 'mandate', f),
    objective: await getByDimension(deps, 'objective', f),
    outcome: await getByDimension(deps, 'outcome', f),
  };
  const trajectory = { year: await getTrajectory(deps, f, 'year'), quarter: await getTrajectory(deps, f, 'quarter') };
  const timeline = await getTimeline(deps, f);
  const scorecard = await scorecardOfView(deps, f);
  const events = eventsForView(await listEvents(deps.db, {}), f.mandate);
  return { summary, byDimension, trajectory, timeline, scorecard, events };
}
