// The case columns a message keeps right in its own write (db/repo/cases.ts CaseUpdate): the
// acknowledgement, feedback and closing days, and the reporter's last message, on both runtimes.
import { describe, expect, it } from 'vitest';
import { openMailbox, replyFromMailbox } from '../../web/client/reporter.js';
import { listCases, openCase, replyToCase, sessionHeaders, setCaseStatus, type InvestigatorSession } from '../../web/client/investigator.js';
import { ApiRequestError } from '../../web/client/api.js';
import { dayOf } from '../../worker/deps.js';
import { MAX_ENVELOPE_BYTES } from '../../worker/wire.js';
import { bytesToB64 } from '../../web/protocol/index.js';
import { API_TARGETS, type ApiTarget, useTarget } from '../support/targets.js';
import { fileReport } from '../support/reports.js';

interface Columns { ack_day: string | null; feedback_day: string | null; closed_day: string | null; last_reporter_seq: number; last_reporter_day: string }

describe.each(API_TARGETS)('on $name', (target) => {
  let t: ApiTarget;
  useTarget(target, (started) => (t = started));

  const columns = (caseId: string) => t.sql<Columns>('SELECT ack_day, feedback_day, closed_day, last_reporter_seq, last_reporter_day FROM cases WHERE id = ?', caseId)[0]!;

  async function aCase(): Promise<{ session: InvestigatorSession; caseId: string; keys: Awaited<ReturnType<typeof fileReport>>['keys'] }> {
    const { keys } = await fileReport(t.api, 'A report');
    const session = await t.signIn('alice');
    const [summary] = await listCases(t.api, session);
    return { session, caseId: summary!.id, keys };
  }

  it('acknowledges on the first reply with words, not on a wordless status change, and keeps the first day', async () => {
    const { session, caseId } = await aCase();
    const today = dayOf(t.now());
    await setCaseStatus(t.api, session, await openCase(t.api, session, caseId), 'assessing');
    expect(columns(caseId).ack_day).toBeNull();
    await replyToCase(t.api, session, await openCase(t.api, session, caseId), 'We have your report.');
    expect(columns(caseId).ack_day).toBe(today);
    // A later reply does not move the day the acknowledgement was given.
    t.sql("UPDATE cases SET ack_day = '2020-01-02' WHERE id = ?", caseId);
    await replyToCase(t.api, session, await openCase(t.api, session, caseId), 'A question.');
    expect(columns(caseId)).toMatchObject({ ack_day: '2020-01-02', feedback_day: null });
    // The list and the case view say so.
    expect((await openCase(t.api, session, caseId)).deadlines.ackDay).toBe('2020-01-02');
  });

  it('records feedback only for a reply marked as feedback, the first time', async () => {
    const { session, caseId } = await aCase();
    const today = dayOf(t.now());
    await replyToCase(t.api, session, await openCase(t.api, session, caseId), 'Not feedback yet.');
    expect(columns(caseId).feedback_day).toBeNull();
    await replyToCase(t.api, session, await openCase(t.api, session, caseId), 'Here is what we did.', 'investigating', [], true);
    expect(columns(caseId).feedback_day).toBe(today);
    t.sql("UPDATE cases SET feedback_day = '2020-03-04' WHERE id = ?", caseId);
    await replyToCase(t.api, session, await openCase(t.api, session, caseId), 'More feedback.', undefined, [], true);
    expect(columns(caseId).feedback_day).toBe('2020-03-04');
    expect((await listCases(t.api, session))[0]!.deadlines.feedbackDay).toBe('2020-03-04');
  });

  it('sets the closed day when a message closes the case and clears it when one reopens it', async () => {
    const { session, caseId } = await aCase();
    const today = dayOf(t.now());
    await setCaseStatus(t.api, session, await openCase(t.api, session, caseId), 'closed');
    expect(columns(caseId).closed_day).toBe(today);
    await setCaseStatus(t.api, session, await openCase(t.api, session, caseId), 'investigating');
    expect(columns(caseId).closed_day).toBeNull();
    await replyToCase(t.api, session, await openCase(t.api, session, caseId), 'Nothing more we can do.', 'no_further_action');
    expect(columns(caseId).closed_day).toBe(today);
    // A reply without a status leaves it as it was.
    await replyToCase(t.api, session, await openCase(t.api, session, caseId), 'A last word.');
    expect(columns(caseId).closed_day).toBe(today);
  });

  it("keeps the seq of the reporter's last message, and only the reporter's", async () => {
    const { session, caseId, keys } = await aCase();
    expect(columns(caseId).last_reporter_seq).toBe(1);
    await replyToCase(t.api, session, await openCase(t.api, session, caseId), 'A question.');
    expect(columns(caseId).last_reporter_seq).toBe(1);
    await replyFromMailbox(t.api, keys, await openMailbox(t.api, keys), 'An answer.');
    expect(columns(caseId)).toMatchObject({ last_reporter_seq: 3, last_reporter_day: dayOf(t.now()), ack_day: dayOf(t.now()) });
    await replyToCase(t.api, session, await openCase(t.api, session, caseId), 'Thanks.');
    expect(columns(caseId).last_reporter_seq).toBe(3);
  });

  it('tells the reporter the day the unit aims to reply by: the next open deadline, none once answered or settled', async () => {
    const { session, caseId, keys } = await aCase();
    const [due] = t.sql<{ ack_due_day: string; feedback_due_day: string }>('SELECT ack_due_day, feedback_due_day FROM cases WHERE id = ?', caseId);
    expect((await openMailbox(t.api, keys)).replyBy).toBe(due!.ack_due_day);
    await replyToCase(t.api, session, await openCase(t.api, session, caseId), 'We have your report.');
    expect((await openMailbox(t.api, keys)).replyBy).toBe(due!.feedback_due_day);
    await replyToCase(t.api, session, await openCase(t.api, session, caseId), 'What we did.', undefined, [], true);
    expect((await openMailbox(t.api, keys)).replyBy).toBeNull();
    t.sql('UPDATE cases SET feedback_day = NULL WHERE id = ?', caseId);
    await setCaseStatus(t.api, session, await openCase(t.api, session, caseId), 'no_further_action');
    expect((await openMailbox(t.api, keys)).replyBy).toBeNull();
  });

  it('refuses a feedback mark that is not true or false', async () => {
    const { session, caseId } = await aCase();
    const error = await t.api.call('POST /api/investigator/cases/:caseId/messages', {
      params: { caseId },
      // Every other field well formed: the mark alone is refused, before any signature is looked at.
      body: { id: caseId, envelope: bytesToB64(new Uint8Array(MAX_ENVELOPE_BYTES)), signature: bytesToB64(new Uint8Array(64)), prev: bytesToB64(new Uint8Array(32)), feedback: 'yes' } as never,
      headers: sessionHeaders(session),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiRequestError);
    expect(error).toMatchObject({ status: 400, code: 'invalid_body', message: expect.stringContaining('feedback') });
  });
});
