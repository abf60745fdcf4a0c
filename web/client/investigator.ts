// The investigator's client: sign in (keys unwrapped on the device), list and open cases,
// reply, change status. The server never sees a password, a private key or plaintext.
import {
  b64ToBytes, bytesEqual, deriveInvestigatorSecrets, bytesToB64, openCaseKey, openOrgKeyring, personalKeyPair, requireSealedCaseKeySigned, unwrapSeed, verifyOrgKeyChain, wipe,
  ProtocolError, type AttachmentDescriptor, type KdfParams, type KeyPair, type OrgKeyring, type ProtocolErrorKind, type ReportDocument,
} from '../protocol/index.js';
import { ApiRequestError, type ApiClient } from './api.js';
import { decodeB64, decodeChain, openFirstMessage, openThread, openThreadMarkingFailures, sealThreadMessage, trustOrganisation, type ThreadEntry, type ThreadKeys, type TrustedOrganisation, type UnreadableEntry } from './thread.js';
import { requireKdfAtLeast } from './kdf-floor.js';
import { fileCipherLength } from '../protocol/file-lengths.js';
import { withFreshWork } from './proof-of-work.js';
import type { CaseDetail, CaseListResponse, CaseStatus, CaseSummary, HeldKeyring, KeyVersion, PublicOrganisation, SigningOrganisation, WireCaseKey } from './wire-types.js';

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
  /** Keep on this device and send with the next sign-in: a stranger's failures then do not delay it. */
  deviceToken: string;
}

export interface Credentials {
  username: string;
  password: string;
  /** The six-digit code from the authenticator app. */
  totp: string;
  /** Given at the last good sign-in on this device (see worker/device-token.ts). */
  deviceToken?: string | undefined;
}

export async function signIn(api: ApiClient, { username, password, totp, deviceToken }: Credentials, kdfFloor?: KdfParams): Promise<InvestigatorSession> {
  const prelogin = await api.call('POST /api/investigator/prelogin', { body: { username } });
  const secrets = deriveInvestigatorSecrets(password, decodeB64(prelogin.salt, 'salt'), requireKdfAtLeast(prelogin.kdf, kdfFloor));
  try {
    // The device's clock goes too, so a wrong clock is told apart from a wrong code.
    const attempt = { username, authKey: bytesToB64(secrets.authKey), totp, clientTime: api.clock(), ...(deviceToken ? { deviceToken } : {}) };
    const response = await withFreshWork(api, ({ headers }) => api.call('POST /api/investigator/sessions', { body: attempt, headers }));
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
      deviceToken: response.deviceToken,
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
export async function takeKeyrings(api: ApiClient, session: InvestigatorSession, held: readonly HeldKeyring[], served: readonly KeyVersion[]): Promise<void> {
  const orgId = decodeB64(session.organisation.id, 'organisation id');
  const versions = verifiedVersions(orgId, served);
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
    current = (await api.call('POST /api/investigator/keyrings/checks', { body: { confirmed, rejected }, headers: sessionHeaders(session) })).keyVersions;
  }
  const active = current.filter((v) => v.state === 'active').at(-1);
  if (active) session.organisation = { ...session.organisation, keyVersion: active.keyVersion, boxPublicKey: active.boxPublicKey, signPublicKey: active.signPublicKey };
}

/**
 * The organisation's versions whose place in the key chain verifies: the active ones from
 * version 1, and a pending one only if the last active version signed it. A keyring is kept
 * only if it matches one of these.
 */
function verifiedVersions(orgId: Uint8Array, served: readonly KeyVersion[]): KeyVersion[] {
  const active = served.filter((v) => v.state === 'active');
  const chain = verifyOrgKeyChain(orgId, decodeChain(active));
  const pending = served.filter((v) => v.state === 'pending' && v.keyVersion === chain.current.keyVersion + 1).filter((v) => {
    const [link] = decodeChain([v]);
    try {
      verifyOrgKeyChain(orgId, [...decodeChain(active), link!]);
      return true;
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      return false;
    }
  });
  return [...active, ...pending];
}

/** Fetches this member's keyrings again (after a grant or a rotation) and takes any new ones. */
export async function refreshKeyrings(api: ApiClient, session: InvestigatorSession): Promise<void> {
  const { keyrings, keyVersions } = await api.call('GET /api/investigator/keyrings', { headers: sessionHeaders(session) });
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

/** Who may have sealed a case key: the reporter (by the mailbox key) or another organisation (pass-on), whose chain is verified. */
export interface CaseKeySealers {
  reporterSignPublicKey: Uint8Array | null;
  organisations: readonly TrustedOrganisation[];
}

/**
 * Opens a case key sealed to the organisation key of the given version, after checking it is
 * signed by whoever sealed it (protocol 2): the reporter's mailbox key, or the signing key of
 * the organisation that passed the case on, from its verified key chain.
 */
export function openedCaseKey(session: InvestigatorSession, caseId: string, sealed: WireCaseKey, sealers: CaseKeySealers): Uint8Array {
  const keyring = keyringFor(session, sealed.keyVersion);
  const caseIdBytes = decodeB64(caseId, 'case id');
  const sealedBytes = decodeB64(sealed.sealedCaseKey, 'sealed case key');
  const signer = sealed.sealedBy === null
    ? sealers.reporterSignPublicKey
    : (sealers.organisations.find((o) => o.id === sealed.sealedBy!.orgId)?.chain.signingKeys.get(sealed.sealedBy.keyVersion ?? -1) ?? null);
  if (!signer) throw new ProtocolError('untrusted_key', 'the case key’s sealer is not known');
  requireSealedCaseKeySigned(decodeB64(sealed.sealSignature ?? '', 'seal signature'), signer, caseIdBytes, keyring.box.publicKey, sealedBytes);
  return openCaseKey(sealedBytes, caseIdBytes, keyring.box);
}

/** Organisations whose key chains verify; one that does not is left out (what it signed then does not verify). */
export function trustedOrganisations(organisations: readonly SigningOrganisation[]): TrustedOrganisation[] {
  return organisations.flatMap((org) => {
    try {
      return [trustOrganisation(org)];
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      return [];
    }
  });
}

export interface CaseListEntry extends CaseSummary {
  report: ReportDocument | null;
  /** A reporter message this member has not seen (or a case they never opened). */
  unread: boolean;
  /** Set when the report did not verify or decrypt; its contents are then not given at all. */
  reportProblem?: ProtocolErrorKind;
}

export interface CasePageRequest {
  status?: CaseStatus;
  /** `received` (default): newest first; `due`: nearest open deadline first. */
  sort?: 'received' | 'due';
  due?: 'overdue' | 'week';
  /** A member's id, `me` or `none` (unassigned). */
  assignee?: string;
  /** An exact reference (case and the dash do not matter). */
  reference?: string;
  /** The nextCursor of the page before. */
  after?: string;
  limit?: number;
}

export interface CasePage {
  cases: CaseListEntry[];
  nextCursor: string | null;
  /** The organisation's day, which the deadlines' states count from. */
  today: string;
  /** Over all the organisation's cases, not this page. */
  summary: { overdue: number; dueThisWeek: number };
}

/** One page of cases, in the order asked for; each report is decrypted on this device for its category and first lines. */
export async function listCasePage(api: ApiClient, session: InvestigatorSession, request: CasePageRequest = {}): Promise<CasePage> {
  const { cases, nextCursor, organisations, today, summary } = await api.call('GET /api/investigator/cases', { query: request, headers: sessionHeaders(session) });
  const sealingOrgs = trustedOrganisations(organisations);
  return { cases: cases.map((row) => decryptedListEntry(session, row, sealingOrgs)), nextCursor, today, summary };
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

function decryptedListEntry(session: InvestigatorSession, { report, reporterSignPublicKey, ...summary }: CaseListResponse['cases'][number], organisations: TrustedOrganisation[]): CaseListEntry {
  return { ...summary, ...openListedReport(session, { id: summary.id, caseKey: summary.caseKey, reporterSignPublicKey, report }, organisations) };
}

/** What a listed case carries to open its report: the case key as sealed, the reporter's signing key and message 1. */
export interface ListedReport {
  id: string;
  caseKey: WireCaseKey;
  reporterSignPublicKey: string;
  report: CaseListResponse['cases'][number]['report'];
}

/** A listed case's report, verified and decrypted on this device (the case list and the figures both read categories this way). */
export function openListedReport(session: InvestigatorSession, listed: ListedReport, organisations: readonly TrustedOrganisation[]): { report: ReportDocument | null; reportProblem?: ProtocolErrorKind } {
  if (!listed.report) return { report: null };
  // Per case: one report that fails (a reporter controls what they seal) must not hide the whole list.
  try {
    const reporterKey = decodeB64(listed.reporterSignPublicKey, 'reporter key');
    const caseKey = openedCaseKey(session, listed.id, listed.caseKey, { reporterSignPublicKey: reporterKey, organisations });
    const { document } = openFirstMessage({ caseId: listed.id, caseKey, reporterSignPublicKey: reporterKey, organisations: [] }, listed.report);
    wipe(caseKey);
    return { report: document.kind === 'report' ? document : null };
  } catch (error) {
    if (!(error instanceof ProtocolError)) throw error;
    return { report: null, reportProblem: error.kind };
  }
}

export interface ReadableCase extends Omit<CaseSummary, 'caseKey'> {
  caseKey: Uint8Array;
  /** In order; a message that did not verify (altered, or out of place in the signed order) is marked, not shown. */
  entries: (ThreadEntry | UnreadableEntry)[];
  /** By message id: the files the server holds for it (an expired, removed upload is absent). */
  files: Map<string, WireFileState[]>;
  /** The link the next message must follow. */
  lastLink: Uint8Array;
}

export interface OpenedCase extends Omit<ReadableCase, 'entries'> {
  entries: ThreadEntry[];
}

async function fetchCase(api: ApiClient, session: InvestigatorSession, caseId: string): Promise<{ detail: CaseDetail; keys: ThreadKeys }> {
  const detail = await api.call('GET /api/investigator/cases/:caseId', { params: { caseId }, headers: sessionHeaders(session) });
  const reporterKey = detail.reporterSignPublicKey ? b64ToBytes(detail.reporterSignPublicKey) : null;
  const organisations = trustedOrganisations(detail.organisations);
  const caseKey = openedCaseKey(session, caseId, detail.caseKey, { reporterSignPublicKey: reporterKey, organisations });
  return { detail, keys: { caseId, caseKey, reporterSignPublicKey: reporterKey, organisations } };
}

/** What the server says it holds of one declared file. */
export type WireFileState = CaseDetail['messages'][number]['files'][number];

/** The case's summary; its status is the one the organisation's signed messages give, not the server's copy. */
function openedCase(detail: CaseDetail, caseKey: Uint8Array, status: CaseStatus) {
  const files = new Map(detail.messages.map((m) => [m.id, m.files]));
  return { id: detail.id, reference: detail.reference, status, receivedDay: detail.receivedDay, lastReporterDay: detail.lastReporterDay, deadlines: detail.deadlines, closedDay: detail.closedDay, assignedTo: detail.assignedTo, deletionDay: detail.deletionDay, caseKey, files };
}

/** Opens a case; throws if any message fails to verify or decrypt. */
export async function openCase(api: ApiClient, session: InvestigatorSession, caseId: string): Promise<OpenedCase> {
  const { detail, keys } = await fetchCase(api, session, caseId);
  const opened = openThread(keys, detail.messages);
  return { ...openedCase(detail, keys.caseKey, opened.status), entries: opened.entries, lastLink: opened.lastLink };
}

/** Opens a case for a person to read: a message that fails is marked as unreadable rather than failing the case. The case key must still open. */
export async function openCaseForReading(api: ApiClient, session: InvestigatorSession, caseId: string): Promise<ReadableCase> {
  const { detail, keys } = await fetchCase(api, session, caseId);
  const opened = openThreadMarkingFailures(keys, detail.messages);
  return { ...openedCase(detail, keys.caseKey, opened.status), entries: opened.entries, lastLink: opened.lastLink };
}

type ThreadPosition = Pick<ReadableCase, 'id' | 'caseKey' | 'lastLink'>;

/**
 * Signs and sends a message after the thread's last one; if another arrived first, the thread
 * is opened again and the message follows that one instead.
 */
async function sendOrganisationMessage<T>(api: ApiClient, session: InvestigatorSession, position: ThreadPosition, document: ThreadDocumentOf, send: (message: SealedThreadMessage) => Promise<T>): Promise<T> {
  const signing = keyringFor(session, session.organisation.keyVersion).sign.privateKey;
  let prev = position.lastLink;
  for (let attempt = 1; ; attempt++) {
    const message = sealThreadMessage(position.id, position.caseKey, 'organisation', document, signing, prev);
    try {
      return await send(message);
    } catch (error) {
      // Several colleagues answering at once each follow the message that landed before theirs.
      if (!(error instanceof ApiRequestError && error.code === 'thread_moved') || attempt >= 20) throw error;
      prev = (await openCaseForReading(api, session, position.id)).lastLink;
    }
  }
}

type ThreadDocumentOf = Parameters<typeof sealThreadMessage>[3];
type SealedThreadMessage = ReturnType<typeof sealThreadMessage>;

/**
 * A reply; its attachments (if any) are declared with it, so the server makes their upload slots as it stores the message.
 * `feedback`: the unit counts this reply as its feedback to the reporter (marked for the server, not inside the message).
 */
export async function replyToCase(api: ApiClient, session: InvestigatorSession, opened: ThreadPosition, text: string, status?: CaseStatus, attachments: readonly AttachmentDescriptor[] = [], feedback = false): Promise<{ id: string }> {
  const document = { kind: 'message' as const, text, ...(status ? { status } : {}), ...(attachments.length > 0 ? { attachments: [...attachments] } : {}) };
  const files = attachments.map((a) => ({ id: a.id, bytes: fileCipherLength(a.size) }));
  return sendOrganisationMessage(api, session, opened, document, (message) =>
    api.call('POST /api/investigator/cases/:caseId/messages', { params: { caseId: opened.id }, body: { ...message, ...(status ? { status } : {}), ...(feedback ? { feedback } : {}), ...(files.length > 0 ? { files } : {}) }, headers: sessionHeaders(session) }));
}

/** A status change is a signed message of its own, which the reporter's client reads the status from. */
export async function setCaseStatus(api: ApiClient, session: InvestigatorSession, opened: ThreadPosition, status: CaseStatus): Promise<{ status: CaseStatus }> {
  return sendOrganisationMessage(api, session, opened, { kind: 'status', status }, (message) =>
    api.call('PUT /api/investigator/cases/:caseId/status', { params: { caseId: opened.id }, body: { ...message, status }, headers: sessionHeaders(session) }));
}

export function signOut(api: ApiClient, session: InvestigatorSession): Promise<void> {
  return api.call('DELETE /api/investigator/sessions/current', { headers: sessionHeaders(session) });
}
