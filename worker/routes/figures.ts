// Figures: the unit's own (its cases within a span of days, for its device to open each
// category and count: the server never sees a category), and the instance's, which is only
// what the server can count without decrypting (days and status), for instance administrators.
// Reading the unit's reports in bulk is audited.
import { Hono } from 'hono';
import { casesReceivedBetween, serverTallies } from '../../db/repo/figures.js';
import { readQuery } from '../validate.js';
import { CASE_PAGE_MAX, figuresQuery, instanceFiguresQuery, publicFiguresQuery } from '../wire.js';
import type { AppDeps } from '../deps.js';
import { investigatorSession, type InvestigatorVariables } from '../middleware/investigator-session.js';
import { audited } from '../audit.js';
import { ApiError } from '../errors.js';
import { publicOrganisationsById } from '../public-organisations.js';
import { wireCaseKey, wireMessage } from '../thread-response.js';
import { emptyTally, figuresOf, suppressFigures } from '../../web/casework/figures.js';

/** Cursor: the last case of a page, as "received day.case id" (the case list's form). */
const parseCursor = (cursor: string | undefined) => (cursor ? { day: cursor.slice(0, 10), id: cursor.slice(11) } : undefined);

export function figuresRoutes(deps: AppDeps) {
  // Per route, not '*': this sub-app sits at /api/investigator beside routes that need no session.
  const session = investigatorSession(deps);
  return new Hono<{ Variables: InvestigatorVariables }>()
    .get('/figures', session, async (c) => {
      const { from, to, after, limit = CASE_PAGE_MAX } = readQuery(c, figuresQuery);
      const investigator = c.get('investigator');
      const { rows, auditHead } = await casesReceivedBetween(deps.db, investigator.orgId, { from, to, after: parseCursor(after), limit });
      // The span and the count only: what was counted stays on the device.
      await audited(deps.db, deps.clock(), { orgId: investigator.orgId, actorId: investigator.id, action: 'figures_view', subject: null, detail: { from, to, count: rows.length, ...(after ? { after } : {}) } }, undefined, [auditHead]);
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
      return c.json({
        organisations: (await serverCountedFigures(deps, from, to)).map(({ id, name, months }) => ({
          id, name,
          months: months.map(({ period, received, acknowledgedWithin, feedbackWithin, medianDaysToFirstResponse, responded, outcomes }) => ({ period, received, acknowledgedWithin, feedbackWithin, medianDaysToFirstResponse, responded, outcomes })),
        })),
      });
    });
}

/** What the server can count without decrypting, per organisation (the one leading each case) and month. */
async function serverCountedFigures(deps: AppDeps, from: string, to: string) {
  const { months, responseDays, organisations } = await serverTallies(deps.db, from, to);
  // The same tallies as the units' own, with no category: the server has none, so every case counts as unreadable.
  const tallies = new Map(months.map(({ orgId, period, received, acknowledgedWithin, feedbackWithin, outcomes }) =>
    [`${orgId} ${period}`, { ...emptyTally(period), received, unreadable: received, acknowledgedWithin, feedbackWithin, outcomes }]));
  for (const { orgId, period, days, cases } of responseDays) {
    const tally = tallies.get(`${orgId} ${period}`)!;
    for (let i = 0; i < cases; i++) tally.firstResponseDays.push(days);
  }
  return organisations.map((org) => ({
    id: org.id,
    name: org.name,
    months: months.filter((m) => m.orgId === org.id).map((m) => m.period).sort().map((period) => figuresOf(tallies.get(`${org.id} ${period}`)!)),
  }));
}

/** The instance's figures as they may be published: per organisation and month, every count and median suppressed. */
export async function publishedFigures(deps: AppDeps, from: string, to: string) {
  return (await serverCountedFigures(deps, from, to)).map(({ name, months }) => ({
    name,
    months: months.map(suppressFigures).map(({ period, received, acknowledgedWithin, feedbackWithin, medianDaysToFirstResponse, outcomes }) => ({ period, received, acknowledgedWithin, feedbackWithin, medianDaysToFirstResponse, outcomes })),
  }));
}
export type PublishedFigures = Awaited<ReturnType<typeof publishedFigures>>;

/**
 * The public figures (off unless PARLEY_PUBLIC_FIGURES=on: then 404, as for no route at all):
 * as JSON here, and as a page at /figures (worker/public-figures-page.ts).
 * Suppressed aggregates only; no cookie is set and nothing about the caller is kept.
 */
export function publicFiguresRoutes(deps: AppDeps) {
  return new Hono().get('/figures', async (c) => {
    if (!deps.config.publicFigures) throw new ApiError('not_found', 'No such route.');
    const { from, to } = readQuery(c, publicFiguresQuery);
    return c.json({ organisations: await publishedFigures(deps, from, to) });
  });
}
