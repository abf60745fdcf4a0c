// The member's own address for staff notices by e-mail (worker/notices.ts).
import type { ApiClient } from './api.js';
import { sessionHeaders, type InvestigatorSession } from './investigator.js';

export async function noticeAddress(api: ApiClient, session: InvestigatorSession): Promise<string | null> {
  return (await api.call('GET /api/investigator/account/notices', { headers: sessionHeaders(session) })).email;
}

/** null stops the notices. */
export async function setNoticeAddress(api: ApiClient, session: InvestigatorSession, email: string | null): Promise<string | null> {
  return (await api.call('PUT /api/investigator/account/notices', { body: { email }, headers: sessionHeaders(session) })).email;
}
