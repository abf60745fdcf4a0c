// Encryption under the server secret (AES-256-GCM, WebCrypto), for the few values the
// server must read back but that must be useless in a stolen database: TOTP secrets.
// The secret lives outside the database (a file or environment variable on Node, a
// secret binding on Workers). Each value is bound to its row by the associated data.
import { b64ToBytes, bytesToB64, concatBytes, utf8ToBytes } from '../web/protocol/encoding.js';

const NONCE_BYTES = 12;
const view = (bytes: Uint8Array) => bytes as Uint8Array<ArrayBuffer>;

async function aesKey(serverSecret: Uint8Array): Promise<CryptoKey> {
  if (serverSecret.length !== 32) throw new Error('the server secret must be 32 bytes');
  return crypto.subtle.importKey('raw', view(serverSecret), 'AES-GCM', false, ['encrypt', 'decrypt']);
}

export async function sealWithServerSecret(serverSecret: Uint8Array, plain: string, boundTo: string): Promise<string> {
  const nonce = crypto.getRandomValues(new Uint8Array(NONCE_BYTES));
  const cipher = await crypto.subtle.encrypt({ name: 'AES-GCM', iv: nonce, additionalData: view(utf8ToBytes(boundTo)) }, await aesKey(serverSecret), view(utf8ToBytes(plain)));
  return bytesToB64(concatBytes(nonce, new Uint8Array(cipher)));
}

/** Null when it does not open (wrong secret, tampered, or moved to another row). */
export async function openWithServerSecret(serverSecret: Uint8Array, sealed: string, boundTo: string): Promise<string | null> {
  const bytes = b64ToBytes(sealed);
  if (!bytes || bytes.length <= NONCE_BYTES) return null;
  try {
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: view(bytes.subarray(0, NONCE_BYTES)), additionalData: view(utf8ToBytes(boundTo)) },
      await aesKey(serverSecret),
      view(bytes.subarray(NONCE_BYTES)),
    );
    return new TextDecoder().decode(plain);
  } catch {
    return null;
  }
}

/** A server secret given as base64url text (environment, secret binding), or null if it is not 32 bytes. */
export function parseServerSecret(text: string | undefined): Uint8Array | null {
  const bytes = text ? b64ToBytes(text.trim()) : null;
  return bytes && bytes.length === 32 ? bytes : null;
}
