// Opening a thread on either side (protocol 2): each message is checked against the link of
// the message before it (so a dropped, reordered or inserted message is caught), against its
// sender's key (the reporter's mailbox key, or the organisation's signing key of the version it
// names, from a key chain verified to its anchor), then decrypted. A message that fails is
// reported as such, never shown as genuine, and never blamed on the passphrase.
import {
  b64ToBytes, bytesToB64, decodeDocument, decryptMessage, encodeDocument, encryptMessage, newId, signMessage, threadLink, verifyMessage, verifyOrgKeyChain,
  ProtocolError, THREAD_START, type CaseStatus, type ProtocolErrorKind, type Role, type ThreadDocument, type VerifiedChain,
} from '../protocol/index.js';
import type { SigningOrganisation, WireChainLink, WireMessage } from './wire-types.js';

export interface ThreadEntry {
  id: string;
  role: Role;
  organisation: { id: string; name: string } | null;
  day: string;
  document: ThreadDocument;
}

export function decodeB64(text: string, what: string): Uint8Array {
  const bytes = b64ToBytes(text);
  if (!bytes) throw new ProtocolError('malformed', `${what} is not base64url`);
  return bytes;
}

/** A chain as the server sends it, decoded. */
export function decodeChain(chain: readonly WireChainLink[]) {
  return chain.map((l) => ({
    keyVersion: l.keyVersion,
    boxPublicKey: decodeB64(l.boxPublicKey, 'box key'),
    signPublicKey: decodeB64(l.signPublicKey, 'signing key'),
    endorsement: decodeB64(l.endorsement, 'endorsement'),
  }));
}

/** An organisation whose key chain verified: its name as the server gave it, its keys as the chain proves them. */
export interface TrustedOrganisation {
  id: string;
  name: string;
  chain: VerifiedChain;
}

/** Verifies an organisation's key chain (against a pinned anchor when this page has one). */
export function trustOrganisation(org: SigningOrganisation, pinnedAnchors: Readonly<Record<string, string>> = {}): TrustedOrganisation {
  return { id: org.id, name: org.name, chain: verifyOrgKeyChain(decodeB64(org.id, 'organisation id'), decodeChain(org.keyChain), pinnedAnchors[org.id]) };
}

export interface ThreadKeys {
  caseId: string;
  caseKey: Uint8Array;
  reporterSignPublicKey: Uint8Array | null;
  organisations: TrustedOrganisation[];
}

function openOne(keys: ThreadKeys, message: WireMessage, prev: Uint8Array): ThreadEntry {
  const binding = { caseId: decodeB64(keys.caseId, 'case id'), messageId: decodeB64(message.id, 'message id'), role: message.role, prev };
  const envelope = decodeB64(message.envelope, 'envelope');
  const org = message.role === 'organisation' ? keys.organisations.find((o) => o.id === message.orgId) : undefined;
  const signer = message.role === 'reporter' ? keys.reporterSignPublicKey : (org?.chain.signingKeys.get(message.keyVersion ?? -1) ?? null);
  if (!signer) throw new ProtocolError('bad_signature', 'message has no known signer');
  verifyMessage(binding, envelope, decodeB64(message.signature, 'signature'), signer);
  const document = decodeDocument(decryptMessage(keys.caseKey, binding, envelope));
  if (message.role === 'reporter' ? document.kind === 'status' || (document.kind === 'message' && document.status) : document.kind === 'report') {
    throw new ProtocolError('malformed', 'a document its sender may not send');
  }
  return { id: message.id, role: message.role, organisation: org ? { id: org.id, name: org.name } : null, day: message.day, document };
}

/** A message that did not verify or decrypt: only who sent it and when, and why it failed. */
export interface UnreadableEntry {
  id: string;
  role: Role;
  organisation: { id: string; name: string } | null;
  day: string;
  document: null;
  problem: ProtocolErrorKind;
}

export interface OpenedThread {
  entries: (ThreadEntry | UnreadableEntry)[];
  /** The link a new message must follow: the last message's, whether or not it verified. */
  lastLink: Uint8Array;
  /** From the organisation's signed messages only; 'received' until one sets it. */
  status: CaseStatus;
}

/**
 * Opens each message on its own, in order, so one altered, dropped or reordered message is
 * marked as such (with the one after a gap) instead of hiding the rest of the thread.
 */
export function openThreadMarkingFailures(keys: ThreadKeys, messages: readonly WireMessage[]): OpenedThread {
  let prev: Uint8Array = THREAD_START;
  let status: CaseStatus = 'received';
  const entries = messages.map((m): ThreadEntry | UnreadableEntry => {
    const expected = prev;
    try {
      // A message too malformed to link is one bad message; the next then fails to follow it too.
      prev = new Uint8Array(32).fill(0xff);
      prev = threadLink(decodeB64(m.id, 'message id'), decodeB64(m.signature, 'signature'), decodeB64(m.envelope, 'envelope'));
      const entry = openOne(keys, m, expected);
      if (entry.document.kind === 'status' || (entry.document.kind === 'message' && entry.document.status)) status = entry.document.status!;
      return entry;
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      const org = m.role === 'organisation' ? keys.organisations.find((o) => o.id === m.orgId) : undefined;
      return { id: m.id, role: m.role, organisation: org ? { id: org.id, name: org.name } : null, day: m.day, document: null, problem: error.kind };
    }
  });
  return { entries, lastLink: prev, status };
}

/** Opens a thread in which every message must verify (tools and tests); throws on the first that does not. */
export function openThread(keys: ThreadKeys, messages: readonly WireMessage[]): { entries: ThreadEntry[]; lastLink: Uint8Array; status: CaseStatus } {
  const opened = openThreadMarkingFailures(keys, messages);
  const failed = opened.entries.find((e): e is UnreadableEntry => e.document === null);
  if (failed) throw new ProtocolError(failed.problem, `message ${failed.id} did not verify`);
  return { ...opened, entries: opened.entries as ThreadEntry[] };
}

/** A single message that must verify (the report in a case list: it is the first, so it follows THREAD_START). */
export function openFirstMessage(keys: ThreadKeys, message: WireMessage): ThreadEntry {
  return openOne(keys, message, THREAD_START);
}

/** A new message for a case: fresh id, following `prev`, encrypted under the case key, signed by the sender. */
export function sealThreadMessage(caseId: string, caseKey: Uint8Array, role: Role, document: ThreadDocument, signingPrivateKey: Uint8Array, prev: Uint8Array) {
  const messageId = newId();
  const binding = { caseId: decodeB64(caseId, 'case id'), messageId, role, prev };
  const envelope = encryptMessage(caseKey, binding, encodeDocument(document));
  return { id: bytesToB64(messageId), envelope: bytesToB64(envelope), signature: bytesToB64(signMessage(binding, envelope, signingPrivateKey)), prev: bytesToB64(prev) };
}
