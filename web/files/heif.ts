// HEIC, HEIF and AVIF: too intricate to rewrite in place, so re-encoded to JPEG where the browser
// can decode them (createImageBitmap, drawn upright, then OffscreenCanvas; the JPEG it makes has
// no metadata at all). Elsewhere (Node, most browsers for HEIC) there is no cleaning them.
import { indexOf, latin1 } from './bytes.js';
import { readExif } from './exif.js';
import { Findings, xmpFindings } from './findings.js';

export const canDecodeImages = (): boolean =>
  typeof createImageBitmap === 'function' && typeof OffscreenCanvas === 'function';

/** What the file's EXIF and XMP items held, found by their signatures (the box tree need not be walked to name them). */
function heifFindings(bytes: Uint8Array): Findings {
  const found = new Findings();
  // The Exif item is a TIFF header, with or without "Exif\0\0" before it.
  const tiff = [indexOf(bytes, 'MM\0*\0\0\0\x08'), indexOf(bytes, 'II*\0\x08\0\0\0')].filter((at) => at >= 0);
  if (tiff.length > 0) {
    try {
      readExif(bytes.subarray(Math.min(...tiff)), found);
    } catch {
      found.add('other');
    }
  }
  const xmp = indexOf(bytes, '<x:xmpmeta');
  if (xmp >= 0) {
    const end = indexOf(bytes, '</x:xmpmeta>', xmp);
    xmpFindings(latin1(bytes.subarray(xmp, end < 0 ? bytes.length : end)), found);
  }
  return found;
}

/** The JPEG, or null when this browser cannot decode the file. */
export async function reencodeHeif(bytes: Uint8Array, type: string): Promise<{ bytes: Blob; removed: Findings } | null> {
  if (!canDecodeImages()) return null;
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>], { type }), { imageOrientation: 'from-image' });
  } catch {
    return null;
  }
  try {
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d');
    if (!context) return null;
    context.drawImage(bitmap, 0, 0);
    const jpeg = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.92 });
    return { bytes: jpeg, removed: heifFindings(bytes) };
  } finally {
    bitmap.close();
  }
}
