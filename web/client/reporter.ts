// The reporter's client: write a report, then come back with the passphrase alone.
import {
  bytesToB64, deriveMailboxKeys, deriveMailboxKeysReporting, encodeDocument, encryptMessage, newCaseKey, newId, openCaseKey, requireSealedCaseKeySigned, sealCaseKey, signMessage, signSealedCaseKey,
  mailboxProofHeaders, PROTOCOL_VERSION, ProtocolError, THREAD_START, type KdfParams, type AttachmentDescriptor, type MailboxKeys, type MessageDocument, type ReportDocument,
} from '../protocol/index.js';
import { ApiRequestError, routeRequest, type ApiClient, type RouteAnswer, type RouteInput } from './api.js';
import { decodeB64, openThreadMarkingFailures, sealThreadMessage, trustOrganisation, type ThreadEntry, type UnreadableEntry } from './thread.js';
import { requireKdfAtLeast } from './kdf-floor.js';
import { solvedChallenge, withFreshWork } from './proof-of-work.js';
import { PINNED_ANCHORS } from './pinned-anchors.js';
import type { CaseStatus, InstanceConfig, PublicOrganisation, SubmitReportBody } from './wire-types.js';

/** An organisation whose key chain verified from its anchor: its keys are the chain's, not the server's word. */
export interface VerifiedOrganisation extends PublicOrganisation {
  /** The fingerprint of its first keys: what the unit publishes, for a person to compare. */
  anchor: string;
}

export interface VerifiedConfig extends Omit<InstanceConfig, 'organisations'> {
  organisations: VerifiedOrganisation[];
  /** Organisations whose keys did not verify: never offered, never sealed to. */
  unverifiable: { id: string; name: string }[];
}

/** An organisation with its keys taken from its verified chain; throws ProtocolError('untrusted_key') if the chain does not verify. */
export function verifiedOrganisation(org: PublicOrganisation, pinnedAnchors: Readonly<Record<string, string>> = PINNED_ANCHORS): VerifiedOrganisation {
  const { chain } = trustOrganisation(org, pinnedAnchors);
  return { ...org, keyVersion: chain.current.keyVersion, boxPublicKey: bytesToB64(chain.current.boxPublicKey), signPublicKey: bytesToB64(chain.current.signPublicKey), anchor: chain.anchor };
}

/**
 * The instance's settings and organisations, each organisation's key chain verified from
 * version 1 (and against the anchor pinned into this page, if any). The keys a report is
 * sealed to come from the verified chain only.
 */
export async function fetchInstanceConfig(api: ApiClient, pinnedAnchors: Readonly<Record<string, string>> = PINNED_ANCHORS): Promise<VerifiedConfig> {
  const config = await api.call('GET /api/config');
  if (config.protocolVersion !== PROTOCOL_VERSION) {
    throw new ProtocolError('unsupported_version', `the server speaks protocol ${config.protocolVersion}; this page speaks ${PROTOCOL_VERSION}`);
  }
  const organisations: VerifiedOrganisation[] = [];
  const unverifiable: { id: string; name: string }[] = [];
  for (const org of config.organisations) {
    try {
      organisations.push(verifiedOrganisation(org, pinnedAnchors));
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      unverifiable.push({ id: org.id, name: org.name });
    }
  }
  return { ...config, organisations, unverifiable };
}

/** The slow step (Argon2id). In the browser it runs in a Web Worker. */
export function deriveKeysForInstance(passphrase: string, config: InstanceConfig, kdfFloor?: KdfParams): MailboxKeys {
  const kdf = requireKdfAtLeast(config.mailboxKdf, kdfFloor);
  return deriveMailboxKeys(passphrase, decodeB64(config.mailboxKdf.salt, 'instance salt'), kdf);
}

/** The same keys, with Argon2id's progress (0 to 1) as it goes, where the engine can say (noble). */
export function deriveKeysForInstanceReporting(passphrase: string, config: InstanceConfig, onProgress: (fraction: number) => void, kdfFloor?: KdfParams): Promise<MailboxKeys> {
  const kdf = requireKdfAtLeast(config.mailboxKdf, kdfFloor);
  return deriveMailboxKeysReporting(passphrase, decodeB64(config.mailboxKdf.salt, 'instance salt'), kdf, onProgress);
}

/** A file a message carries, as the service is told of it: its id and its ciphertext length only. */
export type DeclaredFile = NonNullable<SubmitReportBody['report']['files']>[number];

/**
 * The case key of each submission built here, so submitReport can seal the same report to an
 * organisation's new key when the keys change before it lands. Private to this module, and
 * gone with the submission object.
 */
const caseKeyOfSubmission = new WeakMap<SubmitReportBody, { caseKey: Uint8Array; keys: MailboxKeys }>();

/** Sealed to the organisation's verified current key, and signed by the mailbox key (protocol 2). */
function sealedForOrganisation(caseKey: Uint8Array, caseId: Uint8Array, org: VerifiedOrganisation, keys: MailboxKeys): SubmitReportBody['orgCaseKey'] {
  const recipient = decodeB64(org.boxPublicKey, 'organisation key');
  const sealed = sealCaseKey(caseKey, caseId, recipient);
  return { keyVersion: org.keyVersion, sealedCaseKey: bytesToB64(sealed), sealSignature: bytesToB64(signSealedCaseKey(keys.sign.privateKey, caseId, recipient, sealed)) };
}

/** Everything the server will store for a new report; all of it ciphertext or public keys. */
export function buildReportSubmission(keys: MailboxKeys, org: VerifiedOrganisation, report: ReportDocument, files: DeclaredFile[] = []): SubmitReportBody {
  const caseId = newId();
  const caseKey = newCaseKey();
  const messageId = newId();
  const binding = { caseId, messageId, role: 'reporter' as const, prev: THREAD_START };
  const mailboxSealed = sealCaseKey(caseKey, caseId, keys.box.publicKey);
  const envelope = encryptMessage(caseKey, binding, encodeDocument(report));
  const submission: SubmitReportBody = {
    caseId: bytesToB64(caseId),
    orgId: org.id,
    mailbox: {
      locator: bytesToB64(keys.locator),
      signPublicKey: bytesToB64(keys.sign.publicKey),
      boxPublicKey: bytesToB64(keys.box.publicKey),
      sealedCaseKey: bytesToB64(mailboxSealed),
      sealSignature: bytesToB64(signSealedCaseKey(keys.sign.privateKey, caseId, keys.box.publicKey, mailboxSealed)),
    },
    orgCaseKey: sealedForOrganisation(caseKey, caseId, org, keys),
    report: { id: bytesToB64(messageId), envelope: bytesToB64(envelope), signature: bytesToB64(signMessage(binding, envelope, keys.sign.privateKey)), ...(files.length > 0 ? { files } : {}) },
  };
  caseKeyOfSubmission.set(submission, { caseKey, keys });
  return submission;
}

/** The same report sealed to the organisation's keys as the server has them now. */
async function resealedToCurrentKeys(api: ApiClient, submission: SubmitReportBody): Promise<SubmitReportBody | null> {
  const held = caseKeyOfSubmission.get(submission);
  // The new keys are taken only if their chain verifies from the anchor, as at first.
  const org = held ? (await fetchInstanceConfig(api)).organisations.find((o) => o.id === submission.orgId) : undefined;
  if (!held || !org || org.keyVersion === submission.orgCaseKey.keyVersion) return null;
  const resealed = { ...submission, orgCaseKey: sealedForOrganisation(held.caseKey, decodeB64(submission.caseId, 'case id'), org, held.keys) };
  caseKeyOfSubmission.set(resealed, held);
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
  const fileBytes = totalBytes(submission.report.files);
  let current = submission;
  for (let attempt = 1; ; attempt++) {
    try {
      const { headers } = await solvedChallenge(api, fileBytes);
      return await api.call('POST /api/reports', { body: current, headers });
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

function totalBytes(files: readonly DeclaredFile[] | undefined): number {
  return (files ?? []).reduce((sum, file) => sum + file.bytes, 0);
}

/** One signed request to the mailbox: fetch a fresh challenge, sign it with the request. */
async function mailboxRequest<K extends 'GET /api/mailbox' | 'POST /api/mailbox/messages'>(api: ApiClient, keys: MailboxKeys, route: K, input: RouteInput<K>, fileBytes = 0): Promise<RouteAnswer<K>> {
  const unsigned = routeRequest(route, input);
  return withFreshWork(api, ({ challenge, headers: workHeaders }) => {
    const proof = mailboxProofHeaders(keys, challenge, unsigned.method, unsigned.path, unsigned.bodyBytes ?? new Uint8Array(0));
    return api.request<RouteAnswer<K>>({ ...unsigned, headers: { ...workHeaders, ...proof } });
  }, fileBytes);
}

export interface OpenedMailbox {
  caseId: string;
  caseKey: Uint8Array;
  reference: string;
  /** From the unit's signed messages, never from the server's word. */
  status: CaseStatus;
  receivedDay: string;
  /** The day the unit aims to answer by; null when nothing is owed. */
  replyBy: string | null;
  /** In order; a message that did not verify (altered, dropped before it, out of order) is marked, not shown. */
  entries: (ThreadEntry | UnreadableEntry)[];
  /** The link a reply must follow. */
  lastLink: Uint8Array;
  /** Whether the service holds each file of the thread in full, by file id; a file it no longer has is absent. */
  files: Map<string, { complete: boolean }>;
  /** The server's word on the day a closed case will be deleted (retention); null while open. */
  deletionDay: string | null;
}

/**
 * Opens the mailbox: the sealed case key must carry the mailbox key's own signature (a server
 * that swapped it cannot forge that), each organisation's keys must verify from its anchor,
 * and the thread is opened message by message. A message that fails is one unverifiable
 * message, never "wrong passphrase".
 */
export async function openMailbox(api: ApiClient, keys: MailboxKeys, pinnedAnchors: Readonly<Record<string, string>> = PINNED_ANCHORS): Promise<OpenedMailbox> {
  const thread = await mailboxRequest(api, keys, 'GET /api/mailbox', {});
  const caseIdBytes = decodeB64(thread.caseId, 'case id');
  const sealed = decodeB64(thread.sealedCaseKey, 'sealed case key');
  requireSealedCaseKeySigned(decodeB64(thread.sealSignature ?? '', 'seal signature'), keys.sign.publicKey, caseIdBytes, keys.box.publicKey, sealed);
  const caseKey = openCaseKey(sealed, caseIdBytes, keys.box);
  const organisations = thread.organisations.flatMap((org) => {
    try {
      return [trustOrganisation(org, pinnedAnchors)];
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      return []; // its messages then have no trusted signer and show as unverifiable
    }
  });
  const opened = openThreadMarkingFailures({ caseId: thread.caseId, caseKey, reporterSignPublicKey: keys.sign.publicKey, organisations }, thread.messages);
  const files = new Map(thread.messages.flatMap((m) => m.files).map((f) => [f.id, { complete: f.complete }]));
  return { caseId: thread.caseId, caseKey, reference: thread.reference, status: opened.status, receivedDay: thread.receivedDay, replyBy: thread.replyBy, entries: opened.entries, lastLink: opened.lastLink, files, deletionDay: thread.deletionDay };
}

/**
 * Sends an answer after the thread's last message; if another arrived first, opens the thread again
 * and follows it. `files`: the descriptors it carries (sealed in it) and their declarations.
 */
export async function replyFromMailbox(api: ApiClient, keys: MailboxKeys, mailbox: Pick<OpenedMailbox, 'caseId' | 'caseKey' | 'lastLink'>, text: string, files: { attachments: AttachmentDescriptor[]; declared: DeclaredFile[] } = { attachments: [], declared: [] }): Promise<{ id: string }> {
  let prev = mailbox.lastLink;
  const document: MessageDocument = files.attachments.length > 0 ? { kind: 'message', text, attachments: files.attachments } : { kind: 'message', text };
  for (let attempt = 1; ; attempt++) {
    const message = sealThreadMessage(mailbox.caseId, mailbox.caseKey, 'reporter', document, keys.sign.privateKey, prev);
    try {
      return await mailboxRequest(api, keys, 'POST /api/mailbox/messages', { body: files.declared.length > 0 ? { ...message, files: files.declared } : message }, totalBytes(files.declared));
    } catch (error) {
      if (!(error instanceof ApiRequestError && error.code === 'thread_moved') || attempt >= 3) throw error;
      prev = (await openMailbox(api, keys)).lastLink;
    }
  }
}
