// The investigator's client: sign in (keys unwrapped on the device), list and open cases,
// reply, change status. The server never sees a password, a private key or plaintext.
import {
  b64ToBytes, bytesEqual, deriveInvestigatorSecrets, bytesToB64, openCaseKey, openOrgKeyring, personalKeyPair, unwrapSeed, wipe, ProtocolError,
  type KdfParams, type KeyPair, type OrgKeyring, type ProtocolErrorKind, type ReportDocument,
} from '../protocol/index.js';
import type { ApiClient } from './api.js';
import { decodeB64, openThread, openThreadMarkingFailures, openThreadMessage, sealThreadMessage, type ThreadEntry, type ThreadKeys, type UnreadableEntry } from './thread.js';
import { requireKdfAtLeast } from './kdf-floor.js';
import type { CaseDetail, CaseListResponse, CaseStatus, CaseSummary, HeldKeyring, KeyVersion, PublicOrganisation, SignInResponse } from './wire-types.js';

export interface InvestigatorSession {
  token: string;
  username: string;
  role: 'admin' | 'investigator';
  /** May invite new organisations. */
  instanceAdmin: boolean;
  organisation: PublicOrganisation;
  /** Organisation keys by key version, opened on this device and matched to the published keys. */
  keyrings: Map<number, OrgKeyring>;
  /** This member's own id and personal key pair, to open keyrings granted later. */
  memberId: string;
  personal: KeyPair;
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
    const session: InvestigatorSession = {
      token: response.token,
      username: response.investigator.username,
      role: response.investigator.role,
      instanceAdmin: response.investigator.instanceAdmin === true,
      organisation: response.organisation,
      keyrings: new Map(),
      memberId: response.investigator.id,
      personal: personalKeyPair(seed),
    };
    await takeKeyrings(api, session, response.keyrings, response.keyVersions);
    return session;
  } finally {
    wipe(secrets.wrapKey);
  }
}

/**
 * Opens each keyring and keeps it only if the keys inside are the ones the organisation
 * published for that version. New ones are reported back: confirmed (which may make a pending
 * key version current) or rejected (a keyring that does not open, or holds other keys, is
 * deleted so a working one can be granted). The organisation's current keys are refreshed.
 */
export async function takeKeyrings(api: ApiClient, session: InvestigatorSession, held: readonly HeldKeyring[], versions: readonly KeyVersion[]): Promise<void> {
  const orgId = decodeB64(session.organisation.id, 'organisation id');
  const confirmed: number[] = [];
  const rejected: number[] = [];
  for (const k of held) {
    const published = versions.find((v) => v.keyVersion === k.keyVersion);
    let keyring: OrgKeyring | null = null;
    try {
      keyring = openOrgKeyring(decodeB64(k.sealedKeyring, 'keyring'), session.personal, orgId);
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
    }
    const matches =
      keyring !== null && published !== undefined && keyring.keyVersion === k.keyVersion &&
      bytesEqual(keyring.box.publicKey, decodeB64(published.boxPublicKey, 'box key')) && bytesEqual(keyring.sign.publicKey, decodeB64(published.signPublicKey, 'signing key'));
    if (matches) {
      session.keyrings.set(k.keyVersion, keyring!);
      if (!k.confirmed) confirmed.push(k.keyVersion);
    } else if (!k.confirmed) {
      rejected.push(k.keyVersion);
    }
  }
  let current = versions;
  if (confirmed.length > 0 || rejected.length > 0) {
    current = (await api.json<{ keyVersions: KeyVersion[] }>('POST', '/api/investigator/keyrings/checks', { confirmed, rejected }, sessionHeaders(session))).keyVersions;
  }
  const active = current.filter((v) => v.state === 'active').at(-1);
  if (active) session.organisation = { ...session.organisation, keyVersion: active.keyVersion, boxPublicKey: active.boxPublicKey, signPublicKey: active.signPublicKey };
}

/** Fetches this member's keyrings again (after a grant or a rotation) and takes any new ones. */
export async function refreshKeyrings(api: ApiClient, session: InvestigatorSession): Promise<void> {
  const { keyrings, keyVersions } = await api.json<{ keyrings: HeldKeyring[]; keyVersions: KeyVersion[] }>('GET', '/api/investigator/keyrings', undefined, sessionHeaders(session));
  await takeKeyrings(api, session, keyrings, keyVersions);
}

export function sessionHeaders(session: InvestigatorSession): Record<string, string> {
  return { authorization: `Bearer ${session.token}` };
}

export function keyringFor(session: InvestigatorSession, keyVersion: number): OrgKeyring {
  const keyring = session.keyrings.get(keyVersion);
  if (!keyring) throw new ProtocolError('missing_key', `no organisation key of version ${keyVersion} on this device`);
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

export interface CasePageRequest {
  status?: CaseStatus;
  /** The nextCursor of the page before. */
  after?: string;
  limit?: number;
}

/** One page of cases, newest first; each report is decrypted on this device for its category and first lines. */
export async function listCasePage(api: ApiClient, session: InvestigatorSession, request: CasePageRequest = {}): Promise<{ cases: CaseListEntry[]; nextCursor: string | null }> {
  const query = new URLSearchParams(Object.entries(request).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]]))).toString();
  const { cases, nextCursor } = await api.json<CaseListResponse>('GET', `/api/investigator/cases${query ? `?${query}` : ''}`, undefined, sessionHeaders(session));
  return { cases: cases.map((row) => decryptedListEntry(session, row)), nextCursor };
}

/** Every case, page by page (for tools and tests; the console shows one page at a time). */
export async function listCases(api: ApiClient, session: InvestigatorSession, request: Omit<CasePageRequest, 'after'> = {}): Promise<CaseListEntry[]> {
  const all: CaseListEntry[] = [];
  for (let after: string | undefined; ; ) {
    const page = await listCasePage(api, session, { ...request, after });
    all.push(...page.cases);
    if (!page.nextCursor) return all;
    after = page.nextCursor;
  }
}

function decryptedListEntry(session: InvestigatorSession, { report, reporterSignPublicKey, ...summary }: CaseListResponse['cases'][number]): CaseListEntry {
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
