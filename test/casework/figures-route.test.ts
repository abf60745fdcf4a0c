// The unit's figures through the API, on Node and on workerd + D1: the device fetches the cases
// received in a span, opens each category itself and counts; the counts equal a hand count, the
// span is the unit's own cases only, bad spans are refused, the read is audited — and after the
// figures are computed, no category and no report words are anywhere in what the server stores.
import { describe, expect, it } from 'vitest';
import { fetchFigureFacts, fetchInstanceFigures } from '../../web/client/figures.js';
import { sessionHeaders } from '../../web/client/investigator.js';
import { computeFigures } from '../../web/casework/figures.js';
import { fileReport } from '../support/reports.js';
import { markersFound } from '../support/bytes-search.js';
import { API_TARGETS, useTarget, type ApiTarget } from '../support/targets.js';
import type { ReportCategory } from '../../web/protocol/index.js';
import { PRODUCTION_CONFIG } from '../../worker/config-vars.js';
import { makeTestApp, TEST_CONFIG } from '../support/test-app.js';

const MARKER = 'MARKER-FIGURES-41c7d2';

describe.each(API_TARGETS)('figures on $name', (target) => {
  let t: ApiTarget;
  useTarget(target, (started) => (t = started));

  /** A report of that category, then its days set as the unit's bookkeeping would have them. */
  async function seed(category: ReportCategory, receivedDay: string, status: string, ackDueDay: string, ackDay: string | null): Promise<string> {
    const filed = await fileReport(t.api, `${MARKER} ${category}`, { category });
    t.sql('UPDATE cases SET received_day = ?, status = ?, ack_due_day = ?, ack_day = ? WHERE id = ?', receivedDay, status, ackDueDay, ackDay, filed.submission.caseId);
    return filed.submission.caseId;
  }

  it('are counted on the device from the categories it opens, equal a hand count, and leave no category stored', async () => {
    await seed('sexual_misconduct', '2026-03-02', 'investigating', '2026-03-09', '2026-03-04'); // in time, 2 days
    await seed('sexual_misconduct', '2026-03-20', 'closed', '2026-03-27', '2026-03-30'); //          late, 10 days
    await seed('disability_discrimination', '2026-03-31', 'received', '2026-04-07', null); //        not yet
    await seed('bribery', '2026-04-01', 'passed_on', '2026-04-08', '2026-04-01'); //                  in time, 0 days
    await seed('bribery', '2026-02-28', 'received', '2026-03-07', null); //                            before the span
    const alice = await t.signIn('alice');

    const facts = await fetchFigureFacts(t.api, alice, '2026-03-01', '2026-04-30');
    const [march, april] = computeFigures(facts, 'month');
    expect(march).toMatchObject({
      period: '2026-03', received: 3, unreadable: 0, acknowledgedWithin: 1, medianDaysToFirstResponse: 6, responded: 2,
      byCategory: { sexual_misconduct: 2, disability_discrimination: 1, bribery: 0 },
      outcomes: { investigating: 1, closed: 1, passed_on: 0 },
    });
    expect(april).toMatchObject({ period: '2026-04', received: 1, acknowledgedWithin: 1, medianDaysToFirstResponse: 0, byCategory: { bribery: 1 }, outcomes: { passed_on: 1 } });

    // The read is audited with its span and count; what was counted is not in it.
    const [entry] = t.sql<{ detail: string }>("SELECT detail FROM audit_log WHERE action = 'figures_view'");
    expect(JSON.parse(entry!.detail)).toEqual({ from: '2026-03-01', to: '2026-04-30', count: 4 });
    // Planted: the report words, and the category names the device decrypted and counted.
    expect(markersFound(t.storedBytes(), [MARKER, 'sexual_misconduct', 'disability_discrimination'])).toEqual([]);
  });

  it("pages through the span oldest first and shows only the unit's own cases", async () => {
    const ids = [await seed('other', '2026-05-01', 'received', '2026-05-08', null), await seed('other', '2026-05-02', 'received', '2026-05-09', null), await seed('other', '2026-05-03', 'received', '2026-05-10', null)];
    await t.addOrganisation('County Unit', 'bob');
    const bob = await t.signIn('bob');
    expect(await fetchFigureFacts(t.api, bob, '2026-01-01', '2026-12-31')).toEqual([]);
    const alice = await t.signIn('alice');
    const first = await t.api.call('GET /api/investigator/figures', { query: { from: '2026-05-01', to: '2026-05-31', limit: 2 }, headers: sessionHeaders(alice) });
    expect(first.cases.map((c) => c.id)).toEqual(ids.slice(0, 2));
    const second = await t.api.call('GET /api/investigator/figures', { query: { from: '2026-05-01', to: '2026-05-31', limit: 2, after: first.nextCursor! }, headers: sessionHeaders(alice) });
    expect(second).toMatchObject({ cases: [{ id: ids[2] }], nextCursor: null });
    // Only what counting needs: no reference travels.
    expect(Object.keys(first.cases[0]!)).not.toContain('reference');
  });

  it('refuses a span that is backwards, longer than a year or not days, and a caller without a session', async () => {
    const alice = await t.signIn('alice');
    const get = (query: string, headers: Record<string, string> = sessionHeaders(alice)) => t.request(`/api/investigator/figures?${query}`, { headers });
    // A page is at most 50 cases, as the case list's: what keeps a request inside a Worker's 10 ms of CPU.
    for (const query of ['from=2026-05-02&to=2026-05-01', 'from=2025-01-01&to=2026-01-02', 'from=2026-02-30&to=2026-03-01', 'from=2026-01-01', 'from=x&to=y', 'from=2026-01-01&to=2026-01-02&limit=51']) {
      const res = await get(query);
      expect([query, res.status]).toEqual([query, 400]);
      expect(await res.json()).toMatchObject({ error: { code: 'invalid_parameter' } });
    }
    expect((await get('from=2025-01-01&to=2025-12-31')).status).toBe(200); // 365 days
    expect((await get('from=2026-01-01&to=2026-01-02&limit=50')).status).toBe(200);
    expect((await get('from=2024-01-01&to=2024-12-31')).status).toBe(200); // 366, a leap year
    expect((await get('from=2025-01-01&to=2026-01-01')).status).toBe(200); // 366 days, the most
    expect((await get('from=2026-01-01&to=2026-01-31', {})).status).toBe(401);
  });

  it('for the instance: per organisation and month, what the server counts without decrypting; instance administrators only', async () => {
    await seed('bribery', '2026-03-02', 'investigating', '2026-03-09', '2026-03-04'); // in time, 2 days
    await seed('bribery', '2026-03-20', 'closed', '2026-03-27', '2026-03-30'); //       late, 10 days
    await seed('bribery', '2026-04-01', 'received', '2026-04-08', null);
    await t.addOrganisation('County Unit', 'bob');
    const alice = await t.signIn('alice');
    const figures = await fetchInstanceFigures(t.api, alice, '2026-01-01', '2026-12-31');
    expect(figures.map((o) => [o.name, o.months.map((m) => m.period)])).toEqual([['Anti-Corruption Unit', ['2026-03', '2026-04']], ['County Unit', []]]);
    expect(figures[0]!.months[0]).toEqual({
      period: '2026-03', received: 2, acknowledgedWithin: 1, feedbackWithin: 0, medianDaysToFirstResponse: 6, responded: 2,
      outcomes: { investigating: 1, intelligence_recorded: 0, passed_on: 0, no_further_action: 0, closed: 1 },
    });
    t.sql("UPDATE investigators SET instance_admin = 0 WHERE username = 'bob'");
    const bob = await t.signIn('bob');
    const refused = await t.request('/api/investigator/instance/figures?from=2026-01-01&to=2026-12-31', { headers: sessionHeaders(bob) });
    expect(refused.status).toBe(403);
    expect((await t.request('/api/investigator/instance/figures?from=2026-12-01&to=2026-01-01', { headers: sessionHeaders(alice) })).status).toBe(400);
  });

  it('are published suppressed at GET /api/figures when the operator turns them on (as the suite does)', async () => {
    for (let i = 0; i < 5; i++) await seed('bribery', '2026-03-02', 'investigating', '2026-03-09', '2026-03-04');
    await seed('bribery', '2026-04-01', 'closed', '2026-04-08', '2026-04-02');
    const res = await t.request('/api/figures?from=2026-01-01&to=2026-12-31');
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toBeNull();
    const { organisations } = (await res.json()) as { organisations: { name: string; months: unknown[] }[] };
    expect(organisations[0]).toEqual({
      name: 'Anti-Corruption Unit',
      months: [
        { period: '2026-03', received: 5, acknowledgedWithin: 5, feedbackWithin: 0, medianDaysToFirstResponse: 2, outcomes: { investigating: 5, intelligence_recorded: 0, passed_on: 0, no_further_action: 0, closed: 0 } },
        { period: '2026-04', received: 'fewer_than_5', acknowledgedWithin: 'fewer_than_5', feedbackWithin: 0, medianDaysToFirstResponse: 'withheld', outcomes: { investigating: 0, intelligence_recorded: 0, passed_on: 0, no_further_action: 0, closed: 'fewer_than_5' } },
      ],
    });
  });
});

describe('public figures by default', () => {
  it('are off: the route answers 404 as if there were none', async () => {
    expect(PRODUCTION_CONFIG.publicFigures).toBe(false);
    const app = makeTestApp({ ...TEST_CONFIG, publicFigures: PRODUCTION_CONFIG.publicFigures });
    try {
      const res = await app.fetch('http://parley.test/api/figures?from=2026-01-01&to=2026-12-31', {});
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'No such route.' } });
    } finally {
      app.close();
    }
  });
});
