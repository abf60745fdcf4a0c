// Figures: the unit's own (its cases within a span of days, for its device to open each
// category and count: the server never sees a category) and, later in this file, what the
// server can count without decrypting. Reading the unit's reports in bulk is audited.
import { Hono } from 'hono';
import { casesReceivedBetween } from '../../db/repo/figures.js';
import { readQuery } from '../validate.js';
import { CASE_PAGE_MAX, figuresQuery } from '../wire.js';
import type { AppDeps } from '../deps.js';
import { investigatorSession, type InvestigatorVariables } from '../middleware/investigator-session.js';
import { audited } from '../audit.js';
import { publicOrganisationsById } from '../public-organisations.js';
import { wireCaseKey, wireMessage } from '../thread-response.js';

/** Cursor: the last case of a page, as "received day.case id" (the case list's form). */
const parseCursor = (cursor: string | undefined) => (cursor ? { day: cursor.slice(0, 10), id: cursor.slice(11) } : undefined);

export function figuresRoutes(deps: AppDeps) {
  return new Hono<{ Variables: InvestigatorVariables }>()
    .use('*', investigatorSession(deps))
    .get('/', async (c) => {
      const { from, to, after, limit = CASE_PAGE_MAX } = readQuery(c, figuresQuery);
      const investigator = c.get('investigator');
      const rows = await casesReceivedBetween(deps.db, investigator.orgId, { from, to, after: parseCursor(after), limit });
      // The span and the count only: what was counted stays on the device.
      await audited(deps.db, deps.clock(), { orgId: investigator.orgId, actorId: investigator.id, action: 'figures_view', subject: null, detail: { from, to, count: rows.length, ...(after ? { after } : {}) } });
      const last = rows.at(-1);
      return c.json({
        cases: rows.map(({ case: row, caseKey, reporterSignPublicKey, report }) => ({
          id: row.id, receivedDay: row.receivedDay, status: row.status,
          deadlines: { ackDueDay: row.ackDueDay, ackDay: row.ackDay, feedbackDueDay: row.feedbackDueDay, feedbackDay: row.feedbackDay },
          closedDay: row.closedDay, caseKey: wireCaseKey(caseKey), reporterSignPublicKey, report: report ? wireMessage(report) : null,
        })),
        nextCursor: rows.length === limit && last ? `${last.case.receivedDay}.${last.case.id}` : null,
        organisations: await publicOrganisationsById(deps.db, rows.flatMap((r) => (r.caseKey.sealedByOrg ? [r.caseKey.sealedByOrg] : []))),
      });
    });
}
