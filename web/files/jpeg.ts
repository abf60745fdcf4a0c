// JPEG, rewritten without its metadata and with its image data untouched: the frame, tables and
// entropy-coded scans are copied byte for byte; APPn segments other than the colour profile and
// Adobe's colour-transform flag, comments, JFIF thumbnails and anything after the image go.
import { concatBytes } from '../protocol/encoding.js';
import { asciiBytes, latin1, startsWith, u16be } from './bytes.js';
import { readExif, orientationOnlyTiff } from './exif.js';
import { Findings, UnreadableFile, xmpFindings } from './findings.js';
import { photoshopFindings } from './photoshop.js';

const XMP = 'http://ns.adobe.com/xap/1.0/\0';
const XMP_EXTENSION = 'http://ns.adobe.com/xmp/extension/\0';

const segment = (marker: number, payload: Uint8Array) =>
  concatBytes(Uint8Array.of(0xff, marker, (payload.length + 2) >> 8, (payload.length + 2) & 0xff), payload);

/** Rewrites `bytes` (a JPEG); throws UnreadableFile if it does not parse. */
export function cleanJpeg(bytes: Uint8Array): { bytes: Uint8Array; removed: Findings } {
  if (!startsWith(bytes, Uint8Array.of(0xff, 0xd8))) throw new UnreadableFile('not a JPEG');
  const removed = new Findings();
  const kept: Uint8Array[] = [Uint8Array.of(0xff, 0xd8)];
  let exifAt = 1; // where the Orientation-only EXIF goes: after SOI, or after the JFIF header
  let orientation = 1;
  let scanned = false;
  let pos = 2;
  for (;;) {
    if (pos >= bytes.length) {
      // A file cut short in its last scan still shows what it has; end it properly.
      if (!scanned) throw new UnreadableFile('JPEG ends before its image data');
      kept.push(Uint8Array.of(0xff, 0xd9));
      break;
    }
    if (bytes[pos] !== 0xff) throw new UnreadableFile('JPEG marker expected');
    while (bytes[pos + 1] === 0xff) pos++; // fill bytes
    const marker = bytes[pos + 1];
    if (marker === undefined) throw new UnreadableFile('JPEG ends inside a marker');
    if (marker === 0xd9) {
      kept.push(Uint8Array.of(0xff, 0xd9));
      // Anything after the end of the image (phones append preview and depth images here) goes.
      if (pos + 2 < bytes.length) removed.add('other');
      break;
    }
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      kept.push(bytes.subarray(pos, pos + 2));
      pos += 2;
      continue;
    }
    if (pos + 4 > bytes.length) throw new UnreadableFile('JPEG segment cut short');
    const length = u16be(bytes, pos + 2);
    const end = pos + 2 + length;
    if (length < 2 || end > bytes.length) throw new UnreadableFile('JPEG segment runs past the file');
    const whole = bytes.subarray(pos, end);
    const payload = bytes.subarray(pos + 4, end);
    if (marker === 0xe0) {
      if (startsWith(payload, 'JFIF\0') && payload.length >= 14) {
        // Keep the header (density, version); drop its optional thumbnail.
        if (payload[12]! * payload[13]! > 0) removed.add('thumbnail');
        kept.push(segment(0xe0, concatBytes(payload.subarray(0, 12), Uint8Array.of(0, 0))));
        exifAt = kept.length;
      } else removed.add(startsWith(payload, 'JFXX\0') ? 'thumbnail' : 'other');
    } else if (marker === 0xe1) {
      if (startsWith(payload, 'Exif\0\0')) {
        try {
          orientation = readExif(payload.subarray(6), removed).orientation;
        } catch {
          removed.add('other');
        }
      } else if (startsWith(payload, XMP)) xmpFindings(latin1(payload.subarray(XMP.length)), removed);
      else if (startsWith(payload, XMP_EXTENSION)) xmpFindings(latin1(payload.subarray(XMP_EXTENSION.length)), removed);
      else removed.add('other');
    } else if (marker === 0xe2 && startsWith(payload, 'ICC_PROFILE\0')) {
      // The colour profile stays: without it a wide-gamut phone photo shows with wrong colours.
      // It is the same profile every device of a make ships (e.g. "Display P3"), not this device's.
      kept.push(whole);
    } else if (marker === 0xee && startsWith(payload, 'Adobe')) {
      kept.push(whole); // the colour transform flag decoders need for CMYK and YCCK images
    } else if (marker === 0xed && startsWith(payload, 'Photoshop 3.0\0')) {
      photoshopFindings(payload.subarray(14), removed);
    } else if (marker >= 0xe0 && marker <= 0xef) {
      removed.add('other'); // APP2 MPF and FlashPix, APP3 Meta, APP12 Ducky/PictureInfo, and the like
    } else if (marker === 0xfe) {
      if (payload.length > 0) removed.add('comments');
    } else {
      kept.push(whole);
      if (marker === 0xda) {
        scanned = true;
        // The entropy-coded data runs to the next marker that is neither a stuffed 0xFF00 nor a restart.
        let i = end;
        while (i < bytes.length) {
          if (bytes[i] === 0xff) {
            const next = bytes[i + 1];
            if (next !== 0x00 && !(next !== undefined && next >= 0xd0 && next <= 0xd7)) break;
            i += 2;
          } else i++;
        }
        kept.push(bytes.subarray(end, Math.min(i, bytes.length)));
        pos = i;
        continue;
      }
    }
    pos = end;
  }
  if (!scanned) throw new UnreadableFile('JPEG without image data');
  const tiff = orientationOnlyTiff(orientation);
  if (tiff) kept.splice(exifAt, 0, segment(0xe1, concatBytes(asciiBytes('Exif\0\0'), tiff)));
  return { bytes: concatBytes(...kept), removed };
}
