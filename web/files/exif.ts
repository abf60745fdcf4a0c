// EXIF (a TIFF structure inside JPEG APP1, PNG eXIf, WebP EXIF, HEIC): what it holds, told as
// findings, its Orientation, and the minimal EXIF that keeps only a non-default Orientation.
import { concatBytes } from '../protocol/encoding.js';
import { asciiBytes } from './bytes.js';
import { type Finding, type Findings, UnreadableFile } from './findings.js';

/** Tags that say nothing about who or where: how to lay the pixels out. Everything else is a finding. */
const LAYOUT_TAGS = new Set([0x0100, 0x0101, 0x0102, 0x0103, 0x0106, 0x0112, 0x0115, 0x011a, 0x011b, 0x011c, 0x0128, 0x0213, 0x0211, 0x0212, 0x0214, 0xa000, 0xa001, 0xa002, 0xa003, 0x9000, 0x9101]);
const TAG_FINDINGS = new Map<number, Finding>([
  [0x8825, 'location'], // GPS IFD
  [0x010f, 'camera'], [0x0110, 'camera'], [0x927c, 'camera'], [0xa431, 'camera'], [0xa432, 'camera'], [0xa433, 'camera'], [0xa434, 'camera'], [0xa435, 'camera'],
  [0x0132, 'date'], [0x9003, 'date'], [0x9004, 'date'], [0x9010, 'date'], [0x9011, 'date'], [0x9012, 'date'], [0x9290, 'date'], [0x9291, 'date'], [0x9292, 'date'],
  [0x013b, 'author'], [0x8298, 'author'], [0xa430, 'author'], [0x9c9d, 'author'],
  [0x0131, 'software'], [0x000b, 'software'],
  [0x010e, 'comments'], [0x9286, 'comments'], [0x9c9b, 'comments'], [0x9c9c, 'comments'], [0x9c9e, 'comments'], [0x9c9f, 'comments'],
  [0x02bc, 'other'], [0x83bb, 'other'], [0x8649, 'other'], [0x8773, 'other'], // XMP, IPTC, Photoshop, ICC inside TIFF
]);
/** Camera settings (exposure, lens, flash…) in the EXIF sub-IFD: they describe the camera. */
const isCameraSetting = (tag: number) => (tag >= 0x829a && tag <= 0x8830) || (tag >= 0x9201 && tag <= 0x920a) || (tag >= 0xa20e && tag <= 0xa217) || (tag >= 0xa401 && tag <= 0xa40c);

export interface ExifReading {
  /** 1–8, 1 when absent or out of range. */
  orientation: number;
}

/**
 * Reads a TIFF structure (starting at "II*\0" or "MM\0*"): adds what it holds to `into` and
 * returns its Orientation. Throws UnreadableFile if the structure is broken.
 */
export function readExif(tiff: Uint8Array, into: Findings): ExifReading {
  if (tiff.length < 8) throw new UnreadableFile('EXIF too short');
  const little = tiff[0] === 0x49 && tiff[1] === 0x49;
  if (!little && !(tiff[0] === 0x4d && tiff[1] === 0x4d)) throw new UnreadableFile('EXIF without a TIFF header');
  const view = new DataView(tiff.buffer, tiff.byteOffset, tiff.byteLength);
  const u16 = (at: number) => view.getUint16(at, little);
  const u32 = (at: number) => view.getUint32(at, little);
  let orientation = 1;
  const seen = new Set<number>();
  const walk = (offset: number, kind: 'ifd0' | 'sub' | 'gps' | 'ifd1') => {
    if (offset === 0 || seen.has(offset)) return;
    if (offset + 2 > tiff.length) throw new UnreadableFile('EXIF IFD outside the data');
    seen.add(offset);
    const count = u16(offset);
    if (offset + 2 + count * 12 + 4 > tiff.length) throw new UnreadableFile('EXIF IFD runs past the data');
    if (kind === 'ifd1' && count > 0) into.add('thumbnail');
    if (kind === 'gps' && count > 0) into.add('location');
    for (let i = 0; i < count; i++) {
      const entry = offset + 2 + i * 12;
      const tag = u16(entry);
      if (kind === 'gps' || kind === 'ifd1') continue;
      if (tag === 0x0112) {
        const value = u16(entry + 8);
        orientation = value >= 1 && value <= 8 ? value : 1;
      } else if (tag === 0x8769 || tag === 0xa005) {
        walk(u32(entry + 8), 'sub'); // the EXIF sub-IFD; the interoperability IFD says nothing
      } else if (tag === 0x8825) {
        into.add('location');
        walk(u32(entry + 8), 'gps');
      } else {
        const finding = TAG_FINDINGS.get(tag);
        if (finding) into.add(finding);
        else if (kind === 'sub' && isCameraSetting(tag)) into.add('camera');
        else if (!LAYOUT_TAGS.has(tag)) into.add('other');
      }
    }
    if (kind === 'ifd0') walk(u32(offset + 2 + count * 12), 'ifd1');
  };
  walk(u32(4), 'ifd0');
  return { orientation };
}

/**
 * A big-endian TIFF holding one tag, Orientation, or null when it is 1 (the default): a phone
 * photo stripped of Orientation displays sideways, and the tag says nothing about who took it.
 */
export function orientationOnlyTiff(orientation: number): Uint8Array | null {
  if (orientation === 1) return null;
  return concatBytes(
    asciiBytes('MM\0*'), Uint8Array.of(0, 0, 0, 8), // header, IFD0 at 8
    Uint8Array.of(0, 1), // one entry
    Uint8Array.of(0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, orientation, 0, 0), // Orientation, SHORT, 1, value
    Uint8Array.of(0, 0, 0, 0), // no next IFD (no thumbnail)
  );
}
