// Protocol constants: the version byte, domain-separation labels and cost parameters.
// Every label is distinct so that no key, hash or signature made for one purpose can
// be replayed as another. Changing any value here is a new protocol version.

export const PROTOCOL_VERSION = 2;

export const LABEL = {
  mailboxLocator: 'parley/v1/mailbox-locator',
  mailboxSign: 'parley/v1/mailbox-sign',
  mailboxBox: 'parley/v1/mailbox-box',
  passphraseChecksum: 'parley/v1/passphrase-checksum',
  messageAd: 'parley/v1/message',
  messageSignature: 'parley/v1/message-signature',
  mailboxProof: 'parley/v1/mailbox-proof',
  investigatorAuth: 'parley/v1/investigator-auth',
  investigatorWrap: 'parley/v1/investigator-wrap',
  wrappedKey: 'parley/v1/wrapped-key',
  orgKeyring: 'parley/v1/org-keyring',
  proofOfWork: 'parley/v1/proof-of-work',
  keyFingerprint: 'parley/v1/key-fingerprint',
  // Protocol 2: what clients verify instead of taking the server's word.
  orgKeyVersion: 'parley/v2/org-key-version',
  orgAnchor: 'parley/v2/org-anchor',
  memberKey: 'parley/v2/member-key',
  memberKeyProof: 'parley/v2/member-key-proof',
  inviteSecret: 'parley/v2/invite-secret',
  sealedCaseKey: 'parley/v2/sealed-case-key',
  threadLink: 'parley/v2/thread-link',
  // Files (issue 14): each chunk of a file's stream is bound to its file, its place and whether it ends the stream.
  fileChunk: 'parley/v2/file-chunk',
  // Internal notes (issue 15): sealed under the case key and signed like messages, but under labels
  // of their own, so a note never opens or verifies as a message of the thread, nor a message as a note.
  caseNote: 'parley/v2/case-note',
  caseNoteSignature: 'parley/v2/case-note-signature',
} as const;

/** Argon2id cost. Production values are the floor the brief sets: 64 MiB, 3 passes. */
export interface KdfParams {
  opsLimit: number;
  memLimitBytes: number;
}

export const PRODUCTION_KDF: KdfParams = Object.freeze({ opsLimit: 3, memLimitBytes: 64 * 1024 * 1024 });

/** Who wrote a message; bound into its associated data and signature. */
export const ROLE = { reporter: 1, organisation: 2 } as const;
export type Role = keyof typeof ROLE;

export const SIZES = {
  kdfSalt: 16,
  key: 32,
  caseId: 16,
  messageId: 16,
  challenge: 32,
  nonce: 24,
  aeadTag: 16,
  signature: 64,
  publicKey: 32,
  sha256: 32,
} as const;

/** Passphrase shape: 8 random words (8 × 11 = 88 bits) and one checksum word. */
export const PASSPHRASE_RANDOM_WORDS = 8;
export const PASSPHRASE_WORDS = PASSPHRASE_RANDOM_WORDS + 1;

/**
 * Plaintext is padded up to the smallest bucket that fits, so ciphertext length reveals
 * only the bucket. Buckets grow by 4× to keep overhead bounded while leaving few classes.
 */
export const PADDING_BUCKETS = [1024, 4096, 16384, 65536] as const;
export const MAX_PLAINTEXT_BYTES = PADDING_BUCKETS[PADDING_BUCKETS.length - 1]! - 1;
