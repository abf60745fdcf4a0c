// How many times a file part's upload goes to D1 (issue 16: every Workers request under 10 ms of
// CPU, and in local workerd each D1 call costs 1–1.5 ms of it). Both sides upload through the
// real clients to the app over a real D1 and R2 (Miniflare's), the parts stored in R2 as on
// Workers, so the count is exactly the D1 calls a part costs there.
import { randomBytes } from 'node:crypto';
import { Miniflare } from 'miniflare';
import type { D1Database, R2Bucket } from '@cloudflare/workers-types/latest';
import { drizzle } from 'drizzle-orm/d1';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as schema from '../../db/schema.js';
import type { ParleyDb } from '../../db/database.js';
import { createApp } from '../../worker/app.js';
import { webCryptoRandomBytes } from '../../worker/deps.js';
import { r2FileStore } from '../../worker/file-store.js';
import { ApiClient, routeRequest } from '../../web/client/api.js';
import { buildReportSubmission, deriveKeysForInstance, fetchInstanceConfig, submitReport } from '../../web/client/reporter.js';
import { openCase, replyToCase, signIn } from '../../web/client/investigator.js';
import { caseFileAccess, mailboxFileAccess, uploadFile, type FileAccess } from '../../web/client/files.js';
import { attachmentFor, newFileSecret } from '../../web/protocol/file-crypto.js';
import { FILE_PART_BYTES } from '../../web/protocol/file-lengths.js';
import { bytesToB64, generatePassphrase } from '../../web/protocol/index.js';
import { totpCodeAt } from '../../worker/totp.js';
import { createOrganisation } from '../../scripts/create-organisation.js';
import { TEST_CONFIG, TEST_KDF, TEST_PASSWORD } from '../support/test-app.js';
import { declaredSecrets } from '../support/files.js';
import { countingD1, migrateD1 } from '../support/counting-d1.js';

/** Two parts of ciphertext: a full one and the last, shorter one (which completes the file). */
const FILE_SIZE = FILE_PART_BYTES + 1000;
const readContent = async (start: number, end: number) => new Uint8Array(randomBytes(end - start));

describe('D1 round trips of a file part’s upload (Miniflare D1 and R2)', () => {
  let mf: Miniflare;
  let counter: ReturnType<typeof countingD1>;
  let app: ReturnType<typeof createApp>;
  let totpSecret: string;
  const trips: { route: string; trips: number }[] = [];
  beforeAll(async () => {
    mf = new Miniflare({ modules: true, script: 'export default { fetch() { return new Response(null, { status: 404 }); } }', d1Databases: ['DB'], r2Buckets: ['FILES'] });
    const raw = (await mf.getD1Database('DB')) as unknown as D1Database;
    await migrateD1(raw);
    counter = countingD1(raw);
    const db = drizzle(counter.d1, { schema }) as unknown as ParleyDb;
    const serverSecret = webCryptoRandomBytes(32);
    ({ totpSecret } = await createOrganisation(db, { orgName: 'Unit', username: 'admin', password: TEST_PASSWORD, kdf: TEST_KDF, now: Date.now(), serverSecret }));
    const files = r2FileStore((await mf.getR2Bucket('FILES')) as unknown as R2Bucket);
    app = createApp({ db, clock: Date.now, randomBytes: webCryptoRandomBytes, config: TEST_CONFIG, serverSecret, files });
  }, 120_000);
  afterAll(async () => mf?.dispose());

  // Each request through this client is counted, by its route's path with the ids left out.
  const api = new ApiClient('http://parley.test', async (input, init) => {
    const request = new Request(input, init);
    const before = counter.calls();
    const response = await app.request(request);
    const route = `${request.method} ${new URL(request.url).pathname.replace(/\/cases\/[^/]+/, '/cases/:caseId').replace(/\/files\/[^/]+/, '/files/:fileId').replace(/\/parts\/\d+$/, '/parts/:part')}`;
    trips.push({ route, trips: counter.calls() - before });
    return response;
  }, Date.now);
  const tripsOf = (route: string) => trips.filter((t) => t.route === route).map((t) => t.trips);

  /** Sends part 0 again, as a resumed upload whose answer was lost does: the part is held, so nothing is stored. */
  const resendFirstPart = (access: FileAccess, route: 'PUT /api/mailbox/files/:fileId/parts/:part' | 'PUT /api/investigator/cases/:caseId/files/:fileId/parts/:part', params: Record<string, string>) =>
    access.send(api, { ...routeRequest(route, { params: { ...params, part: '0' } } as never), bodyBytes: new Uint8Array(FILE_PART_BYTES), contentType: 'application/octet-stream' }, 'json');

  it('a reporter’s part in 2: the challenge spent with the mailbox, its throttle, the file and whether the part is held read in the same batch, then the part recorded (a part held already: 1)', async () => {
    const config = await fetchInstanceConfig(api);
    const keys = deriveKeysForInstance(generatePassphrase(), config, TEST_KDF);
    const file = newFileSecret(FILE_SIZE);
    const report = { kind: 'report' as const, category: 'other' as const, whatHappened: 'a report with a file', attachments: [attachmentFor(file, 'ledger.pdf', 'application/pdf')] };
    await submitReport(api, buildReportSubmission(keys, config.organisations[0]!, report, declaredSecrets(file)));
    const access = mailboxFileAccess(keys);
    await uploadFile(api, access, file, readContent);
    await resendFirstPart(access, 'PUT /api/mailbox/files/:fileId/parts/:part', { fileId: bytesToB64(file.id) });
    console.log('D1 round trips of a reporter’s upload', trips);
    expect(tripsOf('PUT /api/mailbox/files/:fileId/parts/:part')).toEqual([2, 2, 1]);
  });

  it('an investigator’s part in 3: the session, the case held with the file and whether the part is held, the part recorded (a part held already: 2)', async () => {
    const config = await fetchInstanceConfig(api);
    const keys = deriveKeysForInstance(generatePassphrase(), config, TEST_KDF);
    const submission = buildReportSubmission(keys, config.organisations[0]!, { kind: 'report', category: 'other', whatHappened: 'a report' });
    await submitReport(api, submission);
    const session = await signIn(api, { username: 'admin', password: TEST_PASSWORD, totp: totpCodeAt(totpSecret, Date.now()) }, TEST_KDF);
    const form = newFileSecret(FILE_SIZE);
    await replyToCase(api, session, await openCase(api, session, submission.caseId), 'Please fill in the form.', undefined, [attachmentFor(form, 'form.odt', 'application/vnd.oasis.opendocument.text')]);
    const access = caseFileAccess(session, submission.caseId);
    await uploadFile(api, access, form, readContent);
    await resendFirstPart(access, 'PUT /api/investigator/cases/:caseId/files/:fileId/parts/:part', { caseId: submission.caseId, fileId: bytesToB64(form.id) });
    console.log('D1 round trips of an investigator’s upload', trips);
    expect(tripsOf('PUT /api/investigator/cases/:caseId/files/:fileId/parts/:part')).toEqual([3, 3, 2]);
  });
});
