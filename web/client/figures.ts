// The unit's figures on the investigator's device: fetch the cases received in a span of days,
// verify and decrypt each report here to learn its category (as the case list does), and keep
// only the facts the counting needs. The category never leaves the device.
import type { ApiClient } from './api.js';
import { openListedReport, sessionHeaders, trustedOrganisations, type InvestigatorSession } from './investigator.js';
import type { CaseFacts } from '../casework/figures.js';
import type { InstanceFiguresResponse } from './wire-types.js';

/** Every case received from `from` to `to` (days, both included; at most a year), page by page, with its category opened here (null: it did not open). */
export async function fetchFigureFacts(api: ApiClient, session: InvestigatorSession, from: string, to: string): Promise<CaseFacts[]> {
  const facts: CaseFacts[] = [];
  for (let after: string | undefined; ; ) {
    const page = await api.call('GET /api/investigator/figures', { query: { from, to, ...(after ? { after } : {}) }, headers: sessionHeaders(session) });
    const organisations = trustedOrganisations(page.organisations);
    for (const row of page.cases) {
      const { report } = openListedReport(session, row, organisations);
      facts.push({ receivedDay: row.receivedDay, status: row.status, deadlines: row.deadlines, category: report?.category ?? null });
    }
    if (!page.nextCursor) return facts;
    after = page.nextCursor;
  }
}

/** For instance administrators: per organisation and month, what the server counts without decrypting (no categories). */
export type InstanceFigures = InstanceFiguresResponse['organisations'];

export async function fetchInstanceFigures(api: ApiClient, session: InvestigatorSession, from: string, to: string): Promise<InstanceFigures> {
  return (await api.call('GET /api/investigator/instance/figures', { query: { from, to }, headers: sessionHeaders(session) })).organisations;
}
