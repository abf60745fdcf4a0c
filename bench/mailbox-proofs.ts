// Fresh single-use challenges, fetched and answered just before a run (they live 2 minutes)
// so the timed request is the one that spends them: as the real client does, each carries
// the challenge header and, if the server asks for work, the solved proof of work; a
// mailbox fetch is then signed with the mailbox key by the real client code.
import type { ApiClient } from '../web/client/api.js';
import { b64ToBytes, bytesToB64, mailboxProofHeaders, solveProofOfWork, PROOF_HEADERS, WORK_HEADER, type MailboxKeys } from '../web/protocol/index.js';
import type { LoadVariant } from './load-worker.js';

export const MAILBOX_PATH = '/api/mailbox';
export const CHALLENGE_PATH = '/api/mailbox/challenge';

export interface AnsweredChallenge {
  challenge: Uint8Array;
  /** The challenge header and, when asked for, the proof-of-work header. */
  headers: Record<string, string>;
}

export async function answeredChallenges(api: ApiClient, count: number, concurrency = 16): Promise<AnsweredChallenge[]> {
  const answered: AnsweredChallenge[] = [];
  let issued = 0;
  const fetchSome = async () => {
    while (issued < count) {
      issued++;
      const { challenge, workBits = 0 } = await api.json<{ challenge: string; workBits?: number }>('POST', CHALLENGE_PATH);
      const bytes = b64ToBytes(challenge)!;
      const headers: Record<string, string> = { [PROOF_HEADERS.challenge]: challenge };
      if (workBits > 0) headers[WORK_HEADER] = bytesToB64(solveProofOfWork(bytes, workBits));
      answered.push({ challenge: bytes, headers });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, fetchSome));
  return answered;
}

/** `GET /api/mailbox` requests, cycling over the mailboxes, each with its own answered challenge. */
export async function signedMailboxFetches(api: ApiClient, mailboxes: readonly MailboxKeys[], count: number): Promise<LoadVariant[]> {
  const empty = new Uint8Array(0);
  return (await answeredChallenges(api, count)).map(({ challenge, headers }, i) => ({
    headers: { ...headers, ...mailboxProofHeaders(mailboxes[i % mailboxes.length]!, challenge, 'GET', MAILBOX_PATH, empty) },
  }));
}

/** Report submissions (pre-built bodies) each paired with its own answered challenge. */
export async function challengedSubmissions(api: ApiClient, bodies: readonly string[]): Promise<LoadVariant[]> {
  return (await answeredChallenges(api, bodies.length)).map(({ headers }, i) => ({ headers, body: bodies[i]! }));
}
