// A file's stream (web/protocol/file-crypto.ts, docs/PROTOCOL.md §9.2): it round-trips at every
// size that matters and in any slicing, its parts are deterministic and make the whole stream,
// and every single-bit flip, truncation, chunk swap and reordering is refused, with its own kind,
// on libsodium and on the noble engine. Real crypto throughout.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  encryptFilePart, encryptFilePartBytes, FILE_CHUNK_BYTES, FILE_PART_BYTES, FILE_PART_CHUNKS, fileCipherLength, FileDecryptor, filePartCount, filePartLength,
  fileChunkAssociatedData, fileChunkNonce, newFileSecret, paddedFileLength, type FileSecret,
} from '../../web/protocol/file-crypto.js';
import { FILE_CHUNK_TAG_BYTES, FILE_PADDED_FLOOR } from '../../web/protocol/file-lengths.js';
import { ProtocolError, type ProtocolErrorKind } from '../../web/protocol/errors.js';
import { aeadEncrypt, forceEngineForTests, sodiumReady } from '../../web/protocol/sodium.js';
import type { EngineName } from '../../web/protocol/primitives.js';

const CHUNK_CIPHER = FILE_CHUNK_BYTES + FILE_CHUNK_TAG_BYTES;
const content = (size: number) => Uint8Array.from({ length: size }, (_, i) => i % 251);
const fixed = (size: number, seed = 1): FileSecret => ({
  id: Uint8Array.from({ length: 16 }, (_, i) => (i * 13 + seed) & 0xff),
  key: Uint8Array.from({ length: 32 }, (_, i) => (i * 29 + seed * 7) & 0xff),
  size,
});

async function encryptAll(file: FileSecret, bytes: Uint8Array): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for (let p = 0; p < filePartCount(fileCipherLength(file.size)); p++) parts.push(await encryptFilePart(file, p, async (s, e) => bytes.slice(s, e)));
  return Buffer.concat(parts);
}

/** Pushes the stream in the given slice lengths (cycled), then finishes; returns the content. */
function decryptAll(file: FileSecret, cipher: Uint8Array, slices: readonly number[] = [cipher.length || 1]): Uint8Array {
  const decryptor = new FileDecryptor(file);
  const pieces: Uint8Array[] = [];
  for (let offset = 0, k = 0; offset < cipher.length; k++) {
    const take = slices[k % slices.length]!;
    pieces.push(...decryptor.push(cipher.subarray(offset, offset + take)));
    offset += take;
  }
  decryptor.finish();
  return Buffer.concat(pieces);
}

function refusal(f: () => unknown): ProtocolErrorKind | 'accepted' | string {
  try {
    f();
    return 'accepted';
  } catch (error) {
    return error instanceof ProtocolError ? error.kind : String(error);
  }
}

/** A stream made chunk by chunk with the real construction, each chunk's index, final flag and padded plaintext chosen by the test. */
function forge(file: FileSecret, chunks: { index: number; final: boolean; plain: Uint8Array }[]): Uint8Array {
  return Buffer.concat(chunks.map((c) => aeadEncrypt(c.plain, fileChunkAssociatedData(file.id, c.index, c.final), fileChunkNonce(file.id, c.index), file.key)));
}

/** The honest padded plaintext of chunk `index`. */
function paddedChunk(file: FileSecret, bytes: Uint8Array, index: number): Uint8Array {
  const padded = new Uint8Array(paddedFileLength(file.size));
  padded.set(bytes);
  padded[file.size] = 0x80;
  return padded.slice(index * FILE_CHUNK_BYTES, (index + 1) * FILE_CHUNK_BYTES);
}

/** The stream cut into its chunks' ciphertexts. */
function chunksOf(cipher: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let offset = 0; offset < cipher.length; offset += CHUNK_CIPHER) out.push(cipher.slice(offset, offset + CHUNK_CIPHER));
  return out;
}

beforeAll(sodiumReady);
afterAll(() => forceEngineForTests('libsodium'));

describe.each(['libsodium', 'noble'] as const satisfies readonly EngineName[])('a file stream on %s', (engine) => {
  beforeAll(() => forceEngineForTests(engine));

  it.each([0, 1, 4095, 4096, 65535, 65536, 65537, 3 * FILE_PART_CHUNKS * FILE_CHUNK_BYTES + 12345])('round-trips %i bytes, at exactly fileCipherLength', async (size) => {
    const file = newFileSecret(size);
    const bytes = content(size);
    const cipher = await encryptAll(file, bytes);
    expect(cipher.length).toBe(fileCipherLength(size));
    expect(Buffer.from(decryptAll(file, cipher)).equals(Buffer.from(bytes))).toBe(true);
  });

  it('round-trips across engines: what one encrypts the other decrypts', async () => {
    const other: EngineName = engine === 'libsodium' ? 'noble' : 'libsodium';
    const file = fixed(200_000);
    const bytes = content(file.size);
    const cipher = await encryptAll(file, bytes);
    await forceEngineForTests(other);
    const back = decryptAll(file, cipher, [7, 65_552, 1]);
    const again = await encryptAll(file, bytes);
    await forceEngineForTests(engine);
    expect(Buffer.from(back).equals(Buffer.from(bytes))).toBe(true);
    expect(Buffer.from(again).equals(Buffer.from(cipher))).toBe(true);
  });
});

describe('the layout of a chunk', () => {
  const id = fixed(0).id;

  it('nonce = file id ‖ u64be(index); AD = label ‖ 0x00 ‖ 0x02 ‖ file id ‖ u64be(index) ‖ final', () => {
    const index = 2 ** 32 + 258;
    const u64 = [0, 0, 0, 1, 0, 0, 1, 2];
    expect([...fileChunkNonce(id, index)]).toEqual([...id, ...u64]);
    const label = [...new TextEncoder().encode('parley/v2/file-chunk')];
    expect([...fileChunkAssociatedData(id, index, true)]).toEqual([...label, 0, 2, ...id, ...u64, 1]);
    expect([...fileChunkAssociatedData(id, 0, false)]).toEqual([...label, 0, 2, ...id, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('no two chunks share a keystream: equal plaintext chunks encrypt differently', () => {
    const file = fixed(3 * FILE_CHUNK_BYTES - 10);
    const chunks = chunksOf(encryptFilePartBytes(file, 0, new Uint8Array(file.size)));
    // Chunks 0 and 1 are 64 KiB of zeros each; a repeated nonce would give them equal bodies.
    expect(Buffer.from(chunks[0]!.subarray(0, FILE_CHUNK_BYTES)).equals(Buffer.from(chunks[1]!.subarray(0, FILE_CHUNK_BYTES)))).toBe(false);
  });
});

describe('decrypting in any slicing', () => {
  const file = fixed(150_000);
  const bytes = content(file.size);
  let cipher: Uint8Array;
  beforeAll(async () => {
    cipher = await encryptAll(file, bytes);
  });

  it.each<[number[]]>([[[1]], [[7]], [[1, 65_551, 3]], [[CHUNK_CIPHER]], [[CHUNK_CIPHER + 1]], [[1024 * 1024]], [[0, 5, 0, 70_000]]])('pushes of %j give the content', (slices) => {
    expect(Buffer.from(decryptAll(file, cipher, slices)).equals(Buffer.from(bytes))).toBe(true);
  });

  it('in random slicings too', () => {
    let seed = 12345;
    const next = () => (seed = (seed * 48_271) % 2_147_483_647); // MINSTD: the same slicings every run
    for (let round = 0; round < 20; round++) {
      const slices = Array.from({ length: 9 }, () => next() % 90_000);
      if (!slices.some((s) => s > 0)) slices.push(1);
      expect(Buffer.from(decryptAll(file, cipher, slices)).equals(Buffer.from(bytes)), JSON.stringify(slices)).toBe(true);
    }
  });

  it('hands out each chunk as it completes, never padding, never a piece over a chunk', () => {
    const decryptor = new FileDecryptor(file);
    expect(decryptor.push(cipher.subarray(0, CHUNK_CIPHER - 1))).toEqual([]);
    const first = decryptor.push(cipher.subarray(CHUNK_CIPHER - 1, CHUNK_CIPHER));
    expect(first.map((p) => p.length)).toEqual([FILE_CHUNK_BYTES]);
    const rest = decryptor.push(cipher.subarray(CHUNK_CIPHER));
    expect(rest.map((p) => p.length)).toEqual([FILE_CHUNK_BYTES, file.size - 2 * FILE_CHUNK_BYTES]);
    decryptor.finish();
  });

  it('gives nothing out for a file of no bytes, and finishes', () => {
    expect(paddedFileLength(0)).toBe(FILE_PADDED_FLOOR);
    const empty = fixed(0);
    const stream = encryptFilePartBytes(empty, 0, new Uint8Array(0));
    expect(stream.length).toBe(FILE_PADDED_FLOOR + FILE_CHUNK_TAG_BYTES);
    expect(decryptAll(empty, stream).length).toBe(0);
  });
});

describe('parts', () => {
  const file = fixed(2 * FILE_PART_CHUNKS * FILE_CHUNK_BYTES + 100_000);
  const bytes = content(file.size);

  it('are deterministic, of filePartLength, and concatenate to the whole stream', async () => {
    const total = fileCipherLength(file.size);
    const count = filePartCount(total);
    expect(count).toBe(3);
    const whole = encryptFilePartBytes({ ...file, size: file.size }, 0, bytes.subarray(0, FILE_PART_CHUNKS * FILE_CHUNK_BYTES));
    const parts: Uint8Array[] = [];
    for (let p = 0; p < count; p++) {
      const reads: [number, number][] = [];
      const part = await encryptFilePart(file, p, async (s, e) => (reads.push([s, e]), bytes.slice(s, e)));
      expect(part.length).toBe(filePartLength(total, p));
      expect(reads).toEqual([[p * FILE_PART_CHUNKS * FILE_CHUNK_BYTES, Math.min(file.size, (p + 1) * FILE_PART_CHUNKS * FILE_CHUNK_BYTES)]]);
      expect(Buffer.from(await encryptFilePart(file, p, async (s, e) => bytes.slice(s, e))).equals(Buffer.from(part))).toBe(true);
      parts.push(part);
    }
    expect(Buffer.from(parts[0]!).equals(Buffer.from(whole))).toBe(true);
    expect(parts[0]!.length).toBe(FILE_PART_BYTES);
    expect(Buffer.from(decryptAll(file, Buffer.concat(parts))).equals(Buffer.from(bytes))).toBe(true);
  });

  it('of padding only read nothing; a part outside the file, or a read of the wrong length, is refused', async () => {
    // A part's worth of content pads past part 0 (Padmé adds at least the 0x80 marker): the second part is padding only.
    const size = FILE_PART_CHUNKS * FILE_CHUNK_BYTES;
    const onlyPadding = fixed(size);
    expect(filePartCount(fileCipherLength(size))).toBe(2);
    let read = false;
    const last = await encryptFilePart(onlyPadding, 1, async () => ((read = true), new Uint8Array(0)));
    expect(read).toBe(false);
    expect(last.length).toBe(filePartLength(fileCipherLength(size), 1));
    await expect(encryptFilePart(onlyPadding, 2, async () => new Uint8Array(0))).rejects.toThrow(RangeError);
    await expect(encryptFilePart(onlyPadding, -1, async () => new Uint8Array(0))).rejects.toThrow(RangeError);
    await expect(encryptFilePart(onlyPadding, 0, async () => new Uint8Array(5))).rejects.toThrow(RangeError);
  });

  it('need a good secret: random ids and keys, sizes in 0…2^40', () => {
    const [a, b] = [newFileSecret(10), newFileSecret(10)];
    expect(a.id).toHaveLength(16);
    expect(a.key).toHaveLength(32);
    expect(Buffer.from(a.key).equals(Buffer.from(b.key))).toBe(false);
    expect(Buffer.from(a.id).equals(Buffer.from(b.id))).toBe(false);
    expect(() => newFileSecret(-1)).toThrow(RangeError);
    expect(() => newFileSecret(2 ** 40 + 1)).toThrow(RangeError);
    expect(refusal(() => new FileDecryptor({ ...a, id: new Uint8Array(15) }))).toBe('malformed');
    expect(refusal(() => new FileDecryptor({ ...a, key: new Uint8Array(31) }))).toBe('malformed');
    expect(refusal(() => new FileDecryptor({ ...a, size: 1.5 }))).toBe('malformed');
  });
});

describe('refusals', () => {
  it('every single-bit flip of a 4 KiB-floor stream: authentication_failed', () => {
    const file = fixed(1000);
    const cipher = encryptFilePartBytes(file, 0, content(1000));
    expect(cipher.length).toBe(FILE_PADDED_FLOOR + FILE_CHUNK_TAG_BYTES);
    const accepted: number[] = [];
    for (let bit = 0; bit < cipher.length * 8; bit++) {
      const flipped = cipher.slice();
      flipped[bit >> 3]! ^= 1 << (bit & 7);
      if (refusal(() => decryptAll(file, flipped)) !== 'authentication_failed') accepted.push(bit);
    }
    expect(accepted).toEqual([]);
  });

  it('every truncation of a one-chunk and of a two-chunk stream: malformed at finish()', async () => {
    for (const size of [0, 65_536]) {
      const file = fixed(size);
      const cipher = await encryptAll(file, content(size));
      const wrong: number[] = [];
      for (let cut = 0; cut < cipher.length; cut++) {
        const decryptor = new FileDecryptor(file);
        decryptor.push(cipher.subarray(0, cut));
        if (refusal(() => decryptor.finish()) !== 'malformed') wrong.push(cut);
      }
      expect(wrong).toEqual([]);
      expect(decryptAll(file, cipher).length).toBe(size);
    }
  });

  describe('of a five-chunk stream', () => {
    const file = fixed(300_000);
    const bytes = content(file.size);
    let chunks: Uint8Array[];
    beforeAll(async () => {
      chunks = chunksOf(await encryptAll(file, bytes));
      expect(chunks).toHaveLength(5);
    });

    it('every chunk swap: authentication_failed', () => {
      for (let i = 0; i < chunks.length; i++) {
        for (let j = i + 1; j < chunks.length; j++) {
          const swapped = chunks.slice();
          [swapped[i], swapped[j]] = [swapped[j]!, swapped[i]!];
          expect(refusal(() => decryptAll(file, Buffer.concat(swapped))), `swap ${i} and ${j}`).toBe('authentication_failed');
        }
      }
    });

    it('a chunk moved, one repeated, one dropped: refused', () => {
      const [c0, c1, c2, c3, c4] = chunks as [Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array];
      expect(refusal(() => decryptAll(file, Buffer.concat([c1, c2, c0, c3, c4])))).toBe('authentication_failed');
      expect(refusal(() => decryptAll(file, Buffer.concat([c0, c0, c2, c3, c4])))).toBe('authentication_failed');
      expect(refusal(() => decryptAll(file, Buffer.concat([c0, c2, c3, c4])))).toBe('authentication_failed');
      expect(refusal(() => decryptAll(file, Buffer.concat([c0, c1, c2, c3])))).toBe('malformed');
    });

    it('bytes past the end, even one: malformed', () => {
      expect(refusal(() => decryptAll(file, Buffer.concat([...chunks, Uint8Array.of(0)])))).toBe('malformed');
      expect(refusal(() => decryptAll(file, Buffer.concat([...chunks, chunks[4]!])))).toBe('malformed');
      const decryptor = new FileDecryptor(file);
      for (const chunk of chunks) decryptor.push(chunk);
      expect(refusal(() => decryptor.push(Uint8Array.of(1)))).toBe('malformed');
    });

    it('another file id or key: authentication_failed', () => {
      const cipher = Buffer.concat(chunks);
      expect(refusal(() => decryptAll({ ...file, id: fixed(0, 2).id }, cipher))).toBe('authentication_failed');
      expect(refusal(() => decryptAll({ ...file, key: fixed(0, 2).key }, cipher))).toBe('authentication_failed');
    });

    it('the final flag on a middle chunk, or missing from the last: malformed', () => {
      const honest = (index: number, final = index === 4) => ({ index, final, plain: paddedChunk(file, bytes, index) });
      expect(decryptAll(file, forge(file, [0, 1, 2, 3, 4].map((i) => honest(i)))).length).toBe(file.size);
      expect(refusal(() => decryptAll(file, forge(file, [honest(0), honest(1), honest(2, true), honest(3), honest(4)])))).toBe('malformed');
      expect(refusal(() => decryptAll(file, forge(file, [0, 1, 2, 3].map((i) => honest(i)).concat(honest(4, false)))))).toBe('malformed');
    });

    it('after a refusal, every later call refuses', () => {
      const decryptor = new FileDecryptor(file);
      const broken = chunks[0]!.slice();
      broken[9]! ^= 4;
      expect(refusal(() => decryptor.push(broken))).toBe('authentication_failed');
      expect(refusal(() => decryptor.push(new Uint8Array(0)))).toBe('authentication_failed');
      expect(refusal(() => decryptor.finish())).toBe('authentication_failed');
    });
  });

  describe('padding, checked to the last byte, across chunk boundaries', () => {
    // Past 4 MiB Padmé rounds to 128 KiB: 4 MiB + 65 535 bytes put the marker on the last byte of
    // chunk 64 and a whole chunk of zeros after it. 65 000 bytes put it inside the only chunk.
    const cases = { far: fixed(4 * 1024 * 1024 + 65_535), near: fixed(65_000) };
    const forged = (file: FileSecret, edits: Record<number, (plain: Uint8Array) => void>) => {
      const bytes = content(file.size);
      const count = Math.ceil(paddedFileLength(file.size) / FILE_CHUNK_BYTES);
      return forge(file, Array.from({ length: count }, (_, index) => {
        const plain = paddedChunk(file, bytes, index);
        edits[index]?.(plain);
        return { index, final: index === count - 1, plain };
      }));
    };

    it('honest padding passes', () => {
      expect(paddedFileLength(cases.far.size)).toBe(66 * FILE_CHUNK_BYTES);
      expect(paddedFileLength(cases.near.size)).toBe(FILE_CHUNK_BYTES);
      for (const file of Object.values(cases)) expect(decryptAll(file, forged(file, {})).length).toBe(file.size);
    });

    type Edit = (plain: Uint8Array) => void;
    it.each<['near' | 'far', string, Record<number, Edit>]>([
      ['near', 'no marker', { 0: (p) => { p[65_000] = 0; } }],
      ['near', 'marker 0x81', { 0: (p) => { p[65_000] = 0x81; } }],
      ['near', 'marker one byte late', { 0: (p) => { p[65_000] = 0; p[65_001] = 0x80; } }],
      ['near', 'a non-zero last byte', { 0: (p) => { p[65_535] = 1; } }],
      ['far', 'no marker at the end of a chunk', { 64: (p) => { p[65_535] = 0; } }],
      ['far', 'a content byte where the marker goes', { 64: (p) => { p[65_535] = 7; } }],
      ['far', 'the marker moved into the next chunk', { 64: (p) => { p[65_535] = 0; }, 65: (p) => { p[0] = 0x80; } }],
      ['far', 'a non-zero first byte of the next chunk', { 65: (p) => { p[0] = 0x80; } }],
      ['far', 'a non-zero last byte of the last chunk', { 65: (p) => { p[65_535] = 1; } }],
    ])('%s: %s: malformed', (which, _, edits) => {
      expect(refusal(() => decryptAll(cases[which], forged(cases[which], edits)))).toBe('malformed');
    });
  });
});
