/**
 * Every route is declared once as an Endpoint: method, path, who may call it, and the zod schemas it
 * validates with. app.ts mounts them, the OpenAPI document is generated from them, and the authorization
 * test walks them. A route not declared here does not exist (deny by default).
 */
import { MAX_ID, type Role, type User } from '@mm/shared';
import type { Context } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../deps.ts';

export type Access =
  | 'public' // no session needed (health, sign-in, share links)
  | 'signed-in' // any active user
  | readonly Role[];

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface SessionUser extends User { sessionId: string }

export interface AppEnv {
  Variables: {
    deps: AppDeps; user: SessionUser | null; requestId: string;
    /** The matched route pattern (`/api/v1/milestones/:id`), for logs and metrics (ops/observe.ts). */
    route?: string;
    /** meta.data_version as read with the session (absent on requests without one); see http/cache.ts. */
    dataVersion?: string;
  };
}

export interface RouteInput<P, Q, B> {
  c: Context<AppEnv>;
  deps: AppDeps;
  /** The signed-in user; null only on 'public' routes. */
  user: SessionUser | null;
  params: P;
  query: Q;
  body: B;
}

export interface Endpoint {
  method: Method;
  /** Hono path under /api/v1, e.g. `/milestones/:id`. */
  path: string;
  access: Access;
  summary: string;
  /** Longer text for the API docs (e.g. counting rules), shown before who may call it. */
  description?: string;
  tag: string;
  /** Object-level scope rule the handler enforces, stated for the reader and the authorization test. */
  scope?: 'region' | 'owner' | 'none';
  params?: z.ZodType;
  query?: z.ZodType;
  /** 'json' (default for writes) or 'multipart' (file uploads) or 'none'. */
  bodyKind?: 'json' | 'multipart' | 'none';
  body?: z.ZodType;
  response?: z.ZodType;
  /** Extra documented status codes. */
  statuses?: readonly number[];
  /** Response media type when not JSON (exports). */
  produces?: readonly string[];
  handler: (input: RouteInput<unknown, unknown, unknown>) => Promise<Response> | Response;
}

/** Declares an endpoint with typed handler input inferred from its schemas. */
export function endpoint<
  P extends z.ZodType = z.ZodUndefined,
  Q extends z.ZodType = z.ZodUndefined,
  B extends z.ZodType = z.ZodUndefined,
>(def: Omit<Endpoint, 'handler' | 'params' | 'query' | 'body'> & {
  params?: P;
  query?: Q;
  body?: B;
  handler: (input: RouteInput<z.output<P>, z.output<Q>, z.output<B>>) => Promise<Response> | Response;
}): Endpoint {
  // The handler only ever receives values parsed by these same schemas (see mount.ts).
  return def as unknown as Endpoint;
}

/** Params schema for `/:id` routes. */
// Capped at the largest 32-bit integer: PostgreSQL `integer` columns raise (a 500) on anything bigger.
export const idParams = z.strictObject({ id: z.string().regex(/^[1-9]\d{0,9}$/, 'must be a positive integer id').transform(Number).refine((n) => n <= MAX_ID, 'must be a positive integer id') });
