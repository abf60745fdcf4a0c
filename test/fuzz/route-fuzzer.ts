// Property-based fuzzing of every route with fast-check: generated methods, paths, headers,
// content types, bodies and sizes. For each request: never a 5xx; every error has the one
// documented shape with a known code; and a refused request changes no stored state.
// Used by the short run in `npm test` and the long run in `npm run fuzz`.
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { ERROR_STATUS } from '../../worker/errors.js';
import { ROUTE_TABLE, routeParts } from '../../worker/route-table.js';
import { MAX_FILE_PART_BYTES } from '../../web/protocol/file-lengths.js';

export interface FuzzTarget {
  request(path: string, init: RequestInit): Promise<Response>;
  sqlite: Database.Database;
  /** Real values that let generated requests get past the first checks. */
  seeds: { caseId: string; orgId: string; token: string; validReport: object; locator: string };
}

export interface FuzzStats {
  requests: number;
  byStatus: Record<string, number>;
  byCode: Record<string, number>;
}

/** Tables whose content a refused request must leave alone. Challenges are consumed by design; sessions record last use. */
const GUARDED_TABLES = ['instance_settings', 'organisations', 'investigators', 'org_keyrings', 'cases', 'case_keys', 'mailboxes', 'messages', 'files', 'file_parts', 'file_blobs'];

export function stateDigest(sqlite: Database.Database): string {
  const hash = createHash('sha256');
  for (const table of GUARDED_TABLES) hash.update(JSON.stringify(sqlite.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all()));
  // The audit log only grows (triggers refuse edits), and grows with every successful view,
  // so its head stands for it: reading it whole each time would make long runs quadratic.
  hash.update(JSON.stringify(sqlite.prepare('SELECT org_id, COUNT(*), MAX(seq), (SELECT hash FROM audit_log a WHERE a.org_id = audit_log.org_id ORDER BY seq DESC LIMIT 1) FROM audit_log GROUP BY org_id').all()));
  return hash.digest('hex');
}

const b64url = (min: number, max: number) => fc.uint8Array({ minLength: min, maxLength: max }).map((b) => Buffer.from(b).toString('base64url'));

interface RouteShape {
  method: string;
  path: (id: string) => string;
  /** Whether a valid session token may be sent (never to sign-out, which would end the fuzz session). */
  session: boolean;
}

/** Every route of the route table (worker/route-table.ts), its path parameters generated. */
const ROUTES: RouteShape[] = Object.entries(ROUTE_TABLE).map(([key, spec]) => {
  const { method, path } = routeParts(key);
  return {
    method,
    path: (id: string) => path.replace(/:[A-Za-z]+/g, id),
    session: (spec.caller === 'session' || spec.caller === 'admin') && key !== 'DELETE /api/investigator/sessions/current',
  };
});

/** Mostly the real routes with their own method (to get past routing), sometimes anything at all. */
function methodAndPathArbitrary(seeds: FuzzTarget['seeds']) {
  const id = fc.oneof(fc.constant(seeds.caseId), b64url(0, 40), fc.string({ maxLength: 40 }).map(encodeURIComponent), fc.constant('..%2F..%2Fetc'));
  const known = fc.record({ route: fc.constantFrom(...ROUTES), id }).map(({ route, id: x }) => ({ method: route.method, path: route.path(x), session: route.session }));
  const anything = fc.record({
    method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'),
    path: fc.oneof(fc.webPath().map((p) => (p.startsWith('/') ? p : `/${p}`)), known.map((k) => k.path)),
    session: fc.constant(false),
  });
  return fc.oneof({ weight: 4, arbitrary: known }, { weight: 1, arbitrary: anything });
}

/** A valid object with one field replaced by something generated: reaches deeper validation than noise does. */
function mutatedObject(base: object) {
  const keys = Object.keys(base);
  return fc.record({ key: fc.constantFrom(...keys, '__proto__', 'extra'), value: fc.jsonValue({ maxDepth: 3 }) }).map(({ key, value }) => JSON.stringify({ ...base, [key]: value }));
}

function bodyArbitrary(seeds: FuzzTarget['seeds']) {
  return fc.oneof(
    fc.constant(undefined),
    fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
    mutatedObject(seeds.validReport),
    mutatedObject({ username: 'alice', authKey: seeds.locator }),
    mutatedObject({ status: 'closed' }),
    mutatedObject({ id: seeds.caseId, envelope: 'A'.repeat(1420), signature: 'A'.repeat(86), status: 'closed' }),
    fc.string({ maxLength: 200 }),
    fc.uint8Array({ maxLength: 300 }),
    // Around a file part's limit (the part routes' own, worker/app.ts): just under, at and over it.
    fc.integer({ min: MAX_FILE_PART_BYTES - 2, max: MAX_FILE_PART_BYTES + 2 }).map((n) => new Uint8Array(n)),
    fc.integer({ min: 100_000, max: 300_000 }).map((n) => JSON.stringify({ padding: 'x'.repeat(n) })),
  );
}

function headersArbitrary(seeds: FuzzTarget['seeds'], session: boolean) {
  const validToken = session ? [fc.constant(`Bearer ${seeds.token}`), fc.constant(`Bearer ${seeds.token}`)] : [];
  return fc.record(
    {
      'content-type': fc.constantFrom('application/json', 'application/json', 'application/json; charset=utf-8', 'application/octet-stream', 'text/plain', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', '', 'APPLICATION/JSON'),
      authorization: fc.oneof(...validToken, b64url(0, 40).map((t) => `Bearer ${t}`), fc.string({ maxLength: 60 })),
      'parley-mailbox': fc.oneof(fc.constant(seeds.locator), b64url(0, 40), fc.string({ maxLength: 50 })),
      'parley-challenge': fc.oneof(b64url(32, 32), fc.string({ maxLength: 50 })),
      'parley-proof': fc.oneof(b64url(64, 64), fc.string({ maxLength: 90 })),
    },
    { requiredKeys: session ? ['authorization'] : [] },
  ).map((h) => Object.fromEntries(Object.entries(h).filter(([, v]) => /^[\t\x20-\x7e]*$/.test(v))));
}

export async function fuzzRoutes(target: FuzzTarget, numRuns: number, seed?: number): Promise<FuzzStats> {
  const stats: FuzzStats = { requests: 0, byStatus: {}, byCode: {} };
  const knownCodes = new Set(Object.keys(ERROR_STATUS));
  const request = methodAndPathArbitrary(target.seeds).chain(({ method, path, session }) =>
    fc.record({ method: fc.constant(method), path: fc.constant(path), headers: headersArbitrary(target.seeds, session), body: bodyArbitrary(target.seeds) }),
  );
  await fc.assert(
    fc.asyncProperty(request, async ({ method, path, headers, body }) => {
      const withBody = body !== undefined && method !== 'GET' && method !== 'HEAD';
      const before = stateDigest(target.sqlite);
      const res = await target.request(path, { method, headers, ...(withBody ? { body: body as BodyInit } : {}) });
      stats.requests++;
      stats.byStatus[res.status] = (stats.byStatus[res.status] ?? 0) + 1;
      if (res.status >= 500) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
      if (res.status >= 400 && method !== 'HEAD') {
        const payload = (await res.json()) as { error?: { code?: string; message?: string } };
        const code = payload.error?.code ?? '';
        stats.byCode[code] = (stats.byCode[code] ?? 0) + 1;
        if (!knownCodes.has(code) || typeof payload.error?.message !== 'string' || Object.keys(payload).length !== 1) {
          throw new Error(`${method} ${path} answered ${res.status} without the error shape: ${JSON.stringify(payload)}`);
        }
        if (ERROR_STATUS[code as keyof typeof ERROR_STATUS] !== res.status) throw new Error(`${code} came with status ${res.status}`);
        if (stateDigest(target.sqlite) !== before) throw new Error(`${method} ${path} was refused (${code}) but changed stored state`);
      } else {
        await res.arrayBuffer();
      }
    }),
    { numRuns, ...(seed === undefined ? {} : { seed }), endOnFailure: true },
  );
  return stats;
}
