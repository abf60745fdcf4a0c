// Issue 11: an administrator made before TOTP existed had no way back in (no secret to sign in
// with, none to confirm). The operator's reset gives a new one, ends their sessions, and is in
// the audit log; the CLI does the same from the server.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { beforeAll, afterEach, describe, expect, it } from 'vitest';
import { sodiumReady } from '../../web/protocol/index.js';
import { signIn } from '../../web/client/investigator.js';
import { totpCodeAt } from '../../worker/totp.js';
import { verifyAuditChain } from '../../worker/audit.js';
import { resetSecondFactor } from '../../scripts/reset-second-factor.js';
import { loadNodeServerSecret } from '../../worker/server-secret-node.js';
import { openNodeDatabase } from '../../db/open-node.js';
import { createOrganisation } from '../../scripts/create-organisation.js';
import { addOrganisation, makeTestApp, signInAs, TEST_KDF, TEST_PASSWORD, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(sodiumReady);
afterEach(() => t?.close());

/** As the release before TOTP left it: no secret, never confirmed. */
function withoutSecondFactor(app: TestApp, username: string): void {
  app.database.sqlite.prepare('UPDATE investigators SET totp_secret_enc = NULL, totp_confirmed = 0 WHERE username = ?').run(username);
}

describe('resetting a second factor', () => {
  it('lets an administrator made before TOTP sign in again, and records who did it', async () => {
    t = makeTestApp();
    const { orgId, totpSecret } = await addOrganisation(t, 'Unit', 'alice');
    await signInAs(t, 'alice', totpSecret);
    withoutSecondFactor(t, 'alice');
    t.clock.now += 30_000;
    await expect(signIn(t.api, { username: 'alice', password: TEST_PASSWORD, totp: totpCodeAt(totpSecret, t.clock.now) }, TEST_KDF)).rejects.toMatchObject({ code: 'unauthorised' });

    const fresh = await resetSecondFactor(t.database.db, t.serverSecret, 'alice', t.clock.now);
    expect(t.database.sqlite.prepare('SELECT COUNT(*) AS n FROM sessions').get()).toEqual({ n: 0 });
    const alice = await signInAs(t, 'alice', fresh);
    expect(alice.username).toBe('alice');
    const [entry] = t.database.sqlite.prepare("SELECT actor_id AS actorId, detail FROM audit_log WHERE action = 'totp_reset'").all() as { actorId: string | null; detail: string }[];
    expect(entry).toEqual({ actorId: null, detail: JSON.stringify({ by: 'operator' }) });
    await expect(verifyAuditChain(t.database.db, orgId)).resolves.toMatchObject({ ok: true });
  });

  it('is what `npm run reset-totp` does, with the server’s own secret', async () => {
    t = makeTestApp();
    const dbPath = join(t.dbPath, '..', 'served.sqlite');
    const served = openNodeDatabase(dbPath);
    await createOrganisation(served.db, { orgName: 'Unit', username: 'bob', password: TEST_PASSWORD, kdf: TEST_KDF, now: Date.now(), serverSecret: loadNodeServerSecret(dbPath, undefined) });
    served.sqlite.prepare("UPDATE investigators SET totp_secret_enc = NULL, totp_confirmed = 0 WHERE username = 'bob'").run();
    served.close();
    const run = promisify(execFile);
    const env: NodeJS.ProcessEnv = { ...process.env, PARLEY_DB: dbPath };
    delete env.PARLEY_SERVER_SECRET;
    const { stdout } = await run(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '..', '..', 'scripts', 'reset-totp.ts'), '--username', 'bob'], { env });
    expect(stdout).toMatch(/secret: [A-Z2-7]{32}/);
    await expect(run(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '..', '..', 'scripts', 'reset-totp.ts'), '--username', 'nobody'], { env })).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('No current member is called nobody') });
  });
});
