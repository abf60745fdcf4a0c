// A report made as a reporter's client makes one: the instance's verified config, mailbox keys
// from a passphrase (the cheap test KDF unless told otherwise), sealed to one organisation.
import type { ApiClient } from '../../web/client/api.js';
import { buildReportSubmission, deriveKeysForInstance, fetchInstanceConfig, submitReport, type VerifiedConfig } from '../../web/client/reporter.js';
import type { SubmitReportBody } from '../../web/client/wire-types.js';
import { generatePassphrase, type AttachmentDescriptor, type KdfParams, type MailboxKeys, type ReportCategory } from '../../web/protocol/index.js';
import { TEST_KDF } from './test-app.js';

export interface ReportOptions {
  /** Which of the instance's verified organisations it is sealed to; the first by default. */
  organisation?: number;
  /** 'other' by default. */
  category?: ReportCategory;
  /** The least KDF cost the client accepts; TEST_KDF by default. */
  kdf?: KdfParams;
  /** The same passphrase opens the same mailbox; a fresh one by default. */
  passphrase?: string;
  /** A config already fetched, for tests that count requests or make many reports. */
  config?: VerifiedConfig;
  /** Files the sealed report carries (their declarations are the caller's to add). */
  attachments?: AttachmentDescriptor[];
}

export interface DraftReport {
  passphrase: string;
  keys: MailboxKeys;
  config: VerifiedConfig;
  submission: SubmitReportBody;
}

export interface FiledReport extends DraftReport {
  receipt: { reference: string; receivedDay: string };
}

/** A report built and sealed but not sent. */
export async function draftReport(api: ApiClient, whatHappened: string, options: ReportOptions = {}): Promise<DraftReport> {
  const config = options.config ?? (await fetchInstanceConfig(api));
  const passphrase = options.passphrase ?? generatePassphrase();
  const keys = deriveKeysForInstance(passphrase, config, options.kdf ?? TEST_KDF);
  const organisation = config.organisations[options.organisation ?? 0];
  if (!organisation) throw new Error(`no verified organisation at index ${options.organisation ?? 0}`);
  const attachments = options.attachments ? { attachments: options.attachments } : {};
  const submission = buildReportSubmission(keys, organisation, { kind: 'report', category: options.category ?? 'other', whatHappened, ...attachments });
  return { passphrase, keys, config, submission };
}

/** A report built and sent, as submitReport sends it (proof of work, retries). */
export async function fileReport(api: ApiClient, whatHappened: string, options: ReportOptions = {}): Promise<FiledReport> {
  const draft = await draftReport(api, whatHappened, options);
  return { ...draft, receipt: await submitReport(api, draft.submission) };
}
