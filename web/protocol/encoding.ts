// Byte encodings used on the wire: base64url without padding, UTF-8, concatenation.
// Pure and runtime-free so the worker (which must not load libsodium) can use it too.

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
// Indexed by char code (-1 for anything else): decoding is on the server's hot path.
const B64URL_INDEX = new Int8Array(128).fill(-1);
for (let i = 0; i < B64URL.length; i++) B64URL_INDEX[B64URL.charCodeAt(i)] = i;

export function bytesToB64(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += B64URL[n >> 18]! + B64URL[(n >> 12) & 63]! + B64URL[(n >> 6) & 63]! + B64URL[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += B64URL[n >> 18]! + B64URL[(n >> 12) & 63]!;
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += B64URL[n >> 18]! + B64URL[(n >> 12) & 63]! + B64URL[(n >> 6) & 63]!;
  }
  return out;
}

/** Strict decoder: returns null for anything that is not canonical base64url. */
export function b64ToBytes(text: string): Uint8Array | null {
  const tail = text.length % 4;
  if (tail === 1) return null;
  const out = new Uint8Array((text.length * 3) >> 2);
  const whole = text.length - tail;
  let o = 0;
  // Four characters, three bytes at a time: a report's envelope is decoded twice per request.
  for (let i = 0; i < whole; i += 4) {
    const ca = text.charCodeAt(i), cb = text.charCodeAt(i + 1), cc = text.charCodeAt(i + 2), cd = text.charCodeAt(i + 3);
    if ((ca | cb | cc | cd) > 127) return null;
    const a = B64URL_INDEX[ca]!, b = B64URL_INDEX[cb]!, c = B64URL_INDEX[cc]!, d = B64URL_INDEX[cd]!;
    if ((a | b | c | d) < 0) return null;
    const n = (a << 18) | (b << 12) | (c << 6) | d;
    out[o] = n >> 16;
    out[o + 1] = (n >> 8) & 0xff;
    out[o + 2] = n & 0xff;
    o += 3;
  }
  if (tail === 0) return out;
  const ca = text.charCodeAt(whole), cb = text.charCodeAt(whole + 1), cc = tail === 3 ? text.charCodeAt(whole + 2) : 65; // 'A': no bits
  if ((ca | cb | cc) > 127) return null;
  const a = B64URL_INDEX[ca]!, b = B64URL_INDEX[cb]!, c = B64URL_INDEX[cc]!;
  if ((a | b | c) < 0) return null;
  // Leftover bits must be zero, otherwise two strings would decode to the same bytes.
  if (tail === 2 ? (b & 0xf) !== 0 : (c & 0x3) !== 0) return null;
  const n = (a << 18) | (b << 12) | (c << 6);
  out[o] = n >> 16;
  if (tail === 3) out[o + 1] = (n >> 8) & 0xff;
  return out;
}

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

export function utf8ToBytes(text: string): Uint8Array {
  return utf8Encoder.encode(text);
}

export function bytesToUtf8(bytes: Uint8Array): string {
  return utf8Decoder.decode(bytes);
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  // Every byte is compared, wherever the first difference is.
  return a.reduce((diff, byte, i) => diff | (byte ^ b[i]!), 0) === 0;
}
