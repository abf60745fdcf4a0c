// The console's engine (a Web Worker): holds the session token and the organisation keys,
// derives keys from the password (Argon2id), calls the API and decrypts. Only plain text and
// metadata go back to the page; a reload or sign-out drops everything, nothing is stored.
import { ApiClient } from '../client/api.js';
import * as admin from '../client/admin.js';
import { listCasePage, openCaseForReading, refreshKeyrings, replyToCase, setCaseStatus, signIn, signOut, type InvestigatorSession, type ReadableCase } from '../client/investigator.js';
import { fetchInstanceConfig } from '../client/reporter.js';
import { fetchFigureFacts, fetchInstanceFigures } from '../client/figures.js';
import { b64ToBytes, bytesToB64, sodiumReady, wipe, type AttachmentDescriptor, type ThreadDocument } from '../protocol/index.js';
import { fileCipherLength } from '../protocol/file-lengths.js';
import { notifyPage, serveEngine } from '../ui/engine-rpc.js';
import type { Account, Assignee, AttachmentView, CaseDetailView, CaseListPage, CaseListQuery, CaseStatus, ConsoleEngine, Enrolment, MemberRow, OrganisationSettings, OutgoingFile, TransferNotice, TransferRow } from './engine-api.js';
import { addNote, assignCase, assignees, readNotes } from '../client/case-handling.js';
import { caseFileAccess, downloadFileAsBlob, uploadFile } from '../client/files.js';
import { noticeAddress, setNoticeAddress } from '../client/notices.js';
import { newFileSecret, type FileSecret } from '../protocol/file-crypto.js';

const api = new ApiClient(self.location.origin);
let session: InvestigatorSession | null = null;
/** A new account waiting for its first code: its authentication key never goes to the page. */
let pendingEnrolment: { username: string; authKey: string } | null = null;
/** Case keys of cases opened in this session, wiped at sign-out. */
const openedCaseKeys = new Map<string, Uint8Array>();
/** The keys of the files of cases opened in this session ("caseId/fileId"), from the messages' descriptors; wiped at sign-out. */
const fileSecrets = new Map<string, FileSecret>();
/** Files of a reply whose upload did not finish, by case: finishUploads resumes them. Their keys are wiped once done or at sign-out. */
const unfinishedUploads = new Map<string, { secret: FileSecret; bytes: Blob }[]>();

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
  for (const file of [...fileSecrets.values(), ...[...unfinishedUploads.values()].flat().map((u) => u.secret)]) wipe(file.key);
  fileSecrets.clear();
  unfinishedUploads.clear();
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

function attachmentsOf(document: ThreadDocument): AttachmentDescriptor[] {
  return document.kind === 'status' ? [] : (document.attachments ?? []);
}

/** What the message says of a file it carries: its id and key (sealed with the message), and the page's name and type for it. */
function descriptorOf(secret: FileSecret, name: string, type: string): AttachmentDescriptor {
  return { id: bytesToB64(secret.id), key: bytesToB64(secret.key), name, type, size: secret.size };
}

/**
 * The files a verified message describes, with what the server holds of each; their keys are
 * kept here for downloads and never go to the page.
 */
function attachmentViews(opened: ReadableCase, messageId: string, document: ThreadDocument): AttachmentView[] {
  const held = opened.files.get(messageId) ?? [];
  return attachmentsOf(document).map((a) => {
    const slot = `${opened.id}/${a.id}`;
    const previous = fileSecrets.get(slot);
    if (previous) wipe(previous.key);
    fileSecrets.set(slot, { id: b64ToBytes(a.id)!, key: b64ToBytes(a.key)!, size: a.size });
    const state = held.find((f) => f.id === a.id);
    return { id: a.id, name: a.name, type: a.type, size: a.size, state: !state ? 'missing' : state.complete ? 'ready' : 'uploading' };
  });
}

/** The case as the page sees it, with the unit's notes read and checked on this device. */
async function caseView(s: InvestigatorSession, opened: ReadableCase): Promise<CaseDetailView> {
  const previous = openedCaseKeys.get(opened.id);
  if (previous && previous !== opened.caseKey) wipe(previous);
  openedCaseKeys.set(opened.id, opened.caseKey);
  const notes = await readNotes(api, s, opened);
  return {
    id: opened.id,
    reference: opened.reference,
    status: opened.status,
    receivedDay: opened.receivedDay,
    lastReporterDay: opened.lastReporterDay,
    deadlines: opened.deadlines,
    deletionDay: opened.deletionDay,
    assignedTo: opened.assignedTo,
    notes: notes.map((n) => ({ id: n.id, authorName: n.authorName, createdAt: n.createdAt, text: n.text, problem: n.problem })),
    thread: opened.entries.map((e) =>
      e.document
        ? { id: e.id, role: e.role, organisationName: e.organisation?.name ?? null, day: e.day, document: e.document, problem: null, attachments: attachmentViews(opened, e.id, e.document) }
        : { id: e.id, role: e.role, organisationName: e.organisation?.name ?? null, day: e.day, document: null, problem: e.problem, attachments: [] },
    ),
  };
}

/** Tells the page how far a transfer has got, at most once per 1 % so the page is not flooded. */
function progressNotices(notice: (done: number, total: number) => TransferNotice): (done: number, total: number) => void {
  let last = -1;
  return (done, total) => {
    const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
    if (percent === last) return;
    last = percent;
    notifyPage(notice(done, total));
  };
}

/** Uploads the reply's files one after another; what does not finish is kept for finishUploads. */
async function uploadAll(s: InvestigatorSession, caseId: string, files: { secret: FileSecret; bytes: Blob }[]): Promise<void> {
  const left = [...files];
  // One progress for the reply's files together: what is sent of each, over all of them.
  const total = files.reduce((sum, f) => sum + fileCipherLength(f.secret.size), 0);
  const notify = progressNotices((done, all) => ({ kind: 'upload', caseId, done, total: all }));
  let before = 0;
  try {
    while (left.length > 0) {
      const { secret, bytes } = left[0]!;
      const read = async (start: number, end: number) => new Uint8Array(await bytes.slice(start, end).arrayBuffer());
      await uploadFile(api, caseFileAccess(s, caseId), secret, read, (done) => notify(before + done, total));
      before += fileCipherLength(secret.size);
      wipe(secret.key);
      left.shift();
    }
    unfinishedUploads.delete(caseId);
  } catch (error) {
    if ((error as { code?: string }).code === 'unauthorised') throw error;
    unfinishedUploads.set(caseId, left);
    throw Object.assign(new Error(`The message was sent, but ${left.length} of its files did not finish uploading.`), { code: 'upload_unfinished' });
  }
}

/** The case as it is now (its last link is what a new message must follow), its key kept to be wiped at sign-out. */
async function currentCase(s: InvestigatorSession, caseId: string): Promise<ReadableCase> {
  const opened = await openCaseForReading(api, s, caseId);
  const previous = openedCaseKeys.get(caseId);
  if (previous && previous !== opened.caseKey) wipe(previous);
  openedCaseKeys.set(caseId, opened.caseKey);
  return opened;
}

function enrol(username: string, created: admin.NewAccount): Enrolment {
  pendingEnrolment = { username, authKey: created.authKey };
  return { username, secret: created.totp.secret, uri: created.totp.uri };
}

const handlers: ConsoleEngine = {
  async signIn(username: string, password: string, totp: string, deviceToken: string | undefined): Promise<Account> {
    await ready;
    forgetKeys();
    // No floor argument: the production Argon2id cost is the least this console accepts.
    session = await signIn(api, { username, password, totp, deviceToken });
    return {
      username: session.username,
      organisationName: session.organisation.name,
      role: session.role,
      instanceAdmin: session.instanceAdmin,
      hasKeys: session.keyrings.has(session.organisation.keyVersion),
      deviceToken: session.deviceToken,
    };
  },

  async setUpFirstOrganisation(setupToken: string, orgName: string, username: string, password: string): Promise<Enrolment> {
    await ready;
    const kdf = await admin.investigatorKdf(api, username);
    const created = await admin.setUpFirstOrganisation(api, setupToken, orgName, username, password, kdf);
    return enrol(username, created);
  },

  inspectInvite: (token: string) => admin.inspectInvite(api, token),

  async acceptInvite(token: string, username: string, password: string): Promise<Enrolment> {
    await ready;
    const kdf = await admin.investigatorKdf(api, username);
    return enrol(username, await admin.acceptInvite(api, token, username, password, kdf));
  },

  async confirmTotp(code: string): Promise<void> {
    if (!pendingEnrolment) throw Object.assign(new Error('No account is waiting for a code.'), { code: 'not_found' });
    await admin.confirmTotp(api, pendingEnrolment.username, pendingEnrolment.authKey, code);
    pendingEnrolment = null;
  },

  listMembers: () =>
    withSession(async (s): Promise<MemberRow[]> =>
      (await admin.listMembers(api, s)).members.map((m) => ({
        id: m.id, username: m.username, role: m.role, totpConfirmed: m.totpConfirmed, hasKeys: m.hasCurrentKeyring, isMe: m.username === s.username,
        fingerprint: admin.memberKeyFingerprint(m), keyCheck: admin.memberKeyVerified(s, m),
      })),
    ),

  listInvites: () => withSession((s) => admin.listInvites(api, s)),

  organisationSettings: () => withSession((s) => admin.organisationSettings(api, s)),

  saveOrganisationSettings: (settings: OrganisationSettings) => withSession((s) => admin.saveOrganisationSettings(api, s, settings)),

  revokeInvite: (inviteId: string) => withSession((s) => admin.revokeInvite(api, s, inviteId)),

  inviteMember: (role: 'admin' | 'investigator') => withSession(async (s) => (await admin.createInvite(api, s, { kind: 'member', role })).token),

  inviteOrganisation: (orgName: string) => withSession(async (s) => (await admin.createInvite(api, s, { kind: 'organisation', orgName })).token),

  grantAccess: (memberId: string) =>
    withSession(async (s) => {
      const member = (await admin.listMembers(api, s)).members.find((m) => m.id === memberId);
      if (!member) throw Object.assign(new Error('No such member of your organisation.'), { code: 'not_found' });
      await admin.grantKeyring(api, s, member);
    }),

  removeMember: (memberId: string) => withSession(async (s) => ({ keysActive: (await admin.removeMember(api, s, memberId)).active })),

  endSessions: (memberId: string) => withSession((s) => admin.revokeSessions(api, s, memberId)),

  noticeAddress: () => withSession((s) => noticeAddress(api, s)),

  setNoticeAddress: (email: string | null) => withSession((s) => setNoticeAddress(api, s, email)),

  otherOrganisations: () =>
    withSession(async (s) =>
      (await fetchInstanceConfig(api)).organisations.filter((o) => o.id !== s.organisation.id).map((o) => ({ id: o.id, name: o.name })),
    ),

  passOn: (caseId: string, orgId: string, keepAccess: boolean) =>
    withSession(async (s) => {
      // Fresh copies of both: the case key, and the receiving organisation's keys (verified from its anchor).
      const [opened, config] = await Promise.all([currentCase(s, caseId), fetchInstanceConfig(api)]);
      const to = config.organisations.find((o) => o.id === orgId);
      if (!to) throw Object.assign(new Error('No such other organisation, or its keys did not verify.'), { code: 'not_found' });
      // An offer: the case stays here until the receiving unit has opened it and accepted.
      await admin.passOnCase(api, s, opened, to, keepAccess);
    }),

  figureFacts: (from: string, to: string) =>
    withSession(async (s) => {
      await refreshKeyrings(api, s);
      return fetchFigureFacts(api, s, from, to);
    }),

  instanceFigures: (from: string, to: string) => withSession((s) => fetchInstanceFigures(api, s, from, to)),

  listCases: (query: CaseListQuery, after: string | null) =>
    withSession(async (s): Promise<CaseListPage> => {
      // Keys granted or rotated since sign-in are taken (and confirmed) before the list is read.
      if (!after) await refreshKeyrings(api, s);
      // Only what narrows or reorders the list goes on the wire: the default order is the server's own.
      const asked = Object.fromEntries(Object.entries({ ...query, sort: query.sort === 'due' ? 'due' : null, after }).filter(([, value]) => value !== null));
      const [page, members] = await Promise.all([listCasePage(api, s, asked), assignees(api, s)]);
      const nameOf = (id: string | null) => members.find((m) => m.id === id)?.username ?? null;
      return {
        rows: page.cases.map((c) => ({
          id: c.id, reference: c.reference, status: c.status, receivedDay: c.receivedDay, lastReporterDay: c.lastReporterDay,
          deadlines: c.deadlines, assignedTo: c.assignedTo, report: c.report, reportProblem: c.reportProblem ?? null, deletionDay: c.deletionDay, assigneeName: nameOf(c.assignedTo), unread: c.unread,
        })),
        nextCursor: page.nextCursor,
        today: page.today,
        summary: page.summary,
      };
    }),

  listTransfers: () =>
    withSession(async (s): Promise<TransferRow[]> =>
      (await admin.listTransfers(api, s)).map((t) => ({ caseId: t.caseId, reference: t.reference, fromOrgName: t.fromOrgName, receivedDay: t.receivedDay })),
    ),

  acceptTransfer: (caseId: string) =>
    withSession(async (s) => {
      const offer = (await admin.listTransfers(api, s)).find((t) => t.caseId === caseId);
      if (!offer) throw Object.assign(new Error('That offer is no longer open.'), { code: 'not_found' });
      return admin.acceptTransfer(api, s, offer);
    }),

  declineTransfer: (caseId: string) => withSession((s) => admin.declineTransfer(api, s, caseId, 'not_ours')),

  openCase: (caseId: string) => withSession(async (s) => caseView(s, await openCaseForReading(api, s, caseId))),

  reply: (caseId: string, text: string, status: CaseStatus | null, files: OutgoingFile[], feedback: boolean) =>
    withSession(async (s) => {
      const outgoing = files.map((f) => ({ file: f, secret: newFileSecret(f.bytes.size) }));
      await replyToCase(api, s, await currentCase(s, caseId), text, status ?? undefined, outgoing.map(({ file, secret }) => descriptorOf(secret, file.name, file.type)), feedback);
      await uploadAll(s, caseId, outgoing.map(({ file, secret }) => ({ secret, bytes: file.bytes })));
      return caseView(s, await openCaseForReading(api, s, caseId));
    }),

  finishUploads: (caseId: string) =>
    withSession(async (s) => {
      await uploadAll(s, caseId, unfinishedUploads.get(caseId) ?? []);
      return caseView(s, await openCaseForReading(api, s, caseId));
    }),

  downloadAttachment: (caseId: string, fileId: string) =>
    withSession(async (s) => {
      const secret = fileSecrets.get(`${caseId}/${fileId}`);
      if (!secret) throw Object.assign(new Error('Open the case again to download this file.'), { code: 'not_found' });
      return downloadFileAsBlob(api, caseFileAccess(s, caseId), secret, progressNotices((done, total) => ({ kind: 'download', fileId, done, total })));
    }),

  setStatus: (caseId: string, status: CaseStatus) =>
    withSession(async (s) => {
      await setCaseStatus(api, s, await currentCase(s, caseId), status);
      return caseView(s, await openCaseForReading(api, s, caseId));
    }),

  assignees: () => withSession((s): Promise<Assignee[]> => assignees(api, s)),

  assignCase: (caseId: string, memberId: string | null) =>
    withSession(async (s) => {
      await assignCase(api, s, caseId, memberId);
      return caseView(s, await openCaseForReading(api, s, caseId));
    }),

  addNote: (caseId: string, text: string) =>
    withSession(async (s) => {
      await addNote(api, s, await currentCase(s, caseId), text);
      return caseView(s, await openCaseForReading(api, s, caseId));
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
