// Times the reporter's client-side costs with the real protocol code: passphrase → keys
// (Argon2id at the given cost), sealing a 4 KiB message (encrypt + sign), opening it
// (verify + decrypt), generating a passphrase and solving a proof of work. Pure (no DOM, no Node APIs), so the same
// code runs in Node and, bundled, in headless Chromium.
import * as protocol from '../web/protocol/index.js';
import type { KdfParams } from '../web/protocol/index.js';

export interface TimingOptions {
  /** Timed runs of each operation (the figure reported is their median). */
  runs: number;
  kdf: KdfParams;
  /** Fast operations are timed over a batch and divided, for a usable clock resolution. */
  batch: number;
}

export interface ClientTimings {
  deriveKeysMs: number[];
  sealMs: number[];
  openMs: number[];
  generatePassphraseMs: number[];
  proofOfWork: { present: true; bits: number; ms: number[]; hashesPerSecond: number } | { present: true; error: string };
}

/** 3,000 bytes of plaintext: pads to the 4,096 bucket, as in the HTTP benchmark. */
const MESSAGE_BYTES = 3000;

const now = () => performance.now();

function timeBatch(batch: number, run: () => void): number {
  const start = now();
  for (let i = 0; i < batch; i++) run();
  return (now() - start) / batch;
}

// ---- proof of work ------------------------------------------------------------------------
// web/protocol's solveProofOfWork(challenge, bits): 2^bits SHA-256 on average, so one solve's
// time is very random. Its nonce is the attempt number, so the hash rate comes out exactly:
// attempts over time across all solves, and the expected time at any difficulty from that.
export const POW_BITS = 16;
async function timeProofOfWork(solves: number): Promise<ClientTimings['proofOfWork']> {
  const ms: number[] = [];
  let attempts = 0;
  try {
    for (let i = 0; i < solves; i++) {
      const challenge = protocol.randomBytes(protocol.SIZES.challenge);
      const start = now();
      const nonce = protocol.solveProofOfWork(challenge, POW_BITS);
      ms.push(now() - start);
      const view = new DataView(nonce.buffer, nonce.byteOffset, nonce.byteLength);
      attempts += view.getUint32(0) * 2 ** 32 + view.getUint32(4) + 1;
    }
    const seconds = ms.reduce((a, b) => a + b, 0) / 1000;
    return { present: true, bits: POW_BITS, ms, hashesPerSecond: attempts / seconds };
  } catch (error) {
    return { present: true, error: `solveProofOfWork failed: ${String(error)}` };
  }
}
// ---- end of proof of work --------------------------------------------------------------------

/** One passphrase → keys, the first this page makes: the cold cost a reporter pays (Argon2id's memory not yet grown, its code not yet optimised). */
export async function timeFirstDerivation(kdf: TimingOptions['kdf']): Promise<number> {
  await protocol.sodiumReady();
  const salt = protocol.randomBytes(protocol.SIZES.kdfSalt);
  const passphrase = protocol.generatePassphrase();
  const start = now();
  protocol.deriveMailboxKeys(passphrase, salt, kdf);
  return now() - start;
}

export async function timeClientOperations(options: TimingOptions): Promise<ClientTimings> {
  await protocol.sodiumReady();

  const salt = protocol.randomBytes(protocol.SIZES.kdfSalt);
  const deriveKeysMs: number[] = [];
  for (let i = 0; i < options.runs; i++) {
    const passphrase = protocol.generatePassphrase();
    const start = now();
    protocol.deriveMailboxKeys(passphrase, salt, options.kdf);
    deriveKeysMs.push(now() - start);
  }

  const keys = protocol.deriveMailboxKeys(protocol.generatePassphrase(), salt, { opsLimit: 1, memLimitBytes: 8192 });
  const caseKey = protocol.newCaseKey();
  const binding = { caseId: protocol.newId(), messageId: protocol.newId(), role: 'reporter' as const, prev: new Uint8Array(32) };
  const plaintext = protocol.encodeDocument({ kind: 'message', text: 'x'.repeat(MESSAGE_BYTES - protocol.encodeDocument({ kind: 'message', text: '' }).length) });
  const sealMs: number[] = [];
  const openMs: number[] = [];
  const generatePassphraseMs: number[] = [];
  for (let i = 0; i < options.runs; i++) {
    let envelope: Uint8Array = new Uint8Array(0);
    let signature: Uint8Array = new Uint8Array(0);
    sealMs.push(timeBatch(options.batch, () => {
      envelope = protocol.encryptMessage(caseKey, binding, plaintext);
      signature = protocol.signMessage(binding, envelope, keys.sign.privateKey);
    }));
    openMs.push(timeBatch(options.batch, () => {
      protocol.verifyMessage(binding, envelope, signature, keys.sign.publicKey);
      protocol.decryptMessage(caseKey, binding, envelope);
    }));
    generatePassphraseMs.push(timeBatch(options.batch, () => protocol.generatePassphrase()));
  }
  return { deriveKeysMs, sealMs, openMs, generatePassphraseMs, proofOfWork: await timeProofOfWork(options.runs * 4) };
}
