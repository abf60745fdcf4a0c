// The console's engine (a Web Worker): holds the session token and the organisation keys,
// derives keys from the password (Argon2id), calls the API and decrypts. Only plain text and
// metadata go back to the page; a reload or sign-out drops everything, nothing is stored.
import { ApiClient } from '../client/api.js';
import { listCases, openCaseForReading, replyToCase, setCaseStatus, signIn, signOut, type InvestigatorSession, type ReadableCase } from '../client/investigator.js';
import { sodiumReady, wipe } from '../protocol/index.js';
import { serveEngine } from '../ui/engine-rpc.js';
import type { Account, CaseDetailView, CaseRow, CaseStatus, ConsoleEngine } from './engine-api.js';

const api = new ApiClient(self.location.origin);
let session: InvestigatorSession | null = null;
/** Case keys of cases opened in this session, so a reply needs no second fetch of the key. */
const openedCaseKeys = new Map<string, Uint8Array>();

// Load libsodium's wasm while the person types their password.
const ready = sodiumReady();

function requireSession(): InvestigatorSession {
  if (!session) throw Object.assign(new Error('Sign in to continue.'), { code: 'unauthorised' });
  return session;
}

function forgetKeys(): void {
  for (const keyring of session?.keyrings.values() ?? []) {
    for (const bytes of [keyring.box.privateKey, keyring.sign.privateKey, keyring.boxSeed, keyring.signSeed]) wipe(bytes);
  }
  for (const key of openedCaseKeys.values()) wipe(key);
  openedCaseKeys.clear();
  session = null;
}

/** An API refusal of the session (expired, signed out elsewhere) ends it here too. */
async function withSession<T>(work: (s: InvestigatorSession) => Promise<T>): Promise<T> {
  try {
    return await work(requireSession());
  } catch (error) {
    if ((error as { code?: string }).code === 'unauthorised') forgetKeys();
    throw error;
  }
}

function caseView(opened: ReadableCase): CaseDetailView {
  const previous = openedCaseKeys.get(opened.id);
  if (previous && previous !== opened.caseKey) wipe(previous);
  openedCaseKeys.set(opened.id, opened.caseKey);
  return {
    id: opened.id,
    reference: opened.reference,
    status: opened.status,
    receivedDay: opened.receivedDay,
    lastReporterDay: opened.lastReporterDay,
    thread: opened.entries.map((e) =>
      e.document
        ? { id: e.id, role: e.role, organisationName: e.organisation?.name ?? null, day: e.day, document: e.document, problem: null }
        : { id: e.id, role: e.role, organisationName: e.organisation?.name ?? null, day: e.day, document: null, problem: e.problem },
    ),
  };
}

async function caseKeyFor(s: InvestigatorSession, caseId: string): Promise<Uint8Array> {
  const known = openedCaseKeys.get(caseId);
  if (known) return known;
  const opened = await openCaseForReading(api, s, caseId);
  openedCaseKeys.set(caseId, opened.caseKey);
  return opened.caseKey;
}

const handlers: ConsoleEngine = {
  async signIn(username: string, password: string, totp: string): Promise<Account> {
    await ready;
    forgetKeys();
    // No floor argument: the production Argon2id cost is the least this console accepts.
    session = await signIn(api, { username, password, totp });
    return { username: session.username, organisationName: session.organisation.name };
  },

  listCases: () =>
    withSession(async (s): Promise<CaseRow[]> =>
      (await listCases(api, s)).map((c) => ({
        id: c.id, reference: c.reference, status: c.status, receivedDay: c.receivedDay, lastReporterDay: c.lastReporterDay,
        report: c.report, reportProblem: c.reportProblem ?? null,
      })),
    ),

  openCase: (caseId: string) => withSession(async (s) => caseView(await openCaseForReading(api, s, caseId))),

  reply: (caseId: string, text: string, status: CaseStatus | null) =>
    withSession(async (s) => {
      const caseKey = await caseKeyFor(s, caseId);
      await replyToCase(api, s, { id: caseId, caseKey }, text, status ?? undefined);
      return caseView(await openCaseForReading(api, s, caseId));
    }),

  setStatus: (caseId: string, status: CaseStatus) =>
    withSession(async (s) => {
      await setCaseStatus(api, s, caseId, status);
      return caseView(await openCaseForReading(api, s, caseId));
    }),

  async signOut(): Promise<void> {
    const ending = session;
    forgetKeys();
    // The keys are gone whatever the server says; the token is revoked if the server is reachable.
    try {
      if (ending) await signOut(api, ending);
    } finally {
      // Close once this reply has been posted: the page starts a fresh engine for the next sign-in.
      setTimeout(() => self.close(), 0);
    }
  },
};

serveEngine(handlers);
