// The investigator's cases: list, open, reply, change status. Every route is scoped to
// the signed-in investigator's organisation through the sealed case keys it holds.
import { Hono } from 'hono';
import { appendMessageStatements, listCasesForOrg, listMessages, findMailboxByCase, updateCaseStatement, passOnCase } from '../../db/repo/cases.js';
import { findOrganisation } from '../../db/repo/organisations.js';
import { ApiError } from '../errors.js';
import { readJson, readParams, isUniqueViolation } from '../validate.js';
import { caseIdParam, investigatorReplyBody, passOnBody, statusBody } from '../wire.js';
import { dayOf, type AppDeps } from '../deps.js';
import { investigatorSession, type InvestigatorVariables } from '../middleware/investigator-session.js';
import { loadCaseForOrg } from '../case-access.js';
import { requireValidMessageSignature } from '../message-signature.js';
import { threadResponseParts, wireMessage } from '../thread-response.js';
import { appendAudit } from '../audit.js';
import type { CaseKeyRow, CaseRow } from '../../db/repo/cases.js';

const LIST_LIMIT = 500;

function caseSummary(caseRow: CaseRow, caseKey: CaseKeyRow) {
  return {
    id: caseRow.id,
    reference: caseRow.reference,
    status: caseRow.status,
    receivedDay: caseRow.receivedDay,
    lastReporterDay: caseRow.lastReporterDay,
    caseKey: { keyVersion: caseKey.keyVersion, sealedCaseKey: caseKey.sealedCaseKey },
  };
}

export function investigatorCaseRoutes(deps: AppDeps) {
  return new Hono<{ Variables: InvestigatorVariables }>()
    .use('*', investigatorSession(deps))
    .get('/', async (c) => {
      const rows = await listCasesForOrg(deps.db, c.get('investigator').orgId, LIST_LIMIT);
      return c.json({ cases: rows.map((row) => ({ ...caseSummary(row.case, row.caseKey), reporterSignPublicKey: row.reporterSignPublicKey, report: row.report ? wireMessage(row.report) : null })) });
    })
    .get('/:caseId', async (c) => {
      const { caseId } = readParams(c, caseIdParam);
      const { caseRow, caseKey } = await loadCaseForOrg(deps, caseId, c.get('investigator').orgId);
      const [thread, mailbox] = await Promise.all([listMessages(deps.db, caseId), findMailboxByCase(deps.db, caseId)]);
      const investigator = c.get('investigator');
      await appendAudit(deps.db, deps.clock(), { orgId: investigator.orgId, actorId: investigator.id, action: 'case_view', subject: caseId });
      return c.json({
        ...caseSummary(caseRow, caseKey),
        reporterSignPublicKey: mailbox?.signPublicKey ?? null,
        ...(await threadResponseParts(deps.db, thread)),
      });
    })
    .post('/:caseId/messages', async (c) => {
      const { caseId } = readParams(c, caseIdParam);
      const investigator = c.get('investigator');
      await loadCaseForOrg(deps, caseId, investigator.orgId);
      const body = await readJson(c, investigatorReplyBody);
      const org = await findOrganisation(deps.db, investigator.orgId);
      if (!org) throw new ApiError('not_found', 'No such organisation.');
      await requireValidMessageSignature({ caseId, ...body }, 'organisation', org.signPublicKey);
      const now = deps.clock();
      const message = { id: body.id, caseId, role: 'organisation' as const, orgId: org.id, keyVersion: org.keyVersion, envelope: body.envelope, signature: body.signature, day: dayOf(now) };
      try {
        // The reply, its status change and its audit entry land together or not at all.
        await appendAudit(deps.db, now, { orgId: org.id, actorId: investigator.id, action: 'case_reply', subject: caseId, detail: body.status ? { message: body.id, status: body.status } : { message: body.id } }, () =>
          appendMessageStatements(deps.db, message, body.status ? { status: body.status, updatedAt: now } : { updatedAt: now }),
        );
      } catch (error) {
        if (isUniqueViolation(error)) throw new ApiError('conflict', 'A message with this id exists already.');
        throw error;
      }
      return c.json({ id: body.id }, 201);
    })
    .put('/:caseId/status', async (c) => {
      const { caseId } = readParams(c, caseIdParam);
      await loadCaseForOrg(deps, caseId, c.get('investigator').orgId);
      const { status } = await readJson(c, statusBody);
      const investigator = c.get('investigator');
      const now = deps.clock();
      await appendAudit(deps.db, now, { orgId: investigator.orgId, actorId: investigator.id, action: 'case_status', subject: caseId, detail: { status } }, () => [
        updateCaseStatement(deps.db, caseId, { status, updatedAt: now }),
      ]);
      return c.json({ id: caseId, status });
    })
    .post('/:caseId/pass-on', async (c) => {
      const { caseId } = readParams(c, caseIdParam);
      const investigator = c.get('investigator');
      await loadCaseForOrg(deps, caseId, investigator.orgId);
      const body = await readJson(c, passOnBody);
      const target = await findOrganisation(deps.db, body.orgId);
      if (!target || target.id === investigator.orgId) throw new ApiError('not_found', 'No such other organisation.');
      if (target.keyVersion !== body.keyVersion) throw new ApiError('conflict', "The receiving organisation's keys have changed. Reload and try again.");
      const now = deps.clock();
      try {
        await passOnCase(deps.db, { caseId, fromOrgId: investigator.orgId, toOrgId: target.id, keyVersion: body.keyVersion, sealedCaseKey: body.sealedCaseKey, keepAccess: body.keepAccess, now });
      } catch (error) {
        if (isUniqueViolation(error)) throw new ApiError('conflict', 'That organisation has this case already.');
        throw error;
      }
      await appendAudit(deps.db, now, { orgId: investigator.orgId, actorId: investigator.id, action: 'case_pass_on', subject: caseId, detail: { to: target.id, keepAccess: body.keepAccess } });
      await appendAudit(deps.db, now, { orgId: target.id, actorId: investigator.id, action: 'case_received', subject: caseId, detail: { from: investigator.orgId } });
      return c.json({ id: caseId, orgId: target.id, status: 'passed_on' });
    });
}