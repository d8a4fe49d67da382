/**
 * THE route table: every endpoint of the API with who may call it (see each `access`). app.ts mounts
 * exactly these, the OpenAPI document lists exactly these, and test/api/authz walks exactly these.
 */
import type { Endpoint } from '../http/endpoint.ts';
import { authEndpoints } from './auth.ts';
import { oidcEndpoints } from './oidc.ts';
import { actionPlanEndpoints } from './action-plans.ts';
import { auditEndpoints } from './audit.ts';
import { indicatorEndpoints } from './indicators.ts';
import { measurementEndpoints } from './measurements.ts';
import { milestoneEndpoints } from './milestones.ts';
import { partnerEndpoints } from './partners.ts';
import { partnershipEndpoints } from './partnerships.ts';
import { userEndpoints } from './users.ts';
import { importEndpoints } from './imports.ts';
import { pingEndpoints } from './ping.ts';
import { progressEndpoints } from './progress.ts';
import { scorecardEndpoints } from './scorecard.ts';
import { reportingEndpoints } from './reporting.ts';
import { publicEndpoints } from './public.ts';
import { systemEndpoints } from './system.ts';
import { exportEndpoints } from './exports.ts';
import { settingsEndpoints, sharedEndpoints, snapshotEndpoints } from './snapshots.ts';
import { snapshotScheduleEndpoints } from './snapshot-schedules.ts';

export const ENDPOINTS: readonly Endpoint[] = [
  ...systemEndpoints,
  ...pingEndpoints,
  ...authEndpoints,
  ...oidcEndpoints,
  // Records, staff editing, users and audit (issue 3 CRUD, issue 5).
  ...partnerEndpoints,
  ...partnershipEndpoints,
  ...actionPlanEndpoints,
  ...milestoneEndpoints,
  ...indicatorEndpoints,
  ...measurementEndpoints,
  ...userEndpoints,
  ...auditEndpoints,
  ...progressEndpoints,
  // The mainstreaming scorecard (issue 15).
  ...scorecardEndpoints,
  // Reporting cycles, locks and timeline events (issue 16).
  ...reportingEndpoints,
  ...importEndpoints,
  ...publicEndpoints,
  // Snapshots, share links, exports and the snapshot setting (issue 6).
  ...snapshotEndpoints,
  ...sharedEndpoints,
  ...settingsEndpoints,
  ...exportEndpoints,
  // Scheduled snapshots e-mailed as PDF/XLSX (issue 18).
  ...snapshotScheduleEndpoints,
];
