// Loading a case on behalf of an organisation: it exists for them only if they hold a
// sealed key for it. Anything else is "not found", so ids of other cases reveal nothing.
import { findCase, findCaseKey, type CaseKeyRow, type CaseRow } from '../db/repo/cases.js';
import { ApiError } from './errors.js';
import type { AppDeps } from './deps.js';

export async function loadCaseForOrg(deps: AppDeps, caseId: string, orgId: string): Promise<{ caseRow: CaseRow; caseKey: CaseKeyRow }> {
  const caseKey = await findCaseKey(deps.db, caseId, orgId);
  if (!caseKey) throw new ApiError('not_found', 'No such case for your organisation.');
  // case_keys.case_id references cases.id (foreign keys on), and cases are never deleted.
  return { caseRow: (await findCase(deps.db, caseId))!, caseKey };
}
