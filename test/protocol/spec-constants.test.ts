// Binds docs/SPEC.md to the code: every constant the spec's Constants table states must equal
// the code's, every label and size the code defines must be in that table, the layouts may use
// only labels it states, and every vector file must be named by the spec (and exist).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  encryptMessage, keyFingerprint, orgKeyringFromSeeds, parsePassphrase, passphraseFromIndices, sealCaseKey, sealOrgKeyring, sodiumReady, utf8ToBytes, wrapSeed,
  THREAD_START, type MessageBinding, type ProtocolErrorKind,
} from '../../web/protocol/index.js';
import { LABEL, MAX_PLAINTEXT_BYTES, PADDING_BUCKETS, PASSPHRASE_RANDOM_WORDS, PASSPHRASE_WORDS, PRODUCTION_KDF, PROTOCOL_VERSION, ROLE, SIZES } from '../../web/protocol/labels.js';
import { WORDLIST_EN } from '../../web/protocol/wordlist-en.js';
import { WORK_HEADER, WORK_NONCE_BYTES } from '../../web/protocol/work-puzzle.js';
import { PROOF_HEADERS } from '../../web/protocol/proof-message.js';
import { CASE_STATUSES, MAX_ATTACHMENT_NAME_CHARS, MAX_ATTACHMENT_TYPE_CHARS, MAX_ATTACHMENTS, REPORT_CATEGORIES } from '../../web/protocol/documents.js';
import { fileChunkAssociatedData, fileChunkNonce } from '../../web/protocol/file-crypto.js';
import { FILE_CHUNK_BYTES, FILE_CHUNK_TAG_BYTES, FILE_MAX_SIZE, FILE_PADDED_FLOOR, FILE_PART_BYTES, FILE_PART_CHUNKS } from '../../web/protocol/file-lengths.js';
import { padToBucket } from '../../web/protocol/padding.js';
import { messageAssociatedData } from '../../web/protocol/binding.js';
import { challengeKey, issueChallenge } from '../../worker/challenge-token.js';
import { hmacSha256 } from '../../worker/server-crypto.js';

const SPEC_URL = new URL('../../docs/SPEC.md', import.meta.url);
const VECTOR_DIR = new URL('../vectors/', import.meta.url);

/** Every ProtocolError kind; tsc refuses this file if one is missing from the list. */
const ERROR_KINDS = ['malformed', 'unsupported_version', 'authentication_failed', 'bad_signature', 'wrong_binding', 'missing_key', 'untrusted_key'] as const satisfies readonly ProtocolErrorKind[];
const everyKindListed: [Exclude<ProtocolErrorKind, (typeof ERROR_KINDS)[number]>] extends [never] ? true : never = true;

/** The text of a `## title` section, up to the next `## `. */
function section(spec: string, title: string): string {
  const start = spec.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`docs/SPEC.md has no "## ${title}" section`);
  const end = spec.indexOf('\n## ', start + 1);
  return spec.slice(start, end < 0 ? undefined : end);
}

function withoutSection(spec: string, title: string): string {
  return spec.replace(section(spec, title), '\n');
}

/** A table value: decimal or 0x integer, a comma-separated list of values, or text. */
function parseValue(text: string): unknown {
  if (text.includes(', ')) return text.split(', ').map(parseValue);
  if (/^\d+$/.test(text)) return Number(text);
  if (/^0x[0-9a-f]+$/i.test(text)) return Number.parseInt(text.slice(2), 16);
  return text;
}

const ROW = /^\| `([^`]+)` \| `([^`]*)` \|/;

/** The Constants table: name → value, refusing rows it cannot read and names stated twice. */
function specConstants(spec: string): Map<string, unknown> {
  const rows = section(spec, 'Constants').split('\n').filter((line) => line.startsWith('| `'));
  const constants = new Map<string, unknown>();
  for (const line of rows) {
    const match = ROW.exec(line);
    if (!match) throw new Error(`docs/SPEC.md: a Constants row the test cannot read: ${line}`);
    if (constants.has(match[1]!)) throw new Error(`docs/SPEC.md states ${match[1]} twice`);
    constants.set(match[1]!, parseValue(match[2]!));
  }
  return constants;
}

function prefixed(prefix: string, object: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).map(([key, value]) => [`${prefix}.${key}`, value]));
}

/** The shortest prefix of every word that a passphrase of long words is still read from. */
function prefixLetters(): number {
  const words = passphraseFromIndices([0, 1, 2, 3, 4, 5, 6, 7]).split(' ');
  for (let n = 1; n <= 8; n++) if (parsePassphrase(words.map((w) => w.slice(0, n)).join(' ')).ok) return n;
  return Number.NaN;
}

/** A measurement; one the code refuses to make reads as what it threw, so it shows as that constant's disagreement. */
function measure(what: () => unknown): unknown {
  try {
    return what();
  } catch (error) {
    return `(throws ${String(error)})`;
  }
}

/**
 * The code's side of every constant, named as the spec names it. Exported constants are read;
 * the ones the code keeps private, and the sizes of whole structures, are measured by using it.
 * Objects are spread key by key, so a label or size added to the code must be added to the spec.
 */
async function codeConstants(): Promise<Record<string, unknown>> {
  const zeros = new Uint8Array(32);
  const keyring = orgKeyringFromSeeds(new Uint8Array(16), 1, zeros, zeros);
  const binding: MessageBinding = { caseId: new Uint8Array(16), messageId: new Uint8Array(16), role: 'reporter', prev: THREAD_START };
  const challenge = await issueChallenge(await challengeKey(zeros), { expiresAtMs: 0, workBits: 0 }, (n) => new Uint8Array(n));
  return {
    PROTOCOL_VERSION,
    ...prefixed('LABEL', LABEL),
    ...prefixed('SIZES', SIZES),
    ...prefixed('PRODUCTION_KDF', PRODUCTION_KDF),
    ...prefixed('ROLE', ROLE),
    PASSPHRASE_RANDOM_WORDS,
    PASSPHRASE_WORDS,
    'WORDLIST_EN.length': WORDLIST_EN.length,
    'WORDLIST_EN.sha256': createHash('sha256').update(WORDLIST_EN.map((word) => `${word}\n`).join('')).digest('hex'),
    PASSPHRASE_PREFIX_LETTERS: measure(prefixLetters),
    PADDING_BUCKETS: [...PADDING_BUCKETS],
    MAX_PLAINTEXT_BYTES,
    PADDING_MARKER: measure(() => padToBucket(new Uint8Array(0))[0]),
    MESSAGE_AD_BYTES: measure(() => messageAssociatedData(binding).length),
    ENVELOPE_BYTES: measure(() => PADDING_BUCKETS.map((bucket) => encryptMessage(zeros, binding, new Uint8Array(bucket - 1)).length)),
    SEALED_CASE_KEY_BYTES: measure(() => sealCaseKey(zeros, new Uint8Array(16), keyring.box.publicKey).length),
    WRAPPED_SEED_BYTES: measure(() => wrapSeed(zeros, zeros, new Uint8Array(16), new Uint8Array(24)).length),
    SEALED_KEYRING_BYTES: measure(() => sealOrgKeyring(keyring, keyring.box.publicKey).length),
    FINGERPRINT_BYTES: measure(() => keyFingerprint(keyring.box.publicKey).replaceAll(' ', '').length / 2),
    WORK_NONCE_BYTES,
    WORK_HEADER,
    ...prefixed('PROOF_HEADERS', PROOF_HEADERS),
    CHALLENGE_FORMAT: challenge[0],
    REPORT_CATEGORIES: REPORT_CATEGORIES.map((category) => category.id),
    CASE_STATUSES: [...CASE_STATUSES],
    MAX_ATTACHMENTS,
    MAX_ATTACHMENT_NAME_CHARS,
    MAX_ATTACHMENT_TYPE_CHARS,
    FILE_CHUNK_BYTES,
    FILE_CHUNK_TAG_BYTES,
    FILE_PART_CHUNKS,
    FILE_PART_BYTES,
    FILE_PADDED_FLOOR,
    FILE_MAX_SIZE,
    FILE_CHUNK_NONCE_BYTES: measure(() => fileChunkNonce(new Uint8Array(16), 0).length),
    FILE_CHUNK_AD_BYTES: measure(() => fileChunkAssociatedData(new Uint8Array(16), 0, true).length),
    ProtocolErrorKind: everyKindListed && [...ERROR_KINDS],
  };
}

/** Constants the code holds only inside a computation: checked by doing it with the spec's value. */
const CHECKED_BY_USE: Record<string, (specValue: unknown) => Promise<boolean>> = {
  async CHALLENGE_KEY_LABEL(label) {
    const secret = utf8ToBytes('any server secret');
    const [key, expected] = [await challengeKey(secret), await hmacSha256(secret, utf8ToBytes(String(label)))];
    return Buffer.from(key).equals(Buffer.from(expected));
  },
};

const spec = readFileSync(SPEC_URL, 'utf8');
let code: Record<string, unknown>;

beforeAll(async () => {
  await sodiumReady();
  code = await codeConstants();
});

describe('docs/SPEC.md and the code', () => {
  it('state each constant once, in rows the test can read', () => {
    expect(specConstants(spec).size).toBeGreaterThan(50);
  });

  it('agree on every constant the code defines', () => {
    const stated = specConstants(spec);
    const disagreements = Object.entries(code)
      .filter(([name, value]) => !stated.has(name) || JSON.stringify(stated.get(name)) !== JSON.stringify(value))
      .map(([name, value]) => `${name}: code ${JSON.stringify(value)}, spec ${stated.has(name) ? JSON.stringify(stated.get(name)) : '(not stated)'}`);
    expect(disagreements, disagreements.join('; ')).toEqual([]);
  });

  it('agree on the constants the code keeps inside a computation', async () => {
    const stated = specConstants(spec);
    for (const [name, check] of Object.entries(CHECKED_BY_USE)) {
      expect(stated.has(name), `${name} is not stated`).toBe(true);
      expect(await check(stated.get(name)), `${name} = ${JSON.stringify(stated.get(name))} is not what the code uses`).toBe(true);
    }
  });

  it('state no constant the test does not hold against the code', () => {
    const unbound = [...specConstants(spec).keys()].filter((name) => !(name in code) && !(name in CHECKED_BY_USE));
    expect(unbound).toEqual([]);
  });

  it('use in the layouts only the labels the Constants table states, and every label of the code', () => {
    const stated = new Set([...specConstants(spec).values()].filter((v): v is string => typeof v === 'string'));
    const prose = withoutSection(spec, 'Constants');
    const used = new Set(prose.match(/parley\/[a-z0-9-]+(?:\/[a-z0-9-]+)+/g) ?? []);
    expect([...used].filter((label) => !stated.has(label))).toEqual([]);
    expect(Object.values(LABEL).filter((label) => !used.has(label))).toEqual([]);
  });

  it('name a vector file for every structure, and only files that exist', () => {
    const named = new Set([...spec.matchAll(/`((?:published\/)?[a-z0-9_-]+\.json)`/g)].map((m) => m[1]!));
    const files = readdirSync(VECTOR_DIR).filter((f) => f.endsWith('.json'));
    expect(files.filter((f) => !named.has(f)), 'vector files the spec does not name').toEqual([]);
    expect([...named].filter((f) => !existsSync(new URL(f, VECTOR_DIR))), 'files the spec names that do not exist').toEqual([]);
  });
});
