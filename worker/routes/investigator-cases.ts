// The investigator's cases: list (paged), open, reply, change status, pass on. Every route is
// scoped to the signed-in investigator's organisation through the sealed case keys it holds,
// and every read of reports and every change is audited through audited().
//
// Passing on is an offer: the receiving organisation's device opens the sealed key and checks
// it decrypts the report before it accepts; only then does the case move (and the sender's
// key go, if it chose so). An offer that does not open is declined and changes nothing.
import { Hono } from 'hono';
import {
  acceptTransferSteps, appendMessageSteps, caseListWithSideReads, declineTransferStatements, findTransfer,
  offerTransferStatements, passOnChecks, transfersTo, findCaseKey,
} from '../../db/repo/cases.js';
import { findOrganisations, type Organisation } from '../../db/repo/organisations.js';
import { ApiError, threadMoved } from '../errors.js';
import { b64ToBytes } from '../../web/protocol/encoding.js';
import { sealedCaseKeyBytes } from '../../web/protocol/signed-bytes.js';
import type { Member } from '../../db/repo/members.js';
import { readJson, readParams, readQuery, isUniqueViolation } from '../validate.js';
import { CASE_PAGE_MAX, caseFileParam, caseFilePartParam, caseIdParam, caseListQuery, declineTransferBody, investigatorReplyBody, passOnBody, statusBody, type InvestigatorReplyBody } from '../wire.js';
import { dayOf, type AppDeps } from '../deps.js';
import { dayIn } from '../../web/casework/calendar.js';
import { investigatorSession, type InvestigatorVariables } from '../middleware/investigator-session.js';
import { heldOrRefused, loadCaseForAudit, loadCaseForOrg } from '../case-access.js';
import { partUploadForUnit } from '../../db/repo/files.js';
import { requireSigned, requireValidMessageSignature } from '../message-signature.js';
import { threadResponseFrom, wireCaseKey, wireMessage } from '../thread-response.js';
import { publicOrganisationsById, publicOrganisationsFrom } from '../public-organisations.js';
import { heldCaseThread } from '../../db/repo/mailbox-open.js';
import type { ParleyDb } from '../../db/database.js';
import { audited, type ReadHead } from '../audit.js';
import { declareFiles, fileContent, fileStatus, putFilePart } from '../file-transfer.js';
import type { CaseKeyRow, CaseRow } from '../../db/repo/cases.js';
import type { RetentionSettings } from '../../web/casework/retention.js';
import { caseDeletionDay } from '../retention.js';

/** The retention settings of the organisations leading these cases: the caller's own (`own`, from its session) needs no read. */
async function leadSettings(deps: AppDeps, own: Organisation, rows: readonly Pick<CaseRow, 'orgId'>[]): Promise<(caseRow: CaseRow) => RetentionSettings> {
  const others = [...new Set(rows.map((row) => row.orgId))].filter((id) => id !== own.id);
  const leads = [own, ...(others.length ? await findOrganisations(deps.db, others) : [])];
  return (caseRow) => leads.find((org) => org.id === caseRow.orgId)!;
}
import { caseHandlingRoutes } from './case-handling.js';
import { markSeenSteps } from '../../db/repo/case-handling.js';

/** The organisations a case view names, and the one that sealed the caller's key if it is not among them (a unit that passed the case on without writing). */
async function withSealer(db: ParleyDb, named: PublicOrganisationRow[], sealedByOrg: string | null): Promise<PublicOrganisationRow[]> {
  if (!sealedByOrg || named.some((org) => org.id === sealedByOrg)) return named;
  return [...named, ...(await publicOrganisationsById(db, [sealedByOrg]))];
}
type PublicOrganisationRow = ReturnType<typeof publicOrganisationsFrom>[number];

/** `lead`: the settings of the organisation leading the case, whose retention applies to it. */
function caseSummary(caseRow: CaseRow, caseKey: CaseKeyRow, lead: RetentionSettings) {
  return {
    id: caseRow.id,
    reference: caseRow.reference,
    status: caseRow.status,
    receivedDay: caseRow.receivedDay,
    lastReporterDay: caseRow.lastReporterDay,
    deadlines: { ackDueDay: caseRow.ackDueDay, ackDay: caseRow.ackDay, feedbackDueDay: caseRow.feedbackDueDay, feedbackDay: caseRow.feedbackDay },
    closedDay: caseRow.closedDay,
    assignedTo: caseRow.assignedTo,
    deletionDay: caseDeletionDay(caseRow, lead),
    caseKey: wireCaseKey(caseKey),
  };
}

/** Cursor: the last case of a page, as "<its sort day>.<case id>" (received day, or next due day: NO_DEADLINE_DAY for none). */
const parseCursor = (cursor: string | undefined) => (cursor ? { day: cursor.slice(0, 10), id: cursor.slice(11) } : undefined);

const transferGone = () => new ApiError('not_found', 'No such offer: it was accepted, declined or withdrawn.');

export function investigatorCaseRoutes(deps: AppDeps) {
  /**
   * A signed message from the organisation (a reply, or a status change), checked against the
   * organisation's current signing key and the thread's last link; the message, the status it
   * brings and its audit entry land together, only if it follows the thread's last message.
   */
  async function appendOrganisationMessage(investigator: Member, org: Organisation, caseId: string, body: InvestigatorReplyBody, action: 'case_reply' | 'case_status', auditHead: ReadHead): Promise<void> {
    const link = await requireValidMessageSignature({ caseId, ...body }, b64ToBytes(body.prev)!, 'organisation', org.signPublicKey);
    const now = deps.clock();
    const message = { id: body.id, caseId, role: 'organisation' as const, orgId: org.id, keyVersion: org.keyVersion, envelope: body.envelope, signature: body.signature, day: dayOf(now), link };
    const files = declareFiles(deps, body.files, { caseId, messageId: body.id, role: 'organisation', day: dayOf(now) });
    // A reply has words, so it acknowledges the report; a wordless status change does not.
    const update = { from: 'organisation' as const, day: dayOf(now), updatedAt: now, ...(body.status ? { status: body.status } : {}), words: action === 'case_reply', feedback: body.feedback === true };
    const detail: Record<string, string | boolean> = { message: body.id, ...(body.status ? { status: body.status } : {}), ...(body.feedback ? { feedback: true } : {}) };
    try {
      await audited(deps.db, now, { orgId: org.id, actorId: investigator.id, action, subject: caseId, detail }, () =>
        [...appendMessageSteps(deps.db, message, body.prev, update, threadMoved()), ...files], [auditHead],
      );
    } catch (error) {
      if (isUniqueViolation(error)) throw new ApiError('duplicate_id', 'A message or file with this id exists already.');
      throw error;
    }
  }

  return new Hono<{ Variables: InvestigatorVariables }>()
    .use('*', investigatorSession(deps))
    // Assignment and notes, behind the same session check; first, so /assignees is not taken for a case id.
    .route('/', caseHandlingRoutes(deps))
    .get('/', async (c) => {
      const { status, sort = 'received', due, assignee, reference, after, limit = CASE_PAGE_MAX } = readQuery(c, caseListQuery);
      const investigator = c.get('investigator');
      const org = c.get('organisation');
      // The unit's own day: "overdue" and "this week" as the people in it count days.
      const today = dayIn(deps.clock(), org.timeZone);
      const filters = { ...(status ? { status } : {}), ...(due ? { due } : {}), ...(reference ? { reference } : {}), ...(assignee === undefined ? {} : { assignee: assignee === 'me' ? investigator.id : assignee === 'none' ? null : assignee }) };
      const { rows, summary, auditHead } = await caseListWithSideReads(deps.db, investigator.orgId, { ...filters, sort, today, after: parseCursor(after), limit, reader: investigator.id });
      // Each listed report is one the investigator's device can read: reading in bulk is audited too.
      await audited(deps.db, deps.clock(), {
        orgId: investigator.orgId, actorId: investigator.id, action: 'case_list', subject: null,
        detail: { count: rows.length, ...(sort === 'due' ? { sort } : {}), ...(status ? { status } : {}), ...(due ? { due } : {}), ...(assignee ? { assignee } : {}), ...(reference ? { reference } : {}), ...(after ? { after } : {}) },
      }, undefined, [auditHead]);
      const last = rows.at(-1);
      const settingsOf = await leadSettings(deps, org, rows.map((row) => row.case));
      return c.json({
        cases: rows.map((row) => ({ ...caseSummary(row.case, row.caseKey, settingsOf(row.case)), reporterSignPublicKey: row.reporterSignPublicKey, report: row.report ? wireMessage(row.report) : null, unread: row.unread })),
        nextCursor: rows.length === limit && last ? `${last.sortDay}.${last.case.id}` : null,
        organisations: await publicOrganisationsById(deps.db, rows.flatMap((r) => (r.caseKey.sealedByOrg ? [r.caseKey.sealedByOrg] : []))),
        today,
        summary,
      });
    })
    .get('/transfers', async (c) => {
      const investigator = c.get('investigator');
      const rows = await transfersTo(deps.db, investigator.orgId);
      await audited(deps.db, deps.clock(), { orgId: investigator.orgId, actorId: investigator.id, action: 'case_list', subject: null, detail: { offers: rows.length } });
      const offering = await publicOrganisationsById(deps.db, rows.map((r) => r.transfer.fromOrgId));
      return c.json({
        transfers: rows.map((r) => ({
          caseId: r.case.id,
          reference: r.case.reference,
          receivedDay: r.case.receivedDay,
          fromOrgId: r.transfer.fromOrgId,
          fromOrgName: offering.find((o) => o.id === r.transfer.fromOrgId)?.name ?? null,
          from: offering.find((o) => o.id === r.transfer.fromOrgId),
          caseKey: { keyVersion: r.transfer.keyVersion, sealedCaseKey: r.transfer.sealedCaseKey, sealSignature: r.transfer.sealSignature, sealedBy: { orgId: r.transfer.fromOrgId, keyVersion: r.transfer.sealedByVersion } },
          reporterSignPublicKey: r.reporterSignPublicKey,
          report: r.report ? wireMessage(r.report) : null,
        })),
      });
    })
    .post('/transfers/:caseId/accept', async (c) => {
      const { caseId } = readParams(c, caseIdParam);
      const investigator = c.get('investigator');
      const transfer = await findTransfer(deps.db, caseId, investigator.orgId);
      if (!transfer) throw transferGone();
      if (await findCaseKey(deps.db, caseId, investigator.orgId)) throw new ApiError('already_shared', 'Your organisation has this case already.');
      const now = deps.clock();
      await audited(
        deps.db,
        now,
        [
          { orgId: investigator.orgId, actorId: investigator.id, action: 'case_received', subject: caseId, detail: { from: transfer.fromOrgId } },
          { orgId: transfer.fromOrgId, actorId: transfer.offeredBy, action: 'case_transfer_accept', subject: caseId, detail: { to: investigator.orgId, acceptedBy: investigator.id, keepAccess: transfer.keepAccess } },
        ],
        () => acceptTransferSteps(deps.db, transfer, now, transferGone()),
      ).catch((error: unknown) => {
        if (isUniqueViolation(error)) throw new ApiError('already_shared', 'Your organisation has this case already.');
        throw error;
      });
      return c.json({ id: caseId, orgId: investigator.orgId, status: 'passed_on' });
    })
    .post('/transfers/:caseId/decline', async (c) => {
      const { caseId } = readParams(c, caseIdParam);
      const { reason } = await readJson(c, declineTransferBody);
      const investigator = c.get('investigator');
      const transfer = await findTransfer(deps.db, caseId, investigator.orgId);
      if (!transfer) throw transferGone();
      await audited(
        deps.db,
        deps.clock(),
        [
          { orgId: investigator.orgId, actorId: investigator.id, action: 'case_transfer_decline', subject: caseId, detail: { from: transfer.fromOrgId, reason } },
          { orgId: transfer.fromOrgId, actorId: transfer.offeredBy, action: 'case_transfer_decline', subject: caseId, detail: { to: investigator.orgId, declinedBy: investigator.id, reason } },
        ],
        () => declineTransferStatements(deps.db, transfer),
      );
      return c.body(null, 204);
    })
    .get('/:caseId', async (c) => {
      const { caseId } = readParams(c, caseIdParam);
      const investigator = c.get('investigator');
      // The case, its thread, files and signers' key chains, and the audit chain's head: one trip.
      // A case the unit does not hold is refused before anything read is used: the same 404, with nothing of it.
      const { held, thread, files, organisations, keyVersions, auditHead } = await heldCaseThread(deps.db, caseId, investigator.orgId);
      const { caseRow, caseKey, reporterSignPublicKey } = heldOrRefused(held);
      // What this member has now seen lands with the entry that records the view ("new message" markers).
      const seen = thread.at(-1)?.seq;
      await audited(deps.db, deps.clock(), { orgId: investigator.orgId, actorId: investigator.id, action: 'case_view', subject: caseId }, () =>
        (seen === undefined ? [] : markSeenSteps(deps.db, investigator.id, caseId, seen)), [auditHead]);
      return c.json({
        ...caseSummary(caseRow, caseKey, (await leadSettings(deps, c.get('organisation'), [caseRow]))(caseRow)),
        reporterSignPublicKey,
        // The thread's signers, and whoever sealed this organisation's key (after a pass-on), with their key chains.
        ...threadResponseFrom(thread, files, await withSealer(deps.db, publicOrganisationsFrom(organisations, keyVersions), caseKey.sealedByOrg)),
      });
    })
    .post('/:caseId/messages', async (c) => {
      const { caseId } = readParams(c, caseIdParam);
      const { auditHead } = await loadCaseForAudit(deps, caseId, c.get('investigator').orgId);
      const body = await readJson(c, investigatorReplyBody);
      await appendOrganisationMessage(c.get('investigator'), c.get('organisation'), caseId, body, 'case_reply', auditHead);
      return c.json({ id: body.id }, 201);
    })
    // Files: only on cases the organisation holds; the download of a file's content is a read of the case, audited as one.
    .put('/:caseId/files/:fileId/parts/:part', async (c) => {
      const { caseId, fileId, part } = readParams(c, caseFilePartParam);
      const { upload, heldCase } = await partUploadForUnit(deps.db, fileId, part, { caseId, orgId: c.get('investigator').orgId });
      heldOrRefused(heldCase);
      return putFilePart(deps, c, caseId, 'organisation', part, upload);
    })
    .get('/:caseId/files/:fileId', async (c) => {
      const { caseId, fileId } = readParams(c, caseFileParam);
      await loadCaseForOrg(deps, caseId, c.get('investigator').orgId);
      return fileStatus(deps, c, caseId, fileId);
    })
    .get('/:caseId/files/:fileId/content', async (c) => {
      const { caseId, fileId } = readParams(c, caseFileParam);
      const investigator = c.get('investigator');
      const { auditHead } = await loadCaseForAudit(deps, caseId, investigator.orgId);
      const response = await fileContent(deps, c, caseId, fileId);
      await audited(deps.db, deps.clock(), { orgId: investigator.orgId, actorId: investigator.id, action: 'case_view', subject: caseId, detail: { file: fileId } }, undefined, [auditHead]);
      return response;
    })
    .put('/:caseId/status', async (c) => {
      const { caseId } = readParams(c, caseIdParam);
      const { auditHead } = await loadCaseForAudit(deps, caseId, c.get('investigator').orgId);
      // A status change is a signed message (kind "status"): the reporter's client reads the status from the thread.
      const body = await readJson(c, statusBody);
      await appendOrganisationMessage(c.get('investigator'), c.get('organisation'), caseId, body, 'case_status', auditHead);
      return c.json({ id: caseId, status: body.status });
    })
    .post('/:caseId/pass-on', async (c) => {
      const { caseId } = readParams(c, caseIdParam);
      const investigator = c.get('investigator');
      await loadCaseForOrg(deps, caseId, investigator.orgId);
      const body = await readJson(c, passOnBody);
      const { receiver: target, alreadyShared, auditHeads } = await passOnChecks(deps.db, caseId, investigator.orgId, body.orgId);
      if (!target || target.id === investigator.orgId) throw new ApiError('not_found', 'No such other organisation.');
      if (alreadyShared) throw new ApiError('already_shared', 'That organisation has this case already, or has been offered it.');
      // Signed by the offering organisation's current signing key: the receiver's device checks it against that organisation's key chain.
      const from = c.get('organisation');
      await requireSigned('sealSignature', body.sealSignature, from.signPublicKey, sealedCaseKeyBytes(b64ToBytes(caseId)!, b64ToBytes(target.boxPublicKey)!, b64ToBytes(body.sealedCaseKey)!));
      const now = deps.clock();
      const transfer = {
        caseId, fromOrgId: investigator.orgId, toOrgId: target.id, keyVersion: body.keyVersion, sealedCaseKey: body.sealedCaseKey,
        sealSignature: body.sealSignature, sealedByVersion: from.keyVersion, keepAccess: body.keepAccess, offeredBy: investigator.id, offeredAt: now,
      };
      const keyChanged = new ApiError('org_key_changed', "The receiving organisation's keys have changed. Reload and try again.");
      try {
        await audited(
          deps.db,
          now,
          [
            { orgId: investigator.orgId, actorId: investigator.id, action: 'case_pass_on', subject: caseId, detail: { to: target.id, keepAccess: body.keepAccess } },
            { orgId: target.id, actorId: investigator.id, action: 'case_pass_on', subject: caseId, detail: { from: investigator.orgId } },
          ],
          () => offerTransferStatements(deps.db, transfer, keyChanged, new ApiError('already_shared', 'This case is on offer to an organisation already; wait for its answer.')),
          auditHeads,
        );
      } catch (error) {
        if (isUniqueViolation(error)) throw new ApiError('already_shared', 'That organisation has been offered this case already.');
        throw error;
      }
      return c.json({ id: caseId, offeredTo: target.id, state: 'offered' }, 202);
    });
}
