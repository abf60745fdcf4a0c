// Small byte helpers the file cleaners share: big/little-endian reads, ASCII, search (joining is
// concatBytes, web/protocol/encoding.ts).
export const ascii = (bytes: Uint8Array, start: number, length: number): string =>
  String.fromCharCode(...bytes.subarray(start, start + length));

export const asciiBytes = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));

export function u16be(bytes: Uint8Array, at: number): number {
  return (bytes[at]! << 8) | bytes[at + 1]!;
}

export function u32be(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
}

export function u32le(bytes: Uint8Array, at: number): number {
  return (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;
}

export function startsWith(bytes: Uint8Array, prefix: Uint8Array | string, at = 0): boolean {
  const wanted = typeof prefix === 'string' ? asciiBytes(prefix) : prefix;
  if (at + wanted.length > bytes.length) return false;
  for (let i = 0; i < wanted.length; i++) if (bytes[at + i] !== wanted[i]) return false;
  return true;
}

/** Index of `needle` in `bytes` from `from`, or -1. */
export function indexOf(bytes: Uint8Array, needle: Uint8Array | string, from = 0): number {
  const wanted = typeof needle === 'string' ? asciiBytes(needle) : needle;
  const first = wanted[0];
  for (let i = bytes.indexOf(first!, from); i !== -1 && i + wanted.length <= bytes.length; i = bytes.indexOf(first!, i + 1)) {
    if (startsWith(bytes, wanted, i)) return i;
  }
  return -1;
}

/** Latin-1 view of bytes, for searching metadata text that may sit in binary (XMP, PDF). */
export const latin1 = (bytes: Uint8Array): string => new TextDecoder('latin1').decode(bytes);
