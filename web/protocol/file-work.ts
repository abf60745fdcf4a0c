// How much more proof of work a message with files costs (docs/PROTOCOL.md, "Files"): one more
// zero bit for every fourfold of their stored bytes beyond 1 MiB, so sending a gigabyte costs
// about a thousand times the work of a text message, never more than 28 bits in all. The
// server checks it; the reporter's client solves for it before sending.

/** Most zero bits any request is asked for (as PARLEY_WORK_BITS allows). */
export const MAX_WORK_BITS = 28;
const FREE_BYTES = 1024 * 1024;

export function fileExtraWorkBits(totalCipherBytes: number): number {
  if (totalCipherBytes <= FREE_BYTES) return 0;
  return Math.ceil(Math.log2(totalCipherBytes / FREE_BYTES) / 2);
}

/** The zero bits a message asked `askedBits` needs with these files; work that is off stays off. */
export function workBitsWithFiles(askedBits: number, totalCipherBytes: number): number {
  if (askedBits === 0) return 0;
  return Math.min(MAX_WORK_BITS, askedBits + fileExtraWorkBits(totalCipherBytes));
}
