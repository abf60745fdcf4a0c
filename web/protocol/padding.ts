// Length hiding: pad plaintext to a fixed bucket (ISO/IEC 7816-4: 0x80 then zeros).
import { PADDING_BUCKETS, MAX_PLAINTEXT_BYTES } from './labels.js';
import { ProtocolError } from './errors.js';

export function bucketFor(length: number): number {
  const bucket = PADDING_BUCKETS.find((size) => length < size);
  if (bucket === undefined) {
    throw new ProtocolError('malformed', `plaintext is ${length} bytes; at most ${MAX_PLAINTEXT_BYTES} fit`);
  }
  return bucket;
}

export function padToBucket(plain: Uint8Array): Uint8Array {
  const out = new Uint8Array(bucketFor(plain.length));
  out.set(plain);
  out[plain.length] = 0x80;
  return out;
}

export function unpadFromBucket(padded: Uint8Array): Uint8Array {
  if (!(PADDING_BUCKETS as readonly number[]).includes(padded.length)) {
    throw new ProtocolError('malformed', 'padded plaintext is not a bucket size');
  }
  // Back over the zeros to the marker. Before the first byte padded[end] is undefined: neither
  // 0, so the scan stops there, nor 0x80, so a bucket of zeros is refused.
  let end = padded.length - 1;
  while (padded[end] === 0) end--;
  if (padded[end] !== 0x80) throw new ProtocolError('malformed', 'bad padding');
  return padded.slice(0, end);
}
