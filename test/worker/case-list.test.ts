// The case list by deadline (GET /api/investigator/cases): sorted by the next open deadline,
// filtered by due, assignee, reference and status, keyset-paged in both orders, with a summary
// over all the organisation's cases. On both runtimes; the time-zone cases on Node, whose clock
// the test sets.
import { describe, expect, it } from 'vitest';
import { listCasePage, listCases, type CasePageRequest, type InvestigatorSession } from '../../web/client/investigator.js';
import { addDays, dayIn } from '../../web/casework/calendar.js';
import { API_TARGETS, type ApiTarget, useTarget } from '../support/targets.js';
import { fileReport } from '../support/reports.js';
import { addOrganisation, makeTestApp, signInAs } from '../support/test-app.js';

describe.each(API_TARGETS)('on $name', (target) => {
  let t: ApiTarget;
  useTarget(target, (started) => (t = started));

  /**
   * Six cases with their deadline columns planted relative to the unit's today T:
   * overdue (ack due T-2), feedback due T+3, ack due T+6 (the week's last day), ack due T+7 (next
   * week), closed with an old ack due (none open), both given (none open).
   */
  async function plantedCases(): Promise<{ session: InvestigatorSession; today: string; ids: Record<'overdue' | 'feedback3' | 'ack6' | 'ack7' | 'closed' | 'done', string> }> {
    for (let i = 0; i < 6; i++) await fileReport(t.api, `report ${i}`);
    const session = await t.signIn('alice');
    const today = dayIn(t.now(), 'Europe/London');
    const [a, b, c, d, e, f] = t.sql<{ id: string }>('SELECT id FROM cases ORDER BY id').map((row) => row.id);
    const set = (id: string, columns: string, ...values: unknown[]) => t.sql(`UPDATE cases SET ${columns} WHERE id = ?`, ...values, id);
    const day = (n: number) => addDays(today, n);
    set(a!, 'ack_due_day = ?, feedback_due_day = ?', day(-2), day(80));
    set(b!, 'ack_due_day = ?, ack_day = ?, feedback_due_day = ?', day(-10), day(-9), day(3));
    set(c!, 'ack_due_day = ?, feedback_due_day = ?', day(6), day(80));
    set(d!, 'ack_due_day = ?, feedback_due_day = ?', day(7), day(80));
    set(e!, "ack_due_day = ?, status = 'closed'", day(-5));
    set(f!, 'ack_due_day = ?, ack_day = ?, feedback_due_day = ?, feedback_day = ?', day(-20), day(-20), day(-1), day(-1));
    return { session, today, ids: { overdue: a!, feedback3: b!, ack6: c!, ack7: d!, closed: e!, done: f! } };
  }

  const ids = async (session: InvestigatorSession, request: Omit<CasePageRequest, 'after'>) => (await listCases(t.api, session, request)).map((row) => row.id);

  it('sorts by the next open deadline, nearest first, cases with none last, and pages through them all', async () => {
    const { session, ids: c } = await plantedCases();
    const noneOpen = [c.closed, c.done].sort();
    expect(await ids(session, { sort: 'due' })).toEqual([c.overdue, c.feedback3, c.ack6, c.ack7, ...noneOpen]);
    // Pages of two reach every case once, in the same order.
    expect(await ids(session, { sort: 'due', limit: 2 })).toEqual([c.overdue, c.feedback3, c.ack6, c.ack7, ...noneOpen]);
    expect(await ids(session, { sort: 'due', limit: 1 })).toHaveLength(6);
    // The default order is still by received day.
    expect(new Set(await ids(session, { limit: 4 }))).toEqual(new Set(Object.values(c)));
  });

  it('filters by due (overdue, this week) and counts both over all cases, whatever the page shows', async () => {
    const { session, today, ids: c } = await plantedCases();
    expect(await ids(session, { due: 'overdue' })).toEqual([c.overdue]);
    expect(new Set(await ids(session, { due: 'week' }))).toEqual(new Set([c.feedback3, c.ack6]));
    expect(await ids(session, { due: 'week', sort: 'due' })).toEqual([c.feedback3, c.ack6]);
    const page = await listCasePage(t.api, session, { status: 'closed', limit: 1 });
    expect(page.cases.map((row) => row.id)).toEqual([c.closed]);
    expect(page.today).toBe(today);
    expect(page.summary).toEqual({ overdue: 1, dueThisWeek: 2 });
  });

  it('filters by assignee (a member, me, nobody) and finds a case by its reference however it is typed', async () => {
    const { session, ids: c } = await plantedCases();
    t.sql('UPDATE cases SET assigned_to = ? WHERE id = ?', session.memberId, c.ack6);
    expect(await ids(session, { assignee: 'me' })).toEqual([c.ack6]);
    expect(await ids(session, { assignee: session.memberId })).toEqual([c.ack6]);
    expect(await ids(session, { assignee: 'none' })).toHaveLength(5);
    expect(await ids(session, { assignee: 'none', due: 'week' })).toEqual([c.feedback3]);
    const reference = t.sql<{ reference: string }>('SELECT reference FROM cases WHERE id = ?', c.ack7)[0]!.reference;
    expect(await ids(session, { reference: reference })).toEqual([c.ack7]);
    expect(await ids(session, { reference: reference.replace('-', '').toLowerCase() })).toEqual([c.ack7]);
    expect(await ids(session, { reference: 'ZZZZ-ZZZZ' })).toEqual([]);
  });

  it('refuses a malformed filter with a 400 naming it', async () => {
    const session = await t.signIn('alice');
    // A page is at most 50 cases, each with its report: what keeps a request inside a Worker's 10 ms of CPU (bench/RESULTS.md).
    for (const [query, name] of [['sort=soon', 'sort'], ['due=tomorrow', 'due'], ['assignee=bob', 'assignee'], ['reference=ABC', 'reference'], ['limit=51', 'limit']] as const) {
      const response = await t.request(`/api/investigator/cases?${query}`, { headers: { authorization: `Bearer ${session.token}` } });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: 'invalid_parameter', message: expect.stringContaining(name) } });
    }
  });

  it('audits each filter the list was asked for', async () => {
    const session = await t.signIn('alice');
    await listCasePage(t.api, session, { sort: 'due', due: 'overdue', assignee: 'me' });
    const [entry] = t.sql<{ detail: string }>("SELECT detail FROM audit_log WHERE action = 'case_list' ORDER BY seq DESC LIMIT 1");
    expect(JSON.parse(entry!.detail)).toEqual({ count: 0, sort: 'due', due: 'overdue', assignee: 'me' });
  });
});

describe('the unit\'s day, in its time zone (Node, the test moves the clock)', () => {
  const at = (iso: string) => Date.parse(iso);

  it('counts deadlines across a month end and by the unit\'s clock across daylight saving', async () => {
    const t = makeTestApp();
    try {
      const { totpSecret } = await addOrganisation(t, 'Anti-Corruption Unit', 'alice');
      // Received on 31 January: acknowledge by 7 February, feedback by 30 April (no 31 April).
      t.clock.now = at('2026-01-31T12:00:00Z');
      await fileReport(t.api, 'A report at the month end');
      const session = await signInAs(t, 'alice', totpSecret);
      const [row] = (await listCasePage(t.api, session)).cases;
      expect(row!.deadlines).toMatchObject({ ackDueDay: '2026-02-07', feedbackDueDay: '2026-04-30' });

      const listAt = async (iso: string) => {
        t.clock.now = at(iso);
        const again = await signInAs(t, 'alice', totpSecret);
        return listCasePage(t.api, again, { due: 'overdue' });
      };
      // 23:30 UTC on the due day, in winter: still 7 February in London (GMT), not overdue.
      expect(await listAt('2026-02-07T23:30:00Z')).toMatchObject({ today: '2026-02-07', summary: { overdue: 0, dueThisWeek: 1 }, cases: [] });
      expect((await listAt('2026-02-08T00:30:00Z')).summary).toEqual({ overdue: 1, dueThisWeek: 0 });

      // Summer: the acknowledgement given, feedback due 30 April; at 23:30 UTC on 30 April it is
      // already 1 May in London (BST): overdue by the unit's clock, though not yet by UTC's.
      t.database.sqlite.prepare("UPDATE cases SET ack_day = '2026-02-01'").run();
      expect(await listAt('2026-04-30T22:30:00Z')).toMatchObject({ today: '2026-04-30', summary: { overdue: 0, dueThisWeek: 1 } });
      const late = await listAt('2026-04-30T23:30:00Z');
      expect(late).toMatchObject({ today: '2026-05-01', summary: { overdue: 1, dueThisWeek: 0 } });
      expect(late.cases.map((c) => c.id)).toEqual([row!.id]);
    } finally {
      t.close();
    }
  });
});
