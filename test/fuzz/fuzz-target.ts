// A fuzz target: the real app over a real SQLite file, seeded with an organisation, a
// report, a signed-in investigator and a valid report body to mutate.
import { sodiumReady, bytesToB64 } from '../../web/protocol/index.js';
import { listCases } from '../../web/client/investigator.js';
import { addOrganisation, makeTestApp, signInAs, type TestApp } from '../support/test-app.js';
import { draftReport, fileReport } from '../support/reports.js';
import type { FuzzTarget } from './route-fuzzer.js';

export async function makeFuzzTarget(): Promise<{ target: FuzzTarget; close(): void }> {
  await sodiumReady();
  const t: TestApp = makeTestApp();
  const { orgId, totpSecret } = await addOrganisation(t, 'Anti-Corruption Unit', 'alice');
  const { keys, config } = await fileReport(t.api, 'seed');
  const { submission: validReport } = await draftReport(t.api, 'mutate me', { config });
  const session = await signInAs(t, 'alice', totpSecret);
  const [summary] = await listCases(t.api, session);
  return {
    target: {
      request: (path, init) => Promise.resolve(t.app.request(path, init)),
      sqlite: t.database.sqlite,
      seeds: { caseId: summary!.id, orgId, token: session.token, validReport, locator: bytesToB64(keys.locator) },
    },
    close: () => t.close(),
  };
}
