// What the console decides about a decrypted attachment before the investigator's computer sees
// it: whether it is an image the console may show (from its first bytes, never its declared type:
// the sender chose that), and a file name that is safe to save under (the sender chose that too).
// Pure functions over bytes and text, so Node tests run them.

/** The image types that may be shown, in a sandboxed frame only. Never SVG: it is a document that can run script. */
export type ViewableImageType = 'image/jpeg' | 'image/png' | 'image/webp';

/** How many bytes of the file sniffImageType needs. */
export const SNIFF_BYTES = 12;

const startsWith = (bytes: Uint8Array, at: number, prefix: readonly number[]) => prefix.every((b, i) => bytes[at + i] === b);

/** The image type the bytes are, by their magic numbers; null for anything else. */
export function sniffImageType(head: Uint8Array): ViewableImageType | null {
  if (startsWith(head, 0, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(head, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  // RIFF <size> WEBP
  if (startsWith(head, 0, [0x52, 0x49, 0x46, 0x46]) && startsWith(head, 8, [0x57, 0x45, 0x42, 0x50])) return 'image/webp';
  return null;
}

/** True when a declared type may be worth offering "View" for (the bytes still decide). */
export function mayBeViewable(declaredType: string): boolean {
  return /^image\/(jpeg|png|webp)$/i.test(declaredType.trim());
}

const IMAGE_EXTENSIONS: Record<ViewableImageType, readonly string[]> = {
  'image/jpeg': ['jpg', 'jpeg'],
  'image/png': ['png'],
  'image/webp': ['webp'],
};

/**
 * Extensions a computer opens in a viewer, not runs: photos, audio, video, PDF and office
 * documents without macros, text. Any other (exe, html, svg, js, lnk, docm…) gets ".bin" after
 * it, so a double-click does not run or render it.
 */
const SAFE_EXTENSIONS = new Set([
  'jpg', 'jpeg', 'png', 'webp', 'gif', 'heic', 'heif', 'tif', 'tiff', 'bmp',
  'pdf', 'txt', 'csv', 'rtf', 'odt', 'ods', 'odp', 'doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx',
  'mp3', 'm4a', 'wav', 'ogg', 'oga', 'opus', 'flac', 'aac', 'amr', 'mp4', 'm4v', 'mov', 'webm', 'mkv', 'avi', '3gp',
  'zip', 'eml',
]);

/**
 * Characters a file name must not carry: controls (C0, DEL, C1), and the invisible formatting
 * characters that reorder or hide text — bidi overrides and isolates make "gpj.exe" read as
 * "exe.jpg" — plus zero-width ones.
 */
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]/g;
/** Path separators and the characters Windows refuses in a name. */
const SEPARATORS = /[/\\:*?"<>|]/g;
/** Names Windows gives to devices, whatever the extension. */
const DEVICE_NAME = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;
const MAX_STEM = 100;

/**
 * Image extensions the bytes did not back up: a "photo.jpg" that is not a JPEG keeps its name
 * with ".bin" after it, so it is not handed to an image decoder under a false type.
 */
const IMAGE_LIKE_UNSNIFFED = new Set(['jpg', 'jpeg', 'png', 'webp']);

/**
 * A name to save the file under: no folders, no controls or bidi tricks, no leading dot (hidden)
 * or trailing dot or space, not a device name, and an extension that opens in a viewer — the
 * sniffed image's own when the bytes are an image.
 */
export function safeDownloadName(name: string, sniffed: ViewableImageType | null): string {
  const cleaned = name.normalize('NFC').replace(UNSAFE_CHARACTERS, '').replace(SEPARATORS, '_').replace(/^[\s.]+|[\s.]+$/g, '');
  const dot = cleaned.lastIndexOf('.');
  let stem = dot > 0 ? cleaned.slice(0, dot) : cleaned;
  let extension = dot > 0 ? cleaned.slice(dot + 1).toLowerCase() : '';
  if (!/^[a-z0-9]{1,8}$/.test(extension)) {
    stem = cleaned;
    extension = '';
  }
  stem = [...stem].slice(0, MAX_STEM).join('').replace(/[\s.]+$/, '') || 'attachment';
  if (DEVICE_NAME.test(stem.split('.')[0]!)) stem = `_${stem}`;
  if (sniffed) {
    const own = IMAGE_EXTENSIONS[sniffed];
    return own.includes(extension) ? `${stem}.${extension}` : `${extension ? `${stem}.${extension}` : stem}.${own[0]}`;
  }
  if (!extension) return `${stem}.bin`;
  return SAFE_EXTENSIONS.has(extension) && !IMAGE_LIKE_UNSNIFFED.has(extension) ? `${stem}.${extension}` : `${stem}.${extension}.bin`;
}
