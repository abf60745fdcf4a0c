// Runs every known-answer vector in test/vectors/ and checks the files are what the generator makes.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { PRODUCTION_KDF, sodiumReady } from '../../web/protocol/index.js';
import { runVector, type TestVector } from '../support/vector-runner.js';
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
];

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
});

describe('runVector', () => {
  for (const file of files) {
    it(file, () => {
      expect(runVector(JSON.parse(fileText(file)))).toEqual({ ok: true });
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
