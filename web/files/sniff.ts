// What a file really is, told by its first bytes (magic numbers), whatever type it was declared as.
import { ascii, startsWith } from './bytes.js';

export type Sniffed = 'jpeg' | 'png' | 'webp' | 'heif' | 'pdf' | 'zip' | 'other';

/** ISO base media brands of still images a browser may decode (HEIC, HEIF, AVIF); video brands are not. */
const HEIF_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'mif2', 'msf1', 'avif', 'avis']);

export function sniff(bytes: Uint8Array): Sniffed {
  if (startsWith(bytes, Uint8Array.of(0xff, 0xd8, 0xff))) return 'jpeg';
  if (startsWith(bytes, Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a))) return 'png';
  if (startsWith(bytes, 'RIFF') && startsWith(bytes, 'WEBP', 8)) return 'webp';
  if (startsWith(bytes, 'ftyp', 4) && bytes.length >= 12) {
    // The major brand, or a compatible one (a HEIC may name mif1 first).
    const boxEnd = Math.min(bytes.length, (bytes[0]! << 24 | bytes[1]! << 16 | bytes[2]! << 8 | bytes[3]!) >>> 0);
    const brands = [ascii(bytes, 8, 4)];
    for (let at = 16; at + 4 <= boxEnd; at += 4) brands.push(ascii(bytes, at, 4));
    return HEIF_BRANDS.has(brands[0]!) || (brands.some((b) => HEIF_BRANDS.has(b)) && !brands.some((b) => /^(isom|iso\d|mp4\d|qt  |M4V |M4A |3gp\d|avc1|dash)$/.test(b))) ? 'heif' : 'other';
  }
  // A PDF may have a little junk before its header; readers look in the first kilobyte.
  if (ascii(bytes, 0, Math.min(bytes.length, 1024)).includes('%PDF-')) return 'pdf';
  if (startsWith(bytes, Uint8Array.of(0x50, 0x4b, 0x03, 0x04))) return 'zip';
  return 'other';
}

/** The declared types that name a type the cleaners handle: a file declared as one that is not one is unreadable. */
export const CLEANABLE_TYPES = new Set([
  'image/jpeg', 'image/jpg', 'image/pjpeg', 'image/png', 'image/webp', 'image/heic', 'image/heif', 'image/heic-sequence', 'image/heif-sequence', 'image/avif',
  'application/pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text', 'application/vnd.oasis.opendocument.spreadsheet', 'application/vnd.oasis.opendocument.presentation',
]);

/** Plain text types sent as they are: there is nothing in them but the text. */
export const TEXT_TYPES = new Set(['text/plain', 'text/csv']);
