// Investigator and organisation keys. The password is stretched on the device into an
// authentication key (sent; the server stores only its hash) and a wrapping key (never
// sent) that unwraps the investigator's personal private key, which in turn opens the
// organisation's keyring. The server holds every private key only in wrapped form.
import { LABEL, SIZES, type KdfParams } from './labels.js';
import { ProtocolError } from './errors.js';
import { aeadDecrypt, aeadEncrypt, argon2id, boxKeyPairFromSeed, openSealed, randomBytes, sealTo, signKeyPairFromSeed, wipe, type KeyPair } from './sodium.js';
import { bytesEqual, concatBytes, utf8ToBytes } from './encoding.js';
import { frame, unframe } from './envelope.js';
import { deriveSubkey } from './mailbox-keys.js';

export interface InvestigatorSecrets {
  authKey: Uint8Array;
  wrapKey: Uint8Array;
}

export function deriveInvestigatorSecrets(password: string, userSalt: Uint8Array, kdf: KdfParams): InvestigatorSecrets {
  if (userSalt.length !== SIZES.kdfSalt) throw new ProtocolError('malformed', 'user salt must be 16 bytes');
  const master = argon2id(SIZES.key, utf8ToBytes(password.normalize('NFKC')), userSalt, kdf.opsLimit, kdf.memLimitBytes);
  try {
    return { authKey: deriveSubkey(master, LABEL.investigatorAuth), wrapKey: deriveSubkey(master, LABEL.investigatorWrap) };
  } finally {
    wipe(master);
  }
}

/** A personal X25519 key pair comes from a random seed; only the wrapped seed is stored. */
export function newSeed(): Uint8Array {
  return randomBytes(SIZES.key);
}

export function personalKeyPair(seed: Uint8Array): KeyPair {
  return boxKeyPairFromSeed(seed);
}

function wrapAd(ownerId: Uint8Array): Uint8Array {
  return concatBytes(utf8ToBytes(LABEL.wrappedKey), Uint8Array.of(0), ownerId);
}

/** Frame: version ‖ nonce ‖ AEAD(seed), bound to the owner's id. */
export function wrapSeed(seed: Uint8Array, wrapKey: Uint8Array, ownerId: Uint8Array, nonce: Uint8Array = randomBytes(SIZES.nonce)): Uint8Array {
  if (seed.length !== SIZES.key || wrapKey.length !== SIZES.key || nonce.length !== SIZES.nonce) throw new ProtocolError('malformed', 'seed, key and nonce must be 32, 32 and 24 bytes');
  return frame(nonce, aeadEncrypt(seed, wrapAd(ownerId), nonce, wrapKey));
}

export function unwrapSeed(wrapped: Uint8Array, wrapKey: Uint8Array, ownerId: Uint8Array): Uint8Array {
  const { fields, tail } = unframe(wrapped, [SIZES.nonce], 'wrapped key');
  const seed = aeadDecrypt(tail, wrapAd(ownerId), fields[0]!, wrapKey);
  if (!seed || seed.length !== SIZES.key) throw new ProtocolError('authentication_failed', 'wrapped key does not open: wrong password or tampered');
  return seed;
}

/** An organisation's two key pairs, carried as seeds; keyVersion rises on every rotation. */
export interface OrgKeyring {
  orgId: Uint8Array;
  keyVersion: number;
  box: KeyPair;
  sign: KeyPair;
  boxSeed: Uint8Array;
  signSeed: Uint8Array;
}

export function orgKeyringFromSeeds(orgId: Uint8Array, keyVersion: number, boxSeed: Uint8Array, signSeed: Uint8Array): OrgKeyring {
  return { orgId, keyVersion, boxSeed, signSeed, box: boxKeyPairFromSeed(boxSeed), sign: signKeyPairFromSeed(signSeed) };
}

export function newOrgKeyring(orgId: Uint8Array, keyVersion = 1): OrgKeyring {
  return orgKeyringFromSeeds(orgId, keyVersion, newSeed(), newSeed());
}

/** Sealed to a member's personal key: label ‖ org id ‖ key version ‖ box seed ‖ sign seed. */
export function sealOrgKeyring(keyring: OrgKeyring, memberBoxPublicKey: Uint8Array): Uint8Array {
  const version = new Uint8Array(4);
  new DataView(version.buffer).setUint32(0, keyring.keyVersion);
  const label = utf8ToBytes(LABEL.orgKeyring);
  return frame(sealTo(concatBytes(label, keyring.orgId, version, keyring.boxSeed, keyring.signSeed), memberBoxPublicKey));
}

export function openOrgKeyring(sealed: Uint8Array, member: KeyPair, expectedOrgId: Uint8Array): OrgKeyring {
  const { tail } = unframe(sealed, [], 'organisation keyring');
  const opened = openSealed(tail, member);
  if (!opened) throw new ProtocolError('authentication_failed', 'organisation keyring does not open with this key');
  const label = utf8ToBytes(LABEL.orgKeyring);
  if (opened.length !== label.length + SIZES.caseId + 4 + 2 * SIZES.key || !bytesEqual(opened.subarray(0, label.length), label)) {
    throw new ProtocolError('malformed', 'organisation keyring has the wrong shape');
  }
  let offset = label.length;
  const orgId = opened.slice(offset, (offset += SIZES.caseId));
  if (!bytesEqual(orgId, expectedOrgId)) throw new ProtocolError('wrong_binding', 'keyring belongs to another organisation');
  const keyVersion = new DataView(opened.buffer, opened.byteOffset + offset, 4).getUint32(0);
  offset += 4;
  const boxSeed = opened.slice(offset, (offset += SIZES.key));
  const signSeed = opened.slice(offset, offset + SIZES.key);
  return orgKeyringFromSeeds(orgId, keyVersion, boxSeed, signSeed);
}
