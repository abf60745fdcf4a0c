// The benchmark server's settings: production settings except where a setting only shapes
// clients or is a policy limit rather than a cost, each said in the results.
import { DEFAULT_CONFIG, type AppConfig } from '../worker/deps.js';
import type { KdfParams } from '../web/protocol/labels.js';

/** Argon2id's minimum (1 pass, 8 KiB): for making bench key pairs only. */
export const BENCH_KDF: KdfParams = Object.freeze({ opsLimit: 1, memLimitBytes: 8 * 1024 });

/** Far above any rate this machine reaches, so the benchmark measures capacity, not the cap. */
export const BENCH_INTAKE_PER_MINUTE = 100_000_000;

export const BENCH_CONFIG: AppConfig = {
  ...DEFAULT_CONFIG,
  // The mailbox KDF only affects clients (the server never runs Argon2id): a tiny cost lets
  // the driver make thousands of distinct mailbox key pairs quickly.
  mailboxKdf: BENCH_KDF,
  investigatorKdf: BENCH_KDF,
  // The intake cap (production: 600 reports a minute, refusals beyond 8×) is a policy limit.
  intakePerMinute: BENCH_INTAKE_PER_MINUTE,
  // Proof of work off: its server side is one SHA-256 per request (~10 µs, under 1 % of a
  // submission), while solving it would make the load generator the bottleneck. The client's
  // cost of solving is measured in the client bench.
  workBits: 0,
};
