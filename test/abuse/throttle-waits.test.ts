// How long a guesser, and a person who slips, is made to wait, to the millisecond; what they are
// told; when a wait is forgiven; and what the throttle keeps (a hash, never a name). On Node,
// where the test moves the server's clock (docs/PROTOCOL.md §12).
import { createHash, createHmac } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { b64ToBytes, bytesToB64, generatePassphrase, mailboxProofHeaders, sodiumReady } from '../../web/protocol/index.js';
import { deriveKeysForInstance, fetchInstanceConfig, openMailbox } from '../../web/client/reporter.js';
import { PROOF_HEADERS } from '../../web/protocol/proof-message.js';
import { signIn } from '../../web/client/investigator.js';
import { totpCodeAt } from '../../worker/totp.js';
import { addOrganisation, makeTestApp, TEST_CONFIG, TEST_KDF, TEST_PASSWORD, type TestApp } from '../support/test-app.js';
import { fileReport } from '../support/reports.js';

let t: TestApp;
let totpSecret: string;
beforeAll(sodiumReady);
afterEach(() => t.close());

async function start(overrides: Partial<typeof TEST_CONFIG> = {}): Promise<void> {
  t = makeTestApp({ ...TEST_CONFIG, ...overrides });
  ({ totpSecret } = await addOrganisation(t, 'Unit', 'alice'));
}

const random = (n: number) => bytesToB64(crypto.getRandomValues(new Uint8Array(n)));

/** The answer as a person would read it: status, code, message, and Retry-After when there is one. */
async function answerOf(res: Response): Promise<string> {
  if (res.ok) return `${res.status}`;
  const { error } = (await res.json()) as { error: { code: string; message: string } };
  const retry = res.headers.get('retry-after');
  return `${res.status} ${error.code}${error.code === 'rate_limited' ? `: ${error.message}` : ''}${retry === null ? '' : ` (Retry-After ${retry})`}`;
}

/** A guess at alice's password from a stranger's computer (no device token). */
const guess = async (username = 'alice', extra: Record<string, unknown> = {}) =>
  answerOf(await t.app.request('/api/investigator/sessions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, authKey: random(32), totp: '000000', ...extra }) }));

const WRONG = '401 unauthorised';
const wait = (seconds: number) => `429 rate_limited: Too many attempts. Try again in ${seconds} second${seconds === 1 ? '' : 's'}. (Retry-After ${seconds})`;

describe('a guesser at one username', () => {
  it('gets five free guesses and a sixth, all at once; then waits 1 s, 2 s, 4 s, told each time how long', async () => {
    await start();
    for (let i = 0; i < 6; i++) expect(await guess()).toBe(WRONG);
    // The sixth set a 1 s wait, from this very millisecond.
    expect(await guess()).toBe(wait(1));
    t.clock.now += 999;
    expect(await guess()).toBe(wait(1));
    t.clock.now += 1;
    expect(await guess()).toBe(WRONG); // the seventh: 2 s
    expect(await guess()).toBe(wait(2));
    t.clock.now += 1_001;
    expect(await guess()).toBe(wait(1)); // 999 ms left: rounded up, never "0 seconds"
    t.clock.now += 999;
    expect(await guess()).toBe(WRONG); // the eighth: 4 s
    t.clock.now += 3_999;
    expect(await guess()).toBe(wait(1));
    t.clock.now += 1;
    expect(await guess()).toBe(WRONG);
  });

  it('waits no longer than the ceiling, and with no free guesses waits from the first', async () => {
    await start({ signInThrottle: { freeFailures: 0, firstDelayMs: 1_000, maxDelayMs: 3_000 } });
    const waits: string[] = [];
    for (let i = 0; i < 4; i++) {
      expect(await guess()).toBe(WRONG);
      waits.push(await guess());
      t.clock.now += 3_000;
    }
    expect(waits).toEqual([wait(1), wait(2), wait(3), wait(3)]);
  });

  it('waits as long for an unknown name as for a real one, and one name’s wait is not another’s', async () => {
    await start({ signInThrottle: { freeFailures: 1, firstDelayMs: 5_000, maxDelayMs: 60_000 } });
    const real = [await guess('alice'), await guess('alice'), await guess('alice')];
    const unknown = [await guess('nobody'), await guess('nobody'), await guess('nobody')];
    expect(real).toEqual([WRONG, WRONG, wait(5)]);
    expect(unknown).toEqual(real);
  });
});

describe('the owner who slipped', () => {
  it('and then signed in has their slips forgotten: the next visit starts with every free try again', async () => {
    await start();
    for (let i = 0; i < 5; i++) expect(await guess()).toBe(WRONG);
    t.clock.now += 30_000;
    await signIn(t.api, { username: 'alice', password: TEST_PASSWORD, totp: totpCodeAt(totpSecret, t.clock.now) }, TEST_KDF);
    // Same millisecond: had the slips been kept, the sign-in would have been the sixth and set a wait.
    const after: string[] = [];
    for (let i = 0; i < 6; i++) after.push(await guess());
    expect(after).toEqual(Array(6).fill(WRONG));
  });
});

describe('a mailbox whose locator a stranger knows', () => {
  it('forgets the stranger’s failures when its owner opens it, so they never add up to a wait for the owner', async () => {
    await start({ mailboxThrottle: { freeFailures: 2, firstDelayMs: 60_000, maxDelayMs: 60_000 } });
    const { keys } = await fileReport(t.api, 'report');
    const stranger = deriveKeysForInstance(generatePassphrase(), await fetchInstanceConfig(t.api), TEST_KDF);
    // The right locator, signed with a key that is not the mailbox's.
    const strangerTries = async () => {
      const { challenge } = (await (await t.app.request('/api/mailbox/challenge', { method: 'POST' })).json()) as { challenge: string };
      const headers = mailboxProofHeaders({ ...stranger, locator: keys.locator }, b64ToBytes(challenge)!, 'GET', '/api/mailbox', new Uint8Array(0));
      return answerOf(await t.app.request('/api/mailbox', { headers }));
    };
    const twoFailures = ['401 mailbox_proof_failed', '401 mailbox_proof_failed'];
    expect([await strangerTries(), await strangerTries()]).toEqual(twoFailures);
    await expect(openMailbox(t.api, keys)).resolves.toMatchObject({ status: 'received' });
    expect([await strangerTries(), await strangerTries()]).toEqual(twoFailures);
    await expect(openMailbox(t.api, keys)).resolves.toMatchObject({ status: 'received' });
    // Three in a row, with no visit by the owner between, do make everyone wait.
    expect([await strangerTries(), await strangerTries(), await strangerTries()]).toEqual([...twoFailures, '401 mailbox_proof_failed']);
    await expect(openMailbox(t.api, keys)).rejects.toMatchObject({ code: 'rate_limited' });
  });
});

describe('a mailbox wait when the server’s clock goes back', () => {
  it('is not stretched: a one-minute wait does not become an hour and a minute', async () => {
    await start({ mailboxThrottle: { freeFailures: 0, firstDelayMs: 60_000, maxDelayMs: 60 * 60_000 } });
    const { keys } = await fileReport(t.api, 'report');
    const stranger = deriveKeysForInstance(generatePassphrase(), await fetchInstanceConfig(t.api), TEST_KDF);
    const { challenge } = (await (await t.app.request('/api/mailbox/challenge', { method: 'POST' })).json()) as { challenge: string };
    const headers = mailboxProofHeaders({ ...stranger, locator: keys.locator }, b64ToBytes(challenge)!, 'GET', '/api/mailbox', new Uint8Array(0));
    expect(await answerOf(await t.app.request('/api/mailbox', { headers }))).toBe('401 mailbox_proof_failed');
    // Within the minute the owner is asked to wait, as anyone is…
    t.clock.now += 59_000;
    await expect(openMailbox(t.api, keys)).rejects.toMatchObject({ code: 'rate_limited' });
    // …but once the server's clock is set back an hour, the wait on record is longer than one failure explains.
    t.clock.now -= 60 * 60_000;
    await expect(openMailbox(t.api, keys)).resolves.toMatchObject({ status: 'received' });
  });
});

describe('what the throttle keeps', () => {
  // SHA-256("parley/throttle/" ‖ kind ‖ 0x00 ‖ value), base64url: docs/PROTOCOL.md §12.
  const documentedKey = (kind: string, value: string) => createHash('sha256').update(`parley/throttle/${kind}\u0000${value}`).digest('base64url');
  const keys = () => (t.database.sqlite.prepare('SELECT key_hash AS k FROM attempt_throttle ORDER BY k').all() as { k: string }[]).map((r) => r.k).sort();

  it('is a hash of the name under the documented kind, for strangers and for the owner’s known device alike', async () => {
    await start();
    t.clock.now += 30_000;
    const { deviceToken } = await signIn(t.api, { username: 'alice', password: TEST_PASSWORD, totp: totpCodeAt(totpSecret, t.clock.now) }, TEST_KDF);
    expect(keys()).toEqual([]); // a good sign-in leaves nothing behind
    await guess('alice');
    await guess('alice', { deviceToken });
    expect(keys()).toEqual([documentedKey('sign_in', 'alice'), documentedKey('sign_in_known_device', 'alice')].sort());
    expect(JSON.stringify(t.database.sqlite.prepare('SELECT * FROM attempt_throttle').all())).not.toContain('alice');
  });

  it('needs no row for a known device: its token is the documented MAC of the name, which the server can make again', async () => {
    await start();
    t.clock.now += 30_000;
    const { deviceToken } = await signIn(t.api, { username: 'alice', password: TEST_PASSWORD, totp: totpCodeAt(totpSecret, t.clock.now) }, TEST_KDF);
    // HMAC-SHA256(HMAC-SHA256(serverSecret, "parley/device-token-key/1"), username)[0..16], base64url: docs/PROTOCOL.md §12.
    const key = createHmac('sha256', t.serverSecret).update('parley/device-token-key/1').digest();
    expect(deviceToken).toBe(createHmac('sha256', key).update('alice').digest().subarray(0, 16).toString('base64url'));
  });

  it('is a hash of the locator’s hash for a mailbox', async () => {
    await start();
    const locator = crypto.getRandomValues(new Uint8Array(32));
    const { challenge } = (await (await t.app.request('/api/mailbox/challenge', { method: 'POST' })).json()) as { challenge: string };
    const headers = { [PROOF_HEADERS.challenge]: challenge, [PROOF_HEADERS.locator]: bytesToB64(locator), [PROOF_HEADERS.signature]: random(64) };
    expect(await answerOf(await t.app.request('/api/mailbox', { headers }))).toBe('401 mailbox_proof_failed');
    expect(keys()).toEqual([documentedKey('mailbox', createHash('sha256').update(locator).digest('base64url'))]);
  });
});
