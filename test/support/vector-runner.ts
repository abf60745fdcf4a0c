// Runs one known-answer vector (test/vectors/*.json) through the protocol's public API.
// Pure — no node: imports, no fs — so the Node tests and the browser tests run the same code.
// Call `await sodiumReady()` before the first runVector.
import {
  b64ToBytes, bytesToB64, bytesToUtf8, decodeDocument, decryptMessage, deriveInvestigatorSecrets, deriveMailboxKeys, encodeDocument, encryptMessage, endorseMemberKey,
  endorseOrgKeyVersion, inviteSecret, keyFingerprint, memberKeyEndorsed, memberKeyProof, memberKeyProofValid, openCaseKey, openOrgKeyring, orgAnchorFingerprint,
  orgKeyringFromSeeds, parsePassphrase, passphraseFromIndices, personalKeyPair, ProtocolError, requireSealedCaseKeySigned, signMessage, signSealedCaseKey, threadLink,
  unwrapSeed, utf8ToBytes, verifyMessage, verifyOrgKeyChain, wrapSeed, encryptFilePartBytes, FileDecryptor, FILE_CHUNK_BYTES, FILE_PART_CHUNKS, fileCipherLength,
  filePartCount, sha256, type FileSecret,
  type KdfParams, type MessageBinding, type ProtocolErrorKind, type Role, type ThreadDocument,
} from '../../web/protocol/index.js';

export interface TestVector {
  name: string;
  description: string;
  kind: string;
  inputs: Record<string, unknown>;
  expect: Record<string, unknown>;
}

export type VectorResult = { ok: true } | { ok: false; reason: string };

const ERROR_KINDS: readonly ProtocolErrorKind[] = ['malformed', 'unsupported_version', 'authentication_failed', 'bad_signature', 'wrong_binding', 'untrusted_key'];
const ROLES: readonly Role[] = ['reporter', 'organisation'];

/** The vector file itself is wrong (as opposed to the protocol giving a wrong answer). */
class VectorFormatError extends Error {
  override name = 'VectorFormatError';
}

/** A positive vector's round-trip check disagreed with itself. */
class MismatchError extends Error {
  override name = 'MismatchError';
}

export type Inputs = Record<string, unknown>;
export type Outputs = Record<string, unknown>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function text(inputs: Inputs, key: string): string {
  const value = inputs[key];
  if (typeof value !== 'string') throw new VectorFormatError(`inputs.${key} must be a string`);
  return value;
}

export function bytes(inputs: Inputs, key: string): Uint8Array {
  const decoded = b64ToBytes(text(inputs, key));
  if (!decoded) throw new VectorFormatError(`inputs.${key} is not canonical base64url`);
  return decoded;
}

function kdf(inputs: Inputs): KdfParams {
  const value = inputs.kdf;
  if (!isRecord(value) || !Number.isInteger(value.opsLimit) || !Number.isInteger(value.memLimitBytes)) {
    throw new VectorFormatError('inputs.kdf must be { opsLimit, memLimitBytes } integers');
  }
  return { opsLimit: value.opsLimit as number, memLimitBytes: value.memLimitBytes as number };
}

function binding(inputs: Inputs): MessageBinding {
  const role = text(inputs, 'role');
  if (!(ROLES as readonly string[]).includes(role)) throw new VectorFormatError(`inputs.role must be one of ${ROLES.join(', ')}`);
  return { caseId: bytes(inputs, 'caseId'), messageId: bytes(inputs, 'messageId'), role: role as Role, prev: bytes(inputs, 'prev') };
}

/** An organisation's key chain as a vector gives it: the versions' seeds, from which each link is made and signed. */
function chainLinks(inputs: Inputs) {
  const links = inputs.chain;
  if (!Array.isArray(links) || !links.every((l) => isRecord(l))) throw new VectorFormatError('inputs.chain must be a list of objects');
  return (links as Inputs[]).map((l) => ({
    keyVersion: Number(l.keyVersion),
    boxPublicKey: bytes(l, 'boxPublicKey'),
    signPublicKey: bytes(l, 'signPublicKey'),
    endorsement: bytes(l, 'endorsement'),
  }));
}

export function integer(inputs: Inputs, key: string): number {
  const value = inputs[key];
  if (!Number.isInteger(value)) throw new VectorFormatError(`inputs.${key} must be an integer`);
  return value as number;
}

function sameBytes(what: string, actual: Uint8Array, expected: Uint8Array): void {
  if (bytesToB64(actual) !== bytesToB64(expected)) throw new MismatchError(`${what} does not round-trip`);
}

/** An Ed25519 key pair from a seed, through the public API (an organisation keyring's signing half). */
export function signKeyPair(signSeed: Uint8Array) {
  return orgKeyringFromSeeds(new Uint8Array(16), 1, new Uint8Array(32), signSeed).sign;
}

/** A file vector's secret: `fileId`, `fileKey`, `size`. */
function fileSecret(inputs: Inputs): FileSecret {
  return { id: bytes(inputs, 'fileId'), key: bytes(inputs, 'fileKey'), size: integer(inputs, 'size') };
}

/** The content of every file vector: `size` bytes, byte i = i mod 251 (so the JSON holds no content). */
export function fileVectorContent(size: number): Uint8Array {
  return Uint8Array.from({ length: size }, (_, i) => i % 251);
}

/** The file's whole stream, part by part, as an uploader makes it. */
export function fileStream(file: FileSecret): Uint8Array {
  const content = fileVectorContent(file.size);
  const partContent = FILE_PART_CHUNKS * FILE_CHUNK_BYTES;
  const parts = Array.from({ length: filePartCount(fileCipherLength(file.size)) }, (_, p) => encryptFilePartBytes(file, p, content.subarray(p * partContent, (p + 1) * partContent)));
  return concatAll(parts);
}

function concatAll(pieces: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
  pieces.reduce((offset, p) => (out.set(p, offset), offset + p.length), 0);
  return out;
}

/** The stream cut into its sealed chunks (64 KiB + 16, the last shorter). */
export function fileChunks(stream: Uint8Array): Uint8Array[] {
  const size = FILE_CHUNK_BYTES + 16;
  return Array.from({ length: Math.ceil(stream.length / size) }, (_, i) => stream.subarray(i * size, (i + 1) * size));
}

/** Pushes the pieces one by one, as a download arrives, and finishes. */
function decryptFile(file: FileSecret, pieces: Uint8Array[]): Uint8Array {
  const decryptor = new FileDecryptor(file);
  const out = pieces.flatMap((piece) => decryptor.push(piece));
  decryptor.finish();
  return concatAll(out);
}

/** Each operation maps inputs to outputs (bytes as base64url); the runner compares them with `expect`. */
const OPERATIONS: Record<string, (inputs: Inputs) => Outputs> = {
  /** Protocol 2: verify an organisation's key chain from version 1 (against a pinned anchor if given). */
  org_key_chain(inputs) {
    const pinned = inputs.pinnedAnchor === undefined ? undefined : text(inputs, 'pinnedAnchor');
    const verified = verifyOrgKeyChain(bytes(inputs, 'orgId'), chainLinks(inputs), pinned);
    return { anchor: verified.anchor, currentVersion: verified.current.keyVersion };
  },

  /** Protocol 2: the signature a version's keys get from the previous version's signing seed. */
  org_key_endorsement(inputs) {
    const signer = signKeyPair(bytes(inputs, 'signerSeed'));
    const next = { keyVersion: Number(inputs.keyVersion), boxPublicKey: bytes(inputs, 'boxPublicKey'), signPublicKey: bytes(inputs, 'signPublicKey') };
    return { endorsement: bytesToB64(endorseOrgKeyVersion(bytes(inputs, 'orgId'), next, signer.privateKey)) };
  },

  /** Protocol 2: the invitation secret, the newcomer's key proof, and the administrator's check of it and endorsement. */
  member_key_proof(inputs) {
    const [orgId, memberId, boxPublicKey, username] = [bytes(inputs, 'orgId'), bytes(inputs, 'memberId'), bytes(inputs, 'boxPublicKey'), text(inputs, 'username')];
    const secret = inviteSecret(bytes(inputs, 'orgSignSeed'), bytes(inputs, 'tokenHash'));
    const proof = inputs.keyProof === undefined ? memberKeyProof(secret, orgId, memberId, username, boxPublicKey) : bytes(inputs, 'keyProof');
    if (!memberKeyProofValid(proof, secret, orgId, memberId, username, boxPublicKey)) throw new ProtocolError('untrusted_key', 'the key proof does not match the invitation');
    const signer = signKeyPair(bytes(inputs, 'orgSignSeed'));
    const endorsement = endorseMemberKey(signer.privateKey, orgId, memberId, username, boxPublicKey);
    if (!memberKeyEndorsed(endorsement, signer.publicKey, orgId, memberId, username, boxPublicKey)) throw new MismatchError('endorsement does not verify');
    return { inviteSecret: bytesToB64(secret), keyProof: bytesToB64(proof), endorsement: bytesToB64(endorsement) };
  },

  /** Protocol 2: a sealed case key's signature by its sealer, checked against the signer's public key. */
  sealed_case_key_signature(inputs) {
    const [caseId, recipient, sealed] = [bytes(inputs, 'caseId'), bytes(inputs, 'recipientPublicKey'), bytes(inputs, 'sealedCaseKey')];
    const signer = signKeyPair(bytes(inputs, 'signSeed'));
    const signature = inputs.signature === undefined ? signSealedCaseKey(signer.privateKey, caseId, recipient, sealed) : bytes(inputs, 'signature');
    requireSealedCaseKeySigned(signature, signer.publicKey, caseId, recipient, sealed);
    return { signature: bytesToB64(signature) };
  },

  /** Protocol 2: the link a message leaves for the next one. */
  thread_link(inputs) {
    return { link: bytesToB64(threadLink(bytes(inputs, 'messageId'), bytes(inputs, 'signature'), bytes(inputs, 'envelope'))) };
  },

  passphrase_from_indices(inputs) {
    const indices = inputs.indices;
    if (!Array.isArray(indices) || !indices.every((i) => Number.isInteger(i))) throw new VectorFormatError('inputs.indices must be integers');
    return { passphrase: passphraseFromIndices(indices as number[]) };
  },

  passphrase_normalise(inputs) {
    const variants = inputs.variants;
    if (!Array.isArray(variants) || variants.length === 0 || !variants.every((v) => typeof v === 'string')) {
      throw new VectorFormatError('inputs.variants must be a non-empty list of strings');
    }
    const forms = new Set<string>();
    for (const variant of variants as string[]) {
      const parsed = parsePassphrase(variant);
      if (!parsed.ok) throw new MismatchError(`variant ${JSON.stringify(variant)} does not parse: ${parsed.message}`);
      forms.add(parsed.normalised);
    }
    if (forms.size !== 1) throw new MismatchError(`variants normalise to ${forms.size} different forms`);
    return { normalised: [...forms][0] };
  },

  passphrase_parse(inputs) {
    const parsed = parsePassphrase(text(inputs, 'typed'));
    return parsed.ok ? { normalised: parsed.normalised } : { problem: parsed.problem };
  },

  mailbox_keys(inputs) {
    const keys = deriveMailboxKeys(text(inputs, 'passphrase'), bytes(inputs, 'instanceSalt'), kdf(inputs));
    return { locator: bytesToB64(keys.locator), signPublicKey: bytesToB64(keys.sign.publicKey), boxPublicKey: bytesToB64(keys.box.publicKey) };
  },

  message_encrypt(inputs) {
    const caseKey = bytes(inputs, 'caseKey');
    const plaintext = utf8ToBytes(text(inputs, 'plaintextUtf8'));
    const envelope = encryptMessage(caseKey, binding(inputs), plaintext, bytes(inputs, 'nonce'));
    sameBytes('plaintext', decryptMessage(caseKey, binding(inputs), envelope), plaintext);
    return { envelope: bytesToB64(envelope) };
  },

  message_decrypt(inputs) {
    return { plaintextUtf8: bytesToUtf8(decryptMessage(bytes(inputs, 'caseKey'), binding(inputs), bytes(inputs, 'envelope'))) };
  },

  message_sign(inputs) {
    const keyPair = signKeyPair(bytes(inputs, 'signSeed'));
    const envelope = bytes(inputs, 'envelope');
    const signature = signMessage(binding(inputs), envelope, keyPair.privateKey);
    verifyMessage(binding(inputs), envelope, signature, keyPair.publicKey);
    return { signPublicKey: bytesToB64(keyPair.publicKey), signature: bytesToB64(signature) };
  },

  message_verify(inputs) {
    verifyMessage(binding(inputs), bytes(inputs, 'envelope'), bytes(inputs, 'signature'), bytes(inputs, 'signPublicKey'));
    return { verified: true };
  },

  case_key_open(inputs) {
    const recipient = personalKeyPair(bytes(inputs, 'recipientSeed'));
    return { caseKey: bytesToB64(openCaseKey(bytes(inputs, 'sealedCaseKey'), bytes(inputs, 'caseId'), recipient)) };
  },

  mailbox_case_key_open(inputs) {
    const keys = deriveMailboxKeys(text(inputs, 'passphrase'), bytes(inputs, 'instanceSalt'), kdf(inputs));
    return { caseKey: bytesToB64(openCaseKey(bytes(inputs, 'sealedCaseKey'), bytes(inputs, 'caseId'), keys.box)) };
  },

  investigator_secrets(inputs) {
    const secrets = deriveInvestigatorSecrets(text(inputs, 'password'), bytes(inputs, 'userSalt'), kdf(inputs));
    return { authKey: bytesToB64(secrets.authKey), wrapKey: bytesToB64(secrets.wrapKey) };
  },

  seed_wrap(inputs) {
    const [seed, wrapKey, ownerId] = [bytes(inputs, 'seed'), bytes(inputs, 'wrapKey'), bytes(inputs, 'ownerId')];
    const wrapped = wrapSeed(seed, wrapKey, ownerId, bytes(inputs, 'nonce'));
    sameBytes('seed', unwrapSeed(wrapped, wrapKey, ownerId), seed);
    return { wrapped: bytesToB64(wrapped) };
  },

  seed_unwrap(inputs) {
    return { seed: bytesToB64(unwrapSeed(bytes(inputs, 'wrapped'), bytes(inputs, 'wrapKey'), bytes(inputs, 'ownerId'))) };
  },

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

  /** A file's stream from its secret and content; it must decrypt back, pushed in 4 099-byte slices. */
  file_encrypt(inputs) {
    const file = fileSecret(inputs);
    const stream = fileStream(file);
    const slices = Array.from({ length: Math.ceil(stream.length / 4099) }, (_, i) => stream.subarray(i * 4099, (i + 1) * 4099));
    sameBytes('content', decryptFile(file, slices), fileVectorContent(file.size));
    const chunks = fileChunks(stream);
    return { cipherBytes: stream.length, chunkSha256: chunks.map((c) => bytesToB64(sha256(c))), lastChunk: bytesToB64(chunks[chunks.length - 1]!), cipher: bytesToB64(stream) };
  },

  /** A stream given piece by piece: `{ "chunk": i }` is chunk i of this file's own stream (as file_encrypt makes it), a string is bytes. */
  file_decrypt(inputs) {
    const file = fileSecret(inputs);
    const stream = inputs.stream;
    if (!Array.isArray(stream)) throw new VectorFormatError('inputs.stream must be a list');
    let own: Uint8Array[] | null = null;
    const pieces = stream.map((piece: unknown, i) => {
      if (typeof piece === 'string') return bytes({ piece }, 'piece');
      const chunk = isRecord(piece) && Number.isInteger(piece.chunk) ? (own ??= fileChunks(fileStream(file)))[piece.chunk as number] : undefined;
      if (chunk) return chunk;
      throw new VectorFormatError(`inputs.stream[${i}] must be base64url or { chunk }`);
    });
    const content = decryptFile(file, pieces);
    return { contentBytes: content.length, contentSha256: bytesToB64(sha256(content)) };
  },

  document_encode(inputs) {
    const document = inputs.document as ThreadDocument;
    const encoded = encodeDocument(document);
    if (!jsonEqual(decodeDocument(encoded), document)) throw new MismatchError('the document does not decode back');
    return { plaintextUtf8: bytesToUtf8(encoded) };
  },

  document_decode(inputs) {
    return { document: decodeDocument(utf8ToBytes(text(inputs, 'plaintextUtf8'))) };
  },
};

export const VECTOR_KINDS: readonly string[] = Object.keys(OPERATIONS);

/** Structural equality of JSON values (key order does not matter). */
function jsonEqual(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  }
  if (isRecord(a) && isRecord(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && jsonEqual(a[k], b[k]));
  }
  return a === b;
}

export function describeThrown(error: unknown): string {
  if (error instanceof ProtocolError) return `ProtocolError(${error.kind}): ${error.message}`;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

export function parseVector(vector: unknown): TestVector {
  if (!isRecord(vector)) throw new VectorFormatError('vector is not an object');
  const { name, description, kind, inputs, expect } = vector;
  if (typeof name !== 'string' || name === '') throw new VectorFormatError('vector has no name');
  if (typeof description !== 'string' || description === '') throw new VectorFormatError(`${name}: no description`);
  if (typeof kind !== 'string') throw new VectorFormatError(`${name}: no kind`);
  if (!isRecord(inputs) || !isRecord(expect)) throw new VectorFormatError(`${name}: inputs and expect must be objects`);
  // An empty expectation would pass whatever the protocol did.
  if (Object.keys(expect).length === 0) throw new VectorFormatError(`${name}: expect is empty`);
  return { name, description, kind, inputs, expect };
}

/** What an operation did: its outputs, or what it threw. */
export type Outcome = { outputs: Outputs } | { thrown: unknown };

/** A failure the vector may name: a ProtocolError's kind, or another vocabulary's (the server's refusals, in the Node tests). */
export interface ErrorVocabulary {
  kinds: readonly string[];
  kindOf(error: unknown): string | undefined;
}

const PROTOCOL_ERRORS: ErrorVocabulary = { kinds: ERROR_KINDS, kindOf: (error) => (error instanceof ProtocolError ? error.kind : undefined) };

/**
 * The rules every vector is held to: a negative vector names exactly one failure, from the
 * vocabulary, and the operation must fail with it; a positive one's every expected output must
 * be produced and equal. Shared by this runner and the Node-only runner of the server's kinds.
 */
export function judgeVector(v: TestVector, outcome: Outcome, errors: ErrorVocabulary = PROTOCOL_ERRORS): VectorResult {
  if ('error' in v.expect) {
    const expected = v.expect.error;
    if (Object.keys(v.expect).length !== 1 || !errors.kinds.includes(expected as string)) {
      return { ok: false, reason: `${v.name}: expect.error must be the only expectation and one of ${errors.kinds.join(', ')}` };
    }
    if ('outputs' in outcome) return { ok: false, reason: `${v.name}: expected ${String(expected)}, but the operation succeeded` };
    if (errors.kindOf(outcome.thrown) === expected) return { ok: true };
    return { ok: false, reason: `${v.name}: expected ${String(expected)}, got ${describeThrown(outcome.thrown)}` };
  }
  if ('thrown' in outcome) return { ok: false, reason: `${v.name}: ${describeThrown(outcome.thrown)}` };
  for (const [key, expected] of Object.entries(v.expect)) {
    if (!(key in outcome.outputs)) return { ok: false, reason: `${v.name}: ${v.kind} produced no "${key}" (it produced ${Object.keys(outcome.outputs).join(', ')})` };
    if (!jsonEqual(outcome.outputs[key], expected)) {
      return { ok: false, reason: `${v.name}: ${key} is ${JSON.stringify(outcome.outputs[key])}, expected ${JSON.stringify(expected)}` };
    }
  }
  return { ok: true };
}

/** Perform the vector's operation and compare with its expectation. Never passes a vector it does not understand. */
export function runVector(vector: unknown): VectorResult {
  let v: TestVector;
  try {
    v = parseVector(vector);
  } catch (error) {
    return { ok: false, reason: describeThrown(error) };
  }
  const operation = Object.hasOwn(OPERATIONS, v.kind) ? OPERATIONS[v.kind] : undefined;
  if (!operation) return { ok: false, reason: `${v.name}: unknown kind "${v.kind}" (this runner knows ${VECTOR_KINDS.join(', ')})` };
  let outcome: Outcome;
  try {
    outcome = { outputs: operation(v.inputs) };
  } catch (thrown) {
    outcome = { thrown };
  }
  return judgeVector(v, outcome);
}
