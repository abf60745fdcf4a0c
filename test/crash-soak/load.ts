// The write load of one soak cycle: several workers at once submit reports, reply from
// reporters' mailboxes and reply as the investigator, each through the real clients, until
// the server is killed. Each write ends up in the ledger as acknowledged or as in flight.
import { b64ToBytes, openCaseKey, REPORT_CATEGORIES, type MailboxKeys, type ReportDocument } from '../../web/protocol/index.js';
import type { ApiClient } from '../../web/client/api.js';
import { buildReportSubmission, openMailbox, replyFromMailbox, submitReport, type VerifiedConfig as InstanceConfig } from '../../web/client/reporter.js';
import { openCaseForReading, replyToCase, type InvestigatorSession } from '../../web/client/investigator.js';
import type { Ledger, SoakCase, SoakMessage } from './ledger.js';
import type { Prng } from './prng.js';

export interface SoakClients {
  api: ApiClient;
  config: InstanceConfig;
  investigator: InvestigatorSession;
  /** Case keys the investigator has opened, so each case costs one openCase, not one per reply. */
  investigatorCaseKeys: Map<string, Uint8Array>;
}

export type WriteKind = 'report' | 'reporterReply' | 'investigatorReply';

export interface LoadTally {
  acked: Record<WriteKind, number>;
  /** Writes started and not yet answered when the kill was decided. */
  inFlightAtKill: number;
  /** Of those, answered 2xx before the process actually died: acknowledged like any other. */
  ackedAfterKill: number;
  /** Writes refused, or failed, other than by the kill: each one is a finding. */
  refused: string[];
}

export interface RunningLoad {
  /** Resolves at the cycle's first acknowledged write: the load is running. */
  firstAcknowledged: Promise<void>;
  /** Stops new writes and returns how many are in flight; call it right before SIGKILL. */
  markKill(): number;
  finished: Promise<LoadTally>;
}

interface Write {
  run(): Promise<void>;
  acknowledged(): void;
  inFlight(): void;
}

const MAX_WRITES_PER_WORKER = 20_000;

/** What undici's fetch throws when the connection is refused or reset: the kill, not the server's answer. */
function isConnectionFailure(error: unknown): boolean {
  return error instanceof TypeError && error.message === 'fetch failed';
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (${(error.cause as Error & { code?: string }).code ?? error.cause.message})` : '';
  return `${error.message}${cause}`;
}

/** Mostly short texts, some that pad to the 4 KiB and 16 KiB buckets (multi-page writes). */
function textOfRandomSize(tag: string, prng: Prng): string {
  const roll = prng.next();
  const length = roll < 0.8 ? prng.int(20, 800) : roll < 0.95 ? prng.int(1500, 3500) : prng.int(6000, 14000);
  return `${tag} ${'x'.repeat(length)}`;
}

export interface LoadOptions {
  cycle: number;
  /** Writers at once. */
  concurrency: number;
  /** How many of them may act as the investigator at once (one person: 1). */
  investigatorLanes: number;
  prng: Prng;
  /** Keys of new reporters; each report takes one. */
  freshKeys: MailboxKeys[];
}

export function startLoad(clients: SoakClients, ledger: Ledger, options: LoadOptions): RunningLoad {
  const { api, investigator } = clients;
  const { cycle, prng, freshKeys } = options;
  const tally: LoadTally = { acked: { report: 0, reporterReply: 0, investigatorReply: 0 }, inFlightAtKill: 0, ackedAfterKill: 0, refused: [] };
  const pending = new Set<{ atKill: boolean }>();
  let killed = false;
  let investigatorsActive = 0;
  let markRunning = () => {};
  const firstAcknowledged = new Promise<void>((resolve) => (markRunning = resolve));

  const newReport = (): Write => {
    const keys = freshKeys.pop()!;
    const report: ReportDocument = { kind: 'report', category: prng.pick(REPORT_CATEGORIES).id, whatHappened: textOfRandomSize(ledger.uniqueTag('report', cycle), prng) };
    const submission = buildReportSubmission(keys, clients.config.organisations[0]!, report);
    const caseKey = openCaseKey(b64ToBytes(submission.mailbox.sealedCaseKey)!, b64ToBytes(submission.caseId)!, keys.box);
    const soakCase: SoakCase = { caseId: submission.caseId, keys, caseKey, report, reference: null, cycle };
    return {
      run: async () => {
        // A 2xx whose body was cut off parses to null: acknowledged, reference unknown.
        soakCase.reference = (await submitReport(api, submission))?.reference ?? null;
      },
      acknowledged: () => ledger.cases.set(soakCase.caseId, soakCase),
      inFlight: () => ledger.inFlightCases.set(soakCase.caseId, { case: soakCase, outcome: 'unknown' }),
    };
  };

  const reply = (role: 'reporter' | 'organisation'): Write => {
    const target = prng.pick([...ledger.cases.values()]);
    const message: SoakMessage = { caseId: target.caseId, role, text: textOfRandomSize(ledger.uniqueTag(role, cycle), prng), cycle };
    return {
      run: async () => {
        // Each reply follows the thread's last message (protocol 2), so it opens the thread first.
        if (role === 'reporter') {
          await replyFromMailbox(api, target.keys, await openMailbox(api, target.keys), message.text);
          return;
        }
        await replyToCase(api, investigator, await openCaseForReading(api, investigator, target.caseId), message.text);
      },
      acknowledged: () => ledger.addMessage(message),
      inFlight: () => ledger.inFlightMessages.set(message.text, { message, outcome: 'unknown' }),
    };
  };

  const perform = async (kind: WriteKind, write: Write) => {
    const op = { atKill: false };
    pending.add(op);
    try {
      await write.run();
      tally.acked[kind]++;
      if (op.atKill) tally.ackedAfterKill++;
      write.acknowledged();
      markRunning();
    } catch (error) {
      // Either way it may have landed; only a failure the kill explains is allowed.
      write.inFlight();
      if (!(killed && isConnectionFailure(error))) tally.refused.push(`${kind}: ${describe(error)}`);
    } finally {
      pending.delete(op);
    }
  };

  const worker = async () => {
    for (let i = 0; i < MAX_WRITES_PER_WORKER && !killed; i++) {
      const haveCases = ledger.cases.size > 0;
      if (freshKeys.length > 0 && (!haveCases || prng.next() < 0.2)) await perform('report', newReport());
      else if (!haveCases) await new Promise((resolve) => setTimeout(resolve, 10)); // the first reports are still on their way
      else if (investigatorsActive >= options.investigatorLanes || prng.next() < 0.5) await perform('reporterReply', reply('reporter'));
      else {
        investigatorsActive++;
        await perform('investigatorReply', reply('organisation')).finally(() => investigatorsActive--);
      }
    }
  };

  const finished = Promise.all(Array.from({ length: options.concurrency }, worker)).then(() => tally);
  return {
    firstAcknowledged,
    markKill() {
      killed = true;
      for (const op of pending) op.atKill = true;
      tally.inFlightAtKill = pending.size;
      return pending.size;
    },
    finished,
  };
}
