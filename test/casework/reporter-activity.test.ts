// The organisation's reporter-activity counter, which staff notices compare against
// (worker/notices.ts): one more for each reporter message (the report, each answer), none for
// the unit's own messages, only for the organisation leading the case; on both runtimes.
import { describe, expect, it } from 'vitest';
import { openMailbox, replyFromMailbox } from '../../web/client/reporter.js';
import { listCases, openCase, replyToCase, setCaseStatus } from '../../web/client/investigator.js';
import { API_TARGETS, type ApiTarget, useTarget } from '../support/targets.js';
import { fileReport } from '../support/reports.js';

describe.each(API_TARGETS)('on $name', (target) => {
  let t: ApiTarget;
  useTarget(target, (started) => (t = started));

  const activity = () => Object.fromEntries(t.sql<{ name: string; n: number }>('SELECT name, reporter_activity AS n FROM organisations').map((r) => [r.name, r.n]));

  it('counts the report and each answer from the reporter, not the unit’s messages', async () => {
    await t.addOrganisation('Other Unit', 'olga');
    const { keys } = await fileReport(t.api, 'a report');
    expect(activity()).toEqual({ 'Anti-Corruption Unit': 1, 'Other Unit': 0 });

    const session = await t.signIn('alice');
    const [summary] = await listCases(t.api, session);
    const opened = await openCase(t.api, session, summary!.id);
    await replyToCase(t.api, session, opened, 'Which station?');
    await setCaseStatus(t.api, session, await openCase(t.api, session, summary!.id), 'assessing');
    expect(activity()).toEqual({ 'Anti-Corruption Unit': 1, 'Other Unit': 0 });

    await replyFromMailbox(t.api, keys, await openMailbox(t.api, keys), 'The one on the high street.');
    await replyFromMailbox(t.api, keys, await openMailbox(t.api, keys), 'And another thing.');
    expect(activity()).toEqual({ 'Anti-Corruption Unit': 3, 'Other Unit': 0 });
  });
});
