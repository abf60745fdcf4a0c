// A file's upload and download, end to end encrypted: each part is encrypted only when it is
// about to be sent (web/protocol/file-crypto.ts), and a download is decrypted as it streams in,
// so memory stays flat however large the file. The transfer itself (parts, resume, retries,
// authorisation) is web/client/file-transfer.ts.
import { bytesToB64 } from '../protocol/index.js';
import { filePartCount, fileCipherLength } from '../protocol/file-lengths.js';
import { encryptFilePart, FileDecryptor, type FileSecret } from '../protocol/file-crypto.js';
import type { ApiClient } from './api.js';
import { BlobSink } from '../ui/blob-sink.js';
import { downloadParts, uploadParts, DEFAULT_RETRY, type FileAccess, type Progress, type RetryPolicy } from './file-transfer.js';

export { mailboxFileAccess, caseFileAccess, type FileAccess, type Progress } from './file-transfer.js';

/**
 * Uploads the parts the server does not hold yet; `read(start, end)` gives content bytes. The
 * message declaring the file (with `fileCipherLength(file.size)` bytes) must have been sent.
 * Safe to call again after any interruption: it resumes.
 */
export async function uploadFile(api: ApiClient, auth: FileAccess, file: FileSecret, read: (start: number, end: number) => Promise<Uint8Array>, onProgress?: Progress, retry: RetryPolicy = DEFAULT_RETRY): Promise<void> {
  const parts = filePartCount(fileCipherLength(file.size));
  await uploadParts(api, auth, bytesToB64(file.id), (part) => {
    if (part >= parts) throw new RangeError(`part ${part} of a file of ${parts} parts`);
    return encryptFilePart(file, part, read);
  }, onProgress, retry);
}

/**
 * Streams the file's ciphertext through the decryptor; `sink` gets the plaintext in pieces. Throws
 * (ProtocolError) if anything was altered, cut short or reordered: what reached the sink must
 * then be thrown away.
 */
export async function downloadFile(api: ApiClient, auth: FileAccess, file: FileSecret, sink: (piece: Uint8Array) => void, onProgress?: Progress, retry: RetryPolicy = DEFAULT_RETRY): Promise<void> {
  const decryptor = new FileDecryptor(file);
  await downloadParts(api, auth, bytesToB64(file.id), (cipher) => {
    for (const piece of decryptor.push(cipher)) sink(piece);
  }, onProgress, fileCipherLength(file.size), retry);
  decryptor.finish();
}

/**
 * The whole file as a Blob typed application/octet-stream, built as it decrypts (BlobSink), so
 * memory stays flat; nothing of a download that fails is kept.
 */
export async function downloadFileAsBlob(api: ApiClient, auth: FileAccess, file: FileSecret, onProgress?: Progress): Promise<Blob> {
  const sink = new BlobSink();
  try {
    await downloadFile(api, auth, file, sink.push, onProgress);
  } catch (error) {
    sink.discard();
    throw error;
  }
  return sink.finish();
}
