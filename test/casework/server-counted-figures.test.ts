// The instance's figures and the public ones are what the server counts without decrypting
// (days and status). SQLite counts them per organisation and month (db/repo/figures.ts
// serverTallies), so a request costs the same whatever the number of cases in its span (issue 16:
// a Workers request under 10 ms of CPU). Held here to the device's rules, `computeFigures`, over
// cases with every kind of day, and shown to read no more rows for 2,000 cases than for 20, and
// to count from an index alone.
import { afterEach, describe, expect, it } from 'vitest';
import { computeFigures, suppressFigures, type CaseFacts } from '../../web/casework/figures.js';
import { CASE_STATUSES, type CaseStatus } from '../../web/protocol/index.js';
import { fetchInstanceFigures } from '../../web/client/figures.js';
import { addOrganisation, makeTestApp, signInAs, TEST_CONFIG, type TestApp } from '../support/test-app.js';
import { recordStatements } from '../support/recorded-statements.js';

const FROM = '2026-01-15';
const TO = '2026-05-20';

interface PlantedCase {
  orgId: string;
  receivedDay: string;
  status: CaseStatus;
  ackDueDay: string | null;
  ackDay: string | null;
  feedbackDueDay: string | null;
  feedbackDay: string | null;
}

const dayAfter = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** A small seeded generator (mulberry32), so a failure is the same failure on every run. */
function draws(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  return { below: (n: number) => Math.floor(next() * n), pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]! };
}

/** Cases of every shape: in and out of the span, answered early, on the day and late, never, or with no due day at all. */
function randomCases(orgIds: readonly string[], count: number, seed: number): PlantedCase[] {
  const d = draws(seed);
  return Array.from({ length: count }, () => {
    const receivedDay = dayAfter('2026-01-01', d.below(170)); // into June: some after the span's end
    const ackDueDay = d.below(10) === 0 ? null : dayAfter(receivedDay, 7);
    const ackDay = d.below(4) === 0 ? null : dayAfter(receivedDay, d.below(12)); // on, before or after the due day
    const feedbackDueDay = d.below(10) === 0 ? null : dayAfter(receivedDay, 90);
    const feedbackDay = d.below(2) === 0 ? null : dayAfter(receivedDay, 80 + d.below(20));
    return { orgId: d.pick(orgIds), receivedDay, status: d.pick(CASE_STATUSES), ackDueDay, ackDay, feedbackDueDay, feedbackDay };
  });
}

function plant(t: TestApp, planted: readonly PlantedCase[]): void {
  const insert = t.database.sqlite.prepare(
    `INSERT INTO cases (id, reference, org_id, status, received_day, last_reporter_day, updated_at, ack_due_day, ack_day, feedback_due_day, feedback_day)
     VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)`,
  );
  t.database.sqlite.transaction(() => {
    planted.forEach((c, i) => insert.run(`planted-${i}`, `P${String(i).padStart(7, '0')}`, c.orgId, c.status, c.receivedDay, c.receivedDay, c.ackDueDay, c.ackDay, c.feedbackDueDay, c.feedbackDay));
  })();
}

const facts = (c: PlantedCase): CaseFacts => ({ receivedDay: c.receivedDay, status: c.status, deadlines: c, category: null });
const inSpan = (c: PlantedCase) => c.receivedDay >= FROM && c.receivedDay <= TO;

describe('the server-counted figures', () => {
  const opened: TestApp[] = [];
  const open = (...args: Parameters<typeof makeTestApp>) => {
    const t = makeTestApp(...args);
    opened.push(t);
    return t;
  };
  afterEach(() => opened.splice(0).forEach((t) => t.close()));

  it('equal the device’s counting (computeFigures) over the same cases, per organisation and month, in the instance’s and the public figures', async () => {
    const t = open({ ...TEST_CONFIG, publicFigures: true });
    const founded = await addOrganisation(t, 'Met Unit', 'alice');
    const others = [await addOrganisation(t, 'County Unit', 'bob'), await addOrganisation(t, 'Border Unit', 'carol')];
    const orgIds = [founded.orgId, ...others.map((o) => o.orgId)];
    const planted = randomCases(orgIds, 900, 0x5eed);
    plant(t, planted);
    const organisations = t.database.sqlite.prepare('SELECT id, name FROM organisations ORDER BY name').all() as { id: string; name: string }[];
    const expected = organisations.map(({ id, name }) => ({ id, name, months: computeFigures(planted.filter((c) => c.orgId === id && inSpan(c)).map(facts), 'month') }));
    // The planted cases reach every kind of count, so an equal answer says something.
    const all = expected.flatMap((o) => o.months);
    expect(all.length).toBe(15);
    for (const key of ['acknowledgedWithin', 'feedbackWithin', 'responded'] as const) expect(all.every((m) => m[key] > 0)).toBe(true);
    expect(new Set(all.map((m) => m.medianDaysToFirstResponse)).size).toBeGreaterThan(2);

    const alice = await signInAs(t, 'alice', founded.totpSecret);
    expect(await fetchInstanceFigures(t.api, alice, FROM, TO)).toEqual(
      expected.map(({ id, name, months }) => ({
        id, name,
        months: months.map(({ period, received, acknowledgedWithin, feedbackWithin, medianDaysToFirstResponse, responded, outcomes }) => ({ period, received, acknowledgedWithin, feedbackWithin, medianDaysToFirstResponse, responded, outcomes })),
      })),
    );
    expect((await t.api.call('GET /api/figures', { query: { from: FROM, to: TO } })).organisations).toEqual(
      expected.map(({ name, months }) => ({
        name,
        months: months.map(suppressFigures).map(({ period, received, acknowledgedWithin, feedbackWithin, medianDaysToFirstResponse, outcomes }) => ({ period, received, acknowledgedWithin, feedbackWithin, medianDaysToFirstResponse, outcomes })),
      })),
    );
  });

  it('read as many rows for 2,000 cases in the span as for 20: SQLite counts, the worker reads the counts', async () => {
    const rowsRead = async (count: number) => {
      const t = open();
      const founded = await addOrganisation(t, 'Met Unit', 'alice');
      // The same months and the same answer times at both sizes (i cycles through all 15 pairs), only more of each.
      plant(t, Array.from({ length: count }, (_, i) => {
        const receivedDay = dayAfter('2026-02-01', 31 * (i % 3));
        return { orgId: founded.orgId, receivedDay, status: CASE_STATUSES[i % CASE_STATUSES.length]!, ackDueDay: dayAfter(receivedDay, 7), ackDay: dayAfter(receivedDay, Math.floor(i / 3) % 5), feedbackDueDay: null, feedbackDay: null };
      }));
      const alice = await signInAs(t, 'alice', founded.totpSecret);
      let rows = 0;
      recordStatements(t.database.sqlite, (statement) => (rows += statement.rows));
      const [unit] = await fetchInstanceFigures(t.api, alice, FROM, TO);
      expect(unit!.months.reduce((sum, m) => sum + m.received, 0)).toBe(count);
      return rows;
    };
    expect(await rowsRead(2_000)).toBe(await rowsRead(20));
  });

  it('count from one index alone: no statement reads a case’s row (the span’s cases are the index’s range, each fact in the index)', async () => {
    const t = open();
    const founded = await addOrganisation(t, 'Met Unit', 'alice');
    const alice = await signInAs(t, 'alice', founded.totpSecret);
    const sources = new Set<string>();
    recordStatements(t.database.sqlite, (statement) => sources.add(statement.source));
    await fetchInstanceFigures(t.api, alice, FROM, TO);
    const casesReads = [...sources].filter((source) => /\bfrom "cases"/i.test(source));
    expect(casesReads.length).toBeGreaterThan(0);
    const plans = casesReads.flatMap((source) =>
      (t.database.sqlite.prepare(`EXPLAIN QUERY PLAN ${source}`).all(...Array((source.match(/\?/g) ?? []).length).fill(null)) as { detail: string }[])
        .map((row) => row.detail).filter((detail) => /\bcases\b/.test(detail)));
    expect(plans.length).toBeGreaterThan(0);
    for (const detail of plans) expect(detail).toMatch(/^SEARCH cases USING COVERING INDEX \S+ \(received_day>\? AND received_day<\?\)$/);
  });
});
