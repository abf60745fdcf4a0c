// The exact bytes each signature, proof and link covers (web/protocol/signed-bytes.ts,
// proof-message.ts, request-proof.ts), written out from docs/SPEC.md's layouts, and the wrong
// lengths each refuses before anything is signed. The server rebuilds these bytes on its own,
// so a byte out of place here is a signature that verifies nowhere else.
import { describe, expect, it } from 'vitest';
import {
  memberKeyBytes, orgAnchorBytes, orgKeyVersionBytes, sealedCaseKeyBytes, THREAD_START, threadLinkInput,
} from '../../web/protocol/signed-bytes.js';
import { mailboxProofMessage, PROOF_HEADERS } from '../../web/protocol/proof-message.js';
import { bindingBytes, checkId, messageAssociatedData, messageSignedBytes, type MessageBinding } from '../../web/protocol/binding.js';
import { mailboxProofHeaders } from '../../web/protocol/request-proof.js';
import { b64ToBytes, concatBytes, utf8ToBytes } from '../../web/protocol/encoding.js';
import { randomBytes, sha256, signKeyPairFromSeed, sodiumReady, verifyDetached } from '../../web/protocol/sodium.js';
import type { MailboxKeys } from '../../web/protocol/mailbox-keys.js';
import { refusal, refused } from './refusal.js';

// Before any describe body runs: some build their fixtures with libsodium as they are collected.
await sodiumReady();

const of = (length: number, fill: number) => new Uint8Array(length).fill(fill);
const text = (value: string) => utf8ToBytes(value);
const u32be = (...bytes: number[]) => Uint8Array.from(bytes);

const orgId = of(16, 0x01);
const memberId = of(16, 0x02);
const boxKey = of(32, 0x03);
const signKey = of(32, 0x04);

describe('an organisation key version', () => {
  it('is the label, a zero, the organisation id, the version as u32be, the box key and the signing key', () => {
    expect(orgKeyVersionBytes(orgId, 0x01020304, boxKey, signKey)).toEqual(
      concatBytes(text('parley/v2/org-key-version'), Uint8Array.of(0), orgId, u32be(1, 2, 3, 4), boxKey, signKey),
    );
    expect(orgKeyVersionBytes(orgId, 1, boxKey, signKey).subarray(26 + 16, 26 + 20)).toEqual(u32be(0, 0, 0, 1));
  });

  it('refuses an organisation id or a key of the wrong length, naming it', () => {
    expect(refusal(() => orgKeyVersionBytes(of(15, 1), 1, boxKey, signKey))).toEqual(refused('malformed', 'organisation id must be 16 bytes'));
    expect(refusal(() => orgKeyVersionBytes(orgId, 1, of(31, 3), signKey))).toEqual(refused('malformed', 'box key must be 32 bytes'));
    expect(refusal(() => orgKeyVersionBytes(orgId, 1, boxKey, of(33, 4)))).toEqual(refused('malformed', 'signing key must be 32 bytes'));
  });
});

describe('an organisation anchor', () => {
  it('is the label, a zero, the organisation id and the first box and signing keys', () => {
    expect(orgAnchorBytes(orgId, boxKey, signKey)).toEqual(concatBytes(text('parley/v2/org-anchor'), Uint8Array.of(0), orgId, boxKey, signKey));
  });

  it('refuses an organisation id or a key of the wrong length, naming it', () => {
    expect(refusal(() => orgAnchorBytes(of(17, 1), boxKey, signKey))).toEqual(refused('malformed', 'organisation id must be 16 bytes'));
    expect(refusal(() => orgAnchorBytes(orgId, of(0, 3), signKey))).toEqual(refused('malformed', 'box key must be 32 bytes'));
    expect(refusal(() => orgAnchorBytes(orgId, boxKey, of(31, 4)))).toEqual(refused('malformed', 'signing key must be 32 bytes'));
  });
});

describe('a member key', () => {
  it('is the label, a zero, both ids, the username as u32be length and UTF-8, and the box key', () => {
    expect(memberKeyBytes(orgId, memberId, 'zoë', boxKey)).toEqual(
      concatBytes(text('parley/v2/member-key'), Uint8Array.of(0), orgId, memberId, u32be(0, 0, 0, 4), text('zoë'), boxKey),
    );
    expect(memberKeyBytes(orgId, memberId, '', boxKey)).toEqual(concatBytes(text('parley/v2/member-key'), Uint8Array.of(0), orgId, memberId, u32be(0, 0, 0, 0), boxKey));
  });

  it('gives different bytes when letters move between the username and the key', () => {
    const a = memberKeyBytes(orgId, memberId, 'ab', boxKey);
    const b = memberKeyBytes(orgId, memberId, 'a', boxKey);
    expect(a).not.toEqual(b);
  });

  it('refuses an id or a key of the wrong length, naming it', () => {
    expect(refusal(() => memberKeyBytes(of(15, 1), memberId, 'x', boxKey))).toEqual(refused('malformed', 'organisation id must be 16 bytes'));
    expect(refusal(() => memberKeyBytes(orgId, of(17, 2), 'x', boxKey))).toEqual(refused('malformed', 'member id must be 16 bytes'));
    expect(refusal(() => memberKeyBytes(orgId, memberId, 'x', of(31, 3)))).toEqual(refused('malformed', 'member key must be 32 bytes'));
  });
});

describe('a sealed case key signature', () => {
  it('covers the label, a zero, the case id, the recipient key and the sealed bytes', () => {
    const sealed = of(81, 9);
    expect(sealedCaseKeyBytes(of(16, 5), boxKey, sealed)).toEqual(concatBytes(text('parley/v2/sealed-case-key'), Uint8Array.of(0), of(16, 5), boxKey, sealed));
  });

  it('refuses a case id or recipient key of the wrong length, naming it', () => {
    expect(refusal(() => sealedCaseKeyBytes(of(15, 5), boxKey, of(81, 9)))).toEqual(refused('malformed', 'case id must be 16 bytes'));
    expect(refusal(() => sealedCaseKeyBytes(of(16, 5), of(33, 3), of(81, 9)))).toEqual(refused('malformed', 'recipient key must be 32 bytes'));
  });
});

describe('a thread link', () => {
  it('hashes the label, a zero, the message id, the signature and the envelope', () => {
    const envelope = of(1065, 7);
    expect(threadLinkInput(of(16, 6), of(64, 8), envelope)).toEqual(concatBytes(text('parley/v2/thread-link'), Uint8Array.of(0), of(16, 6), of(64, 8), envelope));
  });

  it('refuses a message id or a signature of the wrong length, naming it', () => {
    expect(refusal(() => threadLinkInput(of(17, 6), of(64, 8), of(10, 7)))).toEqual(refused('malformed', 'message id must be 16 bytes'));
    expect(refusal(() => threadLinkInput(of(16, 6), of(63, 8), of(10, 7)))).toEqual(refused('malformed', 'signature must be 64 bytes'));
  });

  it('starts a thread from 32 zero bytes', () => {
    expect(THREAD_START).toEqual(new Uint8Array(32));
  });
});

describe('a mailbox request proof', () => {
  const challenge = of(32, 0xcc);
  const bodyHash = of(32, 0xbb);

  it('signs the label, a zero, the version, the challenge, the method in capitals, the path and the body hash, with zeros between', () => {
    const expected = concatBytes(text('parley/v1/mailbox-proof'), Uint8Array.of(0, 2), challenge, text('POST'), Uint8Array.of(0), text('/api/v1/cases/x'), Uint8Array.of(0), bodyHash);
    expect(mailboxProofMessage(challenge, 'post', '/api/v1/cases/x', bodyHash)).toEqual(expected);
    expect(mailboxProofMessage(challenge, 'PoSt', '/api/v1/cases/x', bodyHash)).toEqual(expected);
  });

  it('is sent in three headers: the locator, the challenge and an Ed25519 signature over the proof bytes', () => {
    const sign = signKeyPairFromSeed(randomBytes(32));
    const keys: MailboxKeys = { locator: of(32, 0x11), sign, box: { publicKey: of(32, 0), privateKey: of(32, 0) } };
    const body = text('{"kind":"message"}');
    const headers = mailboxProofHeaders(keys, challenge, 'get', '/api/v1/mailbox', body);
    expect(Object.keys(headers).sort()).toEqual(['parley-challenge', 'parley-mailbox', 'parley-proof']);
    expect(PROOF_HEADERS).toEqual({ locator: 'parley-mailbox', challenge: 'parley-challenge', signature: 'parley-proof' });
    expect(b64ToBytes(headers['parley-mailbox']!)).toEqual(keys.locator);
    expect(b64ToBytes(headers['parley-challenge']!)).toEqual(challenge);
    const signature = b64ToBytes(headers['parley-proof']!)!;
    expect(verifyDetached(signature, mailboxProofMessage(challenge, 'GET', '/api/v1/mailbox', sha256(body)), sign.publicKey)).toBe(true);
    expect(verifyDetached(signature, mailboxProofMessage(challenge, 'GET', '/api/v1/mailbox', sha256(new Uint8Array(0))), sign.publicKey)).toBe(false);
  });
});

describe('a message binding', () => {
  const binding: MessageBinding = { caseId: of(16, 0x0c), messageId: of(16, 0x0d), role: 'reporter', prev: of(32, 0x0e) };

  it('is the label, a zero, the version, the case id, the message id, the role byte and the previous link', () => {
    expect(bindingBytes('some/label', binding)).toEqual(concatBytes(text('some/label'), Uint8Array.of(0, 2), of(16, 0x0c), of(16, 0x0d), Uint8Array.of(1), of(32, 0x0e)));
    expect(bindingBytes('x', { ...binding, role: 'organisation' })[3 + 32]).toBe(2);
  });

  it('is the associated data under the message label, and the signed bytes under the signature label followed by the envelope', () => {
    const envelope = of(20, 0x0f);
    expect(messageAssociatedData(binding)).toEqual(bindingBytes('parley/v1/message', binding));
    expect(messageSignedBytes(binding, envelope)).toEqual(concatBytes(bindingBytes('parley/v1/message-signature', binding), envelope));
  });

  it('refuses a case id, message id or previous link of the wrong length, naming it', () => {
    expect(refusal(() => bindingBytes('x', { ...binding, caseId: of(15, 1) }))).toEqual(refused('malformed', 'case id must be 16 bytes'));
    expect(refusal(() => bindingBytes('x', { ...binding, messageId: of(17, 1) }))).toEqual(refused('malformed', 'message id must be 16 bytes'));
    expect(refusal(() => bindingBytes('x', { ...binding, prev: of(31, 1) }))).toEqual(refused('malformed', 'previous link must be 32 bytes'));
    expect(refusal(() => checkId(of(0, 1), 'organisation id'))).toEqual(refused('malformed', 'organisation id must be 16 bytes'));
    expect(refusal(() => checkId(of(16, 1), 'organisation id'))).toBe('no error');
  });
});
