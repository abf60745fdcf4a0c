// The arithmetic the Ed25519 acceptance tests build their attacks with (hex, SHA-512, the group
// order L, the field prime P, little-endian scalars), shared by ed25519-strict.test.ts and
// noble-published.test.ts.
import { createHash } from 'node:crypto';

export const fromHex = (hex: string) => Uint8Array.from(Buffer.from(hex, 'hex'));
export const toHex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
export const sha512 = (...parts: Uint8Array[]) => { const h = createHash('sha512'); for (const p of parts) h.update(p); return new Uint8Array(h.digest()); };
export const L = 2n ** 252n + 27742317777372353535851937790883648493n;
export const P = 2n ** 255n - 19n;
export const leToInt = (bytes: Uint8Array) => bytes.reduceRight((acc, b) => (acc << 8n) | BigInt(b), 0n);
export const intToLe = (n: bigint) => Uint8Array.from({ length: 32 }, (_, i) => Number((n >> BigInt(8 * i)) & 0xffn));
