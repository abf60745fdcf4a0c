// The reporter's client: write a report, then come back with the passphrase alone.
import {
  bytesToB64, deriveMailboxKeys, encodeDocument, encryptMessage, newCaseKey, newId, openCaseKey, sealCaseKey, signMessage,
  mailboxProofHeaders, utf8ToBytes, PROTOCOL_VERSION, ProtocolError, PROOF_HEADERS, WORK_HEADER, solveProofOfWork, type KdfParams, type MailboxKeys, type ReportDocument,
} from '../protocol/index.js';
import { ApiRequestError, type ApiClient } from './api.js';
import { decodeB64, openThread, sealThreadMessage, type ThreadEntry } from './thread.js';
import { requireKdfAtLeast } from './kdf-floor.js';
import type { CaseStatus, InstanceConfig, MailboxThread, PublicOrganisation, SubmitReportBody } from './wire-types.js';

export async function fetchInstanceConfig(api: ApiClient): Promise<InstanceConfig> {
  const config = await api.json<InstanceConfig>('GET', '/api/config');
  if (config.protocolVersion !== PROTOCOL_VERSION) {
    throw new ProtocolError('unsupported_version', `the server speaks protocol ${config.protocolVersion}; this page speaks ${PROTOCOL_VERSION}`);
  }
  return config;
}

/** The slow step (Argon2id). In the browser it runs in a Web Worker. */
export function deriveKeysForInstance(passphrase: string, config: InstanceConfig, kdfFloor?: KdfParams): MailboxKeys {
  const kdf = requireKdfAtLeast(config.mailboxKdf, kdfFloor);
  return deriveMailboxKeys(passphrase, decodeB64(config.mailboxKdf.salt, 'instance salt'), kdf);
}

/**
 * The case key of each submission built here, so submitReport can seal the same report to an
 * organisation's new key when the keys change before it lands. Private to this module, and
 * gone with the submission object.
 */
const caseKeyOfSubmission = new WeakMap<SubmitReportBody, Uint8Array>();

function sealedForOrganisation(caseKey: Uint8Array, caseId: Uint8Array, org: PublicOrganisation): SubmitReportBody['orgCaseKey'] {
  return { keyVersion: org.keyVersion, sealedCaseKey: bytesToB64(sealCaseKey(caseKey, caseId, decodeB64(org.boxPublicKey, 'organisation key'))) };
}

/** Everything the server will store for a new report; all of it ciphertext or public keys. */
export function buildReportSubmission(keys: MailboxKeys, org: PublicOrganisation, report: ReportDocument): SubmitReportBody {
  const caseId = newId();
  const caseKey = newCaseKey();
  const messageId = newId();
  const binding = { caseId, messageId, role: 'reporter' as const };
  const envelope = encryptMessage(caseKey, binding, encodeDocument(report));
  const submission: SubmitReportBody = {
    caseId: bytesToB64(caseId),
    orgId: org.id,
    mailbox: {
      locator: bytesToB64(keys.locator),
      signPublicKey: bytesToB64(keys.sign.publicKey),
      boxPublicKey: bytesToB64(keys.box.publicKey),
      sealedCaseKey: bytesToB64(sealCaseKey(caseKey, caseId, keys.box.publicKey)),
    },
    orgCaseKey: sealedForOrganisation(caseKey, caseId, org),
    report: { id: bytesToB64(messageId), envelope: bytesToB64(envelope), signature: bytesToB64(signMessage(binding, envelope, keys.sign.privateKey)) },
  };
  caseKeyOfSubmission.set(submission, caseKey);
  return submission;
}

/** The same report sealed to the organisation's keys as the server has them now. */
async function resealedToCurrentKeys(api: ApiClient, submission: SubmitReportBody): Promise<SubmitReportBody | null> {
  const caseKey = caseKeyOfSubmission.get(submission);
  const org = caseKey ? (await fetchInstanceConfig(api)).organisations.find((o) => o.id === submission.orgId) : undefined;
  if (!caseKey || !org || org.keyVersion === submission.orgCaseKey.keyVersion) return null;
  const resealed = { ...submission, orgCaseKey: sealedForOrganisation(caseKey, decodeB64(submission.caseId, 'case id'), org) };
  caseKeyOfSubmission.set(resealed, caseKey);
  return resealed;
}

export interface SubmitOptions {
  /** Told how long the client will wait before trying again when the service is busy. */
  onWait?: (seconds: number) => void;
  sleep?: (ms: number) => Promise<void>;
  maxAttempts?: number;
}

/**
 * Sends a report, with a fresh proof of work each attempt. When the service is flooded it
 * answers "try again in N seconds"; the report stays here and is sent again, so a flood
 * makes acknowledgement slower, never loses the report. When the unit's keys changed since
 * the page loaded, the same report is sealed to the new keys and sent again: the reporter
 * keeps their draft and their passphrase.
 */
export async function submitReport(api: ApiClient, submission: SubmitReportBody, options: SubmitOptions = {}): Promise<{ reference: string; receivedDay: string }> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const maxAttempts = options.maxAttempts ?? 30;
  let current = submission;
  for (let attempt = 1; ; attempt++) {
    try {
      const { headers } = await solvedChallenge(api);
      return await api.json('POST', '/api/reports', current, headers);
    } catch (error) {
      if (error instanceof ApiRequestError && error.code === 'org_key_changed' && attempt < maxAttempts) {
        const resealed = await resealedToCurrentKeys(api, current);
        if (resealed) {
          current = resealed;
          continue;
        }
      }
      const retryable = error instanceof ApiRequestError && (error.code === 'rate_limited' || error.code === 'work_required');
      if (!retryable || attempt >= maxAttempts) throw error;
      const seconds = Math.min(error.retryAfterSeconds ?? 1, 60);
      options.onWait?.(seconds);
      await sleep(seconds * 1000);
    }
  }
}

/** A fresh challenge and, if the server asks for it, the proof of work for it. */
async function solvedChallenge(api: ApiClient): Promise<{ challenge: Uint8Array; headers: Record<string, string> }> {
  const { challenge, workBits = 0 } = await api.json<{ challenge: string; workBits?: number }>('POST', '/api/mailbox/challenge');
  const bytes = decodeB64(challenge, 'challenge');
  const headers: Record<string, string> = { [PROOF_HEADERS.challenge]: challenge };
  if (workBits > 0) headers[WORK_HEADER] = bytesToB64(solveProofOfWork(bytes, workBits));
  return { challenge: bytes, headers };
}


/** One signed request to the mailbox: fetch a fresh challenge, sign it with the request. */
async function mailboxRequest<T>(api: ApiClient, keys: MailboxKeys, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const { challenge, headers: workHeaders } = await solvedChallenge(api);
  const bodyBytes = body === undefined ? new Uint8Array(0) : utf8ToBytes(JSON.stringify(body));
  const headers = { ...workHeaders, ...mailboxProofHeaders(keys, challenge, method, path, bodyBytes) };
  return api.request<T>(body === undefined ? { method, path, headers } : { method, path, headers, bodyBytes });
}

export interface OpenedMailbox {
  caseId: string;
  caseKey: Uint8Array;
  reference: string;
  status: CaseStatus;
  receivedDay: string;
  entries: ThreadEntry[];
}

export async function openMailbox(api: ApiClient, keys: MailboxKeys): Promise<OpenedMailbox> {
  const thread = await mailboxRequest<MailboxThread>(api, keys, 'GET', '/api/mailbox');
  const caseKey = openCaseKey(decodeB64(thread.sealedCaseKey, 'sealed case key'), decodeB64(thread.caseId, 'case id'), keys.box);
  const entries = openThread({ caseId: thread.caseId, caseKey, reporterSignPublicKey: keys.sign.publicKey, organisations: thread.organisations }, thread.messages);
  return { caseId: thread.caseId, caseKey, reference: thread.reference, status: thread.status, receivedDay: thread.receivedDay, entries };
}

export async function replyFromMailbox(api: ApiClient, keys: MailboxKeys, mailbox: Pick<OpenedMailbox, 'caseId' | 'caseKey'>, text: string): Promise<{ id: string }> {
  const message = sealThreadMessage(mailbox.caseId, mailbox.caseKey, 'reporter', { kind: 'message', text }, keys.sign.privateKey);
  return mailboxRequest(api, keys, 'POST', '/api/mailbox/messages', message);
}
