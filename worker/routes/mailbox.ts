// The reporter's mailbox: a challenge to sign, the thread, replies, and the case's files (a
// part each request, worker/file-transfer.ts). Every route but the challenge needs the mailbox
// proof, which signs each part's bytes too.
import { Hono, type MiddlewareHandler } from 'hono';
import type { z } from 'zod';
import { b64ToBytes } from '../../web/protocol/encoding.js';
import { appendMessage, type CaseRow } from '../../db/repo/cases.js';
import { caseThread } from '../../db/repo/mailbox-open.js';
import { partUploadOf, partUploadReads } from '../../db/repo/files.js';
import { nextDueDay } from '../../web/casework/deadlines.js';
import { ApiError, threadMoved } from '../errors.js';
import { readJson, readParams, isUniqueViolation } from '../validate.js';
import { mailboxFileParam, mailboxFilePartParam, replyBody } from '../wire.js';
import { declaredBytes, declareFiles, fileContent, fileStatus, putFilePart } from '../file-transfer.js';
import { requireWorkForFiles } from '../proof-of-work.js';
import { WORK_TOO_WEAK } from '../middleware/mailbox-proof.js';
import { dayOf, type AppDeps } from '../deps.js';
import type { WorkGate } from '../proof-of-work.js';
import { paddedJson } from '../padded-json.js';
import { mailboxProof, PROOF_FAILED_MESSAGE } from '../middleware/mailbox-proof.js';
import { requireValidMessageSignature } from '../message-signature.js';
import { threadResponseFrom } from '../thread-response.js';
import { publicOrganisationsFrom } from '../public-organisations.js';
import { closedCaseDeletionDay } from '../retention.js';

/** Path parameters checked before the proof: a malformed one is named, and spends no challenge. */
const paramsFirst = (schema: z.ZodType): MiddlewareHandler => async (c, next) => {
  readParams(c, schema);
  await next();
};

/** The day the unit's next answer is due (its next open deadline); null when none is open. */
function replyBy(caseRow: CaseRow): string | null {
  const { status, ackDueDay, ackDay, feedbackDueDay, feedbackDay } = caseRow;
  if (ackDueDay === null || feedbackDueDay === null) return null;
  return nextDueDay({ status, ackDueDay, ackDay, feedbackDueDay, feedbackDay })?.day ?? null;
}

export function mailboxRoutes(deps: AppDeps, work: WorkGate) {
  const proof = mailboxProof(deps, work);
  // A part's file and whether the part is held, read in the proof's trip (issue 16).
  const partProof = mailboxProof(deps, work, (c) => {
    const { fileId, part } = readParams(c, mailboxFilePartParam);
    return partUploadReads(deps.db, fileId, part);
  });
  return new Hono()
    // Writes nothing: the challenge carries its own authenticated terms.
    .post('/challenge', async (c) => c.json(await work.issue()))
    .get('/', proof, async (c) => {
      const mailbox = c.get('mailbox');
      // Everything the answer needs in one trip to the database (db/repo/mailbox-open.ts).
      const { caseRow, thread, files, organisations, keyVersions } = await caseThread(deps.db, mailbox.caseId);
      if (!caseRow) throw new ApiError('mailbox_proof_failed', PROOF_FAILED_MESSAGE);
      return paddedJson(c, {
        caseId: caseRow.id,
        reference: caseRow.reference,
        status: caseRow.status,
        receivedDay: caseRow.receivedDay,
        // The reporter gets no notification: the mailbox says when to come back.
        replyBy: replyBy(caseRow),
        sealedCaseKey: mailbox.sealedCaseKey,
        sealSignature: mailbox.sealSignature,
        deletionDay: closedCaseDeletionDay(caseRow, organisations.find((o) => o.id === caseRow.orgId)),
        ...threadResponseFrom(thread, files, publicOrganisationsFrom(organisations, keyVersions)),
      });
    })
    .post('/messages', proof, async (c) => {
      const mailbox = c.get('mailbox');
      const body = await readJson(c, replyBody);
      requireWorkForFiles(c.get('work'), declaredBytes(body.files), WORK_TOO_WEAK);
      const link = await requireValidMessageSignature({ caseId: mailbox.caseId, ...body }, b64ToBytes(body.prev)!, 'reporter', mailbox.signPublicKey);
      const now = deps.clock();
      const files = declareFiles(deps, body.files, { caseId: mailbox.caseId, messageId: body.id, role: 'reporter', day: dayOf(now) });
      try {
        await appendMessage(
          deps.db,
          { id: body.id, caseId: mailbox.caseId, role: 'reporter', orgId: null, keyVersion: null, envelope: body.envelope, signature: body.signature, day: dayOf(now), link },
          body.prev,
          { from: 'reporter', day: dayOf(now) },
          threadMoved(),
          files,
        );
      } catch (error) {
        if (isUniqueViolation(error)) throw new ApiError('duplicate_id', 'A message or file with this id exists already.');
        throw error;
      }
      return c.json({ id: body.id, day: dayOf(now) }, 201);
    })
    .put('/files/:fileId/parts/:part', paramsFirst(mailboxFilePartParam), partProof, async (c) => {
      const upload = partUploadOf(c.get('alongside'));
      return putFilePart(deps, c, c.get('mailbox').caseId, 'reporter', readParams(c, mailboxFilePartParam).part, upload);
    })
    .get('/files/:fileId', paramsFirst(mailboxFileParam), proof, async (c) => fileStatus(deps, c, c.get('mailbox').caseId, readParams(c, mailboxFileParam).fileId))
    .get('/files/:fileId/content', paramsFirst(mailboxFileParam), proof, async (c) => fileContent(deps, c, c.get('mailbox').caseId, readParams(c, mailboxFileParam).fileId));
}
