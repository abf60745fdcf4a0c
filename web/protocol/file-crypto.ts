// A file's encryption (docs/PROTOCOL.md §9.2): its own random id and key, and its stream — the
// padded content cut into 64 KiB chunks, each XChaCha20-Poly1305 under the file key, bound to the
// file, its index and whether it ends the stream (the STREAM construction). Made part by part, so
// an upload can resume anywhere; read back piece by piece, never holding more than one chunk.
import { LABEL, PROTOCOL_VERSION, SIZES } from './labels.js';
import { ProtocolError } from './errors.js';
import { aeadDecrypt, aeadEncrypt, randomBytes, wipe } from './sodium.js';
import { b64ToBytes, bytesToB64, concatBytes, utf8ToBytes } from './encoding.js';
import type { AttachmentDescriptor } from './documents.js';
import { FILE_CHUNK_BYTES, FILE_CHUNK_TAG_BYTES, FILE_PART_CHUNKS, fileChunkCount, fileCipherLength, filePartCount, paddedFileLength } from './file-lengths.js';

export * from './file-lengths.js';

/** What the attachment descriptor carries (documents.ts), sealed under the case key with the rest of the message. */
export interface FileSecret {
  /** 16 random bytes, chosen by the sender: the file's name on the server and in every chunk's nonce. */
  id: Uint8Array;
  /** 32 random bytes: this file's own key. */
  key: Uint8Array;
  /** Content bytes (after cleaning), 0 … 2^40. */
  size: number;
}

/** The padding's first byte; the rest are zeros (as in message padding). */
const PADDING_MARKER = 0x80;
const CHUNK_CIPHER_BYTES = FILE_CHUNK_BYTES + FILE_CHUNK_TAG_BYTES;
const LABEL_BYTES = utf8ToBytes(LABEL.fileChunk);

export function newFileSecret(size: number): FileSecret {
  paddedFileLength(size); // RangeError for a size no file can have
  return { id: randomBytes(SIZES.caseId), key: randomBytes(SIZES.key), size };
}

/** The descriptor a document carries for this file (the UI chooses a neutral name). */
export function attachmentFor(file: FileSecret, name: string, type: string): AttachmentDescriptor {
  return { id: bytesToB64(file.id), key: bytesToB64(file.key), name, type, size: file.size };
}

/** The secret in a descriptor that decodeDocument accepted. */
export function fileSecretOf(attachment: AttachmentDescriptor): FileSecret {
  const [id, key] = [b64ToBytes(attachment.id), b64ToBytes(attachment.key)];
  if (!id || !key) throw new ProtocolError('malformed', 'attachment id or key is not base64url');
  return { id, key, size: attachment.size };
}

/** The stream's shape, after checking the secret: a bad one is `malformed`, as a bad descriptor is. */
function layoutOf(file: FileSecret): { padded: number; chunks: number; cipherBytes: number } {
  if (!(file.id instanceof Uint8Array) || file.id.length !== SIZES.caseId) throw new ProtocolError('malformed', `file id must be ${SIZES.caseId} bytes`);
  if (!(file.key instanceof Uint8Array) || file.key.length !== SIZES.key) throw new ProtocolError('malformed', `file key must be ${SIZES.key} bytes`);
  let padded: number;
  try {
    padded = paddedFileLength(file.size);
  } catch {
    throw new ProtocolError('malformed', 'file size must be an integer in 0…2^40');
  }
  return { padded, chunks: fileChunkCount(padded), cipherBytes: fileCipherLength(file.size) };
}

function u64be(n: number): Uint8Array {
  const out = new Uint8Array(8);
  const view = new DataView(out.buffer);
  view.setUint32(0, Math.floor(n / 2 ** 32));
  view.setUint32(4, n >>> 0);
  return out;
}

/** nonce_i = fileId (16) ‖ u64be(i): unique per chunk because the key is used for this one file only. */
export function fileChunkNonce(id: Uint8Array, index: number): Uint8Array {
  return concatBytes(id, u64be(index));
}

/** AD_i = "parley/v2/file-chunk" ‖ 0x00 ‖ 0x02 ‖ fileId (16) ‖ u64be(i) ‖ final (1): moving, swapping, cutting or ending early fails a tag. */
export function fileChunkAssociatedData(id: Uint8Array, index: number, final: boolean): Uint8Array {
  return concatBytes(LABEL_BYTES, Uint8Array.of(0, PROTOCOL_VERSION), id, u64be(index), Uint8Array.of(final ? 1 : 0));
}

/**
 * Ciphertext of upload part `part` from the content bytes it covers, synchronously: content is
 * bytes [part × 16 × 64 KiB, min(size, (part + 1) × 16 × 64 KiB)) of the file, empty for a part
 * of padding only. encryptFilePart reads them; a caller that holds them (the vectors) calls this.
 */
export function encryptFilePartBytes(file: FileSecret, part: number, content: Uint8Array): Uint8Array {
  const { padded, chunks, cipherBytes } = layoutOf(file);
  const [start, end] = partContentRange(file.size, cipherBytes, part);
  if (content.length !== end - start) throw new RangeError(`part ${part} covers ${end - start} content bytes, not ${content.length}`);
  const first = part * FILE_PART_CHUNKS;
  const last = Math.min(chunks, first + FILE_PART_CHUNKS);
  const out = new Uint8Array((last - first) * CHUNK_CIPHER_BYTES - (last === chunks ? chunks * FILE_CHUNK_BYTES - padded : 0));
  // Chunks that reach the padding are built in one staging buffer, wiped after: it holds content.
  const staging = new Uint8Array(FILE_CHUNK_BYTES);
  try {
    let written = 0;
    for (let index = first; index < last; index++) {
      const offset = index * FILE_CHUNK_BYTES;
      const length = Math.min(FILE_CHUNK_BYTES, padded - offset);
      let plain: Uint8Array;
      if (offset + length <= file.size) {
        plain = content.subarray(offset - start, offset - start + length); // all content: sealed where it lies
      } else {
        plain = staging.subarray(0, length);
        plain.fill(0);
        plain.set(content.subarray(Math.min(offset, file.size) - start));
        if (file.size >= offset) plain[file.size - offset] = PADDING_MARKER;
      }
      const sealed = aeadEncrypt(plain, fileChunkAssociatedData(file.id, index, index === chunks - 1), fileChunkNonce(file.id, index), file.key);
      out.set(sealed, written);
      written += sealed.length;
    }
  } finally {
    wipe(staging);
  }
  return out;
}

/** The content bytes [start, end) that part `part` covers; RangeError outside the file. */
function partContentRange(size: number, cipherBytes: number, part: number): [number, number] {
  if (!Number.isSafeInteger(part) || part < 0 || part >= filePartCount(cipherBytes)) throw new RangeError(`part ${part} is outside a file of ${cipherBytes} bytes`);
  const partPlain = FILE_PART_CHUNKS * FILE_CHUNK_BYTES;
  return [Math.min(size, part * partPlain), Math.min(size, (part + 1) * partPlain)];
}

/** Ciphertext of part `part`, deterministic; `read(start, end)` returns content bytes [start, end) (end ≤ size). */
export async function encryptFilePart(file: FileSecret, part: number, read: (start: number, end: number) => Promise<Uint8Array>): Promise<Uint8Array> {
  const [start, end] = partContentRange(file.size, layoutOf(file).cipherBytes, part);
  const content = start < end ? await read(start, end) : new Uint8Array(0);
  return encryptFilePartBytes(file, part, content);
}

/**
 * Streaming decryption: push ciphertext in any slicing, get the content out piece by piece, the
 * padding never. Each chunk is opened as soon as it is whole, so a piece handed out is genuinely
 * that stretch of this file; the file is whole only when finish() returns. After any refusal
 * every later call refuses the same way.
 */
export class FileDecryptor {
  readonly #file: FileSecret;
  readonly #padded: number;
  readonly #chunks: number;
  readonly #cipherBytes: number;
  /** Bytes of the chunk being gathered across pushes: never more than one chunk is held. */
  readonly #pending = new Uint8Array(CHUNK_CIPHER_BYTES);
  #pendingBytes = 0;
  #received = 0;
  #next = 0;
  #refusal: unknown = null;

  constructor(file: FileSecret) {
    const layout = layoutOf(file);
    this.#file = { id: file.id.slice(), key: file.key.slice(), size: file.size };
    this.#padded = layout.padded;
    this.#chunks = layout.chunks;
    this.#cipherBytes = layout.cipherBytes;
  }

  push(cipher: Uint8Array): Uint8Array[] {
    return this.#guard(() => {
      if (this.#received + cipher.length > this.#cipherBytes) throw new ProtocolError('malformed', `the file has ${this.#cipherBytes} bytes; more came`);
      this.#received += cipher.length;
      const pieces: Uint8Array[] = [];
      let offset = 0;
      while (offset < cipher.length) {
        const chunkBytes = this.#chunkCipherBytes(this.#next);
        const take = Math.min(chunkBytes - this.#pendingBytes, cipher.length - offset);
        let whole: Uint8Array | null = null;
        if (this.#pendingBytes === 0 && take === chunkBytes) {
          whole = cipher.subarray(offset, offset + take); // a whole chunk in this push: no copy
        } else {
          this.#pending.set(cipher.subarray(offset, offset + take), this.#pendingBytes);
          this.#pendingBytes += take;
          if (this.#pendingBytes === chunkBytes) whole = this.#pending.subarray(0, chunkBytes);
        }
        offset += take;
        if (whole) {
          this.#pendingBytes = 0;
          const piece = this.#open(whole);
          if (piece.length > 0) pieces.push(piece);
        }
      }
      return pieces;
    });
  }

  /** Throws `malformed` when the stream stopped short of the file's length. */
  finish(): void {
    this.#guard(() => {
      if (this.#next < this.#chunks) throw new ProtocolError('malformed', `the file is truncated: ${this.#received} of ${this.#cipherBytes} bytes`);
    });
    wipe(this.#file.key);
  }

  #guard<T>(step: () => T): T {
    if (this.#refusal !== null) throw this.#refusal;
    try {
      return step();
    } catch (error) {
      this.#refusal = error;
      wipe(this.#file.key);
      throw this.#refusal;
    }
  }

  #chunkCipherBytes(index: number): number {
    return Math.min(FILE_CHUNK_BYTES, this.#padded - index * FILE_CHUNK_BYTES) + FILE_CHUNK_TAG_BYTES;
  }

  /** Opens the next chunk; returns its content bytes (empty when it is all padding). */
  #open(sealed: Uint8Array): Uint8Array {
    const index = this.#next;
    const final = index === this.#chunks - 1;
    const { id, key, size } = this.#file;
    const nonce = fileChunkNonce(id, index);
    const plain = aeadDecrypt(sealed, fileChunkAssociatedData(id, index, final), nonce, key);
    if (!plain) {
      // Made with the key, but ending where this file does not: a stream of another length.
      const otherEnd = aeadDecrypt(sealed, fileChunkAssociatedData(id, index, !final), nonce, key);
      if (otherEnd) {
        wipe(otherEnd);
        throw new ProtocolError('malformed', final ? `chunk ${index} should end the stream and does not` : `chunk ${index} ends the stream, which has ${this.#chunks} chunks`);
      }
      throw new ProtocolError('authentication_failed', `chunk ${index} does not decrypt: tampered, moved, from another file, or another key`);
    }
    const offset = index * FILE_CHUNK_BYTES;
    const contentEnd = Math.max(0, Math.min(plain.length, size - offset));
    // content ‖ 0x80 ‖ zeros: every padding byte is checked, wherever in the stream it falls.
    let diff = 0;
    for (let j = contentEnd; j < plain.length; j++) diff |= plain[j]! ^ (offset + j === size ? PADDING_MARKER : 0);
    if (diff !== 0) {
      wipe(plain);
      throw new ProtocolError('malformed', 'bad padding');
    }
    this.#next++;
    return plain.subarray(0, contentEnd);
  }
}
