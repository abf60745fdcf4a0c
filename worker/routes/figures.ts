// Figures: the unit's own (its cases within a span of days, for its device to open each
// category and count: the server never sees a category), and the instance's, which is only
// what the server can count without decrypting (days and status), for instance administrators.
// Reading the unit's reports in bulk is audited.
import { Hono } from 'hono';
import { caseDaysBetween, casesReceivedBetween } from '../../db/repo/figures.js';
import { listOrganisations } from '../../db/repo/organisations.js';
import { readQuery } from '../validate.js';
import { CASE_PAGE_MAX, figuresQuery, instanceFiguresQuery } from '../wire.js';
import type { AppDeps } from '../deps.js';
import { investigatorSession, type InvestigatorVariables } from '../middleware/investigator-session.js';
import { audited } from '../audit.js';
import { ApiError } from '../errors.js';
import { publicOrganisationsById } from '../public-organisations.js';
import { wireCaseKey, wireMessage } from '../thread-response.js';
import { computeFigures } from '../../web/casework/figures.js';

/** Cursor: the last case of a page, as "received day.case id" (the case list's form). */
const parseCursor = (cursor: string | undefined) => (cursor ? { day: cursor.slice(0, 10), id: cursor.slice(11) } : undefined);

export function figuresRoutes(deps: AppDeps) {
  // Per route, not '*': this sub-app sits at /api/investigator beside routes that need no session.
  const session = investigatorSession(deps);
  return new Hono<{ Variables: InvestigatorVariables }>()
    .get('/figures', session, async (c) => {
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
    })
    .get('/instance/figures', session, async (c) => {
      if (!c.get('investigator').instanceAdmin) throw new ApiError('forbidden', 'Only an instance administrator can see the instance’s figures.');
      const { from, to } = readQuery(c, instanceFiguresQuery);
      const [rows, organisations] = await Promise.all([caseDaysBetween(deps.db, from, to), listOrganisations(deps.db)]);
      // The same counting as the units' own, over facts with no category: the server has none.
      return c.json({
        organisations: organisations.map((org) => ({
          id: org.id,
          name: org.name,
          months: computeFigures(rows.filter((r) => r.orgId === org.id).map((r) => ({ ...r, deadlines: r, category: null })), 'month')
            .map(({ period, received, acknowledgedWithin, feedbackWithin, medianDaysToFirstResponse, responded, outcomes }) => ({ period, received, acknowledgedWithin, feedbackWithin, medianDaysToFirstResponse, responded, outcomes })),
        })),
      });
    });
}
