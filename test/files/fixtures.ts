// The fixtures with planted metadata (test/files/fixtures/README.md says how each was made), and
// ways to look inside a cleaned file: its image data, and every byte of it, unpacked if zipped.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExifReader from 'exifreader';
import { unzipSync } from 'fflate';

export const FIXTURES = join(import.meta.dirname, 'fixtures');
export const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(join(FIXTURES, name)));

export const latin1 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('latin1');

/** The planted markers anywhere in a file's bytes, zip entries unpacked. */
export function markersIn(bytes: Uint8Array): string[] {
  const texts = bytes[0] === 0x50 && bytes[1] === 0x4b ? Object.values(unzipSync(bytes)).map(latin1) : [latin1(bytes)];
  return texts.flatMap((text) => text.match(/MARKER[\w-]*|MarkerCam|MarkerTown|MarkerTitle|MarkerProducer|MarkerOffice/g) ?? []);
}

/** What an independent reader (exifreader) finds in an image. */
export function readTags(bytes: Uint8Array): ReturnType<typeof ExifReader.load> & Record<string, unknown> {
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return ExifReader.load(buffer, { expanded: true }) as ReturnType<typeof ExifReader.load> & Record<string, unknown>;
}

/** A JPEG's image data: every segment but APPn and COM, and the entropy-coded scans, in order. */
export function jpegImageData(bytes: Uint8Array): Uint8Array {
  let pos = 2;
  while (bytes[pos] === 0xff && bytes[pos + 1] !== 0xda) {
    const marker = bytes[pos + 1]!;
    const end = pos + 2 + ((bytes[pos + 2]! << 8) | bytes[pos + 3]!);
    if ((marker >= 0xe0 && marker <= 0xef) || marker === 0xfe) bytes = new Uint8Array([...bytes.subarray(0, pos), ...bytes.subarray(end)]);
    else pos = end;
  }
  const eoi = latin1(bytes).lastIndexOf('\xff\xd9');
  return bytes.subarray(2, eoi + 2);
}

/** A PNG's or WebP's chunks of the given types, in order. */
export function chunks(bytes: Uint8Array, types: string[]): Uint8Array[] {
  const png = bytes[0] === 0x89;
  const out: Uint8Array[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let pos = png ? 8 : 12; pos + 8 <= bytes.length; ) {
    const type = latin1(bytes.subarray(pos + (png ? 4 : 0), pos + (png ? 8 : 4)));
    const length = png ? view.getUint32(pos) : view.getUint32(pos + 4, true);
    if (types.includes(type)) out.push(bytes.subarray(pos + 8, pos + 8 + length));
    pos += png ? 12 + length : 8 + length + (length % 2);
  }
  return out;
}
