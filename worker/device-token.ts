// "Known device" tokens (OWASP's device cookies, without the cookie): after a good sign-in the
// console keeps a token bound to the username, and sends it with later attempts. Attempts with
// it are throttled apart from everyone else's, so a stranger who fails on purpose at someone's
// username delays strangers, not the owner at their usual computer. The token is a MAC: the
// server stores nothing, and a stolen token buys only a throttle of its own, never a sign-in.
import { b64ToBytes, bytesToB64, utf8ToBytes } from '../web/protocol/encoding.js';
import { hmacSha256, secretsEqual } from './server-crypto.js';

const TOKEN_BYTES = 16;

async function tokenFor(serverSecret: Uint8Array, username: string): Promise<Uint8Array> {
  const key = await hmacSha256(serverSecret, utf8ToBytes('parley/device-token-key/1'));
  return (await hmacSha256(key, utf8ToBytes(username))).slice(0, TOKEN_BYTES);
}

export async function deviceTokenFor(serverSecret: Uint8Array, username: string): Promise<string> {
  return bytesToB64(await tokenFor(serverSecret, username));
}

export async function isDeviceToken(serverSecret: Uint8Array, username: string, token: string | undefined): Promise<boolean> {
  const bytes = token === undefined ? null : b64ToBytes(token);
  // No length check of its own: secretsEqual compares hashes, so a token of any other length is simply unequal.
  return bytes !== null && (await secretsEqual(bytes, await tokenFor(serverSecret, username)));
}
