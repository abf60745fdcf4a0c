// The versioned binary frame every stored artifact uses: one version byte, then fields
// of fixed length, then the rest. Parsing checks the version first so that a future
// format is reported as "unsupported", not as corruption.
import { PROTOCOL_VERSION } from './labels.js';
import { ProtocolError } from './errors.js';
import { concatBytes } from './encoding.js';

export function frame(...fields: Uint8Array[]): Uint8Array {
  return concatBytes(Uint8Array.of(PROTOCOL_VERSION), ...fields);
}

/** Split a frame into its fixed-length fields and the remaining tail (which must be non-empty). */
export function unframe(bytes: Uint8Array, fixedLengths: readonly number[], what: string): { fields: Uint8Array[]; tail: Uint8Array } {
  if (bytes.length === 0) throw new ProtocolError('malformed', `${what} is empty`);
  if (bytes[0] !== PROTOCOL_VERSION) throw new ProtocolError('unsupported_version', `${what} has version ${bytes[0]}, expected ${PROTOCOL_VERSION}`);
  // One check for both ways to be short: cut inside the fixed fields, or nothing after them.
  const fixedEnd = fixedLengths.reduce((end, length) => end + length, 1);
  if (bytes.length <= fixedEnd) throw new ProtocolError('malformed', `${what} is truncated`);
  const fields: Uint8Array[] = [];
  let offset = 1;
  for (const length of fixedLengths) {
    fields.push(bytes.subarray(offset, offset + length));
    offset += length;
  }
  return { fields, tail: bytes.subarray(fixedEnd) };
}
