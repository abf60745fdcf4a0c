// Abuse resistance without knowing who anyone is: proof of work on submission and mailbox
// access, difficulty that rises with intake, a hard cap that delays but never loses a
// report, per-mailbox failure throttling, and mailbox answers padded to fixed sizes.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { b64ToBytes, generatePassphrase, leadingZeroBits, mailboxProofHeaders, sodiumReady, type MailboxKeys } from '../../web/protocol/index.js';
import { deriveKeysForInstance, fetchInstanceConfig, openMailbox, replyFromMailbox, submitReport } from '../../web/client/reporter.js';
import { RESPONSE_BUCKETS } from '../../worker/padded-json.js';
import { workBitsForIntake } from '../../worker/proof-of-work.js';
import { addOrganisation, makeTestApp, TEST_CONFIG, TEST_KDF, type TestApp } from '../support/test-app.js';
import { draftReport, fileReport } from '../support/reports.js';

let t: TestApp;
beforeAll(sodiumReady);
afterEach(() => t.close());

async function start(overrides: Partial<typeof TEST_CONFIG>): Promise<void> {
  t = makeTestApp({ ...TEST_CONFIG, ...overrides });
  await addOrganisation(t, 'Unit', 'alice');
}

async function challenge(): Promise<{ challenge: string; workBits: number }> {
  return (await (await t.app.request('/api/mailbox/challenge', { method: 'POST' })).json()) as { challenge: string; workBits: number };
}

async function errorCode(res: Response): Promise<string> {
  return `${res.status} ${((await res.json()) as { error: { code: string } }).error.code}`;
}

describe('proof of work', () => {
  it('is required to submit a report, once per challenge, and the client supplies it', async () => {
    await start({ workBits: 10 });
    const { submission } = await draftReport(t.api, 'x');
    const post = (headers: Record<string, string>) => t.app.request('/api/reports', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(submission) });
    expect(await errorCode(await post({}))).toBe('400 work_required');
    const c = await challenge();
    expect(c.workBits).toBe(10);
    expect(await errorCode(await post({ 'parley-challenge': c.challenge, 'parley-work': 'AAAAAAAAAAA' }))).toBe('400 work_required');

    const receipt = await submitReport(t.api, submission);
    expect(receipt.reference).toMatch(/-/);
    // The work the client sent really has the leading zeros (checked here independently).
    const sent = t.received.filter((r) => r.url.endsWith('/api/reports')).at(-1)!;
    const nonce = b64ToBytes(sent.headers['parley-work']!)!;
    const input = new Uint8Array([...new TextEncoder().encode('parley/v1/proof-of-work'), 0, ...b64ToBytes(sent.headers['parley-challenge']!)!, ...nonce]);
    expect(leadingZeroBits(new Uint8Array(await crypto.subtle.digest('SHA-256', input)))).toBeGreaterThanOrEqual(10);
    // The same challenge cannot pay for a second request.
    const replayed = await t.app.request('/api/reports', { method: 'POST', headers: { 'content-type': 'application/json', 'parley-challenge': sent.headers['parley-challenge']!, 'parley-work': sent.headers['parley-work']! }, body: JSON.stringify((await draftReport(t.api, 'x')).submission) });
    expect(await errorCode(replayed)).toBe('400 work_required');
  });

  it('is required for mailbox access too', async () => {
    await start({ workBits: 10 });
    const { keys } = await fileReport(t.api, 'x');
    const c = await challenge();
    const headers = mailboxProofHeaders(keys, b64ToBytes(c.challenge)!, 'GET', '/api/mailbox', new Uint8Array(0));
    expect(await errorCode(await t.app.request('/api/mailbox', { headers }))).toBe('400 work_required');
    await expect(openMailbox(t.api, keys)).resolves.toMatchObject({ status: 'received' });
  });

  it('gets harder as intake passes the cap', async () => {
    expect(workBitsForIntake(16, 10, 600)).toBe(16);
    expect(workBitsForIntake(16, 1200, 600)).toBe(18);
    expect(workBitsForIntake(16, 4800, 600)).toBe(22);
    expect(workBitsForIntake(0, 4800, 600)).toBe(0);
    await start({ workBits: 4, intakePerMinute: 2 });
    for (let i = 0; i < 3; i++) await fileReport(t.api, 'x');
    expect((await challenge()).workBits).toBe(6);
  });
});

describe('a flood', () => {
  it('delays a report past the hard cap and then accepts it: nothing is lost', async () => {
    await start({ intakePerMinute: 1 });
    for (let i = 0; i < 8; i++) await fileReport(t.api, 'x');
    const { keys, submission } = await draftReport(t.api, 'x');
    const refused = await t.app.request('/api/reports', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(submission) });
    expect(await errorCode(refused.clone())).toBe('429 rate_limited');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // The client waits as told (here the test's clock moves instead of real time) and sends again.
    const waits: number[] = [];
    const receipt = await submitReport(t.api, submission, {
      onWait: (seconds) => waits.push(seconds),
      sleep: async (ms) => void (t.clock.now += ms),
    });
    expect(waits.length).toBeGreaterThan(0);
    expect((await openMailbox(t.api, keys)).reference).toBe(receipt.reference);
  });
});

describe('per-mailbox throttling', () => {
  it('slows guessing at one mailbox, alike whether or not it exists, and lets the owner back in', async () => {
    await start({ mailboxThrottle: { freeFailures: 3, firstDelayMs: 10_000, maxDelayMs: 60_000 } });
    const { keys } = await fileReport(t.api, 'x');
    const impostor = deriveKeysForInstance(generatePassphrase(), await fetchInstanceConfig(t.api), TEST_KDF);
    const attempt = async (signer: MailboxKeys, locator: Uint8Array) => {
      const c = await challenge();
      const headers = mailboxProofHeaders({ ...signer, locator }, b64ToBytes(c.challenge)!, 'GET', '/api/mailbox', new Uint8Array(0));
      return errorCode(await t.app.request('/api/mailbox', { headers }));
    };
    const outcomes = async (locator: Uint8Array) => {
      const seen: string[] = [];
      for (let i = 0; i < 5; i++) seen.push(await attempt(impostor, locator));
      return seen;
    };
    const existing = await outcomes(keys.locator);
    const missing = await outcomes(crypto.getRandomValues(new Uint8Array(32)));
    expect(existing).toEqual(['401 mailbox_proof_failed', '401 mailbox_proof_failed', '401 mailbox_proof_failed', '401 mailbox_proof_failed', '429 rate_limited']);
    expect(missing).toEqual(existing);
    // While it waits, even the right passphrase is asked to wait; afterwards it opens.
    await expect(openMailbox(t.api, keys)).rejects.toMatchObject({ code: 'rate_limited' });
    t.clock.now += 11_000;
    await expect(openMailbox(t.api, keys)).resolves.toMatchObject({ status: 'received' });
  });
});

describe('padded mailbox answers', () => {
  it('have the same size whatever the thread holds, within a bucket', async () => {
    await start({});
    const one = await draftReport(t.api, 'x');
    const two = await draftReport(t.api, 'x');
    await submitReport(t.api, one.submission);
    await submitReport(t.api, two.submission);
    const mailbox = await openMailbox(t.api, two.keys);
    for (let i = 0; i < 5; i++) await replyFromMailbox(t.api, two.keys, mailbox, `message ${i}`);
    const sizes: number[] = [];
    for (const keys of [one.keys, two.keys]) {
      const c = await challenge();
      const headers = mailboxProofHeaders(keys, b64ToBytes(c.challenge)!, 'GET', '/api/mailbox', new Uint8Array(0));
      sizes.push((await (await t.app.request('/api/mailbox', { headers })).arrayBuffer()).byteLength);
    }
    expect(sizes[0]).toBe(sizes[1]);
    expect(RESPONSE_BUCKETS as readonly number[]).toContain(sizes[0]);
  });
});
