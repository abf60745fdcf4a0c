// PNG, rewritten chunk by chunk: image data (IDAT, and APNG's frames) and the chunks that
// change how it displays are copied byte for byte; text, time, EXIF and private chunks go.
import { concatBytes } from '../protocol/encoding.js';
import { ascii, asciiBytes, latin1, startsWith, u32be } from './bytes.js';
import { crc32 } from './crc32.js';
import { orientationOnlyTiff, readExif } from './exif.js';
import { type Finding, Findings, UnreadableFile, xmpFindings } from './findings.js';
import { unzlibSync } from 'fflate';

const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

/**
 * Chunks needed to show the image as made: the image itself, transparency, colour (the ICC
 * profile stays for the reason given in jpeg.ts), pixel size, HDR and animation.
 */
const KEEP = new Set(['IHDR', 'PLTE', 'IDAT', 'IEND', 'tRNS', 'gAMA', 'cHRM', 'sRGB', 'iCCP', 'sBIT', 'bKGD', 'pHYs', 'cICP', 'mDCV', 'mDCv', 'cLLI', 'cLLi', 'acTL', 'fcTL', 'fdAT']);

/** What a tEXt/zTXt/iTXt keyword says (the registered keywords, and the ones cameras and editors use). */
function textFinding(keyword: string): Finding {
  const key = keyword.toLowerCase();
  if (/author|copyright|artist|owner|disclaimer/.test(key)) return 'author';
  if (/creation time|date|time/.test(key)) return 'date';
  if (/software|source|generator/.test(key)) return 'software';
  if (/comment|description|title|caption|warning/.test(key)) return 'comments';
  if (/gps|location/.test(key)) return 'location';
  if (/make|model|camera/.test(key)) return 'camera';
  return 'other';
}

/** The text of a tEXt, zTXt or iTXt chunk, and its keyword. */
function readText(type: string, data: Uint8Array): { keyword: string; text: string } {
  const nul = data.indexOf(0);
  const keyword = ascii(data, 0, nul < 0 ? data.length : nul);
  if (nul < 0) return { keyword, text: '' };
  try {
    if (type === 'tEXt') return { keyword, text: latin1(data.subarray(nul + 1)) };
    if (type === 'zTXt') return { keyword, text: latin1(unzlibSync(data.subarray(nul + 2))) };
    // iTXt: keyword\0 compressed(1) method(1) language\0 translated\0 text
    const compressed = data[nul + 1] === 1;
    let at = data.indexOf(0, nul + 3);
    at = data.indexOf(0, at + 1);
    const text = data.subarray(at + 1);
    return { keyword, text: new TextDecoder().decode(compressed ? unzlibSync(text) : text) };
  } catch {
    return { keyword, text: '' };
  }
}

const chunk = (type: string, data: Uint8Array) => {
  const typed = concatBytes(asciiBytes(type), data);
  const length = new Uint8Array(4);
  new DataView(length.buffer).setUint32(0, data.length);
  const crc = new Uint8Array(4);
  new DataView(crc.buffer).setUint32(0, crc32(typed));
  return concatBytes(length, typed, crc);
};

export function cleanPng(bytes: Uint8Array): { bytes: Uint8Array; removed: Findings } {
  if (!startsWith(bytes, SIGNATURE)) throw new UnreadableFile('not a PNG');
  const removed = new Findings();
  const kept: Uint8Array[] = [SIGNATURE];
  let orientation = 1;
  let exifAt = -1; // eXIf must come before the image data: just after IHDR
  let ended = false;
  for (let pos = SIGNATURE.length; !ended; ) {
    if (pos + 12 > bytes.length) throw new UnreadableFile('PNG ends before IEND');
    const length = u32be(bytes, pos);
    const end = pos + 12 + length;
    if (end > bytes.length) throw new UnreadableFile('PNG chunk runs past the file');
    const type = ascii(bytes, pos + 4, 4);
    const data = bytes.subarray(pos + 8, pos + 8 + length);
    if (pos === SIGNATURE.length && type !== 'IHDR') throw new UnreadableFile('PNG without IHDR');
    if (KEEP.has(type)) {
      kept.push(bytes.subarray(pos, end));
      if (type === 'IHDR') exifAt = kept.length;
      ended = type === 'IEND';
    } else if (type === 'tEXt' || type === 'zTXt' || type === 'iTXt') {
      const { keyword, text } = readText(type, data);
      if (keyword === 'XML:com.adobe.xmp') xmpFindings(text, removed);
      else if (/^Raw profile type (exif|APP1)$/i.test(keyword)) removed.add('camera', 'date', 'other'); // ImageMagick's hex copy of EXIF: assume the worst
      else removed.add(textFinding(keyword));
    } else if (type === 'tIME') removed.add('date');
    else if (type === 'eXIf' || type === 'exIf') {
      try {
        orientation = readExif(data, removed).orientation;
      } catch {
        removed.add('other');
      }
    } else if (type.charCodeAt(0) & 0x20) removed.add('other'); // an ancillary chunk not needed to show the image
    else throw new UnreadableFile(`PNG with an unknown critical chunk ${type}`);
    pos = end;
  }
  if (exifAt < 0) throw new UnreadableFile('PNG without IHDR');
  const tiff = orientationOnlyTiff(orientation);
  if (tiff) kept.splice(exifAt, 0, chunk('eXIf', tiff));
  return { bytes: concatBytes(...kept), removed };
}
