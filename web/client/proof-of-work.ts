// The client's side of the proof of work: fetch a challenge (the server writes nothing for
// it), solve it to the difficulty asked, and send both with the request. The difficulty is
// checked against the load when the request arrives, so a request refused for weak work is
// tried again with a fresh challenge.
import { bytesToB64, PROOF_HEADERS, solveProofOfWork, WORK_HEADER } from '../protocol/index.js';
import { ApiRequestError, type ApiClient } from './api.js';
import { decodeB64 } from './thread.js';
import { workBitsWithFiles } from '../protocol/file-work.js';

export interface SolvedChallenge {
  challenge: Uint8Array;
  /** The challenge header and, when work is asked, the proof-of-work header. */
  headers: Record<string, string>;
}

/**
 * A fresh challenge and, if the server asks for it, the proof of work for it. `fileBytes`: the
 * stored bytes of the files the request's message carries, whose work grows with their size.
 */
export async function solvedChallenge(api: ApiClient, fileBytes = 0): Promise<SolvedChallenge> {
  const { challenge, workBits: asked = 0 } = await api.call('POST /api/mailbox/challenge');
  const bytes = decodeB64(challenge, 'challenge');
  const headers: Record<string, string> = { [PROOF_HEADERS.challenge]: challenge };
  const workBits = workBitsWithFiles(asked, fileBytes);
  if (workBits > 0) headers[WORK_HEADER] = bytesToB64(solveProofOfWork(bytes, workBits));
  return { challenge: bytes, headers };
}

/** Difficulty rose between fetching and spending (a flood began): a few more tries, each with new work. */
const WORK_ATTEMPTS = 3;

export async function withFreshWork<T>(api: ApiClient, send: (solved: SolvedChallenge) => Promise<T>, fileBytes = 0): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await send(await solvedChallenge(api, fileBytes));
    } catch (error) {
      if (!(error instanceof ApiRequestError && error.code === 'work_required') || attempt >= WORK_ATTEMPTS) throw error;
    }
  }
}
