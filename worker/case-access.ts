// Loading a case on behalf of an organisation: it exists for them only if they hold a
// sealed key for it. Anything else is "not found", so ids of other cases reveal nothing.
import { findHeldCase, type CaseKeyRow, type CaseRow } from '../db/repo/cases.js';
import { ApiError } from './errors.js';
import type { AppDeps } from './deps.js';

export const noSuchCaseForOrg = () => new ApiError('not_found', 'No such case for your organisation.');

export async function loadCaseForOrg(deps: AppDeps, caseId: string, orgId: string): Promise<{ caseRow: CaseRow; caseKey: CaseKeyRow; reporterSignPublicKey: string | null }> {
  // One read: the case with the organisation's key to it (none: not theirs, or no such case).
  const held = await findHeldCase(deps.db, caseId, orgId);
  if (!held) throw noSuchCaseForOrg();
  return held;
}
