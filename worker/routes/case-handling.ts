// Handling cases together (issue 15): assigning a case to a member, and the unit's internal
// notes. Mounted inside the investigator's case routes (investigator-cases.ts), behind their
// session check; scoped to cases the organisation holds a key for, and audited through audited().
// Notes are ciphertext the server cannot read (web/protocol/notes.ts); it checks their signature
// against the organisation's current key, so a stolen session without the key stores none.
import { Hono } from 'hono';
import { assignCaseSteps, insertNoteSteps, listNotes } from '../../db/repo/case-handling.js';
import { listMembers } from '../../db/repo/members.js';
import { b64ToBytes } from '../../web/protocol/encoding.js';
import { caseNoteSignedBytes } from '../../web/protocol/signed-bytes.js';
import { ApiError } from '../errors.js';
import { isUniqueViolation, readJson, readParams } from '../validate.js';
import { assigneeBody, caseIdParam, noteBody } from '../wire.js';
import { requireSigned } from '../message-signature.js';
import type { AppDeps } from '../deps.js';
import type { InvestigatorVariables } from '../middleware/investigator-session.js';
import { loadCaseForAudit } from '../case-access.js';
import { audited } from '../audit.js';

export function caseHandlingRoutes(deps: AppDeps) {
  return new Hono<{ Variables: InvestigatorVariables }>()
    // Who a case can be assigned to: the organisation's current members, names only (any member may assign).
    .get('/assignees', async (c) => {
      const members = await listMembers(deps.db, c.get('investigator').orgId);
      return c.json({ members: members.map((m) => ({ id: m.id, username: m.username })) });
    })
    .put('/:caseId/assignee', async (c) => {
      const { caseId } = readParams(c, caseIdParam);
      const investigator = c.get('investigator');
      const { auditHead } = await loadCaseForAudit(deps, caseId, investigator.orgId);
      const { memberId } = await readJson(c, assigneeBody);
      // One assignee per case, chosen by the unit that leads it (one that kept access after passing it on does not).
      const refusals = {
        notMember: new ApiError('not_found', 'No such member of your organisation.'),
        notLead: new ApiError('forbidden', 'Only the unit that leads this case can assign it.'),
      };
      await audited(deps.db, deps.clock(), { orgId: investigator.orgId, actorId: investigator.id, action: 'case_assign', subject: caseId, detail: { to: memberId ?? 'nobody' } }, () =>
        assignCaseSteps(deps.db, caseId, investigator.orgId, memberId, refusals), [auditHead],
      );
      return c.json({ id: caseId, assignedTo: memberId });
    })
    .post('/:caseId/notes', async (c) => {
      const { caseId } = readParams(c, caseIdParam);
      const investigator = c.get('investigator');
      const { auditHead } = await loadCaseForAudit(deps, caseId, investigator.orgId);
      const body = await readJson(c, noteBody);
      const org = c.get('organisation');
      // The schema has checked every field decodes to its length; the author is the signed-in member.
      const binding = { caseId: b64ToBytes(caseId)!, noteId: b64ToBytes(body.id)!, authorId: b64ToBytes(investigator.id)! };
      await requireSigned('signature', body.signature, org.signPublicKey, caseNoteSignedBytes(binding, b64ToBytes(body.envelope)!));
      const now = deps.clock();
      const note = { id: body.id, caseId, orgId: org.id, authorId: investigator.id, envelope: body.envelope, signature: body.signature, keyVersion: org.keyVersion, createdAt: now };
      try {
        await audited(deps.db, now, { orgId: org.id, actorId: investigator.id, action: 'case_note', subject: caseId, detail: { note: body.id } }, () => insertNoteSteps(deps.db, note), [auditHead]);
      } catch (error) {
        if (isUniqueViolation(error)) throw new ApiError('duplicate_id', 'A note with this id exists already.');
        throw error;
      }
      return c.json({ id: body.id }, 201);
    })
    .get('/:caseId/notes', async (c) => {
      const { caseId } = readParams(c, caseIdParam);
      const investigator = c.get('investigator');
      const { auditHead } = await loadCaseForAudit(deps, caseId, investigator.orgId);
      const notes = await listNotes(deps.db, caseId, investigator.orgId);
      // Notes are case content the member's device can read: a read of the case.
      await audited(deps.db, deps.clock(), { orgId: investigator.orgId, actorId: investigator.id, action: 'case_view', subject: caseId, detail: { notes: notes.length } }, undefined, [auditHead]);
      return c.json({
        notes: notes.map((n) => ({ id: n.id, authorId: n.authorId, authorName: n.authorName, keyVersion: n.keyVersion, envelope: n.envelope, signature: n.signature, createdAt: n.createdAt })),
      });
    });
}
