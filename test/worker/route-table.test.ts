// The route table (worker/route-table.ts) is the app's routes, no more and no fewer; the OpenAPI
// document made from it is served, and the copy in docs/ is the one the code makes.
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { ROUTE_TABLE } from '../../worker/route-table.js';
import { ERROR_STATUS } from '../../worker/errors.js';
import { OPENAPI_FILE, openApiText } from '../../scripts/openapi.js';
import { makeTestApp } from '../support/test-app.js';

const t = makeTestApp();
afterAll(() => t.close());

describe('the route table', () => {
  it('lists exactly the routes the app answers', () => {
    const appRoutes = new Set(t.app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`));
    expect([...appRoutes].sort()).toEqual(Object.keys(ROUTE_TABLE).sort());
  });

  it('is served as OpenAPI 3.1, every route with its caller, body and answer, and every error code', async () => {
    const res = await t.app.request('/api/openapi.json');
    expect(res.status).toBe(200);
    const document = (await res.json()) as { openapi: string; paths: Record<string, Record<string, { responses: Record<string, unknown>; requestBody?: unknown }>>; components: { schemas: { Error: { properties: { error: { properties: { code: { enum: string[] } } } } } } } };
    expect(document.openapi).toBe('3.1.0');
    const operations = Object.entries(document.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path.replace(/\{([A-Za-z]+)\}/g, ':$1')}`));
    expect(operations.sort()).toEqual(Object.keys(ROUTE_TABLE).sort());
    const submit = document.paths['/api/reports']!.post!;
    expect(submit.requestBody).toMatchObject({ content: { 'application/json': { schema: { type: 'object', required: expect.arrayContaining(['orgId', 'caseId', 'mailbox', 'orgCaseKey', 'report']) } } } });
    expect(submit.responses['201']).toMatchObject({ content: { 'application/json': { schema: { required: ['reference', 'receivedDay'] } } } });
    expect(document.components.schemas.Error.properties.error.properties.code.enum.sort()).toEqual(Object.keys(ERROR_STATUS).sort());
  });

  it('is checked in as docs/openapi.json exactly as the code makes it (npm run openapi writes it)', () => {
    expect(readFileSync(OPENAPI_FILE, 'utf8')).toBe(openApiText());
  });
});
