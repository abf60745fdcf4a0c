// Runs every known-answer vector in test/vectors/ and checks the files are what the generator makes.
// Most kinds run through the shared runner (test/support/vector-runner.ts), which the browser tests
// also use; the kinds it does not know yet (docs/SPEC.md's keyrings, fingerprints, challenges, proof
// of work, mailbox proofs and documents) run through SPEC_OPERATIONS below, in Node only.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  b64ToBytes, bytesToB64, bytesToUtf8, decodeDocument, encodeDocument, keyFingerprint, leadingZeroBits, mailboxProofHeaders, mailboxProofMessage, openOrgKeyring,
  orgAnchorFingerprint, orgKeyringFromSeeds, personalKeyPair, PRODUCTION_KDF, ProtocolError, sha256, sodiumReady, solveProofOfWork, utf8ToBytes,
  type ProtocolErrorKind, type ThreadDocument,
} from '../../web/protocol/index.js';
import { workInput, WORK_NONCE_BYTES } from '../../web/protocol/work-puzzle.js';
import { challengeKey, issueChallenge, readChallenge } from '../../worker/challenge-token.js';
import { sha256 as serverSha256, verifyEd25519 } from '../../worker/server-crypto.js';
import { runVector, VECTOR_KINDS, type TestVector, type VectorResult } from '../support/vector-runner.js';
import { buildVectors, deterministicPart, RANDOMISED_INPUTS, serialiseVector } from '../../scripts/generate-vectors.js';

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
];

// ---- Kinds the shared runner does not know yet. Move them there (and delete them here) so the browser runs them too. ----

/** What the server answers when one of its own checks fails (these structures are checked by the server alone). */
type ServerRefusalCode = 'invalid' | 'work_too_weak' | 'mailbox_proof_failed';
class ServerRefusal extends Error {
  constructor(readonly code: ServerRefusalCode) {
    super(code);
  }
}
const ERRORS: readonly string[] = [
  'malformed', 'unsupported_version', 'authentication_failed', 'bad_signature', 'wrong_binding', 'missing_key', 'untrusted_key',
  'invalid', 'work_too_weak', 'mailbox_proof_failed',
] satisfies readonly (ProtocolErrorKind | ServerRefusalCode)[];

class Mismatch extends Error {}

type Inputs = Record<string, unknown>;
type Outputs = Record<string, unknown>;

function text(inputs: Inputs, key: string): string {
  const value = inputs[key];
  if (typeof value !== 'string') throw new Mismatch(`inputs.${key} must be a string`);
  return value;
}

function integer(inputs: Inputs, key: string): number {
  const value = inputs[key];
  if (!Number.isInteger(value)) throw new Mismatch(`inputs.${key} must be an integer`);
  return value as number;
}

function bytes(inputs: Inputs, key: string): Uint8Array {
  const decoded = b64ToBytes(text(inputs, key));
  if (!decoded) throw new Mismatch(`inputs.${key} is not canonical base64url`);
  return decoded;
}

function signKeyPair(signSeed: Uint8Array) {
  return orgKeyringFromSeeds(new Uint8Array(16), 1, new Uint8Array(32), signSeed).sign;
}

/** Each operation maps inputs to outputs as the real implementation computes them: client code, or the server's own checks. */
const SPEC_OPERATIONS: Record<string, (inputs: Inputs) => Outputs | Promise<Outputs>> = {
  org_keyring_open(inputs) {
    const keyring = openOrgKeyring(bytes(inputs, 'sealedKeyring'), personalKeyPair(bytes(inputs, 'memberSeed')), bytes(inputs, 'orgId'));
    return {
      keyVersion: keyring.keyVersion, boxSeed: bytesToB64(keyring.boxSeed), signSeed: bytesToB64(keyring.signSeed),
      boxPublicKey: bytesToB64(keyring.box.publicKey), signPublicKey: bytesToB64(keyring.sign.publicKey),
    };
  },

  org_anchor_fingerprint(inputs) {
    return { anchor: orgAnchorFingerprint(bytes(inputs, 'orgId'), { boxPublicKey: bytes(inputs, 'boxPublicKey'), signPublicKey: bytes(inputs, 'signPublicKey') }) };
  },

  key_fingerprint(inputs) {
    return { fingerprint: keyFingerprint(bytes(inputs, 'publicKey')) };
  },

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

  document_encode(inputs) {
    const document = inputs.document as ThreadDocument;
    const encoded = encodeDocument(document);
    if (!isDeepStrictEqual(decodeDocument(encoded), document)) throw new Mismatch('the document does not decode back');
    return { plaintextUtf8: bytesToUtf8(encoded) };
  },

  document_decode(inputs) {
    return { document: decodeDocument(utf8ToBytes(text(inputs, 'plaintextUtf8'))) };
  },
};

function describeThrown(error: unknown): string {
  if (error instanceof ProtocolError) return `ProtocolError(${error.kind}): ${error.message}`;
  if (error instanceof ServerRefusal) return `refused: ${error.code}`;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** The shared runner's rules (a negative vector names exactly one failure; a positive one's every output must match), for SPEC_OPERATIONS. */
async function runSpecVector(v: TestVector): Promise<VectorResult> {
  const operation = Object.hasOwn(SPEC_OPERATIONS, v.kind) ? SPEC_OPERATIONS[v.kind]! : undefined;
  if (!operation) return { ok: false, reason: `${v.name}: unknown kind "${v.kind}"` };
  if (Object.keys(v.expect).length === 0) return { ok: false, reason: `${v.name}: expect is empty` };
  if ('error' in v.expect) {
    const expected = v.expect.error;
    if (Object.keys(v.expect).length !== 1 || !ERRORS.includes(expected as string)) return { ok: false, reason: `${v.name}: expect.error must be alone and one of ${ERRORS.join(', ')}` };
    try {
      await operation(v.inputs);
    } catch (error) {
      const got = error instanceof ProtocolError ? error.kind : error instanceof ServerRefusal ? error.code : undefined;
      return got === expected ? { ok: true } : { ok: false, reason: `${v.name}: expected ${String(expected)}, got ${describeThrown(error)}` };
    }
    return { ok: false, reason: `${v.name}: expected ${String(expected)}, but the operation succeeded` };
  }
  let outputs: Outputs;
  try {
    outputs = await operation(v.inputs);
  } catch (error) {
    return { ok: false, reason: `${v.name}: ${describeThrown(error)}` };
  }
  for (const [key, expected] of Object.entries(v.expect)) {
    if (!(key in outputs)) return { ok: false, reason: `${v.name}: ${v.kind} produced no "${key}"` };
    if (!isDeepStrictEqual(outputs[key], expected)) return { ok: false, reason: `${v.name}: ${key} is ${JSON.stringify(outputs[key])}, expected ${JSON.stringify(expected)}` };
  }
  return { ok: true };
}

/** Every vector file through the runner that knows its kind. */
async function run(vector: TestVector): Promise<VectorResult> {
  return VECTOR_KINDS.includes(vector.kind) ? runVector(vector) : runSpecVector(vector);
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
    expect(Object.keys(SPEC_OPERATIONS).filter((kind) => VECTOR_KINDS.includes(kind)), 'kinds now in the shared runner: delete them from SPEC_OPERATIONS').toEqual([]);
    const unknown = files.map((f) => JSON.parse(fileText(f)) as TestVector).filter((v) => !VECTOR_KINDS.includes(v.kind) && !Object.hasOwn(SPEC_OPERATIONS, v.kind));
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

describe('the runner for the kinds the shared runner does not know yet', () => {
  const vector = (file: string) => JSON.parse(fileText(file)) as TestVector;

  it('fails an unknown kind, an empty expectation, a wrong error and an error of the wrong vocabulary', async () => {
    const negative = vector('org-keyring-other-organisation.json');
    expect(await runSpecVector({ ...negative, kind: 'org_keyring_open_v2' })).toMatchObject({ ok: false, reason: expect.stringContaining('unknown kind') });
    expect(await runSpecVector({ ...negative, expect: {} })).toMatchObject({ ok: false, reason: expect.stringContaining('expect is empty') });
    expect(await runSpecVector({ ...negative, expect: { error: 'authentication_failed' } })).toMatchObject({ ok: false, reason: expect.stringContaining('wrong_binding') });
    expect(await runSpecVector({ ...negative, expect: { error: 'not_a_kind' } })).toMatchObject({ ok: false });
    expect(await runSpecVector({ ...vector('proof-of-work-too-weak.json'), expect: { error: 'invalid' } })).toMatchObject({ ok: false, reason: expect.stringContaining('work_too_weak') });
  });

  it('fails a positive vector whose expected output is wrong, and a negative one whose input is not broken', async () => {
    const work = vector('proof-of-work.json');
    expect(await runSpecVector({ ...work, expect: { ...work.expect, leadingZeroBits: (work.expect.leadingZeroBits as number) + 1 } })).toMatchObject({ ok: false, reason: expect.stringContaining('leadingZeroBits is') });
    const proof = vector('mailbox-proof-other-path.json');
    expect(await runSpecVector({ ...proof, inputs: { ...proof.inputs, path: '/api/mailbox/messages' } })).toMatchObject({ ok: false, reason: expect.stringContaining('succeeded') });
    const keyring = vector('org-keyring-open.json');
    expect(await runSpecVector({ ...keyring, expect: { ...keyring.expect, keyVersion: 3 } })).toMatchObject({ ok: false });
  });
});
