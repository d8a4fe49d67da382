/**
 * THE route table: every endpoint of the API with who may call it (see each `access`). app.ts mounts
 * exactly these, the OpenAPI document lists exactly these, and test/api/authz walks exactly these.
 */
import type { Endpoint } from '../http/endpoint.ts';
import { authEndpoints } from './auth.ts';
import { importEndpoints } from './imports.ts';
import { pingEndpoints } from './ping.ts';
import { progressEndpoints } from './progress.ts';
import { publicEndpoints } from './public.ts';
import { systemEndpoints } from './system.ts';

export const ENDPOINTS: readonly Endpoint[] = [
  ...systemEndpoints,
  ...pingEndpoints,
  ...authEndpoints,
  ...progressEndpoints,
  ...importEndpoints,
  ...publicEndpoints,
];
