// What is inside the encryption (web/protocol/documents.ts), the proof-of-work puzzle
// (work-puzzle.ts, proof-of-work.ts), the wire encodings (encoding.ts) and the error type
// (errors.ts): what each produces and what each refuses, from docs/SPEC.md.
import { describe, expect, it } from 'vitest';
import { decodeDocument, encodeDocument, type ThreadDocument } from '../../web/protocol/documents.js';
import { leadingZeroBits, WORK_NONCE_BYTES, workInput } from '../../web/protocol/work-puzzle.js';
import { solveProofOfWork } from '../../web/protocol/proof-of-work.js';
import { b64ToBytes, bytesEqual, bytesToB64, bytesToUtf8, concatBytes, utf8ToBytes } from '../../web/protocol/encoding.js';
import { ProtocolError } from '../../web/protocol/errors.js';
import { sha256, sodiumReady } from '../../web/protocol/sodium.js';
import { refusal, refused } from './refusal.js';

// Before any describe body runs: some build their fixtures with libsodium as they are collected.
await sodiumReady();

const json = (value: unknown) => utf8ToBytes(JSON.stringify(value));
const decoded = (value: unknown) => decodeDocument(json(value));

describe('a thread document', () => {
  it('round-trips a report with every optional field, and nothing it did not have', () => {
    const report: ThreadDocument = {
      kind: 'report', category: 'bribery', whatHappened: 'cash for records', whenAndWhere: 'May, the depot', anythingElse: 'twice', contact: 'none', organisationNotSure: false,
    };
    expect(decodeDocument(encodeDocument(report))).toStrictEqual(report);
    expect(decoded({ kind: 'report', category: 'other', whatHappened: 'x' })).toStrictEqual({ kind: 'report', category: 'other', whatHappened: 'x' });
    expect(decoded({ kind: 'report', category: 'other', whatHappened: 'x', organisationNotSure: true })).toStrictEqual({ kind: 'report', category: 'other', whatHappened: 'x', organisationNotSure: true });
  });

  it('is UTF-8 JSON', () => {
    expect(bytesToUtf8(encodeDocument({ kind: 'status', status: 'closed' }))).toBe('{"kind":"status","status":"closed"}');
  });

  it('drops fields the protocol does not know', () => {
    expect(decoded({ kind: 'report', category: 'other', whatHappened: 'x', injected: '<script>' })).toStrictEqual({ kind: 'report', category: 'other', whatHappened: 'x' });
    expect(decoded({ kind: 'message', text: 'hi', extra: 1 })).toStrictEqual({ kind: 'message', text: 'hi' });
    expect(decoded({ kind: 'status', status: 'assessing', text: 'x' })).toStrictEqual({ kind: 'status', status: 'assessing' });
  });

  it('reads a message with or without a status', () => {
    expect(decoded({ kind: 'message', text: '' })).toStrictEqual({ kind: 'message', text: '' });
    expect(decoded({ kind: 'message', text: 'hi', status: 'investigating' })).toStrictEqual({ kind: 'message', text: 'hi', status: 'investigating' });
  });

  it('refuses bytes that are not UTF-8 JSON', () => {
    for (const bytes of [utf8ToBytes('{"kind":'), Uint8Array.of(0xff, 0xfe), new Uint8Array(0)]) {
      expect(refusal(() => decodeDocument(bytes))).toEqual(refused('malformed', 'document is not JSON'));
    }
  });

  it('refuses JSON that is not an object', () => {
    for (const value of [null, 5, 'report', true]) {
      expect(refusal(() => decoded(value)), JSON.stringify(value)).toEqual(refused('malformed', 'document is not an object'));
    }
  });

  it('refuses a document of no known kind, or a message without text', () => {
    for (const value of [{}, [], { kind: 'Report' }, { kind: 'message' }, { kind: 'message', text: 5 }]) {
      expect(refusal(() => decoded(value)), JSON.stringify(value)).toEqual(refused('malformed', 'unknown document kind'));
    }
  });

  it('refuses a status it does not know, in a status document or in a message', () => {
    for (const value of [{ kind: 'status', status: 'lost' }, { kind: 'status' }, { kind: 'message', text: 'hi', status: 'Closed' }, { kind: 'message', text: 'hi', status: null }]) {
      expect(refusal(() => decoded(value)), JSON.stringify(value)).toEqual(refused('malformed', 'unknown status'));
    }
  });

  it('refuses a report without a known category or without text', () => {
    for (const value of [
      { kind: 'report', whatHappened: 'x' }, { kind: 'report', category: 'theft', whatHappened: 'x' }, { kind: 'report', category: 'other' }, { kind: 'report', category: 'other', whatHappened: 7 },
    ]) {
      expect(refusal(() => decoded(value)), JSON.stringify(value)).toEqual(refused('malformed', 'report lacks a category or text'));
    }
  });

  it('refuses optional report fields that are not text, naming the field', () => {
    for (const field of ['whenAndWhere', 'anythingElse', 'contact']) {
      expect(refusal(() => decoded({ kind: 'report', category: 'other', whatHappened: 'x', [field]: 5 }))).toEqual(refused('malformed', `${field} must be text`));
      expect(refusal(() => decoded({ kind: 'report', category: 'other', whatHappened: 'x', [field]: null }))).toEqual(refused('malformed', `${field} must be text`));
    }
  });

  it('refuses "not sure" that is not true or false', () => {
    for (const value of ['yes', 1, null]) {
      expect(refusal(() => decoded({ kind: 'report', category: 'other', whatHappened: 'x', organisationNotSure: value }))).toEqual(
        refused('malformed', 'organisationNotSure must be true or false'),
      );
    }
  });
});

describe('the proof-of-work puzzle', () => {
  it('hashes the label, a zero, the challenge and the 8-byte nonce', () => {
    const [challenge, nonce] = [new Uint8Array(32).fill(1), new Uint8Array(8).fill(2)];
    expect(WORK_NONCE_BYTES).toBe(8);
    expect(workInput(challenge, nonce)).toEqual(concatBytes(utf8ToBytes('parley/v1/proof-of-work'), Uint8Array.of(0), challenge, nonce));
  });

  it('counts leading zero bits across bytes', () => {
    const cases: [number[], number][] = [
      [[0xff], 0], [[0x80, 0], 0], [[0x7f], 1], [[0x01], 7], [[0, 0x80], 8], [[0, 0x0f], 12], [[0, 0, 0x01, 0xff], 23], [[0, 0, 0], 24], [[], 0],
    ];
    for (const [digest, bits] of cases) expect(leadingZeroBits(Uint8Array.from(digest)), digest.join(',')).toBe(bits);
    expect(leadingZeroBits(new Uint8Array(32))).toBe(256);
  });

  it('is solved by the first counter, as u32be(0) ‖ u32be(n), whose hash has enough zero bits', () => {
    for (const fill of [1, 2, 3, 4]) {
      const challenge = new Uint8Array(32).fill(fill);
      for (const bits of [0, 1, 4, 8]) {
        let first = 0;
        const nonceOf = (n: number) => Uint8Array.of(0, 0, 0, 0, n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
        while (leadingZeroBits(sha256(workInput(challenge, nonceOf(first)))) < bits) first++;
        expect(solveProofOfWork(challenge, bits), `challenge ${fill}, ${bits} bits`).toEqual(nonceOf(first));
      }
    }
  });
});

describe('base64url', () => {
  // RFC 4648 §10, in the URL-safe alphabet and without padding.
  const vectors: [string, string][] = [['', ''], ['f', 'Zg'], ['fo', 'Zm8'], ['foo', 'Zm9v'], ['foob', 'Zm9vYg'], ['fooba', 'Zm9vYmE'], ['foobar', 'Zm9vYmFy']];

  it('encodes and decodes the RFC 4648 vectors without padding', () => {
    for (const [plain, encoded] of vectors) {
      expect(bytesToB64(utf8ToBytes(plain))).toBe(encoded);
      expect(b64ToBytes(encoded)).toEqual(utf8ToBytes(plain));
    }
  });

  it('uses - and _ where base64 uses + and /', () => {
    expect(bytesToB64(Uint8Array.of(0xfb, 0xff, 0xbf))).toBe('-_-_');
    expect(b64ToBytes('-_-_')).toEqual(Uint8Array.of(0xfb, 0xff, 0xbf));
    expect(bytesToB64(Uint8Array.from({ length: 256 }, (_, i) => i))).toMatch(/^[A-Za-z0-9_-]+$/);
    const all = Uint8Array.from({ length: 256 }, (_, i) => 255 - i);
    expect(b64ToBytes(bytesToB64(all))).toEqual(all);
  });


  it('refuses a length of 1 mod 4, any character outside the alphabet, and non-zero leftover bits', () => {
    for (const text of ['A', 'AAAAA', 'Zg==', 'Zm9v+', 'Zm/v', 'Zm9v Zg', 'Zm9\u0080', 'Zm9é', 'Zm9\u{1F600}', 'Zh', 'Zm9', 'Zm8=']) {
      expect(b64ToBytes(text), JSON.stringify(text)).toBeNull();
    }
  });

  it('refuses every non-zero bit left over, whichever of the two or four it is', () => {
    // After 2 characters 4 bits are left over (B, C, E, I set one each), after 3 characters 2 (B, C).
    for (const text of ['ZB', 'ZC', 'ZE', 'ZI', 'Zh', 'Zi', 'ZmB', 'ZmC', 'Zmi']) {
      expect(b64ToBytes(text), JSON.stringify(text)).toBeNull();
    }
    expect(b64ToBytes('ZA')).toEqual(Uint8Array.of(0x64));
    expect(b64ToBytes('ZmA')).toEqual(Uint8Array.of(0x66, 0x60));
  });

  it('decodes what Node decodes at every length, and refuses one bad character wherever it stands', () => {
    // The decoder works four characters at a time with a tail of two or three: every position of both is tried.
    for (let length = 0; length <= 40; length++) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 167 + length * 31) & 0xff);
      const text = bytesToB64(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64url'));
      expect(b64ToBytes(text)).toEqual(bytes);
      for (let at = 0; at < text.length; at++) {
        for (const bad of ['=', '+', '/', '.', ' ', '\u0080', '\u00ff', '\u0141']) {
          const broken = text.slice(0, at) + bad + text.slice(at + 1);
          expect(b64ToBytes(broken), JSON.stringify(broken)).toBeNull();
        }
      }
    }
  });
});

describe('bytes', () => {
  it('compare equal only at the same length with every byte the same', () => {
    expect(bytesEqual(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2, 3))).toBe(true);
    expect(bytesEqual(new Uint8Array(0), new Uint8Array(0))).toBe(true);
    expect(bytesEqual(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2))).toBe(false);
    expect(bytesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 2, 3))).toBe(false);
    expect(bytesEqual(Uint8Array.of(1, 2, 3), Uint8Array.of(0, 2, 3))).toBe(false);
    expect(bytesEqual(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2, 2))).toBe(false);
  });

  it('concatenate in order', () => {
    expect(concatBytes(Uint8Array.of(1), new Uint8Array(0), Uint8Array.of(2, 3))).toEqual(Uint8Array.of(1, 2, 3));
    expect(concatBytes()).toEqual(new Uint8Array(0));
  });

  it('refuse to read invalid UTF-8 as text', () => {
    expect(() => bytesToUtf8(Uint8Array.of(0x61, 0xc3))).toThrow(TypeError);
    expect(bytesToUtf8(Uint8Array.of(0x7a, 0x6f, 0xc3, 0xab))).toBe('zoë');
  });
});

describe('a protocol error', () => {
  it('is an Error named ProtocolError that carries its kind and message', () => {
    const error = new ProtocolError('wrong_binding', 'belongs elsewhere');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ProtocolError');
    expect(error.kind).toBe('wrong_binding');
    expect(error.message).toBe('belongs elsewhere');
    expect(String(error)).toBe('ProtocolError: belongs elsewhere');
  });
});
