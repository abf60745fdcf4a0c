// Valid, unique report submissions made with the real client code: a fresh passphrase and
// key pair per report (cheap bench KDF), a fresh case id, message id and case key, and a
// report whose plaintext pads to the chosen bucket (4 KiB by default).
import { generatePassphrase, encodeDocument, PADDING_BUCKETS, SIZES, type MailboxKeys, type ReportDocument } from '../web/protocol/index.js';
import { b64ToBytes } from '../web/protocol/encoding.js';
import { buildReportSubmission, deriveKeysForInstance } from '../web/client/reporter.js';
import type { SubmitReportBody } from '../web/client/wire-types.js';
import type { VerifiedConfig as InstanceConfig, VerifiedOrganisation as PublicOrganisation } from '../web/client/reporter.js';
import { BENCH_KDF } from './bench-config.js';

const SENTENCE = 'On the evening in question the officer took cash from the driver and let him go without a ticket, then asked me not to mention it. ';

/** A report whose encoded plaintext is exactly `plaintextBytes` long (ASCII text). */
export function reportOfSize(plaintextBytes: number): ReportDocument {
  const base: ReportDocument = { kind: 'report', category: 'bribery', whatHappened: '' };
  const overhead = encodeDocument(base).length;
  if (plaintextBytes < overhead) throw new RangeError(`a report needs at least ${overhead} bytes`);
  const text = SENTENCE.repeat(Math.ceil(plaintextBytes / SENTENCE.length)).slice(0, plaintextBytes - overhead);
  return { ...base, whatHappened: text };
}

/** The bucket a plaintext of this length pads to. */
export function bucketOf(plaintextBytes: number): number {
  const bucket = PADDING_BUCKETS.find((size) => plaintextBytes < size);
  if (bucket === undefined) throw new RangeError(`${plaintextBytes} bytes fit no bucket`);
  return bucket;
}

/** A mid-length report: 3,000 bytes of plaintext pad to the 4,096 bucket (a 4,137-byte envelope). */
export const REPORT_PLAINTEXT_BYTES = 3000;

export function newMailboxKeys(config: InstanceConfig): MailboxKeys {
  return deriveKeysForInstance(generatePassphrase(), config, BENCH_KDF);
}

export function makeSubmission(config: InstanceConfig, org: PublicOrganisation, report: ReportDocument): { keys: MailboxKeys; body: SubmitReportBody } {
  const keys = newMailboxKeys(config);
  return { keys, body: buildReportSubmission(keys, org, report) };
}

/** `count` submissions as JSON text, checked once to carry an envelope of the expected bucket. */
export function makeSubmissionBodies(config: InstanceConfig, org: PublicOrganisation, count: number, plaintextBytes: number): string[] {
  const report = reportOfSize(plaintextBytes);
  const expectedEnvelope = 1 + SIZES.nonce + bucketOf(plaintextBytes) + SIZES.aeadTag;
  const bodies: string[] = [];
  for (let i = 0; i < count; i++) {
    const { body } = makeSubmission(config, org, report);
    if (i === 0 && b64ToBytes(body.report.envelope)?.length !== expectedEnvelope) throw new Error('submission envelope is not the expected bucket size');
    bodies.push(JSON.stringify(body));
  }
  return bodies;
}
