// The Blob a download is decrypted into: every piece in order, folded into the Blob as it goes
// (so the plaintext does not pile up in the heap) and wiped once copied; typed octet-stream.
import { describe, expect, it } from 'vitest';
import { BlobSink } from '../../web/ui/blob-sink.js';

const MiB = 1024 * 1024;

describe('BlobSink', () => {
  it('gives back every piece in order, across the 4 MiB folds, as application/octet-stream', async () => {
    const sink = new BlobSink();
    const pieces = Array.from({ length: 11 }, (_, i) => new Uint8Array(MiB / 2 + i).fill(i + 1));
    const expected = Buffer.concat(pieces.map((p) => Buffer.from(p)));
    for (const piece of pieces) sink.push(piece);
    const blob = sink.finish();
    expect(blob.type).toBe('application/octet-stream');
    expect(Buffer.from(await blob.arrayBuffer()).equals(expected)).toBe(true);
  });

  it('wipes each piece once it is in the Blob, and holds at most 4 MiB of pieces before folding', () => {
    const sink = new BlobSink();
    const first = new Uint8Array(3 * MiB).fill(7);
    sink.push(first);
    expect(first.every((b) => b === 7)).toBe(true); // not folded yet
    const second = new Uint8Array(MiB).fill(9);
    sink.push(second);
    expect(first.every((b) => b === 0) && second.every((b) => b === 0)).toBe(true);
    const last = new Uint8Array(10).fill(5);
    sink.push(last);
    expect(sink.finish().size).toBe(4 * MiB + 10);
    expect(last.every((b) => b === 0)).toBe(true);
  });

  it('keeps nothing of a download that failed half-way', async () => {
    const sink = new BlobSink();
    const piece = new Uint8Array(100).fill(3);
    sink.push(piece);
    sink.discard();
    expect(piece.every((b) => b === 0)).toBe(true);
    expect(sink.finish().size).toBe(0);
  });
});
