// POST /api/reports: a new report, its mailbox and its sealed case keys, stored together.
import { Hono } from 'hono';
import { b64ToBytes } from '../../web/protocol/encoding.js';
import { insertReport } from '../../db/repo/cases.js';
import { findOrganisation } from '../../db/repo/organisations.js';
import { ApiError } from '../errors.js';
import { readJson, isUniqueViolation } from '../validate.js';
import { submitReportBody } from '../wire.js';
import { dayOf, dayStartMs, type AppDeps } from '../deps.js';
import { sha256B64 } from '../server-crypto.js';
import { newReference } from '../references.js';
import { requireValidMessageSignature } from '../message-signature.js';

export function reportRoutes(deps: AppDeps) {
  return new Hono().post('/', async (c) => {
    const body = await readJson(c, submitReportBody);
    const org = await findOrganisation(deps.db, body.orgId);
    if (!org) throw new ApiError('not_found', 'No such organisation.');
    if (org.keyVersion !== body.orgCaseKey.keyVersion) {
      throw new ApiError('conflict', "The organisation's keys have changed. Reload and send again.");
    }
    // The report must be signed by the new mailbox's key: proof the sender holds it.
    await requireValidMessageSignature({ caseId: body.caseId, ...body.report }, 'reporter', body.mailbox.signPublicKey);

    const now = deps.clock();
    const today = dayOf(now);
    const reference = newReference(deps.randomBytes);
    try {
      await insertReport(deps.db, {
        case: { id: body.caseId, reference, orgId: org.id, status: 'received', receivedDay: today, lastReporterDay: today, updatedAt: dayStartMs(now) },
        mailbox: {
          locatorHash: await sha256B64(b64ToBytes(body.mailbox.locator)!),
          caseId: body.caseId,
          signPublicKey: body.mailbox.signPublicKey,
          boxPublicKey: body.mailbox.boxPublicKey,
          sealedCaseKey: body.mailbox.sealedCaseKey,
        },
        orgCaseKey: { caseId: body.caseId, orgId: org.id, keyVersion: org.keyVersion, sealedCaseKey: body.orgCaseKey.sealedCaseKey },
        firstMessage: { id: body.report.id, caseId: body.caseId, role: 'reporter', orgId: null, keyVersion: null, envelope: body.report.envelope, signature: body.report.signature, day: today },
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new ApiError('conflict', 'A report with these identifiers exists already.');
      throw error;
    }
    return c.json({ reference, receivedDay: today }, 201);
  });
}
