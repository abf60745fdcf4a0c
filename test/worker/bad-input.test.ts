// Every route refuses bad input with a 4xx and the one error shape; nothing answers 500.
// On Node and on workerd.
import { beforeEach, describe, expect, it } from 'vitest';
import { b64ToBytes, mailboxProofHeaders, type MailboxKeys } from '../../web/protocol/index.js';
import { listCases } from '../../web/client/investigator.js';
import { API_TARGETS, type ApiTarget, useTarget } from '../support/targets.js';
import { draftReport, fileReport } from '../support/reports.js';
import { ERROR_STATUS } from '../../worker/errors.js';
import { ROUTE_TABLE, routeParts, type Caller, type RouteKey, type RouteSpec } from '../../worker/route-table.js';
import type { z } from 'zod';

type Auth = 'none' | 'session' | 'mailbox';
interface JsonRoute {
  method: string;
  path: () => string;
  auth: Auth;
  /** Field names the body must have (from its schema), for the wrong-types check. */
  fields: string[];
  /** A body the route accepts, where the test can make one: then an unknown field is the only fault. */
  valid?: () => unknown;
}

const authOf = (caller: Caller): Auth => (caller === 'session' || caller === 'admin' ? 'session' : caller === 'mailbox' ? 'mailbox' : 'none');
const fieldsOf = (schema: z.ZodType): string[] => ('shape' in schema ? Object.keys(schema.shape as object) : ['kind']);

// describe.each: one file, both runtimes (see loop.test.ts).
describe.each(API_TARGETS)('on $name', (target) => {
  let t: ApiTarget;
  let keys: MailboxKeys;
  let token: string;
  let caseId: string;
  let validReport: unknown;

  useTarget(target, (started) => (t = started));
  beforeEach(async () => {
    const filed = await fileReport(t.api, 'x');
    keys = filed.keys;
    validReport = (await draftReport(t.api, 'y', { config: filed.config })).submission;
    const session = await t.signIn('alice');
    token = session.token;
    caseId = (await listCases(t.api, session))[0]!.id;
  });

  /** Bodies the test can make valid; every other route with a body is checked without one. */
  const VALID: Partial<Record<RouteKey, () => unknown>> = {
    'POST /api/reports': () => validReport,
    'POST /api/mailbox/messages': () => ({ id: 'A'.repeat(22), envelope: 'A'.repeat(1420), signature: 'A'.repeat(86), prev: 'A'.repeat(43) }),
    'POST /api/investigator/prelogin': () => ({ username: 'alice' }),
    'POST /api/investigator/sessions': () => ({ username: 'alice', authKey: 'A'.repeat(43), totp: '123456' }),
    'POST /api/investigator/cases/:caseId/messages': () => ({ id: 'A'.repeat(22), envelope: 'A'.repeat(1420), signature: 'A'.repeat(86), prev: 'A'.repeat(43) }),
    'PUT /api/investigator/account/notices': () => ({ email: 'alice@unit.example' }),
    'PUT /api/investigator/cases/:caseId/status': () => ({ id: 'A'.repeat(22), envelope: 'A'.repeat(1420), signature: 'A'.repeat(86), prev: 'A'.repeat(43), status: 'closed' }),
  };
  /** Every route of the route table that takes a body, its path parameters filled with real or well-formed values. */
  const ROUTES: Record<string, JsonRoute> = Object.fromEntries(
    (Object.entries(ROUTE_TABLE) as [RouteKey, RouteSpec][]).flatMap(([key, spec]) => {
      if (!spec.body) return [];
      const { method, path } = routeParts(key);
      const valid = VALID[key];
      const route: JsonRoute = {
        method,
        path: () => path.replace(':caseId', caseId).replace(':memberId', 'M'.repeat(21) + 'A').replace(':inviteId', 'I'.repeat(42) + 'A'),
        auth: authOf(spec.caller),
        fields: fieldsOf(spec.body),
        ...(valid ? { valid } : {}),
      };
      return [[key, route]];
    }),
  );

  it('checks every route of the route table that takes a body', () => {
    expect(Object.keys(ROUTES).length).toBe(Object.values(ROUTE_TABLE).filter((spec: RouteSpec) => spec.body).length);
    expect(Object.keys(ROUTES).length).toBeGreaterThanOrEqual(17);
  });

  async function authHeaders(route: JsonRoute, body: Uint8Array): Promise<Record<string, string>> {
    if (route.auth === 'session') return { authorization: `Bearer ${token}` };
    if (route.auth === 'mailbox') {
      const res = await t.request('/api/mailbox/challenge', { method: 'POST' });
      const { challenge } = (await res.json()) as { challenge: string };
      return mailboxProofHeaders(keys, b64ToBytes(challenge)!, route.method, route.path(), body);
    }
    return {};
  }

  async function send(route: JsonRoute, body: string | Uint8Array, contentType = 'application/json'): Promise<Response> {
    const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
    const headers = { 'content-type': contentType, ...(await authHeaders(route, bytes)) };
    return t.request(route.path(), { method: route.method, headers, body: bytes as Uint8Array<ArrayBuffer> });
  }

  async function expectError(res: Response, code: keyof typeof ERROR_STATUS): Promise<void> {
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect({ status: res.status, code: body.error.code }).toEqual({ status: ERROR_STATUS[code], code });
    expect(typeof body.error.message).toBe('string');
    expect(Object.keys(body)).toEqual(['error']);
    expect(Object.keys(body.error).sort()).toEqual(['code', 'message']);
  }

  describe.each(Object.entries(ROUTES))('%s', (_name, route) => {
    it('refuses malformed JSON', async () => expectError(await send(route, '{"a": '), 'invalid_json'));
    it('refuses a body that is not JSON at all', async () => expectError(await send(route, '\u0000\u00ff garbage'), 'invalid_json'));
    it('refuses the wrong content type', async () => expectError(await send(route, JSON.stringify(route.valid?.() ?? {}), 'text/plain'), 'unsupported_media_type'));
    it('refuses wrong types', async () => {
      const body = Object.fromEntries(route.fields.map((k) => [k, 12345]));
      await expectError(await send(route, JSON.stringify(body)), 'invalid_body');
    });
    it('refuses an array, null and a string in place of the object', async () => {
      for (const body of ['[]', 'null', '"text"', '42']) await expectError(await send(route, body), 'invalid_body');
    });
    it.runIf(route.valid !== undefined)('refuses an unknown field in an otherwise acceptable body', async () => {
      await expectError(await send(route, JSON.stringify({ ...(route.valid!() as object), extra: true })), 'invalid_body');
    });
    it('refuses an oversized body', async () => {
      await expectError(await send(route, JSON.stringify({ padding: 'x'.repeat(200 * 1024) })), 'payload_too_large');
    });
  });

  describe('paths, methods and authentication', () => {
    it('refuses a malformed path parameter or query on every route of the route table that takes one', async () => {
      const checked: string[] = [];
      for (const [key, spec] of Object.entries(ROUTE_TABLE) as [RouteKey, RouteSpec][]) {
        if (!spec.params && !spec.query) continue;
        const { method, path } = routeParts(key);
        const headers: Record<string, string> = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
        const body = method === 'GET' || method === 'DELETE' ? null : '{}';
        if (spec.params) {
          const bad = path.replace(/:[A-Za-z]+/g, 'not-base64!');
          const res = await t.request(bad, { method, headers, body });
          // /static/:file answers a name it will never serve as not found; the API names the bad parameter.
          await expectError(res, key === 'GET /static/:file' ? 'not_found' : 'invalid_parameter');
        }
        if (spec.query) await expectError(await t.request(`${path}?limit=zero&unknown=1`, { headers }), 'invalid_parameter');
        checked.push(key);
      }
      expect(checked.length).toBe(Object.values(ROUTE_TABLE).filter((spec: RouteSpec) => spec.params || spec.query).length);
    });

    it('answers unknown routes with not_found', async () => {
      for (const path of ['/api/nothing', '/api/investigator/nothing', '/api/reports/1', '/']) await expectError(await t.request(path), 'not_found');
    });
    it('refuses a malformed case id', async () => {
      for (const id of ['not-base64!', 'AAAA', 'A'.repeat(300)]) {
        await expectError(await t.request(`/api/investigator/cases/${id}`, { headers: { authorization: `Bearer ${token}` } }), 'invalid_parameter');
      }
    });
    it('answers an unknown case id with not_found', async () => {
      await expectError(await t.request(`/api/investigator/cases/${'B'.repeat(21)}A`, { headers: { authorization: `Bearer ${token}` } }), 'not_found');
    });
    it('refuses investigator routes without a valid session', async () => {
      for (const authorization of [undefined, 'Bearer', 'Bearer !!!', `Bearer ${'A'.repeat(43)}`, `Basic ${token}`]) {
        const headers: Record<string, string> = authorization ? { authorization } : {};
        await expectError(await t.request('/api/investigator/cases', { headers }), 'unauthorised');
      }
    });
    it('refuses mailbox routes with malformed proof headers', async () => {
      for (const headers of [{}, { 'parley-mailbox': '%%%' }, { 'parley-mailbox': 'A'.repeat(43), 'parley-challenge': 'short', 'parley-proof': '' }] as Record<string, string>[]) {
        await expectError(await t.request('/api/mailbox', { headers }), 'mailbox_proof_failed');
      }
    });
    it('refuses a report for an unknown organisation or stale organisation key', async () => {
      const report = validReport as { orgId: string; orgCaseKey: { keyVersion: number } };
      await expectError(await send(ROUTES['POST /api/reports']!, JSON.stringify({ ...report, orgId: 'C'.repeat(21) + 'A' })), 'not_found');
      await expectError(await send(ROUTES['POST /api/reports']!, JSON.stringify({ ...report, orgCaseKey: { ...report.orgCaseKey, keyVersion: 9 } })), 'org_key_changed');
    });
    it('refuses a report whose signature does not verify', async () => {
      const report = validReport as { report: { signature: string } };
      const sig = b64ToBytes(report.report.signature)!;
      sig[0]! ^= 1;
      const tampered = { ...report, report: { ...report.report, signature: Buffer.from(sig).toString('base64url') } };
      await expectError(await send(ROUTES['POST /api/reports']!, JSON.stringify(tampered)), 'invalid_body');
    });
    it('refuses the same report twice without a 500', async () => {
      expect((await send(ROUTES['POST /api/reports']!, JSON.stringify(validReport))).status).toBe(201);
      await expectError(await send(ROUTES['POST /api/reports']!, JSON.stringify(validReport)), 'duplicate_id');
    });
  });
});
