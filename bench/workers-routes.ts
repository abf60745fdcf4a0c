// The routes of worker/route-table.ts driven through the real clients (web/client/*), round after
// round, so each request the console and the reporter's page make is metered in workerd many
// times over: reporting and the mailbox, signing in and out, the case list and view, replies,
// status, assignment, notes, files both ways, figures, members, invitations, keys and rotation, settings, notices,
// passing a case on and taking it, and the pages and their static files. A round touches a fresh
// case where a route changes one (a reply, a status, a pass-on), so the thread stays short.
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import {
  acceptTransfer, cancelRotation, createInvite, declineTransfer, inspectInvite, listInvites, listMembers, listTransfers, organisationSettings, passOnCase, revokeInvite,
  revokeSessions, rotateKeys, saveOrganisationSettings,
} from '../web/client/admin.js';
import { addNote, assignCase, assignees, readNotes } from '../web/client/case-handling.js';
import { fetchFigureFacts, fetchInstanceFigures } from '../web/client/figures.js';
import { listCasePage, openCase, openCaseForReading, refreshKeyrings, replyToCase, setCaseStatus, signIn, signOut } from '../web/client/investigator.js';
import { noticeAddress, setNoticeAddress } from '../web/client/notices.js';
import { buildReportSubmission, deriveKeysForInstance, fetchInstanceConfig, openMailbox, replyFromMailbox, submitReport, type VerifiedConfig, type VerifiedOrganisation } from '../web/client/reporter.js';
import { caseFileAccess, downloadFile, mailboxFileAccess, uploadFile } from '../web/client/files.js';
import type { ThreadEntry } from '../web/client/thread.js';
import type { ApiClient } from '../web/client/api.js';
import { attachmentFor, fileSecretOf, newFileSecret } from '../web/protocol/file-crypto.js';
import { fileCipherLength, FILE_PART_BYTES } from '../web/protocol/file-lengths.js';
import { bytesToB64, generatePassphrase, type AttachmentDescriptor, type MailboxKeys, type ThreadDocument } from '../web/protocol/index.js';
import { totpCodeAt } from '../worker/totp.js';
import { forgetTotpStep, joinWithKeys, KDF, PASSWORD, type Fixture } from './workers-fixture.js';

/** Each file: 100,000 bytes of content, one upload part of about 100 KB (a full part is 512 KiB). */
export const FILE_BYTES = 100_000;
/** A few files of one full part instead (520,000 bytes of content, padded to 512 KiB), the largest a part of a file declared now gets, tagged. */
export const FULL_PART_FILE_BYTES = 520_000;
export const FULL_PART_TAG = 'a full 512 KiB part';
// 20 measured after the warm-up requests bench/workers-d1.ts leaves out (3 of each kind): with
// 10, a p95 was the slowest request.
export const FULL_PART_REPORTS = 23;
const readFileContent = async (start: number, end: number) => new Uint8Array(randomBytes(end - start));

/** A reporter's report to `org` with one attached file of `size` bytes of content, filed by the real client; the file is not uploaded yet. */
export async function reportWithFile(api: ApiClient, config: VerifiedConfig, org: VerifiedOrganisation, size: number) {
  const keys = deriveKeysForInstance(generatePassphrase(), config, KDF);
  const file = newFileSecret(size);
  const submission = buildReportSubmission(keys, org, { kind: 'report', category: 'bribery', whatHappened: 'x'.repeat(800), attachments: [attachmentFor(file, 'ledger.pdf', 'application/pdf')] }, [{ id: bytesToB64(file.id), bytes: fileCipherLength(file.size) }]);
  await submitReport(api, submission);
  return { keys, caseId: submission.caseId, upload: () => uploadFile(api, mailboxFileAccess(keys), file, readFileContent) };
}

function onlyAttachment(document: ThreadDocument): AttachmentDescriptor {
  const attachment = document.kind === 'status' ? undefined : document.attachments?.[0];
  if (!attachment) throw new Error('the message carries no attachment');
  return attachment;
}

const today = () => new Date().toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

/** Pages as a browser asks for them (compressed), and one of each kind of static file. */
function pagePaths(assetsDir: string): string[] {
  const statics = readdirSync(assetsDir).filter((f) => /\.(js|css)$/.test(f));
  const pick = (pattern: RegExp) => statics.find((f) => pattern.test(f));
  return ['/', '/cy/', '/cy', '/console', '/cy/console', '/cy/privacy', '/figures', ...[pick(/^console\.js$/), pick(/^parley\.css$/), pick(/engine\.js$/)].flatMap((f) => (f ? [`/static/${f}`] : []))];
}

export async function driveRoutes(f: Fixture, rounds: number, assetsDir: string): Promise<void> {
  const { api, meter, t, hot, receiver } = f;
  const alice = hot.admin;
  const config = await fetchInstanceConfig(api);
  const org = config.organisations.find((o) => o.id === hot.orgId)!;
  const receivingOrg = config.organisations.find((o) => o.id === receiver.orgId)!;
  // A second holder of the keys, so a rotation stays pending (and can be cancelled) as in a real unit.
  const witness = await joinWithKeys(api, alice, 'wendy');

  // One report per round, each with its own mailbox and a file the reporter attached and uploaded.
  const reporters: { keys: MailboxKeys; caseId: string }[] = [];
  for (let i = 0; i < rounds; i++) {
    const { keys, caseId, upload } = await reportWithFile(api, config, org, FILE_BYTES);
    await upload();
    reporters.push({ keys, caseId });
  }
  // Filed with the receiving unit, so the measured unit's case list holds the same cases as before.
  await meter.tagged(FULL_PART_TAG, async () => {
    for (let i = 0; i < Math.min(rounds, FULL_PART_REPORTS); i++) {
      if (fileCipherLength(FULL_PART_FILE_BYTES) !== FILE_PART_BYTES) throw new Error('the full-part file is not exactly one full part');
      await (await reportWithFile(api, config, receivingOrg, FULL_PART_FILE_BYTES)).upload();
    }
  });

  const pages = pagePaths(assetsDir);
  const settings = await organisationSettings(api, alice);
  for (let i = 0; i < rounds; i++) {
    const { keys, caseId } = reporters[i]!;
    await fetchInstanceConfig(api);
    // The unit writes, the reporter answers.
    await listCasePage(api, alice);
    const opened = await openCase(api, alice, caseId);
    await downloadFile(api, caseFileAccess(alice, caseId), fileSecretOf(onlyAttachment(opened.entries[0]!.document)), () => {});
    // The unit's reply carries a form to fill in, which the reporter downloads.
    const form = newFileSecret(FILE_BYTES);
    await replyToCase(api, alice, opened, 'Which station was this? Please fill in the form.', undefined, [attachmentFor(form, 'form.odt', 'application/vnd.oasis.opendocument.text')]);
    await uploadFile(api, caseFileAccess(alice, caseId), form, readFileContent);
    const mailbox = await openMailbox(api, keys);
    await downloadFile(api, mailboxFileAccess(keys), fileSecretOf(onlyAttachment((mailbox.entries.at(-1) as ThreadEntry).document)), () => {});
    await replyFromMailbox(api, keys, mailbox, 'The one on the high street.');
    await setCaseStatus(api, alice, await openCaseForReading(api, alice, caseId), 'investigating');
    await assignees(api, alice);
    await assignCase(api, alice, caseId, alice.memberId);
    await addNote(api, alice, opened, 'Check the CCTV retention period.');
    await readNotes(api, alice, opened);
    // Figures, the unit's and the instance's.
    await fetchFigureFacts(api, alice, daysAgo(364), today());
    await fetchInstanceFigures(api, alice, daysAgo(364), today());
    await api.call('GET /api/figures', { query: { from: daysAgo(364), to: today() } });
    // Administration.
    await listTransfers(api, alice);
    await listMembers(api, alice);
    const invite = await createInvite(api, alice, { kind: 'member', role: 'investigator' });
    await inspectInvite(api, invite.token);
    await listInvites(api, alice);
    await revokeInvite(api, alice, invite.id);
    await saveOrganisationSettings(api, alice, await organisationSettings(api, alice));
    await refreshKeyrings(api, alice);
    await noticeAddress(api, alice);
    await setNoticeAddress(api, alice, i % 2 === 0 ? 'alice@example.org' : null);
    await revokeSessions(api, alice, witness);
    await rotateKeys(api, alice);
    await cancelRotation(api, alice);
    // Signing in again (a fresh session each time) and out.
    forgetTotpStep(t, alice.memberId);
    await signOut(api, await signIn(api, { username: 'alice', password: PASSWORD, totp: totpCodeAt(hot.totpSecret, Date.now()), deviceToken: alice.deviceToken }, KDF));
    // The pages and their files, and the API's description.
    for (const path of [...pages, '/api/openapi.json']) await meter.fetch(t.url + path, { method: 'GET', headers: { 'accept-encoding': 'br, gzip' } });
  }
  await saveOrganisationSettings(api, alice, settings);

  // Passing cases on, twice as many as rounds (the rounds' cases and as many new ones): half are taken by the receiving unit, half declined.
  for (let i = 0; i < rounds; i++) {
    const keys = deriveKeysForInstance(generatePassphrase(), config, KDF);
    const submission = buildReportSubmission(keys, org, { kind: 'report', category: 'other', whatHappened: 'z'.repeat(800) });
    await submitReport(api, submission);
    reporters.push({ keys, caseId: submission.caseId });
  }
  for (let i = 0; i < reporters.length; i++) {
    const { caseId } = reporters[i]!;
    await passOnCase(api, alice, await openCaseForReading(api, alice, caseId), receivingOrg, false);
    const offer = (await listTransfers(api, receiver.admin)).find((o) => o.caseId === caseId)!;
    if (i % 2 === 0) await acceptTransfer(api, receiver.admin, offer);
    else await declineTransfer(api, receiver.admin, caseId, 'not_ours');
  }
}

/** The case list and the figures of the large unit: what grows with the cases an organisation holds. */
export async function driveLargeUnit(f: Fixture, rounds: number): Promise<void> {
  const admin = f.large.admin;
  for (let i = 0; i < rounds; i++) {
    await listCasePage(f.api, admin);
    await listCasePage(f.api, admin, { sort: 'due' });
    // One month of figures: about 280 of the seeded cases, a few pages.
    await fetchFigureFacts(f.api, admin, daysAgo(30), today());
  }
}
