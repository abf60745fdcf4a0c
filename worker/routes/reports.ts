// POST /api/reports: a new report, its mailbox and its sealed case keys, stored together.
import { Hono } from 'hono';
import { b64ToBytes } from '../../web/protocol/encoding.js';
import { insertReport } from '../../db/repo/cases.js';
import { ApiError } from '../errors.js';
import { readJson, isUniqueViolation } from '../validate.js';
import { submitReportBody } from '../wire.js';
import { dayOf, dayStartMs, type AppDeps } from '../deps.js';
import { sha256B64 } from '../server-crypto.js';
import { newReference } from '../references.js';
import { requireSigned, requireValidMessageSignature } from '../message-signature.js';
import { sealedCaseKeyBytes, THREAD_START } from '../../web/protocol/signed-bytes.js';
import { organisationWithKeyVersion } from '../../db/repo/accounts.js';
import { requireWorkForFiles, withWorkPaid, type WorkGate } from '../proof-of-work.js';
import { declaredBytes, declareFiles } from '../file-transfer.js';
import { dueDays } from '../../web/casework/deadlines.js';

/** The reporter's page fetches the new keys, seals the same report to them and sends it again by itself. */
const ORG_KEY_CHANGED = new ApiError('org_key_changed', "The unit's keys have changed. Your report is safe on this device and is being sealed again.");

export function reportRoutes(deps: AppDeps, work: WorkGate) {
  const workRefused = 'This report needs a fresh proof of work. It is safe on your device: send it again.';
  const workRefusal = () => new ApiError('work_required', workRefused);
  // The spend of the challenge lands in the report's own write: one commit per report.
  return new Hono().post('/', async (c) => withWorkPaid(work, deps, c, workRefused, {
    parse: () => readJson(c, submitReportBody),
    // The organisation and the key version its case key is sealed to, in the challenge's lookup trip (issue 16).
    reads: (body) => organisationWithKeyVersion(deps.db, body.orgId, body.orgCaseKey.keyVersion),
  }, async ({ spend: spendChallenge, paid, body, results: [org, sealedFor] }) => {
    // Files cost more work, by their size: checked against the same hash, before anything is verified.
    requireWorkForFiles(paid, declaredBytes(body.report.files), workRefusal);
    if (!org) throw new ApiError('not_found', 'No such organisation.');
    // The report and both sealed case keys must be signed by the new mailbox's key: proof the
    // sender holds it, and what lets the reporter's client see a sealed key swapped later.
    if (!sealedFor || sealedFor.state !== 'active') throw ORG_KEY_CHANGED;
    const caseId = b64ToBytes(body.caseId)!;
    const signer = body.mailbox.signPublicKey;
    await requireSigned('mailbox.sealSignature', body.mailbox.sealSignature, signer, sealedCaseKeyBytes(caseId, b64ToBytes(body.mailbox.boxPublicKey)!, b64ToBytes(body.mailbox.sealedCaseKey)!));
    await requireSigned('orgCaseKey.sealSignature', body.orgCaseKey.sealSignature, signer, sealedCaseKeyBytes(caseId, b64ToBytes(sealedFor.boxPublicKey)!, b64ToBytes(body.orgCaseKey.sealedCaseKey)!));
    const link = await requireValidMessageSignature({ caseId: body.caseId, ...body.report }, THREAD_START, 'reporter', signer);
    work.admitReport();

    const now = deps.clock();
    const today = dayOf(now);
    const reference = newReference(deps.randomBytes);
    const files = declareFiles(deps, body.report.files, { caseId: body.caseId, messageId: body.report.id, role: 'reporter', day: today });
    const locatorHash = await sha256B64(b64ToBytes(body.mailbox.locator)!);
    await deps.checkpoint?.('report:before-write');
    try {
      await insertReport(deps.db, {
        case: { id: body.caseId, reference, orgId: org.id, status: 'received', receivedDay: today, lastReporterDay: today, updatedAt: dayStartMs(now), ...dueDays(today, org) },
        mailbox: {
          locatorHash,
          caseId: body.caseId,
          signPublicKey: body.mailbox.signPublicKey,
          boxPublicKey: body.mailbox.boxPublicKey,
          sealedCaseKey: body.mailbox.sealedCaseKey,
          sealSignature: body.mailbox.sealSignature,
        },
        orgCaseKey: { caseId: body.caseId, orgId: org.id, keyVersion: body.orgCaseKey.keyVersion, sealedCaseKey: body.orgCaseKey.sealedCaseKey, sealSignature: body.orgCaseKey.sealSignature, sealedByOrg: null, sealedByVersion: null },
        firstMessage: { id: body.report.id, caseId: body.caseId, role: 'reporter', orgId: null, keyVersion: null, envelope: body.report.envelope, signature: body.report.signature, day: today, link },
      }, ORG_KEY_CHANGED, spendChallenge, files);
    } catch (error) {
      if (isUniqueViolation(error)) throw new ApiError('duplicate_id', 'A report with these identifiers exists already.');
      throw error;
    }
    return c.json({ reference, receivedDay: today }, 201);
  }));
}
