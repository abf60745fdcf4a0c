// The versioned frame every stored artifact uses (web/protocol/envelope.ts) and the padding that
// hides a message's length (web/protocol/padding.ts): what they produce, and what they refuse,
// with which kind and which words.
import { describe, expect, it } from 'vitest';
import { frame, unframe } from '../../web/protocol/envelope.js';
import { bucketFor, padToBucket, unpadFromBucket } from '../../web/protocol/padding.js';
import { PROTOCOL_VERSION } from '../../web/protocol/labels.js';
import { sodiumReady } from '../../web/protocol/sodium.js';
import { refusal, refused } from './refusal.js';

// Before any describe body runs: some build their fixtures with libsodium as they are collected.
await sodiumReady();

const bytes = (length: number, fill = 7) => new Uint8Array(length).fill(fill);

describe('a frame', () => {
  it('is the version byte followed by the fields, in order', () => {
    expect(frame(Uint8Array.of(1, 2), Uint8Array.of(3))).toEqual(Uint8Array.of(PROTOCOL_VERSION, 1, 2, 3));
    expect(frame()).toEqual(Uint8Array.of(PROTOCOL_VERSION));
  });

  it('splits back into its fixed-length fields and the rest', () => {
    const framed = frame(Uint8Array.of(1, 2, 3), Uint8Array.of(4, 5), Uint8Array.of(6, 7, 8, 9));
    const { fields, tail } = unframe(framed, [3, 2], 'test frame');
    expect(fields).toEqual([Uint8Array.of(1, 2, 3), Uint8Array.of(4, 5)]);
    expect(tail).toEqual(Uint8Array.of(6, 7, 8, 9));
  });

  it('with no fixed fields is all tail', () => {
    const { fields, tail } = unframe(Uint8Array.of(PROTOCOL_VERSION, 9), [], 'test frame');
    expect(fields).toEqual([]);
    expect(tail).toEqual(Uint8Array.of(9));
  });

  it('refuses no bytes at all as malformed, not as an unknown version', () => {
    expect(refusal(() => unframe(new Uint8Array(0), [], 'sealed thing'))).toEqual(refused('malformed', 'sealed thing is empty'));
  });

  it('refuses another version as unsupported, naming the version it found', () => {
    for (const version of [0, 1, 3, 255]) {
      expect(refusal(() => unframe(Uint8Array.of(version, 1, 2, 3), [1], 'test frame'))).toEqual(
        refused('unsupported_version', `test frame has version ${version}, expected ${PROTOCOL_VERSION}`),
      );
    }
  });

  it('refuses a frame cut inside its fixed fields', () => {
    for (const length of [1, 2, 25]) {
      expect(refusal(() => unframe(frame(bytes(length - 1)), [24, 8], 'message')), `${length} bytes`).toEqual(refused('malformed', 'message is truncated'));
    }
  });

  it('refuses a frame whose fixed fields leave nothing after them', () => {
    expect(refusal(() => unframe(frame(bytes(24)), [24], 'message'))).toEqual(refused('malformed', 'message is truncated'));
    expect(refusal(() => unframe(frame(bytes(24), bytes(8)), [24, 8], 'message'))).toEqual(refused('malformed', 'message is truncated'));
    expect(refusal(() => unframe(frame(), [], 'sealed case key'))).toEqual(refused('malformed', 'sealed case key is truncated'));
  });

  it('accepts a tail of one byte after the fixed fields', () => {
    const { fields, tail } = unframe(frame(bytes(24, 1), bytes(8, 2), Uint8Array.of(3)), [24, 8], 'message');
    expect(fields).toEqual([bytes(24, 1), bytes(8, 2)]);
    expect(tail).toEqual(Uint8Array.of(3));
  });
});

describe('padding', () => {
  it('puts a plaintext in the smallest bucket that holds it and its 0x80 marker', () => {
    expect(bucketFor(0)).toBe(1024);
    expect(bucketFor(1023)).toBe(1024);
    expect(bucketFor(1024)).toBe(4096);
    expect(bucketFor(65535)).toBe(65536);
  });

  it('refuses a plaintext no bucket holds, saying how much fits', () => {
    expect(refusal(() => bucketFor(65536))).toEqual(refused('malformed', 'plaintext is 65536 bytes; at most 65535 fit'));
    expect(refusal(() => padToBucket(new Uint8Array(70000)))).toEqual(refused('malformed', 'plaintext is 70000 bytes; at most 65535 fit'));
  });

  it('is the plaintext, 0x80, then zeros up to the bucket', () => {
    const padded = padToBucket(Uint8Array.of(1, 2, 3));
    const expected = new Uint8Array(1024);
    expected.set([1, 2, 3, 0x80]);
    expect(padded).toEqual(expected);
    expect(unpadFromBucket(padded)).toEqual(Uint8Array.of(1, 2, 3));
  });

  it('gives back an empty plaintext from a bucket that starts with the marker', () => {
    const padded = new Uint8Array(1024);
    padded[0] = 0x80;
    expect(unpadFromBucket(padded)).toEqual(new Uint8Array(0));
  });

  it('refuses a padded plaintext that is not a bucket size, even with a good marker', () => {
    for (const length of [0, 100, 1023, 1025, 65537]) {
      const padded = new Uint8Array(length);
      if (length > 5) padded[5] = 0x80;
      expect(refusal(() => unpadFromBucket(padded)), `${length} bytes`).toEqual(refused('malformed', 'padded plaintext is not a bucket size'));
    }
  });

  it('refuses a bucket of zeros: there is no marker', () => {
    expect(refusal(() => unpadFromBucket(new Uint8Array(1024)))).toEqual(refused('malformed', 'bad padding'));
  });

  it('refuses a bucket whose last non-zero byte is not the marker', () => {
    const padded = new Uint8Array(4096);
    padded.set([0x80, 0x01]);
    expect(refusal(() => unpadFromBucket(padded))).toEqual(refused('malformed', 'bad padding'));
    padded.fill(0xff);
    expect(refusal(() => unpadFromBucket(padded))).toEqual(refused('malformed', 'bad padding'));
  });

  it('takes the marker as the last 0x80, with zeros only after it', () => {
    const padded = new Uint8Array(1024);
    padded.set([0x80, 0, 0x80, 0, 0x80]);
    expect(unpadFromBucket(padded)).toEqual(Uint8Array.of(0x80, 0, 0x80, 0));
    padded.fill(0x80);
    expect(unpadFromBucket(padded)).toEqual(new Uint8Array(1023).fill(0x80));
  });
});
