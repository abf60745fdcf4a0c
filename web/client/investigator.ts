// The investigator's client: sign in (keys unwrapped on the device), list and open cases,
// reply, change status. The server never sees a password, a private key or plaintext.
import {
  b64ToBytes, deriveInvestigatorSecrets, bytesToB64, openCaseKey, openOrgKeyring, personalKeyPair, unwrapSeed, wipe, ProtocolError,
  type KdfParams, type OrgKeyring, type ProtocolErrorKind, type ReportDocument,
} from '../protocol/index.js';
import type { ApiClient } from './api.js';
import { decodeB64, openThread, openThreadMarkingFailures, openThreadMessage, sealThreadMessage, type ThreadEntry, type ThreadKeys, type UnreadableEntry } from './thread.js';
import { requireKdfAtLeast } from './kdf-floor.js';
import type { CaseDetail, CaseListResponse, CaseStatus, CaseSummary, PublicOrganisation, SignInResponse } from './wire-types.js';

export interface InvestigatorSession {
  token: string;
  username: string;
  role: 'admin' | 'investigator';
  /** May invite new organisations. */
  instanceAdmin: boolean;
  organisation: PublicOrganisation;
  /** Organisation keys by key version, opened on this device. */
  keyrings: Map<number, OrgKeyring>;
}

export interface Credentials {
  username: string;
  password: string;
  /** The six-digit code from the authenticator app. */
  totp: string;
}

export async function signIn(api: ApiClient, { username, password, totp }: Credentials, kdfFloor?: KdfParams): Promise<InvestigatorSession> {
  const prelogin = await api.json<{ salt: string; kdf: KdfParams }>('POST', '/api/investigator/prelogin', { username });
  const secrets = deriveInvestigatorSecrets(password, decodeB64(prelogin.salt, 'salt'), requireKdfAtLeast(prelogin.kdf, kdfFloor));
  try {
    const response = await api.json<SignInResponse>('POST', '/api/investigator/sessions', { username, authKey: bytesToB64(secrets.authKey), totp });
    const seed = unwrapSeed(decodeB64(response.investigator.wrappedSeed, 'wrapped key'), secrets.wrapKey, decodeB64(response.investigator.id, 'investigator id'));
    const personal = personalKeyPair(seed);
    const orgId = decodeB64(response.organisation.id, 'organisation id');
    const keyrings = new Map(
      response.keyrings.map((k) => {
        const keyring = openOrgKeyring(decodeB64(k.sealedKeyring, 'keyring'), personal, orgId);
        return [keyring.keyVersion, keyring] as const;
      }),
    );
    return { token: response.token, username: response.investigator.username, role: response.investigator.role, instanceAdmin: response.investigator.instanceAdmin === true, organisation: response.organisation, keyrings };
  } finally {
    wipe(secrets.wrapKey);
  }
}

export function sessionHeaders(session: InvestigatorSession): Record<string, string> {
  return { authorization: `Bearer ${session.token}` };
}

export function keyringFor(session: InvestigatorSession, keyVersion: number): OrgKeyring {
  const keyring = session.keyrings.get(keyVersion);
  if (!keyring) throw new Error(`no organisation key of version ${keyVersion} on this device`);
  return keyring;
}

/** Opens a case key sealed to the organisation key of the given version. */
export function openedCaseKey(session: InvestigatorSession, caseId: string, sealed: { keyVersion: number; sealedCaseKey: string }): Uint8Array {
  const keyring = keyringFor(session, sealed.keyVersion);
  return openCaseKey(decodeB64(sealed.sealedCaseKey, 'sealed case key'), decodeB64(caseId, 'case id'), keyring.box);
}

function openCaseKeyFor(session: InvestigatorSession, summary: CaseSummary): Uint8Array {
  return openedCaseKey(session, summary.id, summary.caseKey);
}

export interface CaseListEntry extends CaseSummary {
  report: ReportDocument | null;
  /** Set when the report did not verify or decrypt; its contents are then not given at all. */
  reportProblem?: ProtocolErrorKind;
}

/** Lists cases; each report is decrypted on this device for its category and first lines. */
export async function listCases(api: ApiClient, session: InvestigatorSession): Promise<CaseListEntry[]> {
  const { cases } = await api.json<CaseListResponse>('GET', '/api/investigator/cases', undefined, sessionHeaders(session));
  return cases.map(({ report, reporterSignPublicKey, ...summary }) => {
    if (!report) return { ...summary, report: null };
    // Per case: one report that fails (a reporter controls what they seal) must not hide the whole list.
    try {
      const keys = { caseId: summary.id, caseKey: openCaseKeyFor(session, summary), reporterSignPublicKey: decodeB64(reporterSignPublicKey, 'reporter key'), organisations: [] };
      const { document } = openThreadMessage(keys, report);
      return { ...summary, report: document.kind === 'report' ? document : null };
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      return { ...summary, report: null, reportProblem: error.kind };
    }
  });
}

export interface OpenedCase extends Omit<CaseSummary, 'caseKey'> {
  caseKey: Uint8Array;
  entries: ThreadEntry[];
}

async function fetchCase(api: ApiClient, session: InvestigatorSession, caseId: string): Promise<{ detail: CaseDetail; keys: ThreadKeys }> {
  const detail = await api.json<CaseDetail>('GET', `/api/investigator/cases/${caseId}`, undefined, sessionHeaders(session));
  const caseKey = openCaseKeyFor(session, detail);
  const reporterKey = detail.reporterSignPublicKey ? b64ToBytes(detail.reporterSignPublicKey) : null;
  return { detail, keys: { caseId, caseKey, reporterSignPublicKey: reporterKey, organisations: detail.organisations } };
}

function openedCase(detail: CaseDetail, caseKey: Uint8Array) {
  return { id: detail.id, reference: detail.reference, status: detail.status, receivedDay: detail.receivedDay, lastReporterDay: detail.lastReporterDay, caseKey };
}

/** Opens a case; throws if any message fails to verify or decrypt. */
export async function openCase(api: ApiClient, session: InvestigatorSession, caseId: string): Promise<OpenedCase> {
  const { detail, keys } = await fetchCase(api, session, caseId);
  return { ...openedCase(detail, keys.caseKey), entries: openThread(keys, detail.messages) };
}

export interface ReadableCase extends Omit<OpenedCase, 'entries'> {
  entries: (ThreadEntry | UnreadableEntry)[];
}

/** Opens a case for a person to read: a message that fails is marked as unreadable rather than failing the case. The case key must still open. */
export async function openCaseForReading(api: ApiClient, session: InvestigatorSession, caseId: string): Promise<ReadableCase> {
  const { detail, keys } = await fetchCase(api, session, caseId);
  return { ...openedCase(detail, keys.caseKey), entries: openThreadMarkingFailures(keys, detail.messages) };
}

export function replyToCase(api: ApiClient, session: InvestigatorSession, opened: Pick<OpenedCase, 'id' | 'caseKey'>, text: string, status?: CaseStatus): Promise<{ id: string }> {
  const signing = keyringFor(session, session.organisation.keyVersion).sign.privateKey;
  const message = sealThreadMessage(opened.id, opened.caseKey, 'organisation', { kind: 'message', text }, signing);
  return api.json('POST', `/api/investigator/cases/${opened.id}/messages`, status ? { ...message, status } : message, sessionHeaders(session));
}

export function setCaseStatus(api: ApiClient, session: InvestigatorSession, caseId: string, status: CaseStatus): Promise<{ status: CaseStatus }> {
  return api.json('PUT', `/api/investigator/cases/${caseId}/status`, { status }, sessionHeaders(session));
}

export function signOut(api: ApiClient, session: InvestigatorSession): Promise<void> {
  return api.json('DELETE', '/api/investigator/sessions/current', undefined, sessionHeaders(session));
}
