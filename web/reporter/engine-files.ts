// The engine's side of evidence files (issue 14): the files a reporter adds are cleaned here, in
// the engine, and kept here until sent; the page sees only what it shows (names, sizes, what was
// removed). Sending a message with files declares them (so the service makes room in the same write)
// and puts each file's id and key into the encrypted message; the files are then sent part by part,
// each part resumable, with progress told to the page as notices.
import { attachmentFor, fileCipherLength, fileSecretOf, isAttachmentType, newFileSecret, wipe, type AttachmentDescriptor, type FileSecret } from '../protocol/index.js';
import type { ApiClient } from '../client/api.js';
import { downloadFileAsBlob, uploadFile, type FileAccess } from '../client/files.js';
import { notifyPage } from '../ui/engine-rpc.js';
import { loadFileCleaner } from '../files/load-page.js';
import type { FileChoice, PreparedFile, TransferNotice, UploadItem, UploadOutcome } from './engine-api.js';

interface Held {
  bytes: Blob;
  type: string;
}

/** Files added but not yet sent, by handle. */
const prepared = new Map<string, Held>();
let lastHandle = 0;

/** The files of the last message sent, until each is there in full. */
let outgoing: { access: FileAccess; files: { item: UploadItem; secret: FileSecret; bytes: Blob; sent: boolean }[] } | null = null;

const UNKNOWN_TYPE = 'application/octet-stream';

/** The type a file is sent as: its own without parameters, or, if a descriptor could not carry that, unknown. */
function sendableType(type: string): string {
  const base = type.split(';')[0]!.trim();
  return isAttachmentType(base) ? base : UNKNOWN_TYPE;
}

export async function prepareFile(file: File, maxFileBytes: number): Promise<PreparedFile> {
  const type = sendableType(file.type);
  // The cleaner is a bundle of its own, fetched the first time a file is added.
  const { cleanFile } = await loadFileCleaner();
  const cleaned = await cleanFile(file, type);
  // A file that cannot be cleaned is kept as it came: the reporter chooses whether to send it.
  const held: Held = cleaned.outcome === 'cleaned' ? { bytes: cleaned.bytes, type: sendableType(cleaned.type) } : { bytes: file, type };
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
  attachments: AttachmentDescriptor[];
  declared: { id: string; bytes: number }[];
  /** What the page shows while they are sent. */
  uploads: UploadItem[];
  /** Call once the message is received: its files become the ones sendAttached sends, as `access`. */
  received(access: FileAccess): void;
}

export function attachFiles(choices: FileChoice[]): MessageFiles {
  const files = choices.map((choice) => {
    const held = prepared.get(choice.handle);
    if (!held) throw new Error('a file to send is no longer held');
    const secret = newFileSecret(held.bytes.size);
    const attachment = attachmentFor(secret, choice.name, held.type);
    return { choice, held, secret, attachment, item: { id: attachment.id, name: choice.name, size: held.bytes.size } };
  });
  return {
    attachments: files.map(({ attachment }) => attachment),
    declared: files.map(({ secret, item }) => ({ id: item.id, bytes: fileCipherLength(secret.size) })),
    uploads: files.map(({ item }) => item),
    received(access) {
      for (const { choice } of files) prepared.delete(choice.handle);
      outgoing = { access, files: files.map(({ item, secret, held }) => ({ item, secret, bytes: held.bytes, sent: false })) };
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
      await uploadFile(api, batch.access, file.secret, read, (done, total) => tell(file.item.id, 'up', done, total));
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
export async function fetchAttached(api: ApiClient, access: FileAccess, attachment: AttachmentDescriptor): Promise<Blob> {
  const secret: FileSecret = fileSecretOf(attachment);
  try {
    return await downloadFileAsBlob(api, access, secret, (done, total) => tell(attachment.id, 'down', done, total));
  } finally {
    wipe(secret.key);
  }
}
