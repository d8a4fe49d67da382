/** The OpenAPI 3.1 document, generated from the same endpoint table and zod schemas the routes validate with. */
import { z } from 'zod';
import type { Endpoint } from './endpoint.ts';
import { CSRF_HEADER, CSRF_VALUE } from './security.ts';

type Json = Record<string, unknown>;

function schemaOf(s: z.ZodType, io: 'input' | 'output'): Json {
  const js = z.toJSONSchema(s, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Json;
  delete js.$schema;
  return js;
}

function objectProps(s: z.ZodType): { props: Record<string, Json>; required: string[] } {
  const js = schemaOf(s, 'input');
  return { props: (js.properties as Record<string, Json> | undefined) ?? {}, required: (js.required as string[] | undefined) ?? [] };
}

const problemRef = { $ref: '#/components/schemas/Problem' };
const REASONS: Record<number, string> = {
  200: 'OK', 201: 'Created', 204: 'No content', 304: 'Not modified', 400: 'Invalid input (problem+json names each field and reason)', 401: 'Sign-in required',
  403: 'Forbidden for this role or region', 404: 'Not found', 409: 'Conflict', 412: 'Stale version: the body holds the current record',
  413: 'Body too large', 415: 'Unsupported media type', 428: 'If-Match required', 429: 'Too many requests',
};

export function buildOpenApi(endpoints: readonly Endpoint[], problemSchema: z.ZodType): Json {
  const paths: Record<string, Record<string, Json>> = {};
  for (const ep of endpoints) {
    const path = `/api/v1${ep.path.replace(/:([A-Za-z]+)/g, '{$1}')}`;
    const parameters: Json[] = [];
    if (ep.params) {
      const { props } = objectProps(ep.params);
      for (const [name, schema] of Object.entries(props)) parameters.push({ name, in: 'path', required: true, schema });
    }
    if (ep.query) {
      const { props, required } = objectProps(ep.query);
      for (const [name, schema] of Object.entries(props)) {
        const isArray = schema.type === 'array';
        parameters.push({ name, in: 'query', required: required.includes(name) && !('default' in schema), schema, ...(isArray ? { style: 'form', explode: true } : {}) });
      }
    }
    const writes = ep.method !== 'get';
    if (writes) parameters.push({ name: CSRF_HEADER, in: 'header', required: true, schema: { const: CSRF_VALUE }, description: 'CSRF guard: required on every state-changing request.' });
    if (ep.statuses?.includes(428)) parameters.push({ name: 'If-Match', in: 'header', required: true, schema: { type: 'string' }, description: 'The ETag of the version you read; a stale one gets 412 with the current record, a missing one 428.' });
    const okStatus = ep.method === 'post' && ep.path !== '/auth/login' && ep.bodyKind !== 'none' ? '201' : ep.method === 'delete' ? '204' : '200';
    const responses: Record<string, Json> = {};
    responses[ep.response ? (ep.statuses?.includes(201) ? '201' : ep.method === 'post' && !ep.statuses?.includes(200) ? okStatus : '200') : okStatus] = ep.response
      ? { description: REASONS[200] ?? 'OK', content: { 'application/json': { schema: schemaOf(ep.response, 'output') } } }
      : ep.produces
        ? { description: 'The file', content: Object.fromEntries(ep.produces.map((t) => [t, { schema: { type: 'string', format: 'binary' } }])) }
        : { description: REASONS[Number(okStatus)] ?? 'OK' };
    const statuses = new Set<number>([400, ...(ep.access === 'public' ? [] : [401]), ...(Array.isArray(ep.access) ? [403] : []), ...(ep.params ? [404] : []), ...(ep.statuses ?? [])]);
    for (const s of statuses) if (s >= 300) responses[String(s)] = { description: REASONS[s] ?? 'Error', content: { 'application/problem+json': { schema: problemRef } } };
    const op: Json = {
      operationId: `${ep.method}${ep.path.replace(/[/:{}-]+(\w)?/g, (_m, ch: string | undefined) => (ch ? ch.toUpperCase() : ''))}`,
      summary: ep.summary,
      tags: [ep.tag],
      description: `${ep.description ? `${ep.description}\n\n` : ''}Who may call it: ${ep.access === 'public' ? 'anyone (no session)' : ep.access === 'signed-in' ? 'any signed-in user' : ep.access.join(', ')}${ep.scope === 'region' ? '; editors only within their regions' : ''}.`,
      parameters,
      responses,
      ...(ep.access === 'public' ? { security: [] } : {}),
    };
    if (ep.body && (ep.bodyKind ?? 'json') === 'json') op.requestBody = { required: true, content: { 'application/json': { schema: schemaOf(ep.body, 'input') } } };
    if (ep.bodyKind === 'multipart') op.requestBody = { required: true, content: { 'multipart/form-data': { schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] } } } };
    (paths[path] ??= {})[ep.method] = op;
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Mainstream Monitor API', version: '1.0.0', description: 'Partnerships, action plans, milestones and indicators for mainstreaming decent work, with progress toward 2015.' },
    servers: [{ url: '/' }],
    paths,
    components: {
      schemas: { Problem: schemaOf(problemSchema, 'output') },
      securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'mm_session' } },
    },
    security: [{ session: [] }],
  };
}
