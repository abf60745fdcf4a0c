// Opening a thread on either side: verify each message's signature against its sender's
// key, then decrypt it. A message that fails is reported as such, never shown as genuine.
import { b64ToBytes, bytesToB64, decodeDocument, decryptMessage, encodeDocument, encryptMessage, newId, signMessage, verifyMessage, ProtocolError, type ProtocolErrorKind, type Role, type ThreadDocument } from '../protocol/index.js';
import type { SigningOrganisation, WireMessage } from './wire-types.js';

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

export interface ThreadKeys {
  caseId: string;
  caseKey: Uint8Array;
  reporterSignPublicKey: Uint8Array | null;
  organisations: SigningOrganisation[];
}

/** The organisation's key of the version the message names (older messages may predate a rotation). */
function organisationSigningKey(org: SigningOrganisation, keyVersion: number | null | undefined): Uint8Array | null {
  if (keyVersion === null || keyVersion === undefined || keyVersion === org.keyVersion) return decodeB64(org.signPublicKey, 'signing key');
  const older = org.signingKeys?.find((k) => k.keyVersion === keyVersion);
  return older ? decodeB64(older.signPublicKey, 'signing key') : null;
}

export function openThreadMessage(keys: ThreadKeys, message: WireMessage): ThreadEntry {
  const binding = { caseId: decodeB64(keys.caseId, 'case id'), messageId: decodeB64(message.id, 'message id'), role: message.role };
  const envelope = decodeB64(message.envelope, 'envelope');
  const org = message.role === 'organisation' ? keys.organisations.find((o) => o.id === message.orgId) : undefined;
  const signer = message.role === 'reporter' ? keys.reporterSignPublicKey : org ? organisationSigningKey(org, message.keyVersion) : null;
  if (!signer) throw new ProtocolError('bad_signature', 'message has no known signer');
  verifyMessage(binding, envelope, decodeB64(message.signature, 'signature'), signer);
  const document = decodeDocument(decryptMessage(keys.caseKey, binding, envelope));
  return { id: message.id, role: message.role, organisation: org ? { id: org.id, name: org.name } : null, day: message.day, document };
}

export function openThread(keys: ThreadKeys, messages: readonly WireMessage[]): ThreadEntry[] {
  return messages.map((m) => openThreadMessage(keys, m));
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

/** Opens each message on its own, so one altered or damaged message is marked as such instead of hiding the rest of the thread. */
export function openThreadMarkingFailures(keys: ThreadKeys, messages: readonly WireMessage[]): (ThreadEntry | UnreadableEntry)[] {
  return messages.map((m) => {
    try {
      return openThreadMessage(keys, m);
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      const org = m.role === 'organisation' ? keys.organisations.find((o) => o.id === m.orgId) : undefined;
      return { id: m.id, role: m.role, organisation: org ? { id: org.id, name: org.name } : null, day: m.day, document: null, problem: error.kind };
    }
  });
}

/** A new message for a case: fresh id, encrypted under the case key, signed by the sender. */
export function sealThreadMessage(caseId: string, caseKey: Uint8Array, role: Role, document: ThreadDocument, signingPrivateKey: Uint8Array) {
  const messageId = newId();
  const binding = { caseId: decodeB64(caseId, 'case id'), messageId, role };
  const envelope = encryptMessage(caseKey, binding, encodeDocument(document));
  return { id: bytesToB64(messageId), envelope: bytesToB64(envelope), signature: bytesToB64(signMessage(binding, envelope, signingPrivateKey)) };
}
