// Runs every known-answer vector in test/vectors/ and checks the files are what the generator makes.
// Every client-side kind runs through the shared runner (test/support/vector-runner.ts), which the
// browser tests also use; the server's own structures (challenges, the server's check of proof of
// work and of mailbox proofs) run through SERVER_OPERATIONS below, in Node only, under the same rules.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  b64ToBytes, bytesToB64, leadingZeroBits, mailboxProofHeaders, mailboxProofMessage, PRODUCTION_KDF, sha256, sodiumReady, solveProofOfWork, utf8ToBytes,
} from '../../web/protocol/index.js';
import { workInput, WORK_NONCE_BYTES } from '../../web/protocol/work-puzzle.js';
import { challengeKey, issueChallenge, readChallenge } from '../../worker/challenge-token.js';
import { sha256 as serverSha256, verifyEd25519 } from '../../worker/server-crypto.js';
import {
  bytes, describeThrown, integer, judgeVector, parseVector, runVector, signKeyPair, text, VECTOR_KINDS,
  type ErrorVocabulary, type Inputs, type Outcome, type Outputs, type TestVector, type VectorResult,
} from '../support/vector-runner.js';
import { buildVectors, deterministicPart, RANDOMISED_INPUTS, serialiseVector } from '../vectors/generate.js';

const VECTOR_DIR = new URL('../vectors/', import.meta.url);
const files = readdirSync(VECTOR_DIR).filter((f) => f.endsWith('.json')).sort();
const fileText = (file: string) => readFileSync(new URL(file, VECTOR_DIR), 'utf8');

const REQUIRED = [
  'passphrase-from-indices', 'passphrase-normalisation', 'mailbox-key-derivation', 'mailbox-key-derivation-production-kdf',
  'message-encrypt', 'message-signature', 'sealed-case-key-open', 'investigator-secrets', 'wrapped-seed',
  'wrong-passphrase', 'flipped-tag', 'wrong-associated-data-case-id', 'wrong-associated-data-message-id',
  'wrong-associated-data-role', 'truncated', 'wrong-version', 'flipped-signature-bit', 'sealed-key-for-another-case',
  'passphrase-unknown-word', 'passphrase-checksum-mismatch', 'passphrase-word-count',
  // docs/SPEC.md: a vector for every structure it defines.
  'org-keyring-open', 'org-keyring-other-member', 'org-keyring-other-organisation', 'org-keyring-wrong-label', 'org-keyring-wrong-version',
  'org-anchor-fingerprint', 'key-fingerprint', 'challenge-issue', 'challenge-expired', 'challenge-work-bits-lowered',
  'proof-of-work', 'proof-of-work-too-weak', 'mailbox-proof', 'mailbox-proof-other-challenge', 'mailbox-proof-other-path', 'mailbox-proof-other-body',
  'document-report', 'document-message-with-status', 'document-status', 'document-unknown-field-ignored', 'document-not-json', 'document-unknown-kind',
  // Files (issue 14): descriptors, the stream, and one failure each.
  'document-message-with-attachments', 'document-attachment-unknown-field-ignored', 'document-attachment-short-key', 'document-attachments-same-id',
  'file-stream', 'file-stream-empty', 'file-stream-decrypt', 'file-flipped-bit', 'file-flipped-tag', 'file-wrong-key', 'file-wrong-id', 'file-bad-padding',
  'file-truncated', 'file-chunks-swapped', 'file-chunks-reordered', 'file-extra-chunk', 'file-final-flag-on-middle-chunk', 'file-last-chunk-not-final',
];

// ---- The server's own structures: checked by the server alone, so run here, in Node only. ----

/** What the server answers when one of its own checks fails. */
type ServerRefusalCode = 'invalid' | 'work_too_weak' | 'mailbox_proof_failed';
class ServerRefusal extends Error {
  constructor(readonly code: ServerRefusalCode) {
    super(`refused: ${code}`);
  }
}
const SERVER_ERRORS: ErrorVocabulary = {
  kinds: ['invalid', 'work_too_weak', 'mailbox_proof_failed'] satisfies readonly ServerRefusalCode[],
  kindOf: (error) => (error instanceof ServerRefusal ? error.code : undefined),
};

/** A vector's check of itself disagreed (the reference client, or a read-back). */
class Mismatch extends Error {}

/** Each operation maps inputs to outputs as the server computes them, with the reference client where the vector involves one. */
const SERVER_OPERATIONS: Record<string, (inputs: Inputs) => Promise<Outputs>> = {
  /** The server issues a challenge, then reads it back just before it expires. */
  async challenge_issue(inputs) {
    const [expiresAtMs, workBits, random] = [integer(inputs, 'expiresAtMs'), integer(inputs, 'workBits'), bytes(inputs, 'random')];
    const key = await challengeKey(bytes(inputs, 'serverSecret'));
    const challenge = await issueChallenge(key, { expiresAtMs, workBits }, () => random);
    if (!isDeepStrictEqual(await readChallenge(key, challenge, expiresAtMs - 1), { expiresAtMs, workBits })) throw new Mismatch('the challenge does not read back');
    return { challengeKey: bytesToB64(key), challenge: bytesToB64(challenge) };
  },

  async challenge_read(inputs) {
    const terms = await readChallenge(await challengeKey(bytes(inputs, 'serverSecret')), bytes(inputs, 'challenge'), integer(inputs, 'nowMs'));
    if (!terms) throw new ServerRefusal('invalid');
    return { ...terms };
  },

  /** Checked as the server checks it (one WebCrypto SHA-256); the reference client must find the same nonce first. */
  async proof_of_work(inputs) {
    const [challenge, nonce, workBits] = [bytes(inputs, 'challenge'), bytes(inputs, 'nonce'), integer(inputs, 'workBits')];
    if (nonce.length !== WORK_NONCE_BYTES) throw new ServerRefusal('work_too_weak');
    const input = workInput(challenge, nonce);
    const hash = await serverSha256(input);
    const zeroBits = leadingZeroBits(hash);
    if (zeroBits < workBits) throw new ServerRefusal('work_too_weak');
    if (bytesToB64(solveProofOfWork(challenge, workBits)) !== bytesToB64(nonce)) throw new Mismatch('the reference client finds another nonce first');
    return { input: bytesToB64(input), hash: bytesToB64(hash), leadingZeroBits: zeroBits };
  },

  /** The client's headers, which the server's check (WebCrypto Ed25519 held to libsodium's rules) must accept. */
  async mailbox_proof(inputs) {
    const [challenge, method, path, body] = [bytes(inputs, 'challenge'), text(inputs, 'method'), text(inputs, 'path'), utf8ToBytes(text(inputs, 'bodyUtf8'))];
    const sign = signKeyPair(bytes(inputs, 'signSeed'));
    const headers = mailboxProofHeaders({ locator: bytes(inputs, 'locator'), sign, box: sign }, challenge, method, path, body);
    const serverBytes = mailboxProofMessage(challenge, method.toUpperCase(), path, await serverSha256(body));
    if (!(await verifyEd25519(sign.publicKey, b64ToBytes(headers['parley-proof']!)!, serverBytes))) throw new Mismatch('the server refuses the proof');
    return { signPublicKey: bytesToB64(sign.publicKey), signedBytes: bytesToB64(mailboxProofMessage(challenge, method, path, sha256(body))), headers };
  },

  async mailbox_proof_verify(inputs) {
    const signed = mailboxProofMessage(bytes(inputs, 'challenge'), text(inputs, 'method'), text(inputs, 'path'), await serverSha256(utf8ToBytes(text(inputs, 'bodyUtf8'))));
    if (!(await verifyEd25519(bytes(inputs, 'signPublicKey'), bytes(inputs, 'signature'), signed))) throw new ServerRefusal('mailbox_proof_failed');
    return { verified: true };
  },
};

/** The shared runner's rules (judgeVector) for the server's kinds. */
async function runServerVector(vector: TestVector): Promise<VectorResult> {
  let v: TestVector;
  try {
    v = parseVector(vector);
  } catch (error) {
    return { ok: false, reason: describeThrown(error) };
  }
  const operation = Object.hasOwn(SERVER_OPERATIONS, v.kind) ? SERVER_OPERATIONS[v.kind]! : undefined;
  if (!operation) return { ok: false, reason: `${v.name}: unknown kind "${v.kind}"` };
  let outcome: Outcome;
  try {
    outcome = { outputs: await operation(v.inputs) };
  } catch (thrown) {
    outcome = { thrown };
  }
  return judgeVector(v, outcome, SERVER_ERRORS);
}

/** Every vector file through the runner that knows its kind. */
async function run(vector: TestVector): Promise<VectorResult> {
  return VECTOR_KINDS.includes(vector.kind) ? runVector(vector) : runServerVector(vector);
}

// ---- The tests. ----

beforeAll(sodiumReady);

describe('test vector files', () => {
  it('include every required case, each file named after its vector', () => {
    const names = files.map((f) => f.slice(0, -'.json'.length));
    expect(names).toEqual(expect.arrayContaining(REQUIRED));
    for (const file of files) expect((JSON.parse(fileText(file)) as TestVector).name).toBe(file.slice(0, -'.json'.length));
  });

  it('cover the production Argon2id cost in exactly the vector named for it', () => {
    const withProductionKdf = files.filter((f) => {
      const kdf = (JSON.parse(fileText(f)) as TestVector).inputs.kdf;
      return JSON.stringify(kdf) === JSON.stringify(PRODUCTION_KDF);
    });
    expect(withProductionKdf).toEqual(['mailbox-key-derivation-production-kdf.json']);
  });

  it('are exactly what the generator builds (sealed boxes aside, which are randomised)', async () => {
    const built = await buildVectors();
    expect(built.map((v) => `${v.name}.json`).sort()).toEqual(files);
    for (const vector of built) {
      const committed = fileText(`${vector.name}.json`);
      const randomised = RANDOMISED_INPUTS.some((k) => k in vector.inputs);
      if (randomised) {
        expect(serialiseVector(deterministicPart(JSON.parse(committed) as TestVector)), vector.name).toBe(serialiseVector(deterministicPart(vector)));
      } else {
        expect(committed, vector.name).toBe(serialiseVector(vector));
      }
    }
  });

  it('each have a kind that exactly one runner knows', () => {
    expect(Object.keys(SERVER_OPERATIONS).filter((kind) => VECTOR_KINDS.includes(kind))).toEqual([]);
    const unknown = files.map((f) => JSON.parse(fileText(f)) as TestVector).filter((v) => !VECTOR_KINDS.includes(v.kind) && !Object.hasOwn(SERVER_OPERATIONS, v.kind));
    expect(unknown.map((v) => `${v.name}: ${v.kind}`)).toEqual([]);
  });
});

describe('runVector', () => {
  for (const file of files) {
    it(file, async () => {
      expect(await run(JSON.parse(fileText(file)) as TestVector)).toEqual({ ok: true });
    });
  }

  it('fails an unknown kind, an empty expectation and a wrong expected error instead of passing them', () => {
    const base = JSON.parse(fileText('flipped-tag.json')) as TestVector;
    expect(runVector({ ...base, kind: 'message_decrypt_v2' })).toMatchObject({ ok: false, reason: expect.stringContaining('unknown kind') });
    expect(runVector({ ...base, expect: {} })).toMatchObject({ ok: false, reason: expect.stringContaining('expect is empty') });
    expect(runVector({ ...base, expect: { error: 'malformed' } })).toMatchObject({ ok: false, reason: expect.stringContaining('authentication_failed') });
    expect(runVector('not a vector')).toMatchObject({ ok: false });
  });

  it('bundles for the browser, so the browser tests can run the same vectors', async () => {
    const entry = fileURLToPath(new URL('../support/vector-runner.ts', import.meta.url));
    const result = await build({ entryPoints: [entry], bundle: true, platform: 'browser', format: 'esm', write: false, logLevel: 'silent' });
    expect(result.errors).toEqual([]);
  });

  it('fails a positive vector whose expected output is wrong', () => {
    const base = JSON.parse(fileText('message-encrypt.json')) as TestVector;
    const envelope = base.expect.envelope as string;
    const altered = { ...base, expect: { envelope: `${envelope.slice(0, -1)}${envelope.endsWith('A') ? 'Q' : 'A'}` } };
    expect(runVector(altered)).toMatchObject({ ok: false, reason: expect.stringContaining('envelope is') });
  });
});

describe('the runner for the server’s kinds', () => {
  const vector = (file: string) => JSON.parse(fileText(file)) as TestVector;

  it('fails an unknown kind, an empty expectation, a wrong error and an error of the wrong vocabulary', async () => {
    const negative = vector('mailbox-proof-other-path.json');
    expect(await runServerVector({ ...negative, kind: 'mailbox_proof_verify_v2' })).toMatchObject({ ok: false, reason: expect.stringContaining('unknown kind') });
    expect(await runServerVector({ ...negative, expect: {} })).toMatchObject({ ok: false, reason: expect.stringContaining('expect is empty') });
    expect(await runServerVector({ ...negative, expect: { error: 'invalid' } })).toMatchObject({ ok: false, reason: expect.stringContaining('mailbox_proof_failed') });
    expect(await runServerVector({ ...negative, expect: { error: 'authentication_failed' } })).toMatchObject({ ok: false });
    expect(await runServerVector({ ...vector('proof-of-work-too-weak.json'), expect: { error: 'invalid' } })).toMatchObject({ ok: false, reason: expect.stringContaining('work_too_weak') });
  });

  it('fails a positive vector whose expected output is wrong, and a negative one whose input is not broken', async () => {
    const work = vector('proof-of-work.json');
    expect(await runServerVector({ ...work, expect: { ...work.expect, leadingZeroBits: (work.expect.leadingZeroBits as number) + 1 } })).toMatchObject({ ok: false, reason: expect.stringContaining('leadingZeroBits is') });
    const proof = vector('mailbox-proof-other-path.json');
    expect(await runServerVector({ ...proof, inputs: { ...proof.inputs, path: '/api/mailbox/messages' } })).toMatchObject({ ok: false, reason: expect.stringContaining('succeeded') });
    const keyring = vector('org-keyring-open.json');
    expect(runVector({ ...keyring, expect: { ...keyring.expect, keyVersion: 3 } })).toMatchObject({ ok: false, reason: expect.stringContaining('keyVersion is') });
  });
});
