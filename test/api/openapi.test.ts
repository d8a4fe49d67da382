/** The OpenAPI document: generated from the endpoint table, valid under a real OpenAPI 3.1 validator, and documenting the progress API. */
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, type TestApp } from './harness.ts';

interface Operation { summary?: string; description?: string; parameters?: { name: string; in: string }[]; responses: Record<string, { content?: Record<string, { schema?: Record<string, unknown> }> }> }
type Doc = { openapi: string; paths: Record<string, Record<string, Operation>> };

const PROGRESS_PATHS = [
  '/api/v1/progress/summary', '/api/v1/progress/by/{dimension}', '/api/v1/progress/trajectory', '/api/v1/progress/timeline',
  '/api/v1/action-plans/{id}/progress', '/api/v1/indicators/{id}/progress',
];

describe.each(databases())('OpenAPI document on %s', (kind) => {
  let t: TestApp;
  let doc: Doc;
  beforeAll(async () => {
    t = await startTestApp(kind, { seed: 'none' });
    const res = await t.request('GET', '/api/v1/openapi.json');
    expect(res.status).toBe(200);
    doc = (await res.json()) as Doc;
  });
  afterAll(async () => { await t?.close(); });

  it('validates as OpenAPI 3.1', async () => {
    expect(doc.openapi).toBe('3.1.0');
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    // The validator is not vacuous: a broken copy fails.
    const broken = JSON.parse(JSON.stringify(doc)) as { paths: Record<string, Record<string, unknown>> };
    broken.paths['/api/v1/progress/summary'] = { get: { responses: 'none' } };
    expect((await new Validator().validate(broken)).valid).toBe(false);
  });

  it('lists the progress paths, each a GET with a documented JSON response', () => {
    for (const p of PROGRESS_PATHS) {
      const op = doc.paths[p]?.get;
      expect(op, p).toBeDefined();
      expect(op?.responses['200']?.content?.['application/json']?.schema, p).toBeDefined();
      expect(op?.responses['400'], p).toBeDefined();
      expect(op?.responses['401'], p).toBeDefined();
    }
  });

  it('documents the filters and the counting rules', () => {
    const summary = doc.paths['/api/v1/progress/summary']?.get;
    expect(summary?.parameters?.map((x) => x.name)).toEqual(expect.arrayContaining(['region', 'country', 'partnerType', 'modality', 'mandate', 'objective', 'outcome', 'status', 'from', 'to', 'asOf']));
    expect(doc.paths['/api/v1/progress/trajectory']?.get?.parameters?.map((x) => x.name)).toContain('interval');
    const by = doc.paths['/api/v1/progress/by/{dimension}']?.get;
    expect(by?.description).toContain("lead partner's type");
    expect(by?.description).toContain('Partition');
    expect(summary?.description).toContain('asOf');
  });
});
