// Handling cases together, on the investigator's device (issue 15): assigning a case, and the
// unit's internal notes — sealed and signed here (web/protocol/notes.ts), opened and checked here.
import { bytesToB64, decryptNote, encryptNote, newId, signNote, verifyNote, ProtocolError, type NoteBinding, type ProtocolErrorKind } from '../protocol/index.js';
import type { ApiClient } from './api.js';
import { keyringFor, sessionHeaders, type InvestigatorSession } from './investigator.js';
import { decodeB64, trustOrganisation } from './thread.js';

/** Who a case can be assigned to: the organisation's current members. */
export async function assignees(api: ApiClient, session: InvestigatorSession): Promise<{ id: string; username: string }[]> {
  return (await api.call('GET /api/investigator/cases/assignees', { headers: sessionHeaders(session) })).members;
}

/** Assigns the case to a current member of the organisation, or to nobody (null). */
export function assignCase(api: ApiClient, session: InvestigatorSession, caseId: string, memberId: string | null): Promise<{ id: string; assignedTo: string | null }> {
  return api.call('PUT /api/investigator/cases/:caseId/assignee', { params: { caseId }, body: { memberId }, headers: sessionHeaders(session) });
}

/** A case opened on this device: its id and its key. */
export interface CaseKeyHolder {
  id: string;
  caseKey: Uint8Array;
}

const noteBinding = (caseId: string, noteId: Uint8Array, authorId: string): NoteBinding => ({ caseId: decodeB64(caseId, 'case id'), noteId, authorId: decodeB64(authorId, 'author id') });

/** Adds an internal note: sealed under the case key, signed by the organisation's current signing key, by this member. */
export function addNote(api: ApiClient, session: InvestigatorSession, opened: CaseKeyHolder, text: string): Promise<{ id: string }> {
  const noteId = newId();
  const binding = noteBinding(opened.id, noteId, session.memberId);
  const envelope = encryptNote(opened.caseKey, binding, text);
  const signature = signNote(binding, envelope, keyringFor(session, session.organisation.keyVersion).sign.privateKey);
  return api.call('POST /api/investigator/cases/:caseId/notes', {
    params: { caseId: opened.id }, body: { id: bytesToB64(noteId), envelope: bytesToB64(envelope), signature: bytesToB64(signature) }, headers: sessionHeaders(session),
  });
}

/** A note as read on this device: its text, or (when it did not verify or open) why not, never its contents. */
export interface CaseNote {
  id: string;
  authorId: string;
  authorName: string;
  /** When it was written (ms): a staff action, not reporter activity. */
  createdAt: number;
  text: string | null;
  problem: ProtocolErrorKind | null;
}

/**
 * The unit's notes on a case, each checked against the organisation's signing key of the version
 * it names — from a keyring this device opened and matched to the published keys, else from the
 * organisation's verified key chain — then decrypted. One that fails is marked, not shown.
 */
export async function readNotes(api: ApiClient, session: InvestigatorSession, opened: CaseKeyHolder): Promise<CaseNote[]> {
  const { notes } = await api.call('GET /api/investigator/cases/:caseId/notes', { params: { caseId: opened.id }, headers: sessionHeaders(session) });
  let chain: ReturnType<typeof trustOrganisation>['chain'] | null = null;
  const signerOf = (keyVersion: number) => {
    const held = session.keyrings.get(keyVersion)?.sign.publicKey;
    if (held) return held;
    chain ??= trustOrganisation(session.organisation).chain;
    return chain.signingKeys.get(keyVersion) ?? null;
  };
  return notes.map((note) => {
    const base = { id: note.id, authorId: note.authorId, authorName: note.authorName, createdAt: note.createdAt };
    try {
      const binding = noteBinding(opened.id, decodeB64(note.id, 'note id'), note.authorId);
      const envelope = decodeB64(note.envelope, 'envelope');
      const signer = signerOf(note.keyVersion);
      if (!signer) throw new ProtocolError('bad_signature', 'note has no known signer');
      verifyNote(binding, envelope, decodeB64(note.signature, 'signature'), signer);
      return { ...base, text: decryptNote(opened.caseKey, binding, envelope), problem: null };
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      return { ...base, text: null, problem: error.kind };
    }
  });
}
