// A real app over a real SQLite file with the real migrations, cheap KDF parameters passed
// explicitly, a clock the test can move, and a log of every request body the server received.
import type { NodeDatabase } from '../../db/open-node.js';
import type { createApp } from '../../worker/app.js';
import { DEFAULT_CONFIG, type AppConfig, type AppDeps } from '../../worker/deps.js';
import { openLocalApp } from '../../scripts/lib/local-app.js';
import { checkResponse } from './response-check.js';
import { ApiClient, type Fetch } from '../../web/client/api.js';
import { createOrganisation } from '../../scripts/create-organisation.js';
import type { KdfParams } from '../../web/protocol/index.js';
import { signIn, type InvestigatorSession } from '../../web/client/investigator.js';
import { totpCodeAt } from '../../worker/totp.js';
import type { FileStore } from '../../worker/file-store.js';

/** Cheap Argon2id for tests only; production code never sees these numbers by default. */
export const TEST_KDF: KdfParams = Object.freeze({ opsLimit: 1, memLimitBytes: 64 * 1024 });
// Proof of work off and mailbox throttling lenient, so API tests can send hand-made requests
// and many failures; test/abuse turns each on with its own settings.
export const TEST_CONFIG: AppConfig = {
  ...DEFAULT_CONFIG,
  mailboxKdf: TEST_KDF,
  investigatorKdf: TEST_KDF,
  workBits: 0,
  mailboxThrottle: { ...DEFAULT_CONFIG.mailboxThrottle, freeFailures: 1000 },
  // On, so the suite reaches every route; test/casework/figures-route.test.ts checks it is off by default.
  publicFigures: true,
};

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: Uint8Array;
}

export interface TestApp {
  app: ReturnType<typeof createApp>;
  database: NodeDatabase;
  dbPath: string;
  received: ReceivedRequest[];
  clock: { now: number };
  /** The server secret this app encrypts TOTP secrets with. */
  serverSecret: Uint8Array;
  /** The app's own file store, for tests that check what it holds. */
  files: FileStore;
  /** fetch into the app, recording what it receives. */
  fetch: Fetch;
  api: ApiClient;
  close(): void;
}

/** `checkpoint`: holds a request at a named moment, so a test can make a race happen exactly there. */
export function makeTestApp(config: AppConfig = TEST_CONFIG, checkpoint?: AppDeps['checkpoint']): TestApp {
  const clock = { now: Date.UTC(2026, 10, 22, 12, 0, 0) };
  const { app, database, dbPath, serverSecret, files, close } = openLocalApp(config, { clock: () => clock.now, ...(checkpoint ? { checkpoint } : {}) });
  const received: ReceivedRequest[] = [];
  const fetch: Fetch = async (input, init) => {
    const request = new Request(input, init);
    received.push({
      method: request.method,
      url: request.url,
      headers: Object.fromEntries(request.headers),
      body: new Uint8Array(await request.clone().arrayBuffer()),
    });
    const response = await app.request(request);
    await checkResponse(request.method, request.url, response.clone());
    return response;
  };
  const api = new ApiClient('http://parley.test', fetch, () => clock.now);
  return {
    app, database, dbPath, received, clock, serverSecret, files, fetch, api, close,
  };
}

export const TEST_PASSWORD = 'correct horse battery staple';

export async function addOrganisation(t: TestApp, orgName: string, username: string) {
  return createOrganisation(t.database.db, { orgName, username, password: TEST_PASSWORD, kdf: TEST_KDF, now: t.clock.now, serverSecret: t.serverSecret });
}

/** Signs in with the TOTP code of a new time step (the clock moves 30 s), so no code is ever reused. */
export async function signInAs(t: TestApp, username: string, totpSecret: string, password: string = TEST_PASSWORD): Promise<InvestigatorSession> {
  t.clock.now += 30_000;
  return signIn(t.api, { username, password, totp: totpCodeAt(totpSecret, t.clock.now) }, TEST_KDF);
}
