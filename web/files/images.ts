// The three image formats rewritten in place (JPEG, PNG, WebP), by what the bytes are.
import { cleanJpeg } from './jpeg.js';
import { cleanPng } from './png.js';
import { cleanWebp } from './webp.js';
import type { Findings } from './findings.js';
import { sniff } from './sniff.js';

export const IMAGE_TYPES = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' } as const;
const CLEANERS = { jpeg: cleanJpeg, png: cleanPng, webp: cleanWebp } as const;

/** The cleaner for these bytes, or null when they are none of the three. */
export function imageCleaner(bytes: Uint8Array): { kind: keyof typeof IMAGE_TYPES; clean: (bytes: Uint8Array) => { bytes: Uint8Array; removed: Findings } } | null {
  const kind = sniff(bytes);
  return kind === 'jpeg' || kind === 'png' || kind === 'webp' ? { kind, clean: CLEANERS[kind] } : null;
}

/**
 * An image inside a document (a photo pasted into a report): cleaned, its findings added to
 * `into`; any other part, or an image that does not parse, comes back as it was.
 */
export function cleanEmbeddedImage(bytes: Uint8Array, into: Findings): Uint8Array {
  const cleaner = imageCleaner(bytes);
  if (!cleaner) return bytes;
  try {
    const cleaned = cleaner.clean(bytes);
    into.add(...cleaned.removed.list());
    return cleaned.bytes;
  } catch {
    return bytes;
  }
}
