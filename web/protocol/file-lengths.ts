// How long an encrypted file is, from its length alone: the padding that hides a file's size
// and the chunk and part sizes of its stream (docs/PROTOCOL.md, "Files"). No cryptography here,
// so the server can check declared lengths without loading any.
//
// Padding is Padmé (Nikitin et al., "Reducing Metadata Leakage from Encrypted Files and
// Communication with PURBs", PETS 2019): a length L is rounded up to a multiple of 2^(E−S),
// E = ⌊log2 L⌋, S = ⌊log2 E⌋ + 1. It leaks O(log log L) bits of the length, at most 12 % more
// bytes (at most 3.2 % past 1 MiB, 2 % at 100 MiB), against the ~2^E distinct lengths a bucket of powers of two
// would cost. A floor of 4 KiB makes every small file (a short document, a tiny screenshot) alike.

/** Plaintext bytes per authenticated chunk of a file's stream. */
export const FILE_CHUNK_BYTES = 65536;
/** Poly1305 tag on each chunk. */
export const FILE_CHUNK_TAG_BYTES = 16;
/**
 * Chunks per upload part: a part is whole chunks, so any part can be made again on its own.
 * Eight (512 KiB) keep a part's request well inside a Worker's 10 ms of CPU, which grows with
 * the bytes it reads, hashes and stores; sixteen went over it at p95 (bench/RESULTS.md, issue 16).
 */
export const FILE_PART_CHUNKS = 8;
/** Ciphertext bytes in a full upload part (the last part of a file may be shorter). */
export const FILE_PART_BYTES = FILE_PART_CHUNKS * (FILE_CHUNK_BYTES + FILE_CHUNK_TAG_BYTES);
/**
 * The part size of files declared before migration 0011 (sixteen chunks). The server keeps each
 * file's own part size (`files.part_bytes`), so an upload under way across the upgrade, from a
 * page loaded before it, still finishes; nothing else uses this size.
 */
export const FILE_PART_BYTES_BEFORE_0011 = 16 * (FILE_CHUNK_BYTES + FILE_CHUNK_TAG_BYTES);
/** The most bytes a part of any stored file may have: what a part's route reads at most. */
export const MAX_FILE_PART_BYTES = Math.max(FILE_PART_BYTES, FILE_PART_BYTES_BEFORE_0011);
/** The smallest padded length: every file under 4 KiB looks the same. */
export const FILE_PADDED_FLOOR = 4096;
/** Content lengths above this are refused before any arithmetic can lose precision (1 TiB). */
export const FILE_MAX_SIZE = 2 ** 40;

function isSize(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0 && value <= FILE_MAX_SIZE;
}

/** ⌊log2 n⌋ for a positive safe integer, exactly (Math.log2 can round up just below a power of two). */
function floorLog2(n: number): number {
  let e = 0;
  while (2 ** (e + 1) <= n) e++;
  return e;
}

/** Padmé: the length L rounded up to a multiple of 2^(E − S). */
export function padme(length: number): number {
  if (length < 2) return length;
  const e = floorLog2(length);
  const s = floorLog2(e) + 1;
  const step = 2 ** (e - s);
  return Math.ceil(length / step) * step;
}

/** Padded plaintext length for `size` content bytes: content ‖ 0x80 ‖ zeros. */
export function paddedFileLength(size: number): number {
  if (!isSize(size)) throw new RangeError(`file size ${size} is not an integer in 0…2^40`);
  return Math.max(FILE_PADDED_FLOOR, padme(size + 1));
}

export function fileChunkCount(paddedLength: number): number {
  return Math.ceil(paddedLength / FILE_CHUNK_BYTES);
}

/** Bytes the server stores for a file of `size` content bytes. */
export function fileCipherLength(size: number): number {
  const padded = paddedFileLength(size);
  return padded + FILE_CHUNK_TAG_BYTES * fileChunkCount(padded);
}

/** The padded plaintext length behind a ciphertext length, or null when no file size gives it. */
export function paddedLengthOf(cipherBytes: number): number | null {
  if (!Number.isSafeInteger(cipherBytes) || cipherBytes <= 0) return null;
  const padded = cipherBytes - FILE_CHUNK_TAG_BYTES * Math.ceil(cipherBytes / (FILE_CHUNK_BYTES + FILE_CHUNK_TAG_BYTES));
  if (padded < FILE_PADDED_FLOOR || padded > paddedFileLength(FILE_MAX_SIZE)) return null;
  if (padded + FILE_CHUNK_TAG_BYTES * fileChunkCount(padded) !== cipherBytes) return null;
  // The floor, or a length Padmé leaves as it is (the size padded − 1 pads to exactly it).
  return padded === FILE_PADDED_FLOOR || padme(padded) === padded ? padded : null;
}

/** True exactly for the lengths fileCipherLength gives: the only lengths a server should accept. */
export function isFileCipherLength(cipherBytes: number): boolean {
  return paddedLengthOf(cipherBytes) !== null;
}

/** Upload parts of a file of `cipherBytes`, in parts of `partBytes` (a file declared now: FILE_PART_BYTES). */
export function filePartCount(cipherBytes: number, partBytes = FILE_PART_BYTES): number {
  return Math.ceil(cipherBytes / partBytes);
}

/** Bytes in upload part `part` (0-based) of a file of `cipherBytes`; RangeError outside the file. */
export function filePartLength(cipherBytes: number, part: number, partBytes = FILE_PART_BYTES): number {
  if (!Number.isSafeInteger(part) || part < 0 || part >= filePartCount(cipherBytes, partBytes)) {
    throw new RangeError(`part ${part} is outside a file of ${cipherBytes} bytes`);
  }
  return Math.min(partBytes, cipherBytes - part * partBytes);
}
