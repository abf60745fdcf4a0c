// Cleaning a file on the reporter's device before it is encrypted (issue 14): cleanFile finds
// what the file really is from its bytes, removes what would identify the reporter (location,
// camera, dates, authors, tools, thumbnails, comments, editing history) and says what it removed.
// Pure functions over bytes (a page, a Web Worker and Node tests run the same code); only HEIC
// and AVIF need the browser's image decoder, behind a feature check.
import { cleanOffice } from './office.js';
import { loadPdfCleaner } from './pdf-load.js';
import { reencodeHeif } from './heif.js';
import { IMAGE_TYPES, imageCleaner } from './images.js';
import type { Cleaned } from './findings.js';
import { CLEANABLE_TYPES, sniff, TEXT_TYPES } from './sniff.js';

export type { Cleaned, Finding } from './findings.js';
export { FINDINGS } from './findings.js';

const blob = (bytes: Uint8Array, type: string) => new Blob([bytes as Uint8Array<ArrayBuffer>], { type });
const UNSUPPORTED: Cleaned = { outcome: 'cannot_clean', reason: 'unsupported_type' };
const UNREADABLE: Cleaned = { outcome: 'cannot_clean', reason: 'unreadable' };

/** The MIME type without parameters, lower case: "Text/CSV; charset=utf-8" → "text/csv". */
const baseType = (type: string) => type.split(';')[0]!.trim().toLowerCase();

/** Text that is only text: valid UTF-8 (a BOM allowed) without NUL bytes. */
function isPlainText(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

export async function cleanFile(file: Blob, type: string): Promise<Cleaned> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const declared = baseType(type);
  const kind = sniff(bytes);
  // Loaded outside the try: a failed download is the network's fault, not the file's (it throws; the caller may try again).
  const pdf = kind === 'pdf' ? await loadPdfCleaner() : undefined;
  try {
    const image = imageCleaner(bytes);
    if (image) {
      const cleaned = image.clean(bytes);
      return { outcome: 'cleaned', bytes: blob(cleaned.bytes, IMAGE_TYPES[image.kind]), type: IMAGE_TYPES[image.kind], removed: cleaned.removed.list() };
    }
    if (kind === 'heif') {
      const jpeg = await reencodeHeif(bytes, declared.startsWith('image/') ? declared : 'image/heic');
      return jpeg ? { outcome: 'cleaned', bytes: jpeg.bytes, type: 'image/jpeg', removed: jpeg.removed.list() } : UNSUPPORTED;
    }
    if (pdf) {
      const cleaned = await pdf.cleanPdf(bytes);
      return { outcome: 'cleaned', bytes: blob(cleaned.bytes, 'application/pdf'), type: 'application/pdf', removed: cleaned.removed.list() };
    }
    if (kind === 'zip') {
      const cleaned = cleanOffice(bytes);
      if (cleaned) return { outcome: 'cleaned', bytes: blob(cleaned.bytes, cleaned.type), type: cleaned.type, removed: cleaned.removed.list() };
      return CLEANABLE_TYPES.has(declared) ? UNREADABLE : UNSUPPORTED;
    }
  } catch {
    // UnreadableFile from a parser, or any other error its bytes led to: either way it was not cleaned.
    return UNREADABLE;
  }
  // Declared as a type we clean, but the bytes are not that type (or anything we know).
  if (CLEANABLE_TYPES.has(declared)) return UNREADABLE;
  if (kind === 'other' && TEXT_TYPES.has(declared) && isPlainText(bytes)) {
    return { outcome: 'cleaned', bytes: blob(bytes, declared), type: declared, removed: [] };
  }
  return UNSUPPORTED;
}
