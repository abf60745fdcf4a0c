// The lengths a file's stream can have: Padmé padding, its floor, and the inverse the server
// uses to refuse any declared length no file could have.
import { describe, expect, it } from 'vitest';
import {
  FILE_CHUNK_BYTES, FILE_PADDED_FLOOR, FILE_PART_BYTES, FILE_PART_BYTES_BEFORE_0011, MAX_FILE_PART_BYTES, FILE_MAX_SIZE, fileCipherLength, filePartCount, filePartLength, isFileCipherLength, padme, paddedFileLength, paddedLengthOf,
} from '../../web/protocol/file-lengths.js';

const MiB = 1024 * 1024;

describe('Padmé', () => {
  it('gives the paper\'s worked values', () => {
    // E = 3, S = 2: multiples of 2; E = 10, S = 4: multiples of 64; E = 20, S = 5: multiples of 2^15.
    expect([9, 10, 11].map(padme)).toEqual([10, 10, 12]);
    expect(padme(1025)).toBe(1088);
    expect(padme(MiB + 1)).toBe(MiB + 2 ** 15);
    expect(padme(0)).toBe(0);
    expect(padme(1)).toBe(1);
  });

  it('never shrinks, never adds more than 12 %, and is its own fixed point', () => {
    for (let n = 2; n < 70_000; n++) {
      const p = padme(n);
      expect(p).toBeGreaterThanOrEqual(n);
      expect(p / n).toBeLessThan(1.12 + 1e-9);
      expect(padme(p)).toBe(p);
    }
  });

  it('is exact just below and at large powers of two', () => {
    expect(padme(2 ** 40)).toBe(2 ** 40);
    expect(padme(2 ** 40 - 1)).toBe(2 ** 40);
    expect(padme(2 ** 33 + 1)).toBe(2 ** 33 + 2 ** 27);
  });
});

describe('a file\'s padded and stored lengths', () => {
  it('makes every small file the same length', () => {
    expect(new Set([0, 1, 100, 4094].map(fileCipherLength))).toEqual(new Set([FILE_PADDED_FLOOR + 16]));
    expect(paddedFileLength(4095)).toBe(4096);
    // 4097 bytes: E = 12, S = 4, so a multiple of 256.
    expect(paddedFileLength(4096)).toBe(4352);
  });

  it('adds one 16-byte tag per 64 KiB chunk', () => {
    const size = 10 * MiB;
    const padded = paddedFileLength(size);
    expect(fileCipherLength(size)).toBe(padded + 16 * Math.ceil(padded / FILE_CHUNK_BYTES));
  });

  it('pads 100 MiB by 2 % at most', () => {
    const size = 100 * MiB;
    expect(paddedFileLength(size) / size).toBeLessThanOrEqual(1.02);
  });

  it('refuses a size that is not a whole number of bytes up to 1 TiB', () => {
    for (const bad of [-1, 0.5, Number.NaN, FILE_MAX_SIZE + 1, Number.MAX_SAFE_INTEGER]) expect(() => paddedFileLength(bad)).toThrow(RangeError);
  });

  it('accepts exactly the lengths some size gives, and each names its padded length', () => {
    const made = new Map<number, number>();
    for (let size = 0; size < 300_000; size += 37) made.set(fileCipherLength(size), paddedFileLength(size));
    for (const size of [MiB, 10 * MiB, 100 * MiB - 3, 2 ** 40]) made.set(fileCipherLength(size), paddedFileLength(size));
    for (const [cipher, padded] of made) expect(paddedLengthOf(cipher)).toBe(padded);
    let accepted = 0;
    for (let cipher = 0; cipher < 320_000; cipher++) {
      if (!isFileCipherLength(cipher)) continue;
      accepted++;
      // Every accepted length is one some size (padded − 1) really gives.
      const padded = paddedLengthOf(cipher)!;
      expect(fileCipherLength(padded - 1)).toBe(cipher);
    }
    expect(accepted).toBeGreaterThan(10);
    for (const bad of [0, -5, 4111, 4113, 1.5, Number.NaN, fileCipherLength(2 ** 40) + 65552]) expect(isFileCipherLength(bad)).toBe(false);
  });
});

describe('upload parts', () => {
  it('are 8 whole chunks, the last one shorter', () => {
    expect(FILE_PART_BYTES).toBe(8 * 65552);
    const bytes = fileCipherLength(3 * MiB);
    const count = filePartCount(bytes);
    const lengths = Array.from({ length: count }, (_, part) => filePartLength(bytes, part));
    expect(lengths.reduce((a, b) => a + b, 0)).toBe(bytes);
    expect(lengths.slice(0, -1).every((length) => length === FILE_PART_BYTES)).toBe(true);
    expect(lengths.at(-1)).toBeGreaterThan(0);
    expect(filePartCount(fileCipherLength(0))).toBe(1);
  });

  it("of a file declared before migration 0011 keep that file's 16 chunks", () => {
    const bytes = fileCipherLength(3 * MiB);
    expect(FILE_PART_BYTES_BEFORE_0011).toBe(16 * 65552);
    expect(filePartCount(bytes, FILE_PART_BYTES_BEFORE_0011)).toBe(Math.ceil(bytes / (16 * 65552)));
    expect(filePartLength(bytes, 1, FILE_PART_BYTES_BEFORE_0011)).toBe(16 * 65552);
    expect(() => filePartLength(bytes, filePartCount(bytes, FILE_PART_BYTES_BEFORE_0011), FILE_PART_BYTES_BEFORE_0011)).toThrow(RangeError);
    expect(MAX_FILE_PART_BYTES).toBe(FILE_PART_BYTES_BEFORE_0011);
  });

  it('has no part outside the file', () => {
    const bytes = fileCipherLength(0);
    for (const bad of [-1, 1, 0.5]) expect(() => filePartLength(bytes, bad)).toThrow(RangeError);
  });
});
