import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, type TestApp } from './harness.ts';

describe.each(databases())('foundation on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp(kind); });
  afterAll(async () => { await t?.close(); });

  it('reports health with the database in use', async () => {
    const res = await t.request('GET', '/api/v1/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', database: kind });
  });

  it('signs the manager in and says demo data is loaded', async () => {
    const cookie = await t.login('manager@demo.local');
    const res = await t.request('GET', '/api/v1/auth/me', { cookie });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.user).toMatchObject({ email: 'manager@demo.local', role: 'viewer' });
    expect(body.demo).toBe(true);
  });

  it('refuses a wrong password with 401 problem+json', async () => {
    const res = await t.request('POST', '/api/v1/auth/login', { body: { email: 'manager@demo.local', password: 'nope' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect((await res.json()).title).toBe('Sign-in failed');
  });

  it('denies API routes without a session (deny by default)', async () => {
    const res = await t.request('GET', '/api/v1/reference');
    expect(res.status).toBe(401);
  });

  it('ends the session at sign-out', async () => {
    const cookie = await t.login('staff.asia@demo.local');
    expect((await t.request('POST', '/api/v1/auth/logout', { cookie })).status).toBe(204);
    expect((await t.request('GET', '/api/v1/auth/me', { cookie })).status).toBe(401);
  });

  it('names the field and reason for an invalid sign-in body', async () => {
    const res = await t.request('POST', '/api/v1/auth/login', { body: { email: 'not-an-email' } });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['email', 'password']);
  });
});
