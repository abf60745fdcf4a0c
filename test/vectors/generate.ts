// Writes the protocol's known-answer vectors to test/vectors/, one JSON file per case (`npm run vectors`).
// buildVectors() is pure and deterministic except for sealed boxes (libsodium draws their ephemeral
// key itself); the test suite calls it to check the committed files are what this code produces.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import {
  bytesToB64, bytesToUtf8, deriveInvestigatorSecrets, deriveMailboxKeys, encodeDocument, encryptMessage, endorseMemberKey, endorseOrgKeyVersion, inviteSecret, keyFingerprint,
  leadingZeroBits, mailboxProofHeaders, mailboxProofMessage, memberKeyProof, orgAnchorFingerprint, orgKeyringFromSeeds, passphraseFromIndices, personalKeyPair, PRODUCTION_KDF,
  sealCaseKey, sealOrgKeyring, sha256, signMessage, signSealedCaseKey, sodiumReady, solveProofOfWork, threadLink, utf8ToBytes, wrapSeed,
  THREAD_START, type KdfParams, type MessageBinding, type ThreadDocument,
} from '../../web/protocol/index.js';
import { workInput } from '../../web/protocol/work-puzzle.js';
// Only to build a keyring of the wrong shape, which the public API cannot make.
import { frame } from '../../web/protocol/envelope.js';
import { aeadEncrypt, sealTo } from '../../web/protocol/sodium.js';
// Only to seal chunks the construction would never make (a misplaced final flag, bad padding).
import { fileChunkAssociatedData, fileChunkNonce, paddedFileLength, type FileSecret } from '../../web/protocol/file-crypto.js';
import { challengeKey, issueChallenge } from '../../worker/challenge-token.js';
import { fileChunks, fileStream, fileVectorContent, runVector, VECTOR_KINDS, type TestVector } from '../support/vector-runner.js';

/** Cheap Argon2id so the suite stays fast; one vector uses PRODUCTION_KDF so the real cost is covered. */
export const VECTOR_KDF: KdfParams = Object.freeze({ opsLimit: 1, memLimitBytes: 65536 });

/** Inputs that differ on every run (sealed boxes); everything else must regenerate byte for byte. */
export const RANDOMISED_INPUTS: readonly string[] = ['sealedCaseKey', 'sealedKeyring'];

/** Fixed bytes for an input: SHA-256 of a readable label (and of it with a counter, past 32 bytes), cut to length. */
function fixedBytes(label: string, length: number): Uint8Array {
  const blocks = Array.from({ length: Math.ceil(length / 32) }, (_, i) => sha256(utf8ToBytes(i === 0 ? `parley test vector: ${label}` : `parley test vector: ${label} #${i}`)));
  return new Uint8Array(blocks.flatMap((b) => [...b])).slice(0, length);
}

function flipBit(bytes: Uint8Array, byteIndex: number, bit: number): Uint8Array {
  const out = bytes.slice();
  out[byteIndex]! ^= 1 << bit;
  return out;
}

function bindingInputs(binding: MessageBinding) {
  return { caseId: bytesToB64(binding.caseId), messageId: bytesToB64(binding.messageId), role: binding.role, prev: bytesToB64(binding.prev) };
}

function passphraseVectors(): TestVector[] {
  const indices = [0, 2047, 19, 1024, 777, 1500, 42, 1337];
  const passphrase = passphraseFromIndices(indices);
  const words = passphrase.split(' ');
  const fullWidth = (word: string) => [...word].map((ch) => String.fromCodePoint(ch.codePointAt(0)! - 0x61 + 0xff41)).join('');
  const problem = (name: string, description: string, typed: string, expected: unknown): TestVector => ({
    name, description, kind: 'passphrase_parse', inputs: { typed }, expect: { problem: expected },
  });
  return [
    {
      name: 'passphrase-from-indices',
      description: 'Eight word indices (first and last of the list, and a three-letter word) give these eight words and the checksum word.',
      kind: 'passphrase_from_indices',
      inputs: { indices },
      expect: { passphrase },
    },
    {
      name: 'passphrase-normalisation',
      description: 'Case, extra spacing (Unicode whitespace too), ASCII punctuation between words, four-letter prefixes, full-width letters and accents on a–z letters all normalise to the same passphrase.',
      kind: 'passphrase_normalise',
      inputs: {
        variants: [
          passphrase,
          passphrase.toUpperCase(),
          `  ${words.join('   ')}\t\n`,
          words.join('-'),
          words.map((w) => w.slice(0, 4)).join(' '),
          `${words.map((w, i) => (i % 2 ? w.slice(0, 5).toUpperCase() : w[0]!.toUpperCase() + w.slice(1))).join(', ')}.`,
          [fullWidth(words[0]!), ...words.slice(1)].join(' '),
          words.join('\u00a0\u3000\u2028'), // no-break space, ideographic space, line separator
          'Ábandon zoo\u0308 act léngth gentle romañce aim poet family', // precomposed and combining accents on a–z letters
        ],
      },
      expect: { normalised: passphrase },
    },
    problem(
      'passphrase-unknown-word',
      'Word 6 is mistyped ("romanse"): reported as unknown at its position, with the nearest word suggested.',
      words.map((w, i) => (i === 5 ? 'romanse' : w)).join(' '),
      { kind: 'unknown_word', position: 6, typed: 'romanse', suggestion: 'romance' },
    ),
    problem(
      'passphrase-checksum-mismatch',
      'Every word is valid but words 1 and 2 are swapped, so the checksum word does not match.',
      [words[1], words[0], ...words.slice(2)].join(' '),
      { kind: 'checksum' },
    ),
    problem(
      'passphrase-word-count',
      'The checksum word is missing: eight words where nine are expected.',
      words.slice(0, 8).join(' '),
      { kind: 'word_count', expected: 9, found: 8 },
    ),
    problem('passphrase-empty', 'Only whitespace was typed.', ' \t ', { kind: 'empty' }),
    ...passphraseCharacterVectors(words),
  ];
}

/** Characters that are neither a–z nor a separator: named with their word, never dropped (PROTOCOL.md §5). */
function passphraseCharacterVectors(words: readonly string[]): TestVector[] {
  const problem = (name: string, description: string, typed: string, expected: unknown): TestVector => ({
    name, description, kind: 'passphrase_parse', inputs: { typed }, expect: { problem: expected },
  });
  const withWord = (position: number, word: string) => words.map((w, i) => (i === position - 1 ? word : w)).join(' ');
  // With its Cyrillic а dropped, "аlone" reads "lone…" = "lonely", and these words with "lonely" pass the checksum too.
  const lookAlike = passphraseFromIndices([55, 2047, 19, 1024, 777, 1500, 936, 1337]);
  return [
    problem(
      'passphrase-cyrillic-look-alike',
      'Word 1 "alone" is typed with a Cyrillic а (U+0430): refused with the character named; dropping it would read "lonely", which here makes another valid passphrase.',
      lookAlike.replace('alone', '\u0430lone'),
      { kind: 'foreign_character', position: 1, character: '\u0430', codePoint: 'U+0430' },
    ),
    problem(
      'passphrase-greek-look-alike',
      'Word 8 "poet" is typed with a Greek omicron (U+03BF): refused with the character named, not split into "p" and "et".',
      withWord(8, 'p\u03bfet'),
      { kind: 'foreign_character', position: 8, character: '\u03bf', codePoint: 'U+03BF' },
    ),
    problem(
      'passphrase-accented-cyrillic-letter',
      'Word 4 "length" is typed with a Cyrillic ё (U+0451, е with diaeresis): an accent is dropped only from an a–z letter, so this is refused.',
      withWord(4, 'l\u0451ngth'),
      { kind: 'foreign_character', position: 4, character: '\u0451', codePoint: 'U+0451' },
    ),
    problem(
      'passphrase-non-ascii-punctuation',
      'An em dash (U+2014) between words 1 and 2: only whitespace and ASCII punctuation separate words, so it is refused as part of word 1.',
      words.join(' ').replace(' ', '\u2014'),
      { kind: 'foreign_character', position: 1, character: '\u2014', codePoint: 'U+2014' },
    ),
    problem(
      'passphrase-zero-width-space-in-word',
      'Word 6 "romance" has a zero-width space (U+200B) inside it: refused as an invisible character in that word, not split in two.',
      withWord(6, 'rom\u200bance'),
      { kind: 'invisible_character', position: 6, inWord: true, character: '\u200b', codePoint: 'U+200B' },
    ),
    problem(
      'passphrase-zero-width-space-between-words',
      'A zero-width space (U+200B) stands on its own between words 1 and 2: refused as an invisible character before word 2, not ignored.',
      words.join(' ').replace(' ', ' \u200b '),
      { kind: 'invisible_character', position: 2, inWord: false, character: '\u200b', codePoint: 'U+200B' },
    ),
    problem(
      'passphrase-soft-hyphen',
      'Word 5 "gentle" has a soft hyphen (U+00AD) inside it: refused as an invisible character in that word, not split in two.',
      withWord(5, 'gen\u00adtle'),
      { kind: 'invisible_character', position: 5, inWord: true, character: '\u00ad', codePoint: 'U+00AD' },
    ),
    problem(
      'passphrase-byte-order-mark',
      'A byte order mark (U+FEFF) at the very start, against word 1: refused as an invisible character in word 1, not ignored.',
      `\ufeff${words.join(' ')}`,
      { kind: 'invisible_character', position: 1, inWord: true, character: '\ufeff', codePoint: 'U+FEFF' },
    ),
  ];
}

function mailboxVectors(): TestVector[] {
  const passphrase = passphraseFromIndices([0, 2047, 19, 1024, 777, 1500, 42, 1337]);
  const otherPassphrase = passphraseFromIndices([1, 2047, 19, 1024, 777, 1500, 42, 1337]);
  const instanceSalt = fixedBytes('instance salt', 16);
  const derivation = (kdf: KdfParams) => {
    const keys = deriveMailboxKeys(passphrase, instanceSalt, kdf);
    return {
      inputs: { passphrase, instanceSalt: bytesToB64(instanceSalt), kdf: { ...kdf } },
      expect: { locator: bytesToB64(keys.locator), signPublicKey: bytesToB64(keys.sign.publicKey), boxPublicKey: bytesToB64(keys.box.publicKey) },
    };
  };
  const caseId = fixedBytes('reporter case id', 16);
  const caseKey = fixedBytes('reporter case key', 32);
  const sealed = bytesToB64(sealCaseKey(caseKey, caseId, deriveMailboxKeys(passphrase, instanceSalt, VECTOR_KDF).box.publicKey));
  const opening = (typed: string) => ({
    passphrase: typed, instanceSalt: bytesToB64(instanceSalt), kdf: { ...VECTOR_KDF }, caseId: bytesToB64(caseId), sealedCaseKey: sealed,
  });
  return [
    {
      name: 'mailbox-key-derivation',
      description: 'Passphrase, instance salt and (cheap) Argon2id cost give the mailbox locator and the public halves of its Ed25519 and X25519 key pairs.',
      kind: 'mailbox_keys',
      ...derivation(VECTOR_KDF),
    },
    {
      name: 'mailbox-key-derivation-production-kdf',
      description: 'The same derivation at the production Argon2id cost (64 MiB, 3 passes), so the real parameters are covered.',
      kind: 'mailbox_keys',
      ...derivation(PRODUCTION_KDF),
    },
    {
      name: 'sealed-case-key-open-with-passphrase',
      description: "A case key sealed to the mailbox's X25519 key opens with the keys derived from its passphrase.",
      kind: 'mailbox_case_key_open',
      inputs: opening(passphrase),
      expect: { caseKey: bytesToB64(caseKey) },
    },
    {
      name: 'wrong-passphrase',
      description: 'Keys derived from a different (valid) passphrase do not open the sealed case key.',
      kind: 'mailbox_case_key_open',
      inputs: opening(otherPassphrase),
      expect: { error: 'authentication_failed' },
    },
  ];
}

function messageVectors(): TestVector[] {
  const caseKey = fixedBytes('case key', 32);
  // The report is the first message: it follows the all-zero link.
  const reporterBinding: MessageBinding = { caseId: fixedBytes('case id', 16), messageId: fixedBytes('message id', 16), role: 'reporter', prev: THREAD_START };
  const plaintext = 'The custody sergeant at the front desk takes cash to lose files.';
  const envelope = encryptMessage(caseKey, reporterBinding, utf8ToBytes(plaintext), fixedBytes('nonce', 24));
  const decrypt = (name: string, description: string, binding: MessageBinding, bytes: Uint8Array, error: string): TestVector => ({
    name, description, kind: 'message_decrypt',
    inputs: { caseKey: bytesToB64(caseKey), ...bindingInputs(binding), envelope: bytesToB64(bytes) },
    expect: { error },
  });

  const orgBinding: MessageBinding = { caseId: reporterBinding.caseId, messageId: fixedBytes('second message id', 16), role: 'organisation', prev: threadLink(reporterBinding.messageId, fixedBytes('report signature', 64), envelope) };
  const longPlaintext = 'Which station, and on which days? '.repeat(31).slice(0, 1024);
  const orgEnvelope = encryptMessage(caseKey, orgBinding, utf8ToBytes(longPlaintext), fixedBytes('second nonce', 24));
  const signSeed = fixedBytes('organisation sign seed', 32);
  const signer = orgKeyringFromSeeds(fixedBytes('organisation id', 16), 1, fixedBytes('organisation box seed', 32), signSeed).sign;
  const signature = signMessage(orgBinding, orgEnvelope, signer.privateKey);

  return [
    {
      name: 'message-encrypt',
      description: 'A reporter message under the case key, with an explicit nonce, padded to the 1024-byte bucket: the exact envelope.',
      kind: 'message_encrypt',
      inputs: { caseKey: bytesToB64(caseKey), ...bindingInputs(reporterBinding), nonce: bytesToB64(fixedBytes('nonce', 24)), plaintextUtf8: plaintext },
      expect: { envelope: bytesToB64(envelope) },
    },
    {
      name: 'message-encrypt-second-bucket',
      description: 'An organisation message of exactly 1024 bytes does not fit the first bucket (the 0x80 pad marker needs a byte) and is padded to 4096.',
      kind: 'message_encrypt',
      inputs: { caseKey: bytesToB64(caseKey), ...bindingInputs(orgBinding), nonce: bytesToB64(fixedBytes('second nonce', 24)), plaintextUtf8: longPlaintext },
      expect: { envelope: bytesToB64(orgEnvelope) },
    },
    {
      name: 'message-signature',
      description: "The organisation's Ed25519 signature over label, binding and envelope (Ed25519 is deterministic, so the exact bytes).",
      kind: 'message_sign',
      inputs: { signSeed: bytesToB64(signSeed), ...bindingInputs(orgBinding), envelope: bytesToB64(orgEnvelope) },
      expect: { signPublicKey: bytesToB64(signer.publicKey), signature: bytesToB64(signature) },
    },
    {
      name: 'flipped-signature-bit',
      description: 'The lowest bit of the first byte of S (signature byte 32) is flipped.',
      kind: 'message_verify',
      inputs: { signPublicKey: bytesToB64(signer.publicKey), ...bindingInputs(orgBinding), envelope: bytesToB64(orgEnvelope), signature: bytesToB64(flipBit(signature, 32, 0)) },
      expect: { error: 'bad_signature' },
    },
    decrypt('flipped-tag', 'The last byte of the envelope (the end of the Poly1305 tag) is flipped.', reporterBinding, flipBit(envelope, envelope.length - 1, 0), 'authentication_failed'),
    decrypt('wrong-associated-data-case-id', 'The envelope is opened as if it belonged to another case.', { ...reporterBinding, caseId: fixedBytes('other case id', 16) }, envelope, 'authentication_failed'),
    decrypt('wrong-associated-data-message-id', 'The envelope is opened as if it were another message of the same case.', { ...reporterBinding, messageId: fixedBytes('other message id', 16) }, envelope, 'authentication_failed'),
    decrypt('wrong-associated-data-role', "The reporter's envelope is opened as if the organisation had sent it.", { ...reporterBinding, role: 'organisation' }, envelope, 'authentication_failed'),
    decrypt('truncated', 'The envelope is cut after version, nonce and 16 bytes: no room for a tag and any ciphertext.', reporterBinding, envelope.slice(0, 1 + 24 + 16), 'malformed'),
    decrypt('wrong-version', 'The version byte is 0x01 (protocol 1); the rest of the envelope is intact.', reporterBinding, Uint8Array.of(0x01, ...envelope.subarray(1)), 'unsupported_version'),
    decrypt('wrong-previous-link', 'The envelope is opened as if it followed another message: a dropped or reordered message shows here.', { ...reporterBinding, prev: fixedBytes('another link', 32) }, envelope, 'authentication_failed'),
    {
      name: 'message-signature-wrong-previous-link',
      description: 'A valid organisation signature checked as if the message followed another one (a message was dropped or reordered before it).',
      kind: 'message_verify',
      inputs: { signPublicKey: bytesToB64(signer.publicKey), ...bindingInputs({ ...orgBinding, prev: fixedBytes('another link', 32) }), envelope: bytesToB64(orgEnvelope), signature: bytesToB64(signature) },
      expect: { error: 'bad_signature' },
    },
    {
      name: 'thread-link',
      description: "The link the report leaves for the next message: SHA-256 over label, message id, signature and envelope.",
      kind: 'thread_link',
      inputs: { messageId: bytesToB64(reporterBinding.messageId), signature: bytesToB64(fixedBytes('report signature', 64)), envelope: bytesToB64(envelope) },
      expect: { link: bytesToB64(orgBinding.prev) },
    },
  ];
}

/** Protocol 2: an organisation's key chain, the invitation proof of a member's key, and sealed-key signatures. */
function trustVectors(): TestVector[] {
  const orgId = fixedBytes('organisation id', 16);
  const versions = [1, 2, 3].map((v) => orgKeyringFromSeeds(orgId, v, fixedBytes(`box seed ${v}`, 32), fixedBytes(`sign seed ${v}`, 32)));
  const links = versions.map((k, i) => {
    const signer = i === 0 ? k : versions[i - 1]!;
    const endorsement = endorseOrgKeyVersion(orgId, { keyVersion: k.keyVersion, boxPublicKey: k.box.publicKey, signPublicKey: k.sign.publicKey }, signer.sign.privateKey);
    return { keyVersion: k.keyVersion, boxPublicKey: bytesToB64(k.box.publicKey), signPublicKey: bytesToB64(k.sign.publicKey), endorsement: bytesToB64(endorsement) };
  });
  const keysOf = (k: (typeof versions)[number]) => ({ boxPublicKey: k.box.publicKey, signPublicKey: k.sign.publicKey });
  const anchor = orgAnchorFingerprint(orgId, keysOf(versions[0]!));
  const swappedBox = { ...links[2]!, boxPublicKey: bytesToB64(fixedBytes('attacker box key', 32)) };
  const selfSigned = { ...links[2]!, endorsement: bytesToB64(endorseOrgKeyVersion(orgId, { keyVersion: 3, boxPublicKey: versions[2]!.box.publicKey, signPublicKey: versions[2]!.sign.publicKey }, versions[2]!.sign.privateKey)) };
  const chain = (name: string, description: string, list: unknown[], expect: Record<string, unknown>, pinnedAnchor?: string): TestVector => ({
    name, description, kind: 'org_key_chain', inputs: { orgId: bytesToB64(orgId), chain: list, ...(pinnedAnchor ? { pinnedAnchor } : {}) }, expect,
  });

  const member = { memberId: fixedBytes('member id', 16), username: 'carol', boxPublicKey: personalKeyPair(fixedBytes('member seed', 32)).publicKey };
  const tokenHash = sha256(fixedBytes('invitation token', 32));
  const memberInputs = { orgId: bytesToB64(orgId), memberId: bytesToB64(member.memberId), username: member.username, boxPublicKey: bytesToB64(member.boxPublicKey), orgSignSeed: bytesToB64(fixedBytes('sign seed 1', 32)), tokenHash: bytesToB64(tokenHash) };
  const secret = inviteSecret(fixedBytes('sign seed 1', 32), tokenHash);
  const proof = memberKeyProof(secret, orgId, member.memberId, member.username, member.boxPublicKey);

  const caseId = fixedBytes('case id', 16);
  const sealed = fixedBytes('a sealed case key', 97);
  const recipient = versions[0]!.box.publicKey;
  const sealSigner = orgKeyringFromSeeds(orgId, 1, fixedBytes('box seed 1', 32), fixedBytes('mailbox sign seed', 32)).sign;
  const sealSignature = signSealedCaseKey(sealSigner.privateKey, caseId, recipient, sealed);
  const sealInputs = { signSeed: bytesToB64(fixedBytes('mailbox sign seed', 32)), caseId: bytesToB64(caseId), recipientPublicKey: bytesToB64(recipient), sealedCaseKey: bytesToB64(sealed) };

  return [
    chain('org-key-chain', 'Three key versions, each signed by the one before (version 1 by itself): the anchor is the fingerprint of version 1.', links, { anchor, currentVersion: 3 }, anchor),
    chain('org-key-chain-swapped-box-key', 'The server put another box key into version 3: its signature no longer verifies.', [links[0], links[1], swappedBox], { error: 'untrusted_key' }),
    chain('org-key-chain-not-signed-by-previous', 'Version 3 signed by itself instead of by version 2.', [links[0], links[1], selfSigned], { error: 'untrusted_key' }),
    chain('org-key-chain-missing-version', 'Version 2 left out: version 3 does not follow version 1.', [links[0], links[2]], { error: 'untrusted_key' }),
    chain('org-key-chain-other-anchor', 'A valid chain that does not start from the anchor pinned into the page.', links, { error: 'untrusted_key' }, orgAnchorFingerprint(orgId, keysOf(versions[1]!))),
    {
      name: 'org-key-endorsement',
      description: 'Version 2 signed by the signing seed of version 1: the exact signature.',
      kind: 'org_key_endorsement',
      inputs: { orgId: bytesToB64(orgId), signerSeed: bytesToB64(fixedBytes('sign seed 1', 32)), keyVersion: 2, boxPublicKey: links[1]!.boxPublicKey, signPublicKey: links[1]!.signPublicKey },
      expect: { endorsement: links[1]!.endorsement },
    },
    {
      name: 'member-key-proof',
      description: "The invitation's secret from the organisation's signing seed and the token's hash; the newcomer's proof over their key; the organisation's endorsement of it.",
      kind: 'member_key_proof',
      inputs: memberInputs,
      expect: { inviteSecret: bytesToB64(secret), keyProof: bytesToB64(proof), endorsement: bytesToB64(endorseMemberKey(versions[0]!.sign.privateKey, orgId, member.memberId, member.username, member.boxPublicKey)) },
    },
    {
      name: 'member-key-proof-swapped-key',
      description: 'The proof checked against another key (one the server substituted): refused before anything is sealed to it.',
      kind: 'member_key_proof',
      inputs: { ...memberInputs, boxPublicKey: bytesToB64(fixedBytes('attacker member key', 32)), keyProof: bytesToB64(proof) },
      expect: { error: 'untrusted_key' },
    },
    {
      name: 'sealed-case-key-signature',
      description: "A sealed case key signed by its sealer (here a mailbox key) over the case id and the recipient's key.",
      kind: 'sealed_case_key_signature',
      inputs: sealInputs,
      expect: { signature: bytesToB64(sealSignature) },
    },
    {
      name: 'sealed-case-key-swapped',
      description: 'Another sealed key under a genuine signature (a server swapped it): the signature does not cover it.',
      kind: 'sealed_case_key_signature',
      inputs: { ...sealInputs, sealedCaseKey: bytesToB64(fixedBytes('the attacker sealed key', 97)), signature: bytesToB64(sealSignature) },
      expect: { error: 'bad_signature' },
    },
  ];
}

function sealedCaseKeyVectors(): TestVector[] {
  const recipientSeed = fixedBytes('recipient seed', 32);
  const caseId = fixedBytes('sealed case id', 16);
  const caseKey = fixedBytes('sealed case key', 32);
  const sealed = bytesToB64(sealCaseKey(caseKey, caseId, personalKeyPair(recipientSeed).publicKey));
  const opening = (id: Uint8Array) => ({ recipientSeed: bytesToB64(recipientSeed), caseId: bytesToB64(id), sealedCaseKey: sealed });
  return [
    {
      name: 'sealed-case-key-open',
      description: "A sealed (case id ‖ case key) opens with the recipient's X25519 key pair, made from its seed. Sealing is randomised, so only opening is checked.",
      kind: 'case_key_open',
      inputs: opening(caseId),
      expect: { caseKey: bytesToB64(caseKey) },
    },
    {
      name: 'sealed-key-for-another-case',
      description: 'The sealed case key opens, but the case id inside is not the case it was presented for.',
      kind: 'case_key_open',
      inputs: opening(fixedBytes('other case id', 16)),
      expect: { error: 'wrong_binding' },
    },
  ];
}

function investigatorVectors(): TestVector[] {
  const password = 'correct horse battery staple';
  const userSalt = fixedBytes('user salt', 16);
  const secrets = deriveInvestigatorSecrets(password, userSalt, VECTOR_KDF);
  const seed = fixedBytes('personal seed', 32);
  const ownerId = fixedBytes('investigator id', 16);
  const nonce = fixedBytes('wrap nonce', 24);
  const wrapped = wrapSeed(seed, secrets.wrapKey, ownerId, nonce);
  return [
    {
      name: 'investigator-secrets',
      description: 'Password, per-user salt and (cheap) Argon2id cost give the authentication key (sent) and the wrapping key (never sent).',
      kind: 'investigator_secrets',
      inputs: { password, userSalt: bytesToB64(userSalt), kdf: { ...VECTOR_KDF } },
      expect: { authKey: bytesToB64(secrets.authKey), wrapKey: bytesToB64(secrets.wrapKey) },
    },
    {
      name: 'wrapped-seed',
      description: "A personal key seed wrapped under the investigator's wrapping key, bound to their id, with an explicit nonce.",
      kind: 'seed_wrap',
      inputs: { seed: bytesToB64(seed), wrapKey: bytesToB64(secrets.wrapKey), ownerId: bytesToB64(ownerId), nonce: bytesToB64(nonce) },
      expect: { wrapped: bytesToB64(wrapped) },
    },
    {
      name: 'wrapped-seed-other-owner',
      description: "A wrapped seed is presented as another investigator's: the owner id in its associated data does not match.",
      kind: 'seed_unwrap',
      inputs: { wrapped: bytesToB64(wrapped), wrapKey: bytesToB64(secrets.wrapKey), ownerId: bytesToB64(fixedBytes('other investigator id', 16)) },
      expect: { error: 'authentication_failed' },
    },
  ];
}

/** An organisation's seeds of one key version, sealed to a member's personal key (docs/SPEC.md, "Organisation keyrings"). */
function keyringVectors(): TestVector[] {
  // Version 2 of the organisation in the key-chain vectors, so the public keys inside match its link 2.
  const orgId = fixedBytes('organisation id', 16);
  const keyring = orgKeyringFromSeeds(orgId, 2, fixedBytes('box seed 2', 32), fixedBytes('sign seed 2', 32));
  const memberSeed = fixedBytes('member seed', 32);
  const member = personalKeyPair(memberSeed).publicKey;
  const sealed = sealOrgKeyring(keyring, member);
  // The right length, but the label of a protocol that does not exist ("v2" where the keyring label is "v1").
  const wrongLabel = frame(sealTo(new Uint8Array([...utf8ToBytes('parley/v2/org-keyring'), ...orgId, 0, 0, 0, 2, ...keyring.boxSeed, ...keyring.signSeed]), member));
  const opening = (name: string, description: string, inputs: Record<string, unknown>, expect: Record<string, unknown>): TestVector => ({
    name, description, kind: 'org_keyring_open', inputs: { memberSeed: bytesToB64(memberSeed), orgId: bytesToB64(orgId), sealedKeyring: bytesToB64(sealed), ...inputs }, expect,
  });
  return [
    opening(
      'org-keyring-open',
      "Version 2 of an organisation's keyring sealed to a member's personal X25519 key (made from its seed): it opens to the key version and both seeds, whose public keys are version 2's in org-key-chain. Sealing is randomised, so only opening is checked.",
      {},
      { keyVersion: 2, boxSeed: bytesToB64(keyring.boxSeed), signSeed: bytesToB64(keyring.signSeed), boxPublicKey: bytesToB64(keyring.box.publicKey), signPublicKey: bytesToB64(keyring.sign.publicKey) },
    ),
    opening('org-keyring-other-member', "The keyring is opened with another member's personal key.", { memberSeed: bytesToB64(fixedBytes('other member seed', 32)) }, { error: 'authentication_failed' }),
    opening('org-keyring-other-organisation', 'The keyring opens, but the organisation id inside is not the organisation it was served for.', { orgId: bytesToB64(fixedBytes('other organisation id', 16)) }, { error: 'wrong_binding' }),
    opening('org-keyring-wrong-label', 'The sealed plaintext has the right length but begins "parley/v2/org-keyring" instead of "parley/v1/org-keyring".', { sealedKeyring: bytesToB64(wrongLabel) }, { error: 'malformed' }),
    opening('org-keyring-wrong-version', 'The version byte is 0x01 (protocol 1); the sealed box is intact.', { sealedKeyring: bytesToB64(Uint8Array.of(0x01, ...sealed.subarray(1))) }, { error: 'unsupported_version' }),
  ];
}

/** Fingerprints people compare: an organisation's anchor (shown to reporters) and a member key's (shown to administrators). */
function fingerprintVectors(): TestVector[] {
  const orgId = fixedBytes('organisation id', 16);
  const first = orgKeyringFromSeeds(orgId, 1, fixedBytes('box seed 1', 32), fixedBytes('sign seed 1', 32));
  const memberKey = personalKeyPair(fixedBytes('member seed', 32)).publicKey;
  return [
    {
      name: 'org-anchor-fingerprint',
      description: "The anchor of the organisation in org-key-chain: BLAKE2b-160 over label, organisation id and version 1's box and signing keys, as 10 groups of 4 hex digits.",
      kind: 'org_anchor_fingerprint',
      inputs: { orgId: bytesToB64(orgId), boxPublicKey: bytesToB64(first.box.publicKey), signPublicKey: bytesToB64(first.sign.publicKey) },
      expect: { anchor: orgAnchorFingerprint(orgId, { boxPublicKey: first.box.publicKey, signPublicKey: first.sign.publicKey }) },
    },
    {
      name: 'key-fingerprint',
      description: "The fingerprint an administrator is shown for a member's personal box key (the member in member-key-proof).",
      kind: 'key_fingerprint',
      inputs: { publicKey: bytesToB64(memberKey) },
      expect: { fingerprint: keyFingerprint(memberKey) },
    },
  ];
}

/** The server's challenge, the proof of work on it, and the mailbox proof that signs it. */
async function challengeVectors(): Promise<TestVector[]> {
  const serverSecret = fixedBytes('server secret', 32);
  const terms = { expiresAtMs: Date.UTC(2026, 0, 1, 0, 2), workBits: 8 };
  const random = fixedBytes('challenge random', 8);
  const key = await challengeKey(serverSecret);
  const challenge = await issueChallenge(key, terms, () => random);
  const read = (name: string, description: string, inputs: Record<string, unknown>): TestVector => ({
    name, description, kind: 'challenge_read', inputs: { serverSecret: bytesToB64(serverSecret), challenge: bytesToB64(challenge), nowMs: terms.expiresAtMs - 1, ...inputs }, expect: { error: 'invalid' },
  });
  const lowered = challenge.slice();
  lowered[7] = 0;

  // The reference client's nonce: the first counter value, from 0, whose hash has enough zero bits.
  const nonce = solveProofOfWork(challenge, terms.workBits);
  const hash = sha256(workInput(challenge, nonce));
  const bits = leadingZeroBits(hash);
  const work = (name: string, description: string, workBits: number, expect: Record<string, unknown>): TestVector => ({
    name, description, kind: 'proof_of_work', inputs: { challenge: bytesToB64(challenge), workBits, nonce: bytesToB64(nonce) }, expect,
  });

  const locator = fixedBytes('mailbox locator', 32);
  const signSeed = fixedBytes('mailbox sign seed', 32);
  const sign = orgKeyringFromSeeds(new Uint8Array(16), 1, new Uint8Array(32), signSeed).sign;
  const proof = (name: string, description: string, request: { method: string; path: string; bodyUtf8: string }): TestVector => {
    const body = utf8ToBytes(request.bodyUtf8);
    return {
      name, description, kind: 'mailbox_proof',
      inputs: { locator: bytesToB64(locator), signSeed: bytesToB64(signSeed), challenge: bytesToB64(challenge), ...request },
      expect: {
        signPublicKey: bytesToB64(sign.publicKey),
        signedBytes: bytesToB64(mailboxProofMessage(challenge, request.method, request.path, sha256(body))),
        headers: mailboxProofHeaders({ locator, sign, box: sign }, challenge, request.method, request.path, body),
      },
    };
  };
  const request = { method: 'POST', path: '/api/mailbox/messages', bodyUtf8: '{"text":"the proof covers the SHA-256 of these exact bytes"}' };
  const signed = proof(
    'mailbox-proof',
    'A mailbox request proof: the bytes signed (label, version, challenge, method, path, SHA-256 of the body) and the three headers; the signature is by the mailbox key (Ed25519 is deterministic).',
    request,
  );
  const proofInputs = { signPublicKey: bytesToB64(sign.publicKey), challenge: bytesToB64(challenge), ...request, signature: (signed.expect.headers as Record<string, string>)['parley-proof']! };
  const verify = (name: string, description: string, inputs: Record<string, unknown>): TestVector => ({
    name, description, kind: 'mailbox_proof_verify', inputs: { ...proofInputs, ...inputs }, expect: { error: 'mailbox_proof_failed' },
  });

  return [
    {
      name: 'challenge-issue',
      description: 'A challenge the server issues: format 1, expiry (u48), work bits and 8 random bytes, then 16 bytes of HMAC-SHA-256 under a key derived from the server secret. Read back before its expiry, it gives its terms.',
      kind: 'challenge_issue',
      inputs: { serverSecret: bytesToB64(serverSecret), expiresAtMs: terms.expiresAtMs, workBits: terms.workBits, random: bytesToB64(random) },
      expect: { challengeKey: bytesToB64(key), challenge: bytesToB64(challenge) },
    },
    read('challenge-expired', 'The challenge is presented at the millisecond it expires.', { nowMs: terms.expiresAtMs }),
    read('challenge-work-bits-lowered', 'The work bits in byte 7 are set to 0 (a client asking itself for no work): the MAC no longer matches.', { challenge: bytesToB64(lowered) }),
    read('challenge-other-server', 'A genuine challenge presented to a server with another secret.', { serverSecret: bytesToB64(fixedBytes('other server secret', 32)) }),
    work('proof-of-work', `The reference client's nonce for the challenge in challenge-issue at ${terms.workBits} bits: the hashed input, its SHA-256 and the hash's leading zero bits.`, terms.workBits, {
      input: bytesToB64(workInput(challenge, nonce)), hash: bytesToB64(hash), leadingZeroBits: bits,
    }),
    work('proof-of-work-too-weak', 'The same nonce where one more zero bit is asked than its hash has.', bits + 1, { error: 'work_too_weak' }),
    signed,
    proof('mailbox-proof-empty-body', 'A proof for reading the thread: GET, lower-case as given (the method is upper-cased before signing), and an empty body, whose SHA-256 is signed.', { method: 'get', path: '/api/mailbox', bodyUtf8: '' }),
    verify('mailbox-proof-other-challenge', 'The proof is replayed with a fresh challenge.', { challenge: bytesToB64(fixedBytes('a fresh challenge', 32)) }),
    verify('mailbox-proof-other-path', 'The proof is attached to a request for another path (GET of the thread instead of a reply).', { path: '/api/mailbox' }),
    verify('mailbox-proof-other-body', 'The body is changed by one character after it was signed.', { bodyUtf8: request.bodyUtf8.replace('exact', 'exacT') }),
  ];
}

/** What is inside the encryption: the report and the messages of a thread, as JSON (docs/SPEC.md, "Documents"). */
function documentVectors(): TestVector[] {
  const encode = (name: string, description: string, document: ThreadDocument): TestVector => ({
    name, description, kind: 'document_encode', inputs: { document }, expect: { plaintextUtf8: bytesToUtf8(encodeDocument(document)) },
  });
  const decode = (name: string, description: string, plaintextUtf8: string, expect: Record<string, unknown>): TestVector => ({
    name, description, kind: 'document_decode', inputs: { plaintextUtf8 }, expect,
  });
  return [
    encode('document-report', 'A report with every field: category, what happened, when and where, anything else, contact, and that the reporter was not sure of the organisation.', {
      kind: 'report', category: 'bribery', whatHappened: 'The custody sergeant takes cash to lose files.', whenAndWhere: 'Central station, Fridays, since March.',
      anythingElse: 'Two others know.', contact: 'Only through this mailbox, please.', organisationNotSure: true,
    }),
    encode('document-message-with-status', "An organisation's question that also moves the case to investigating.", { kind: 'message', text: 'Which station, and on which days?', status: 'investigating' }),
    encode('document-status', 'A status change with no words.', { kind: 'status', status: 'closed' }),
    decode('document-unknown-field-ignored', 'A reporter message with its fields in another order and a field this protocol does not define, which is ignored.', '{"text":"Fridays, at the front desk.","sentWith":"a future client","kind":"message"}', {
      document: { kind: 'message', text: 'Fridays, at the front desk.' },
    }),
    decode('document-not-json', 'The plaintext is cut off inside a string.', '{"kind":"message","text":"Fridays', { error: 'malformed' }),
    decode('document-unknown-kind', 'A kind this protocol does not define.', '{"kind":"note","text":"Fridays."}', { error: 'malformed' }),
    decode('document-unknown-status', 'A status document with a status that is not one of the case statuses.', '{"kind":"status","status":"archived"}', { error: 'malformed' }),
    encode('document-message-with-attachments', 'A reporter message with two files: their ids, keys, neutral names, types and sizes.', {
      kind: 'message', text: 'The photo and the receipt.', attachments: [
        { id: bytesToB64(fixedBytes('attachment id 1', 16)), key: bytesToB64(fixedBytes('attachment key 1', 32)), name: 'evidence-1.jpg', type: 'image/jpeg', size: 123_456 },
        { id: bytesToB64(fixedBytes('attachment id 2', 16)), key: bytesToB64(fixedBytes('attachment key 2', 32)), name: 'evidence-2.pdf', type: 'application/pdf', size: 0 },
      ],
    }),
    decode('document-attachment-unknown-field-ignored', 'A report whose attachment has a field this protocol does not define, which is ignored.',
      `{"kind":"report","category":"other","whatHappened":"See the file.","attachments":[{"id":"${bytesToB64(fixedBytes('attachment id 1', 16))}","key":"${bytesToB64(fixedBytes('attachment key 1', 32))}","name":"evidence-1.png","type":"image/png","size":4096,"thumbnail":"none"}]}`, {
        document: { kind: 'report', category: 'other', whatHappened: 'See the file.', attachments: [{ id: bytesToB64(fixedBytes('attachment id 1', 16)), key: bytesToB64(fixedBytes('attachment key 1', 32)), name: 'evidence-1.png', type: 'image/png', size: 4096 }] },
      }),
    decode('document-attachment-short-key', 'An attachment whose key is 31 bytes.',
      `{"kind":"message","text":"","attachments":[{"id":"${bytesToB64(fixedBytes('attachment id 1', 16))}","key":"${bytesToB64(fixedBytes('attachment key 1', 31))}","name":"evidence-1.jpg","type":"image/jpeg","size":1}]}`, { error: 'malformed' }),
    decode('document-attachments-same-id', 'Two attachments with the same file id.',
      `{"kind":"message","text":"","attachments":[${[1, 2].map((n) => `{"id":"${bytesToB64(fixedBytes('attachment id 1', 16))}","key":"${bytesToB64(fixedBytes(`attachment key ${n}`, 32))}","name":"evidence-${n}.jpg","type":"image/jpeg","size":${n}}`).join(',')}]}`, { error: 'malformed' }),
    decode('document-report-without-category', 'A report with no category.', '{"kind":"report","whatHappened":"The custody sergeant takes cash."}', { error: 'malformed' }),
  ];
}

/** A file's stream (docs/PROTOCOL.md §9.2): a small and a three-chunk file, and one failure each. */
function fileVectors(): TestVector[] {
  const secret = (size: number, label = 'file'): FileSecret => ({ id: fixedBytes(`${label} id`, 16), key: fixedBytes(`${label} key`, 32), size });
  const inputs = (file: FileSecret) => ({ fileId: bytesToB64(file.id), fileKey: bytesToB64(file.key), size: file.size });
  const honest = fileStream; // as file_encrypt makes it, checked by the runner below
  /** Chunk `index` sealed as the construction would, except for the final flag or padded plaintext given. */
  const forged = (file: FileSecret, index: number, final: boolean, edit: (plain: Uint8Array) => void = () => {}) => {
    const padded = new Uint8Array(paddedFileLength(file.size));
    padded.set(fileVectorContent(file.size));
    padded[file.size] = 0x80;
    const plain = padded.slice(index * 65536, (index + 1) * 65536);
    edit(plain);
    return bytesToB64(aeadEncrypt(plain, fileChunkAssociatedData(file.id, index, final), fileChunkNonce(file.id, index), file.key));
  };
  const small = secret(1000);
  const three = secret(140_000);
  const smallStream = honest(small);
  const decrypt = (name: string, description: string, file: FileSecret, stream: unknown[], expect: Record<string, unknown>): TestVector => ({
    name, description, kind: 'file_decrypt', inputs: { ...inputs(file), stream }, expect,
  });
  const other = secret(1000, 'other file');
  return [
    {
      name: 'file-stream',
      description: 'A file of 140 000 bytes (byte i = i mod 251) pads to 143 360 and is three chunks: 65 552 + 65 552 + 12 304 bytes. Each chunk’s SHA-256, and the last in full.',
      kind: 'file_encrypt',
      inputs: inputs(three),
      expect: { cipherBytes: 143_408, chunkSha256: fileChunks(honest(three)).map((c) => bytesToB64(sha256(c))), lastChunk: bytesToB64(fileChunks(honest(three))[2]!) },
    },
    {
      name: 'file-stream-empty',
      description: 'A file of no bytes is one chunk of padding at the 4 KiB floor: 0x80, then 4 095 zeros, sealed as chunk 0 and final.',
      kind: 'file_encrypt',
      inputs: inputs(secret(0)),
      expect: { cipherBytes: 4112, cipher: bytesToB64(honest(secret(0))) },
    },
    decrypt('file-stream-decrypt', 'The three-chunk stream, given as its chunks, decrypts to its 140 000 bytes.', three, [{ chunk: 0 }, { chunk: 1 }, { chunk: 2 }], {
      contentBytes: 140_000, contentSha256: bytesToB64(sha256(fileVectorContent(140_000))),
    }),
    decrypt('file-flipped-bit', 'One bit of the small file’s ciphertext (byte 500, bit 3) is flipped.', small, [bytesToB64(flipBit(smallStream, 500, 3))], { error: 'authentication_failed' }),
    decrypt('file-flipped-tag', 'One bit of the small file’s tag (its last byte, bit 0) is flipped.', small, [bytesToB64(flipBit(smallStream, smallStream.length - 1, 0))], { error: 'authentication_failed' }),
    decrypt('file-wrong-key', 'The small file’s stream, opened with another file’s key.', { ...small, key: other.key }, [bytesToB64(smallStream)], { error: 'authentication_failed' }),
    decrypt('file-wrong-id', 'The small file’s stream, opened as another file id (its nonces and associated data differ).', { ...small, id: other.id }, [bytesToB64(smallStream)], { error: 'authentication_failed' }),
    decrypt('file-bad-padding', 'The small file sealed with the real construction, but its padding marker is 0x81: every tag is good, the padding is not.', small, [forged(small, 0, true, (p) => { p[1000] = 0x81; })], { error: 'malformed' }),
    decrypt('file-truncated', 'The three-chunk stream with its last chunk dropped.', three, [{ chunk: 0 }, { chunk: 1 }], { error: 'malformed' }),
    decrypt('file-chunks-swapped', 'The three-chunk stream with its first two chunks swapped.', three, [{ chunk: 1 }, { chunk: 0 }, { chunk: 2 }], { error: 'authentication_failed' }),
    decrypt('file-chunks-reordered', 'The three-chunk stream with its last chunk moved to the front.', three, [{ chunk: 2 }, { chunk: 0 }, { chunk: 1 }], { error: 'authentication_failed' }),
    decrypt('file-extra-chunk', 'The three-chunk stream with its last chunk sent again after it.', three, [{ chunk: 0 }, { chunk: 1 }, { chunk: 2 }, { chunk: 2 }], { error: 'malformed' }),
    decrypt('file-final-flag-on-middle-chunk', 'The three-chunk stream whose chunk 1 is sealed with the final flag (as a two-chunk stream would end).', three, [{ chunk: 0 }, forged(three, 1, true), { chunk: 2 }], { error: 'malformed' }),
    decrypt('file-last-chunk-not-final', 'The three-chunk stream whose last chunk is sealed without the final flag (as a longer stream cut there would be).', three, [{ chunk: 0 }, { chunk: 1 }, forged(three, 2, false)], { error: 'malformed' }),
  ];
}

/** Every vector, each checked against the runner before it is returned. */
export async function buildVectors(): Promise<TestVector[]> {
  await sodiumReady();
  const vectors = [
    ...passphraseVectors(), ...mailboxVectors(), ...messageVectors(), ...trustVectors(), ...sealedCaseKeyVectors(), ...investigatorVectors(),
    ...keyringVectors(), ...fingerprintVectors(), ...(await challengeVectors()), ...documentVectors(), ...fileVectors(),
  ];
  for (const vector of vectors) {
    // Kinds the shared runner does not know yet are run by test/protocol/vectors.test.ts.
    if (!VECTOR_KINDS.includes(vector.kind)) continue;
    const result = runVector(vector);
    if (!result.ok) throw new Error(`generated vector does not pass: ${result.reason}`);
  }
  return vectors;
}

export function serialiseVector(vector: TestVector): string {
  return `${JSON.stringify(vector, null, 2)}\n`;
}

/** The vector with its randomised inputs blanked: what must regenerate identically. */
export function deterministicPart(vector: TestVector): TestVector {
  const inputs = Object.fromEntries(Object.entries(vector.inputs).map(([k, v]) => [k, RANDOMISED_INPUTS.includes(k) ? '(randomised)' : v]));
  return { ...vector, inputs };
}

function readVector(text: string): TestVector | null {
  try {
    return JSON.parse(text) as TestVector;
  } catch {
    return null; // unreadable: overwrite it
  }
}

async function main(): Promise<void> {
  const dir = new URL('./', import.meta.url);
  mkdirSync(dir, { recursive: true });
  const vectors = await buildVectors();
  const names = new Set(vectors.map((v) => v.name));
  for (const vector of vectors) {
    const file = new URL(`${vector.name}.json`, dir);
    const fresh = serialiseVector(vector);
    const existing = existsSync(file) ? readVector(readFileSync(file, 'utf8')) : null;
    // Keep committed sealed boxes when nothing else changed, so regenerating does not churn them.
    const stillPasses = (v: TestVector) => !VECTOR_KINDS.includes(v.kind) || runVector(v).ok; // other kinds: the Node test checks them
    if (existing && serialiseVector(deterministicPart(existing)) === serialiseVector(deterministicPart(vector)) && stillPasses(existing)) continue;
    writeFileSync(file, fresh);
    console.log(`wrote ${vector.name}.json`);
  }
  for (const entry of readdirSync(dir)) {
    if (entry.endsWith('.json') && !names.has(entry.slice(0, -'.json'.length))) {
      rmSync(new URL(entry, dir));
      console.log(`removed stale ${entry}`);
    }
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
