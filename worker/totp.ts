// TOTP (RFC 6238: SHA-1, 6 digits, 30 s) through otpauth, a maintained library. A code is
// accepted within one step either side of now, and only once: the accepted step is stored
// and any code from that step or earlier is refused, so a watched code cannot be replayed.
import { Secret, TOTP } from 'otpauth';

const PERIOD_SECONDS = 30;
export const TOTP_ISSUER = 'Parley';

/** `label` names the account in an authenticator app; codes do not depend on it, so checking needs none. */
function totpFor(secretBase32: string, label?: string): TOTP {
  return new TOTP({ issuer: TOTP_ISSUER, label, algorithm: 'SHA1', digits: 6, period: PERIOD_SECONDS, secret: Secret.fromBase32(secretBase32) });
}

export function newTotpSecret(randomBytes: (n: number) => Uint8Array): string {
  const bytes = randomBytes(20); // 160 bits, as RFC 4226 recommends
  return new Secret({ buffer: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer }).base32;
}

export function totpUri(secretBase32: string, username: string): string {
  return totpFor(secretBase32, username).toString();
}

/** The time step the code belongs to, or null if it is wrong, stale or already used. */
export function acceptTotp(secretBase32: string, code: string, nowMs: number, lastAcceptedStep: number): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totpFor(secretBase32).validate({ token: code, timestamp: nowMs, window: 1 });
  if (delta === null) return null;
  const step = Math.floor(nowMs / 1000 / PERIOD_SECONDS) + delta;
  return step > lastAcceptedStep ? step : null;
}

/** For tests and the demo: the code a phone would show at `nowMs`. */
export function totpCodeAt(secretBase32: string, nowMs: number): string {
  return totpFor(secretBase32).generate({ timestamp: nowMs });
}
