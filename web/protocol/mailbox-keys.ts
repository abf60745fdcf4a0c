// Passphrase → mailbox keys. Argon2id stretches the passphrase with the instance's public
// salt; labelled BLAKE2b sub-keys then give a locator (to find the mailbox), an Ed25519 key
// pair (to prove possession) and an X25519 key pair (to receive the case key).
import { LABEL, SIZES, type KdfParams } from './labels.js';
import { ProtocolError } from './errors.js';
import { argon2id, argon2idReporting, blake2b, boxKeyPairFromSeed, signKeyPairFromSeed, wipe, type KeyPair } from './sodium.js';
import { utf8ToBytes } from './encoding.js';
import { parsePassphrase } from './passphrase.js';

export interface MailboxKeys {
  locator: Uint8Array;
  sign: KeyPair;
  box: KeyPair;
}

export function deriveSubkey(master: Uint8Array, label: string): Uint8Array {
  return blake2b(SIZES.key, utf8ToBytes(label), master);
}

/** Typed input is normalised first, so case and spacing never change the keys. */
export function deriveMailboxKeys(passphrase: string, instanceSalt: Uint8Array, kdf: KdfParams): MailboxKeys {
  const password = normalisedForDerivation(passphrase, instanceSalt);
  return keysFromMaster(argon2id(SIZES.key, password, instanceSalt, kdf.opsLimit, kdf.memLimitBytes));
}

/** The same keys, with Argon2id's progress (0 to 1) reported as it goes (see argon2idReporting). */
export async function deriveMailboxKeysReporting(passphrase: string, instanceSalt: Uint8Array, kdf: KdfParams, onProgress: (fraction: number) => void): Promise<MailboxKeys> {
  const password = normalisedForDerivation(passphrase, instanceSalt);
  return keysFromMaster(await argon2idReporting(SIZES.key, password, instanceSalt, kdf.opsLimit, kdf.memLimitBytes, onProgress));
}

function normalisedForDerivation(passphrase: string, instanceSalt: Uint8Array): Uint8Array {
  const parsed = parsePassphrase(passphrase);
  if (!parsed.ok) throw new ProtocolError('malformed', parsed.message);
  if (instanceSalt.length !== SIZES.kdfSalt) throw new ProtocolError('malformed', 'instance salt must be 16 bytes');
  return utf8ToBytes(parsed.normalised);
}

/** The labelled sub-keys; the master is wiped. */
function keysFromMaster(master: Uint8Array): MailboxKeys {
  try {
    return {
      locator: deriveSubkey(master, LABEL.mailboxLocator),
      sign: signKeyPairFromSeed(deriveSubkey(master, LABEL.mailboxSign)),
      box: boxKeyPairFromSeed(deriveSubkey(master, LABEL.mailboxBox)),
    };
  } finally {
    wipe(master);
  }
}
