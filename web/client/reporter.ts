// The reporter's client: write a report, then come back with the passphrase alone.
import {
  bytesToB64, deriveMailboxKeys, encodeDocument, encryptMessage, newCaseKey, newId, openCaseKey, sealCaseKey, signMessage,
  mailboxProofHeaders, utf8ToBytes, PROTOCOL_VERSION, ProtocolError, type KdfParams, type MailboxKeys, type ReportDocument,
} from '../protocol/index.js';
import type { ApiClient } from './api.js';
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

/** Everything the server will store for a new report; all of it ciphertext or public keys. */
export function buildReportSubmission(keys: MailboxKeys, org: PublicOrganisation, report: ReportDocument): SubmitReportBody {
  const caseId = newId();
  const caseKey = newCaseKey();
  const messageId = newId();
  const binding = { caseId, messageId, role: 'reporter' as const };
  const envelope = encryptMessage(caseKey, binding, encodeDocument(report));
  return {
    caseId: bytesToB64(caseId),
    orgId: org.id,
    mailbox: {
      locator: bytesToB64(keys.locator),
      signPublicKey: bytesToB64(keys.sign.publicKey),
      boxPublicKey: bytesToB64(keys.box.publicKey),
      sealedCaseKey: bytesToB64(sealCaseKey(caseKey, caseId, keys.box.publicKey)),
    },
    orgCaseKey: { keyVersion: org.keyVersion, sealedCaseKey: bytesToB64(sealCaseKey(caseKey, caseId, decodeB64(org.boxPublicKey, 'organisation key'))) },
    report: { id: bytesToB64(messageId), envelope: bytesToB64(envelope), signature: bytesToB64(signMessage(binding, envelope, keys.sign.privateKey)) },
  };
}

export function submitReport(api: ApiClient, submission: SubmitReportBody): Promise<{ reference: string; receivedDay: string }> {
  return api.json('POST', '/api/reports', submission);
}

/** One signed request to the mailbox: fetch a fresh challenge, sign it with the request. */
async function mailboxRequest<T>(api: ApiClient, keys: MailboxKeys, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const { challenge } = await api.json<{ challenge: string }>('POST', '/api/mailbox/challenge');
  const bodyBytes = body === undefined ? new Uint8Array(0) : utf8ToBytes(JSON.stringify(body));
  const headers = mailboxProofHeaders(keys, decodeB64(challenge, 'challenge'), method, path, bodyBytes);
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
