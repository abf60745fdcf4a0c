// The Node server as `npm start` runs it: an acknowledged report survives SIGKILL, and the
// process prints nothing about who connected.
import { loadNodeServerSecret } from '../../worker/server-secret-node.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePassphrase, PRODUCTION_KDF, sodiumReady } from '../../web/protocol/index.js';
import { ApiClient } from '../../web/client/api.js';
import { buildReportSubmission, deriveKeysForInstance, fetchInstanceConfig, openMailbox, submitReport } from '../../web/client/reporter.js';
import { openNodeDatabase } from '../../db/open-node.js';
import { createOrganisation } from '../../scripts/create-organisation.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { TEST_KDF, TEST_PASSWORD } from '../support/test-app.js';

const UA = 'RestartMarkerAgent/7.7';
const IP = '198.51.100.231';

let dir: string;
let server: ServerProcess | undefined;
beforeAll(async () => {
  await sodiumReady();
  dir = mkdtempSync(join(tmpdir(), 'parley-restart-'));
  const database = openNodeDatabase(join(dir, 'parley.sqlite'));
  await createOrganisation(database.db, { orgName: 'Unit', username: 'alice', password: TEST_PASSWORD, kdf: TEST_KDF, now: Date.now(), serverSecret: loadNodeServerSecret(join(dir, 'parley.sqlite'), undefined) });
  database.close();
});
afterAll(async () => {
  await server?.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function clientFor(url: string): ApiClient {
  return new ApiClient(url, (input, init) => fetch(input, { ...init, headers: { ...(init.headers as Record<string, string>), 'user-agent': UA, 'x-forwarded-for': IP } }));
}

describe('the Node server', () => {
  it('keeps an acknowledged report through SIGKILL and restart, and logs no network identity', async () => {
    const dbPath = join(dir, 'parley.sqlite');
    server = await startServerProcess(dbPath);
    let api = clientFor(server.url);
    const config = await fetchInstanceConfig(api);
    // The real server offers production cost; this client accepts nothing less.
    expect(config.mailboxKdf).toMatchObject(PRODUCTION_KDF);
    const passphrase = generatePassphrase();
    const keys = deriveKeysForInstance(passphrase, config);
    const receipt = await submitReport(api, buildReportSubmission(keys, config.organisations[0]!, { kind: 'report', category: 'other', whatHappened: 'kept' }));
    await server.kill('SIGKILL');
    const firstOutput = server.output();

    server = await startServerProcess(dbPath);
    api = clientFor(server.url);
    const mailbox = await openMailbox(api, deriveKeysForInstance(passphrase, await fetchInstanceConfig(api)));
    expect(mailbox.reference).toBe(receipt.reference);
    expect(mailbox.entries[0]!.document).toMatchObject({ whatHappened: 'kept' });
    await server.kill('SIGTERM');

    const output = firstOutput + server.output();
    expect(output).not.toContain(UA);
    expect(output).not.toContain(IP);
    // One start-up line per start and nothing per request.
    const lines = output.split('\n').filter((line) => line.trim() !== '');
    expect(lines).toHaveLength(2);
    expect(lines.every((line) => line.startsWith('Parley is running'))).toBe(true);
  });
});
