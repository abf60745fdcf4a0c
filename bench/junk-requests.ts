// The junk of `npm run bench:junk`: requests that have not paid their proof of work, each of a
// kind an attacker's script can send at no cost, every random value fresh. Made in the load
// generator's process as they are sent (load-worker.ts), and in junk.ts for the in-process run.
import { createHash } from 'node:crypto';
import { b64ToBytes, bytesToB64, leadingZeroBits, PROOF_HEADERS, WORK_HEADER } from '../web/protocol/index.js';
import { WORK_NONCE_BYTES, workInput } from '../web/protocol/work-puzzle.js';
import { PRODUCTION_CONFIG } from '../worker/config-vars.js';
import { CHALLENGE_PATH, MAILBOX_PATH } from './instance.js';

export type JunkKind = 'challenge' | 'mailbox-forged' | 'mailbox-unpaid' | 'report-unpaid' | 'sign-in-unpaid' | 'report-unpaid-small' | 'not-found';

export interface JunkSpec {
  label: string;
  method: 'GET' | 'POST';
  path: string;
  /** Carries a real challenge (issued by the server, so its MAC checks out) with a wrong nonce. */
  realChallenge: boolean;
  /** Only a short CPU figure, for comparison: no database-growth flood, no latency windows. */
  reference?: boolean;
}

/** Just under the 128 KiB body limit (DEFAULT_CONFIG.maxBodyBytes): the most an attacker may send. */
export const OVERSIZED_BODY_BYTES = PRODUCTION_CONFIG.maxBodyBytes - 1024;
const SMALL_BODY_BYTES = 1024;

export const JUNK: Record<JunkKind, JunkSpec> = {
  challenge: { label: '`POST /api/mailbox/challenge`', method: 'POST', path: CHALLENGE_PATH, realChallenge: false },
  'mailbox-forged': { label: '`GET /api/mailbox`, random challenge, locator, signature', method: 'GET', path: MAILBOX_PATH, realChallenge: false },
  'mailbox-unpaid': { label: '`GET /api/mailbox`, real challenge, wrong nonce', method: 'GET', path: MAILBOX_PATH, realChallenge: true },
  'report-unpaid': { label: `\`POST /api/reports\`, ${OVERSIZED_BODY_BYTES / 1024} KiB junk body, real challenge, wrong nonce`, method: 'POST', path: '/api/reports', realChallenge: true },
  'sign-in-unpaid': { label: '`POST /api/investigator/sessions`, random username, real challenge, wrong nonce', method: 'POST', path: '/api/investigator/sessions', realChallenge: true },
  'report-unpaid-small': { label: `\`POST /api/reports\`, ${SMALL_BODY_BYTES / 1024} KiB junk body (reference)`, method: 'POST', path: '/api/reports', realChallenge: true, reference: true },
  'not-found': { label: '`GET /api/no-such-route` → 404 (reference: the HTTP floor)', method: 'GET', path: '/api/no-such-route', realChallenge: false, reference: true },
};

/** Challenges the server issued, shared out over the requests, and the work they ask for. */
export interface Challenges {
  b64: string[];
  workBits: number;
}

const randomB64 = (length: number) => bytesToB64(crypto.getRandomValues(new Uint8Array(length)));
const junkBody = (bytes: number) => `{"junk":"${'A'.repeat(bytes - '{"junk":"'.length - 2)}"}`;
const BODIES: Partial<Record<JunkKind, string>> = { 'report-unpaid': junkBody(OVERSIZED_BODY_BYTES), 'report-unpaid-small': junkBody(SMALL_BODY_BYTES) };

/** A nonce that does not pay for the challenge: the server must hash once to find that out. */
function wrongNonce(challenge: Uint8Array, workBits: number): string {
  for (;;) {
    const nonce = crypto.getRandomValues(new Uint8Array(WORK_NONCE_BYTES));
    if (leadingZeroBits(createHash('sha256').update(workInput(challenge, nonce)).digest()) < workBits) return bytesToB64(nonce);
  }
}

/** The headers and body of the i-th junk request of this kind. */
export function junkRequest(kind: JunkKind, challenges: Challenges, i: number): { headers: Record<string, string>; body?: string } {
  const headers: Record<string, string> = {};
  if (JUNK[kind].realChallenge) {
    const challenge = challenges.b64[i % challenges.b64.length]!;
    headers[PROOF_HEADERS.challenge] = challenge;
    headers[WORK_HEADER] = wrongNonce(b64ToBytes(challenge)!, challenges.workBits);
  }
  const json = { ...headers, 'content-type': 'application/json' };
  switch (kind) {
    case 'mailbox-forged':
      return { headers: { [PROOF_HEADERS.challenge]: randomB64(32), [WORK_HEADER]: randomB64(WORK_NONCE_BYTES), [PROOF_HEADERS.locator]: randomB64(32), [PROOF_HEADERS.signature]: randomB64(64) } };
    case 'mailbox-unpaid':
      return { headers: { ...headers, [PROOF_HEADERS.locator]: randomB64(32), [PROOF_HEADERS.signature]: randomB64(64) } };
    case 'report-unpaid':
    case 'report-unpaid-small':
      return { headers: json, body: BODIES[kind]! };
    case 'sign-in-unpaid':
      return { headers: json, body: JSON.stringify({ username: `u${Buffer.from(crypto.getRandomValues(new Uint8Array(8))).toString('hex')}`, authKey: randomB64(32), totp: String(100000 + (i % 900000)) }) };
    default:
      return { headers };
  }
}
