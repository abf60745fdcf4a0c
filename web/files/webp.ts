// WebP, rewritten chunk by chunk: the image (VP8/VP8L/ALPH and animation frames) and its colour
// profile are copied byte for byte; EXIF, XMP and unknown chunks go, and the VP8X flags say so.
import { concatBytes } from '../protocol/encoding.js';
import { ascii, asciiBytes, latin1, startsWith, u32le } from './bytes.js';
import { orientationOnlyTiff, readExif } from './exif.js';
import { Findings, UnreadableFile, xmpFindings } from './findings.js';

const KEEP = new Set(['VP8 ', 'VP8L', 'VP8X', 'ALPH', 'ANIM', 'ANMF', 'ICCP']);
/** VP8X flag bits (first byte of its payload). */
const EXIF_FLAG = 0x08;
const XMP_FLAG = 0x04;

const le32 = (n: number) => Uint8Array.of(n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff);
const chunk = (type: string, data: Uint8Array) => concatBytes(asciiBytes(type), le32(data.length), data, data.length % 2 ? Uint8Array.of(0) : new Uint8Array(0));

export function cleanWebp(bytes: Uint8Array): { bytes: Uint8Array; removed: Findings } {
  if (!startsWith(bytes, 'RIFF') || !startsWith(bytes, 'WEBP', 8)) throw new UnreadableFile('not a WebP');
  const riffEnd = Math.min(bytes.length, 8 + u32le(bytes, 4));
  const removed = new Findings();
  const kept: Uint8Array[] = [];
  let orientation = 1;
  let image = false;
  for (let pos = 12; pos + 8 <= riffEnd; ) {
    const type = ascii(bytes, pos, 4);
    const length = u32le(bytes, pos + 4);
    const end = pos + 8 + length + (length % 2);
    if (pos + 8 + length > riffEnd) throw new UnreadableFile('WebP chunk runs past the file');
    const data = bytes.subarray(pos + 8, pos + 8 + length);
    if (KEEP.has(type)) {
      // A copy, so the VP8X flags can be set without touching the caller's bytes.
      kept.push(type === 'VP8X' ? bytes.slice(pos, Math.min(end, riffEnd)) : bytes.subarray(pos, Math.min(end, riffEnd)));
      if (type === 'VP8 ' || type === 'VP8L' || type === 'ANMF') image = true;
    } else if (type === 'EXIF') {
      // Some writers put "Exif\0\0" before the TIFF header.
      const tiff = startsWith(data, 'Exif\0\0') ? data.subarray(6) : data;
      try {
        orientation = readExif(tiff, removed).orientation;
      } catch {
        removed.add('other');
      }
    } else if (type === 'XMP ') xmpFindings(latin1(data), removed);
    else removed.add('other');
    pos = end;
  }
  if (!image) throw new UnreadableFile('WebP without image data');
  const header = kept[0]!;
  const extended = ascii(header, 0, 4) === 'VP8X';
  const tiff = extended ? orientationOnlyTiff(orientation) : null; // a simple WebP cannot carry EXIF, so never had any
  if (extended) header[8] = (header[8]! & ~(EXIF_FLAG | XMP_FLAG)) | (tiff ? EXIF_FLAG : 0);
  if (tiff) kept.push(chunk('EXIF', tiff)); // EXIF comes after the image data
  const body = concatBytes(...kept);
  return { bytes: concatBytes(asciiBytes('RIFF'), le32(body.length + 4), asciiBytes('WEBP'), body), removed };
}
