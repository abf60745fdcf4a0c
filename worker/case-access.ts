// Loading a case on behalf of an organisation: it exists for them only if they hold a
// sealed key for it. Anything else is "not found", so ids of other cases reveal nothing.
import { findHeldCase, findHeldCaseWithHead, type HeldCaseRow } from '../db/repo/cases.js';
import type { ReadHead } from './audit.js';
import { ApiError } from './errors.js';
import type { AppDeps } from './deps.js';

export async function loadCaseForOrg(deps: AppDeps, caseId: string, orgId: string): Promise<HeldCaseRow> {
  // One read: the case with the organisation's key to it (none: not theirs, or no such case).
  return heldOrRefused(await findHeldCase(deps.db, caseId, orgId));
}

/** A held case as read (with other reads, in one trip), or "not found". */
export function heldOrRefused(held: HeldCaseRow | undefined): HeldCaseRow {
  if (!held) throw new ApiError('not_found', 'No such case for your organisation.');
  return held;
}

/** The held case and the head of the unit's audit chain, read together: for a route that audits what it does with the case. */
export async function loadCaseForAudit(deps: AppDeps, caseId: string, orgId: string): Promise<HeldCaseRow & { auditHead: ReadHead }> {
  const { held, auditHead } = await findHeldCaseWithHead(deps.db, caseId, orgId);
  return { ...heldOrRefused(held), auditHead };
}
