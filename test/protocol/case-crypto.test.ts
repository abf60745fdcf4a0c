// Case crypto through the public API: round trips, padding buckets that hide length, and
// detection of every single-bit change to an envelope, a signature, a sealed case key or a wrapped seed.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  decryptMessage, encryptMessage, newCaseKey, newId, newSeed, openCaseKey, orgKeyringFromSeeds, personalKeyPair,
  ProtocolError, randomBytes, sealCaseKey, signMessage, sodiumReady, unwrapSeed, verifyMessage, wrapSeed,
  PADDING_BUCKETS, SIZES, type MessageBinding, type ProtocolErrorKind,
} from '../../web/protocol/index.js';

beforeAll(sodiumReady);

/** version byte + nonce + padded plaintext + tag */
const envelopeLength = (bucket: number) => 1 + SIZES.nonce + bucket + SIZES.aeadTag;

function thrownKind(action: () => unknown): ProtocolErrorKind | 'no error' | 'not a ProtocolError' {
  try {
    action();
    return 'no error';
  } catch (error) {
    return error instanceof ProtocolError ? error.kind : 'not a ProtocolError';
  }
}

/**
 * Flip every bit of `bytes` in turn and list the positions where `open` did not throw the
 * expected ProtocolError kind. A flipped version byte must read as an unsupported version;
 * any other flipped bit must fail `otherwise`.
 */
function undetectedFlips(bytes: Uint8Array, open: (tampered: Uint8Array) => unknown, otherwise: ProtocolErrorKind, versioned = true): string[] {
  const tampered = bytes.slice();
  const misses: string[] = [];
  for (let bit = 0; bit < tampered.length * 8; bit++) {
    const byte = bit >> 3;
    tampered[byte]! ^= 1 << (bit & 7);
    const expected = versioned && byte === 0 ? 'unsupported_version' : otherwise;
    const got = thrownKind(() => open(tampered));
    if (got !== expected) misses.push(`bit ${bit}: ${got}, expected ${expected}`);
    tampered[byte]! ^= 1 << (bit & 7);
  }
  return misses;
}

function fixture() {
  const caseKey = newCaseKey();
  const binding: MessageBinding = { caseId: newId(), messageId: newId(), role: 'reporter', prev: new Uint8Array(32) };
  const seal = (plain: Uint8Array) => encryptMessage(caseKey, binding, plain);
  const open = (envelope: Uint8Array) => decryptMessage(caseKey, binding, envelope);
  return { caseKey, binding, seal, open };
}

describe('padding buckets hide length', () => {
  it('gives a 1-byte and a 1000-byte message envelopes of the same length', () => {
    const { seal } = fixture();
    expect(seal(new Uint8Array(1)).length).toBe(seal(new Uint8Array(1000)).length);
    expect(seal(new Uint8Array(1)).length).toBe(envelopeLength(1024));
  });

  it('moves to the next bucket only when the plaintext and its pad marker no longer fit', () => {
    const { seal } = fixture();
    const cases: [number, number][] = [[0, 1024], [1023, 1024], [1024, 4096], [4095, 4096], [4096, 16384], [16383, 16384], [16384, 65536], [65535, 65536]];
    for (const [plainLength, bucket] of cases) {
      expect(seal(new Uint8Array(plainLength)).length, `${plainLength} bytes`).toBe(envelopeLength(bucket));
    }
    expect(cases.map(([, bucket]) => bucket)).toEqual(expect.arrayContaining([...PADDING_BUCKETS]));
  });

  it('rejects a plaintext larger than the largest bucket as malformed', () => {
    const { seal } = fixture();
    expect(thrownKind(() => seal(new Uint8Array(65536)))).toBe('malformed');
  });

  it('returns exactly the plaintext, even when it ends in bytes that look like padding', () => {
    const { seal, open } = fixture();
    for (const plain of [new Uint8Array(0), Uint8Array.of(0x80), Uint8Array.of(1, 0x80, 0, 0), new Uint8Array(1023), randomBytes(1024), randomBytes(65535)]) {
      expect(open(seal(plain))).toEqual(plain);
    }
  });
});

describe('binding', () => {
  it('refuses to open a message under another case, message or role', () => {
    const { caseKey, binding, seal } = fixture();
    const envelope = seal(Uint8Array.of(1, 2, 3));
    for (const other of [{ ...binding, caseId: newId() }, { ...binding, messageId: newId() }, { ...binding, role: 'organisation' as const }]) {
      expect(thrownKind(() => decryptMessage(caseKey, other, envelope))).toBe('authentication_failed');
    }
    expect(thrownKind(() => decryptMessage(newCaseKey(), binding, envelope))).toBe('authentication_failed');
  });

  it('refuses a signature presented for another binding or another envelope', () => {
    const { binding, seal } = fixture();
    const signer = orgKeyringFromSeeds(newId(), 1, newSeed(), newSeed()).sign;
    const envelope = seal(Uint8Array.of(1));
    const signature = signMessage(binding, envelope, signer.privateKey);
    expect(thrownKind(() => verifyMessage(binding, envelope, signature, signer.publicKey))).toBe('no error');
    expect(thrownKind(() => verifyMessage({ ...binding, role: 'organisation' }, envelope, signature, signer.publicKey))).toBe('bad_signature');
    expect(thrownKind(() => verifyMessage(binding, seal(Uint8Array.of(1)), signature, signer.publicKey))).toBe('bad_signature');
  });

  it('opens a sealed case key only for its recipient and its case', () => {
    const recipient = personalKeyPair(newSeed());
    const caseId = newId();
    const caseKey = newCaseKey();
    const sealed = sealCaseKey(caseKey, caseId, recipient.publicKey);
    expect(openCaseKey(sealed, caseId, recipient)).toEqual(caseKey);
    expect(thrownKind(() => openCaseKey(sealed, caseId, personalKeyPair(newSeed())))).toBe('authentication_failed');
    expect(thrownKind(() => openCaseKey(sealed, newId(), recipient))).toBe('wrong_binding');
  });
});

// Exhaustive rather than sampled: every bit position of each artifact is flipped. The envelope
// (1-byte plaintext, 1065 bytes = 8,520 bits) is the largest and takes well under a second.
describe('every single-bit change is detected', () => {
  it('in a message envelope', () => {
    const { seal, open } = fixture();
    const envelope = seal(Uint8Array.of(42));
    expect(open(envelope)).toEqual(Uint8Array.of(42));
    expect(undetectedFlips(envelope, open, 'authentication_failed')).toEqual([]);
  });

  it('in a message signature', () => {
    const { binding, seal } = fixture();
    const signer = orgKeyringFromSeeds(newId(), 1, newSeed(), newSeed()).sign;
    const envelope = seal(Uint8Array.of(42));
    const signature = signMessage(binding, envelope, signer.privateKey);
    verifyMessage(binding, envelope, signature, signer.publicKey);
    expect(undetectedFlips(signature, (s) => verifyMessage(binding, envelope, s, signer.publicKey), 'bad_signature', false)).toEqual([]);
  });

  it('in a sealed case key', () => {
    const recipient = personalKeyPair(newSeed());
    const caseId = newId();
    const sealed = sealCaseKey(newCaseKey(), caseId, recipient.publicKey);
    openCaseKey(sealed, caseId, recipient);
    expect(undetectedFlips(sealed, (s) => openCaseKey(s, caseId, recipient), 'authentication_failed')).toEqual([]);
  });

  it('in a wrapped seed', () => {
    const [wrapKey, ownerId, seed] = [randomBytes(32), newId(), newSeed()];
    const wrapped = wrapSeed(seed, wrapKey, ownerId);
    expect(unwrapSeed(wrapped, wrapKey, ownerId)).toEqual(seed);
    expect(undetectedFlips(wrapped, (w) => unwrapSeed(w, wrapKey, ownerId), 'authentication_failed')).toEqual([]);
  });
});

describe('key fingerprints', () => {
  it('are 160 bits in ten groups, stable for a key and different for another', async () => {
    const { keyFingerprint, randomBytes } = await import('../../web/protocol/index.js');
    const key = randomBytes(32);
    const other = Uint8Array.from(key, (b, i) => (i === 0 ? b ^ 1 : b));
    expect(keyFingerprint(key)).toMatch(/^([0-9a-f]{4} ){9}[0-9a-f]{4}$/);
    expect(keyFingerprint(key)).toBe(keyFingerprint(key.slice()));
    expect(keyFingerprint(other)).not.toBe(keyFingerprint(key));
  });
});
