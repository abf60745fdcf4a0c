// Loading a case on behalf of an organisation: it exists for them only if they hold a
// sealed key for it. Anything else is "not found", so ids of other cases reveal nothing.
import { findCase, findCaseKey, type CaseKeyRow, type CaseRow } from '../db/repo/cases.js';
import { ApiError } from './errors.js';
import type { AppDeps } from './deps.js';

export async function loadCaseForOrg(deps: AppDeps, caseId: string, orgId: string): Promise<{ caseRow: CaseRow; caseKey: CaseKeyRow }> {
  const caseKey = await findCaseKey(deps.db, caseId, orgId);
  const caseRow = caseKey ? await findCase(deps.db, caseId) : undefined;
  if (!caseKey || !caseRow) throw new ApiError('not_found', 'No such case for your organisation.');
  return { caseRow, caseKey };
}
