// The engine's side of evidence files (issue 14): the files a reporter adds are cleaned here, in
// the engine, and kept here until sent; the page sees only what it shows (names, sizes, what was
// removed). Sending a message with files declares them (so the service makes room in the same write)
// and puts each file's id and key into the encrypted message; the files are then sent part by part,
// each part resumable, with progress told to the page as notices.
import { bytesToB64, wipe } from '../protocol/index.js';
import { fileCipherLength } from '../protocol/file-lengths.js';
import { decodeB64 } from '../client/thread.js';
import type { ApiClient } from '../client/api.js';
import { notifyPage } from '../ui/engine-rpc.js';
import type { FileChoice, PreparedFile, TransferNotice, UploadItem, UploadOutcome } from './engine-api.js';
import { loadCleaner } from './cleaner-load.js';
import { downloadFile, newFileSecret, uploadFile, type Attachment, type FileSecret, type RequestAuth } from './pending-merge.js';

interface Held {
  bytes: Blob;
  type: string;
}

/** Files added but not yet sent, by handle. */
const prepared = new Map<string, Held>();
let lastHandle = 0;

/** The files of the last message sent, until each is there in full. */
let outgoing: { auth: RequestAuth; files: { item: UploadItem; secret: FileSecret; bytes: Blob; sent: boolean }[] } | null = null;

/** What a name or type sent may be at most (documents.ts checks the same). */
const MAX_NAME = 255;
const MAX_TYPE = 127;
const UNKNOWN_TYPE = 'application/octet-stream';

export async function prepareFile(file: File, maxFileBytes: number): Promise<PreparedFile> {
  const type = file.type && file.type.length <= MAX_TYPE ? file.type : UNKNOWN_TYPE;
  const { cleanFile } = await loadCleaner();
  const cleaned = await cleanFile(file, type);
  // A file that cannot be cleaned is kept as it came: the reporter chooses whether to send it.
  const held: Held = cleaned.outcome === 'cleaned' ? { bytes: cleaned.bytes, type: cleaned.type } : { bytes: file, type };
  const handle = String(++lastHandle);
  prepared.set(handle, held);
  return {
    handle,
    originalName: file.name,
    type: held.type,
    size: held.bytes.size,
    cleaning: cleaned.outcome === 'cleaned' ? { removed: cleaned.removed } : { cannotClean: cleaned.reason },
    tooBig: held.bytes.size > maxFileBytes,
  };
}

export function dropFile(handle: string): void {
  prepared.delete(handle);
}

/** Forgets every file, prepared or being sent (quick exit, lock, back to the start). */
export function dropAllFiles(): void {
  prepared.clear();
  outgoing = null;
}

/** What a message with these files carries: the descriptors (inside the encryption) and the declarations (for the service). */
export interface MessageFiles {
  attachments: Attachment[];
  declared: { id: string; bytes: number }[];
  /** Sealed into the engine until sendAttached, once the message is received. */
  uploads: UploadItem[];
  /** Call once the message is received: its files become the ones sendFiles sends. */
  received(auth: RequestAuth): void;
}

export function attachFiles(choices: FileChoice[]): MessageFiles {
  const files = choices.map((choice) => {
    const held = prepared.get(choice.handle);
    if (!held) throw new Error('a file to send is no longer held');
    if (choice.name.length === 0 || choice.name.length > MAX_NAME) throw new Error('a file name must be 1 to 255 characters');
    const secret = newFileSecret(held.bytes.size);
    const id = bytesToB64(secret.id);
    return { choice, held, secret, item: { id, name: choice.name, size: held.bytes.size } };
  });
  return {
    attachments: files.map(({ choice, held, secret, item }) => ({ id: item.id, key: bytesToB64(secret.key), name: choice.name, type: held.type, size: item.size })),
    declared: files.map(({ secret, item }) => ({ id: item.id, bytes: fileCipherLength(secret.size) })),
    uploads: files.map(({ item }) => item),
    received(auth) {
      for (const { choice } of files) prepared.delete(choice.handle);
      outgoing = { auth, files: files.map(({ item, secret, held }) => ({ item, secret, bytes: held.bytes, sent: false })) };
    },
  };
}

function tell(id: string, direction: 'up' | 'down', done: number, total: number): void {
  notifyPage({ transfer: { id, direction, done, total } } satisfies TransferNotice);
}

/** Sends each file of the last message that is not there yet; uploadFile itself asks which parts are missing, so nothing is sent twice. */
export async function sendAttached(api: ApiClient): Promise<UploadOutcome> {
  const batch = outgoing;
  if (!batch) return { sent: [], notSent: [] };
  for (const file of batch.files) {
    if (file.sent) continue;
    const read = async (start: number, end: number) => new Uint8Array(await file.bytes.slice(start, end).arrayBuffer());
    try {
      await uploadFile(api, batch.auth, file.secret, read, (done, total) => tell(file.item.id, 'up', done, total));
      file.sent = true;
    } catch {
      // Kept: the next call carries on from the parts the service already has.
    }
  }
  const outcome = { sent: batch.files.filter((f) => f.sent).map((f) => f.item.id), notSent: batch.files.filter((f) => !f.sent).map((f) => f.item.id) };
  if (outcome.notSent.length === 0 && outgoing === batch) outgoing = null;
  return outcome;
}

/** Whether the last message's files are still being sent (the keys that sign their parts are needed until then). */
export function filesOutstanding(): boolean {
  return outgoing !== null;
}

/** A file of a message, fetched and decrypted here, as opaque bytes for the page to offer as a download (never to show). */
export async function fetchAttached(api: ApiClient, auth: RequestAuth, attachment: Attachment): Promise<Blob> {
  const secret: FileSecret = { id: decodeB64(attachment.id, 'file id'), key: decodeB64(attachment.key, 'file key'), size: attachment.size };
  const pieces: Uint8Array<ArrayBuffer>[] = [];
  try {
    await downloadFile(api, auth, secret, (piece) => pieces.push(piece as Uint8Array<ArrayBuffer>), (done, total) => tell(attachment.id, 'down', done, total));
  } finally {
    wipe(secret.key);
  }
  return new Blob(pieces, { type: UNKNOWN_TYPE });
}
