// After a restart: every acknowledged write must be there, read the way people read it — the
// investigator's case list and case threads, and each reporter's mailbox opened with the
// reporter's keys — decrypted and compared with what was sent. Writes that were in flight at
// the kill are settled here once: landed (then they must stay) or absent (then they must not
// appear later). Anything in a thread that the soak never sent is a finding too.
import { isDeepStrictEqual } from 'node:util';
import { ApiRequestError } from '../../web/client/api.js';
import { listCases, openCase, type CaseListEntry } from '../../web/client/investigator.js';
import { openMailbox } from '../../web/client/reporter.js';
import type { ThreadEntry, UnreadableEntry } from '../../web/client/thread.js';
import type { Ledger, SoakCase } from './ledger.js';
import type { SoakClients } from './load.js';

export interface VerifyFigures {
  checkedReports: number;
  checkedReplies: number;
  /** Distinct acknowledged writes missing or altered in this check. */
  lost: number;
  landed: { reports: number; replies: number };
  absent: { reports: number; replies: number };
  problems: string[];
}

async function forEachLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function verifyLedger(clients: SoakClients, ledger: Ledger, concurrency: number): Promise<VerifyFigures> {
  const { api, investigator } = clients;
  const figures: VerifyFigures = { checkedReports: 0, checkedReplies: 0, lost: 0, landed: { reports: 0, replies: 0 }, absent: { reports: 0, replies: 0 }, problems: [] };
  const lostNow = new Set<string>();
  const lose = (key: string, why: string) => {
    lostNow.add(key);
    ledger.lost.add(key);
    figures.problems.push(`LOST ${key}: ${why}`);
  };
  const tagOf = (text: string) => text.slice(0, text.indexOf(' '));

  const listed = new Map<string, CaseListEntry>((await listCases(api, investigator)).map((entry) => [entry.id, entry]));

  // Settle the reports that were in flight at the last kill.
  for (const [caseId, entry] of ledger.inFlightCases) {
    if (!listed.has(caseId)) {
      if (entry.outcome === 'unknown') figures.absent.reports++;
      entry.outcome = 'absent';
      continue;
    }
    if (entry.outcome === 'absent') figures.problems.push(`REAPPEARED report ${caseId}: absent after an earlier restart, present now`);
    else figures.landed.reports++;
    ledger.inFlightCases.delete(caseId);
    ledger.cases.set(caseId, entry.case);
  }
  for (const caseId of listed.keys()) {
    if (!ledger.cases.has(caseId) && !ledger.inFlightCases.has(caseId)) figures.problems.push(`UNEXPECTED case ${caseId} that the soak never sent`);
  }

  /** The in-flight replies of one case, settled against the investigator's view of its thread. */
  const settleReplies = (caseId: string, present: Set<string>) => {
    for (const [text, entry] of ledger.inFlightMessages) {
      if (entry.message.caseId !== caseId) continue;
      if (!present.has(text)) {
        if (entry.outcome === 'unknown') figures.absent.replies++;
        entry.outcome = 'absent';
        continue;
      }
      if (entry.outcome === 'absent') figures.problems.push(`REAPPEARED reply ${tagOf(text)}: absent after an earlier restart, present now`);
      else figures.landed.replies++;
      ledger.inFlightMessages.delete(text);
      ledger.addMessage(entry.message);
    }
  };

  const checkThread = (soakCase: SoakCase, view: string, entries: readonly (ThreadEntry | UnreadableEntry)[]) => {
    const unverified = entries.filter((e) => e.document === null);
    if (unverified.length > 0) lose(`report ${soakCase.caseId}`, `${view}: ${unverified.length} message(s) did not verify`);
    const [first, ...rest] = entries.filter((e): e is ThreadEntry => e.document !== null);
    if (!first || first.role !== 'reporter' || !isDeepStrictEqual(first.document, soakCase.report)) lose(`report ${soakCase.caseId}`, `${view}: message 1 is not the report sent`);
    const byText = new Map(rest.map((e) => [e.document.kind === 'message' ? e.document.text : '', e]));
    for (const message of ledger.messagesOf(soakCase.caseId)) {
      const found = byText.get(message.text);
      if (!found || found.role !== message.role) lose(`reply ${tagOf(message.text)} in ${soakCase.caseId}`, `${view}: ${found ? 'wrong sender' : 'missing'}`);
    }
    for (const text of byText.keys()) {
      if (!ledger.messages.has(text) && !ledger.inFlightMessages.has(text)) figures.problems.push(`UNEXPECTED reply in ${soakCase.caseId} (${view}): ${text.slice(0, 40)}`);
    }
  };

  /** A server error is a finding but says nothing about the data; any other failure means it is missing or altered. */
  const readFailed = (soakCase: SoakCase, view: string, error: unknown) => {
    if (error instanceof ApiRequestError && error.status >= 500) figures.problems.push(`UNREADABLE case ${soakCase.caseId} (${view}): HTTP ${error.status} ${error.message}`);
    else lose(`case ${soakCase.caseId}`, `${view} could not read it: ${describe(error)}`);
  };

  const cases = [...ledger.cases.values()];
  // The investigator reads one case at a time, as one person does: concurrent case views race
  // for the audit log's next sequence number and fail with 500 (a server bug this soak found).
  for (const soakCase of cases) {
    figures.checkedReports++;
    const summary = listed.get(soakCase.caseId);
    if (!summary) {
      lose(`report ${soakCase.caseId}`, 'not in the investigator case list');
      continue;
    }
    if (!isDeepStrictEqual(summary.report, soakCase.report)) lose(`report ${soakCase.caseId}`, `case list shows ${summary.reportProblem ?? 'a different report'}`);
    if (soakCase.reference !== null && summary.reference !== soakCase.reference) lose(`report ${soakCase.caseId}`, 'reference changed');
    try {
      // openCase throws if any message fails to verify or decrypt.
      const opened = await openCase(api, investigator, soakCase.caseId);
      settleReplies(soakCase.caseId, new Set(opened.entries.flatMap((e) => (e.document.kind === 'message' ? [e.document.text] : []))));
      checkThread(soakCase, 'investigator', opened.entries);
    } catch (error) {
      readFailed(soakCase, 'investigator', error);
    }
  }
  await forEachLimit(cases, concurrency, async (soakCase) => {
    try {
      const mailbox = await openMailbox(api, soakCase.keys);
      if (mailbox.caseId !== soakCase.caseId) lose(`report ${soakCase.caseId}`, 'mailbox opens another case');
      if (soakCase.reference !== null && mailbox.reference !== soakCase.reference) lose(`report ${soakCase.caseId}`, 'mailbox shows another reference');
      checkThread(soakCase, 'reporter', mailbox.entries);
      figures.checkedReplies += ledger.messagesOf(soakCase.caseId).length;
    } catch (error) {
      readFailed(soakCase, 'reporter', error);
    }
  });
  figures.lost = lostNow.size;
  return figures;
}
