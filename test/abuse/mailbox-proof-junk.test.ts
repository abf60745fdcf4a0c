// Junk at the mailbox door, from a prober with a good challenge but no passphrase: missing,
// truncated or overlong proof headers. Each is refused as any failed proof is (no 500, no hint),
// and junk that names no mailbox starts no wait, for the prober or for anyone else; a proof
// against a real mailbox's locator does count. On Node, with no free failures, so the first
// counted failure shows at once.
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bytesToB64, sodiumReady, type MailboxKeys } from '../../web/protocol/index.js';
import { PROOF_HEADERS } from '../../web/protocol/proof-message.js';
import { openMailbox } from '../../web/client/reporter.js';
import { addOrganisation, makeTestApp, TEST_CONFIG, type TestApp } from '../support/test-app.js';
import { fileReport } from '../support/reports.js';

let t: TestApp;
let keys: MailboxKeys;
beforeAll(sodiumReady);
beforeEach(async () => {
  t = makeTestApp({ ...TEST_CONFIG, mailboxThrottle: { freeFailures: 0, firstDelayMs: 60_000, maxDelayMs: 60_000 } });
  await addOrganisation(t, 'Unit', 'alice');
  ({ keys } = await fileReport(t.api, 'report'));
});
afterEach(() => t.close());

const random = (n: number) => bytesToB64(crypto.getRandomValues(new Uint8Array(n)));

async function challenge(): Promise<string> {
  return ((await (await t.app.request('/api/mailbox/challenge', { method: 'POST' })).json()) as { challenge: string }).challenge;
}

/** A GET of the mailbox with a fresh, good challenge and whatever other proof headers are given. */
async function probe(headers: Record<string, string>): Promise<string> {
  const res = await t.app.request('/api/mailbox', { headers: { [PROOF_HEADERS.challenge]: await challenge(), ...headers } });
  return `${res.status} ${((await res.json()) as { error?: { code: string } }).error?.code ?? 'ok'}`;
}

const counters = () => (t.database.sqlite.prepare('SELECT COUNT(*) AS n FROM attempt_throttle').get() as { n: number }).n;
const FAILED = '401 mailbox_proof_failed';

describe('a prober with a good challenge', () => {
  it('and no locator or proof at all is refused, twice, with no wait and no counter', async () => {
    expect([await probe({}), await probe({})]).toEqual([FAILED, FAILED]);
    expect(await probe({ [PROOF_HEADERS.signature]: random(64) })).toBe(FAILED);
    expect(counters()).toBe(0);
  });

  it('and a locator of the wrong length is refused with no wait and no counter', async () => {
    for (const locator of [random(31), random(33), random(31)]) expect(await probe({ [PROOF_HEADERS.locator]: locator, [PROOF_HEADERS.signature]: random(64) })).toBe(FAILED);
    expect(counters()).toBe(0);
    await expect(openMailbox(t.api, keys)).resolves.toMatchObject({ status: 'received' });
  });

  it('and a real mailbox’s locator but no proof, or a truncated one, is refused and counted against that locator', async () => {
    expect(await probe({ [PROOF_HEADERS.locator]: bytesToB64(keys.locator) })).toBe(FAILED);
    expect(counters()).toBe(1);
    // Now that locator waits, whatever is sent with it.
    expect(await probe({ [PROOF_HEADERS.locator]: bytesToB64(keys.locator), [PROOF_HEADERS.signature]: random(63) })).toBe('429 rate_limited');
    t.clock.now += 60_000;
    expect(await probe({ [PROOF_HEADERS.locator]: bytesToB64(keys.locator), [PROOF_HEADERS.signature]: random(63) })).toBe(FAILED);
    await expect(openMailbox(t.api, keys)).rejects.toMatchObject({ code: 'rate_limited' });
  });
});
