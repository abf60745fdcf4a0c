// Issue 11, abuse: junk costs the attacker, not the server. On both runtimes: requests that
// have not paid their proof of work write nothing; password and TOTP guessing stays bounded
// however many guesses arrive at once; a stranger failing at a username does not keep its
// owner out; a wrong clock is named as such.
import { afterEach, describe, expect, it } from 'vitest';
import { b64ToBytes, bytesToB64, leadingZeroBits } from '../../web/protocol/index.js';
import { workInput, WORK_NONCE_BYTES } from '../../web/protocol/work-puzzle.js';
import { signIn } from '../../web/client/investigator.js';
import { ApiClient } from '../../web/client/api.js';
import { fetchInstanceConfig, openMailbox, submitReport } from '../../web/client/reporter.js';
import { totpCodeAt } from '../../worker/totp.js';
import { addOrganisation, makeTestApp, TEST_CONFIG, TEST_KDF, TEST_PASSWORD, type TestApp } from '../support/test-app.js';
import { databaseFilesBytes } from '../support/bytes-search.js';
import { draftReport, fileReport } from '../support/reports.js';
import { API_TARGETS, type ApiTarget, useTarget } from '../support/targets.js';

const random = (n: number) => bytesToB64(crypto.getRandomValues(new Uint8Array(n)));

/** Every row of every Parley table, as text: equal before and after means nothing was written. */
function everyRow(t: ApiTarget): string {
  const tables = t.sql<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' ORDER BY name");
  return JSON.stringify(tables.map(({ name }) => [name, t.sql(`SELECT * FROM "${name}"`)]));
}

async function codeOf(res: Response): Promise<string> {
  return `${res.status} ${((await res.json()) as { error?: { code: string } }).error?.code ?? 'ok'}`;
}

describe.each(API_TARGETS)('on $name', (target) => {
  let t: ApiTarget;
  useTarget(target, (started) => (t = started));

  const wrongSignIn = (username: string, extra: Record<string, unknown> = {}) =>
    t.request('/api/investigator/sessions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, authKey: random(32), totp: '000000', ...extra }) });

  it('writes nothing for challenges, or for requests carrying a challenge it did not issue', async () => {
    // A deployment's very first request records its server secret's check value, once (Workers).
    await t.request('/api/config');
    const before = everyRow(t);
    const forged = { 'parley-challenge': random(32), 'parley-work': random(16) };
    const outcomes = new Set<string>();
    for (let i = 0; i < 20; i++) {
      outcomes.add(await codeOf(await t.request('/api/mailbox/challenge', { method: 'POST' })));
      const proof = { ...forged, 'parley-locator': random(32), 'parley-signature': random(64) };
      outcomes.add(await codeOf(await t.request('/api/mailbox', { headers: proof })));
      outcomes.add(await codeOf(await t.request('/api/reports', { method: 'POST', headers: { ...forged, 'content-type': 'application/json' }, body: '{"junk":' })));
      outcomes.add(await codeOf(await t.request('/api/investigator/sessions', { method: 'POST', headers: { ...forged, 'content-type': 'application/json' }, body: JSON.stringify({ username: `nobody${i}`, authKey: random(32), totp: '123456' }) })));
    }
    expect([...outcomes].sort()).toEqual(['200 ok', '400 work_required', '401 mailbox_proof_failed']);
    expect(everyRow(t)).toBe(before);
  });

  /**
   * Five free failures, then the sixth sets a 1 s wait that every concurrent attempt meets. On
   * workerd the clock is real and a burst takes time: each wait that runs out lets one more in
   * (1 s, then 2 s, 4 s…), so within `seconds` at most log2(seconds + 1) more.
   */
  async function burst(count: number, send: () => Promise<Response>): Promise<{ checked: number; bound: number; answers: string[] }> {
    const started = t.now();
    const answers = await Promise.all(Array.from({ length: count }, () => send().then(codeOf)));
    const seconds = (t.now() - started) / 1000;
    return { answers, checked: answers.filter((a) => a === '401 unauthorised').length, bound: 6 + Math.floor(Math.log2(seconds + 1)) };
  }

  it('checks at most the free guesses plus one when a hundred wrong sign-ins arrive at once', async () => {
    const { answers, checked, bound } = await burst(100, () => wrongSignIn('alice'));
    expect(checked).toBeLessThanOrEqual(bound);
    expect(checked).toBeGreaterThanOrEqual(1);
    expect(answers.filter((a) => a !== '401 unauthorised').every((a) => a === '429 rate_limited')).toBe(true);
    expect(t.sql<{ failures: number }>('SELECT failures FROM attempt_throttle')).toEqual([{ failures: checked }]);
  });

  it('lets the owner in from their known device while a stranger keeps failing at the name', async () => {
    const first = await t.signIn('alice');
    expect(first.deviceToken).toMatch(/^[A-Za-z0-9_-]{22}$/);
    for (let i = 0; i < 12; i++) await wrongSignIn('alice');
    expect(await codeOf(await wrongSignIn('alice'))).toBe('429 rate_limited');
    // The next TOTP step: each code signs in once.
    const credentials = { username: 'alice', password: TEST_PASSWORD, totp: totpCodeAt(t.totpSecret('alice'), t.now() + 30_000) };
    await expect(signIn(t.api, credentials, TEST_KDF)).rejects.toMatchObject({ code: 'rate_limited' });
    const again = await signIn(t.api, { ...credentials, deviceToken: first.deviceToken }, TEST_KDF);
    expect(again.username).toBe('alice');
    // The token buys its own throttle, never a sign-in: wrong guesses with it are bounded alike.
    const withToken = await burst(30, () => wrongSignIn('alice', { deviceToken: first.deviceToken }));
    expect(withToken.checked).toBeLessThanOrEqual(withToken.bound);
    expect(withToken.checked).toBeGreaterThanOrEqual(1);
    // A made-up token is no token: the attempt counts with the strangers', no third counter appears.
    await wrongSignIn('alice', { deviceToken: random(16) });
    expect(t.sql<{ n: number }>('SELECT COUNT(*) AS n FROM attempt_throttle')[0]!.n).toBe(2);
  });

  it('says the clocks differ, rather than that the code is wrong, when the code fits the device’s clock', async () => {
    // This device's clock, and the phone beside it, run three minutes ahead of the server's.
    const ahead = () => t.now() + 3 * 60_000;
    const skewedApi = new ApiClient(t.baseUrl, t.fetch, ahead);
    const credentials = { username: 'alice', password: TEST_PASSWORD, totp: totpCodeAt(t.totpSecret('alice'), ahead()) };
    await expect(signIn(skewedApi, credentials, TEST_KDF)).rejects.toMatchObject({ status: 400, code: 'clock_skew', message: expect.stringMatching(/differ by about 3 minutes/) });
    // A wrong password or a wrong code from the same device is just wrong.
    await expect(signIn(skewedApi, { ...credentials, password: 'not the password' }, TEST_KDF)).rejects.toMatchObject({ code: 'unauthorised' });
    await expect(signIn(skewedApi, { ...credentials, totp: credentials.totp === '000000' ? '111111' : '000000' }, TEST_KDF)).rejects.toMatchObject({ code: 'unauthorised' });
  });
});

describe('with proof of work on (Node, the test moves the clock)', () => {
  let app: TestApp;
  afterEach(() => app.close());
  const everyRowOf = (a: TestApp) => {
    const tables = a.database.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[];
    return JSON.stringify(tables.map(({ name }) => [name, a.database.sqlite.prepare(`SELECT * FROM "${name}"`).all()]));
  };
  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    app.app.request(path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  it('checks the work before reading a body, looking anything up or writing anything', async () => {
    app = makeTestApp({ ...TEST_CONFIG, workBits: 12 });
    await addOrganisation(app, 'Unit', 'alice');
    const before = everyRowOf(app);
    // Malformed bodies meet the work check first: no parsing for the unpaid.
    expect(await codeOf(await post('/api/reports', '{"not json'))).toBe('400 work_required');
    expect(await codeOf(await post('/api/investigator/sessions', '{"username": '))).toBe('400 work_required');
    expect(await codeOf(await post('/api/investigator/totp/confirm', '[1, 2'))).toBe('400 work_required');
    expect(await codeOf(await post('/api/investigator/sessions', JSON.stringify({ username: 'alice', authKey: random(32), totp: '123456' })))).toBe('400 work_required');
    const { challenge } = (await (await app.app.request('/api/mailbox/challenge', { method: 'POST' })).json()) as { challenge: string };
    const unpaid = { 'parley-challenge': challenge, 'parley-locator': random(32), 'parley-signature': random(64) };
    expect(await codeOf(await app.app.request('/api/mailbox', { headers: unpaid }))).toBe('400 work_required');
    expect(everyRowOf(app)).toBe(before);
  });

  it('asks for the difficulty of the moment the challenge is spent, not of when it was issued', async () => {
    app = makeTestApp({ ...TEST_CONFIG, workBits: 4, intakePerMinute: 2 });
    await addOrganisation(app, 'Unit', 'alice');
    const early = (await (await app.app.request('/api/mailbox/challenge', { method: 'POST' })).json()) as { challenge: string; workBits: number };
    expect(early.workBits).toBe(4);
    // A nonce with exactly 4 or 5 leading zero bits: enough then, too little once the flood starts.
    const challengeBytes = b64ToBytes(early.challenge)!;
    let nonce: Uint8Array;
    do nonce = crypto.getRandomValues(new Uint8Array(WORK_NONCE_BYTES));
    while (![4, 5].includes(leadingZeroBits(new Uint8Array(await crypto.subtle.digest('SHA-256', workInput(challengeBytes, nonce) as Uint8Array<ArrayBuffer>)))));
    const config = await fetchInstanceConfig(app.api);
    for (let i = 0; i < 3; i++) await fileReport(app.api, `flood ${i}`, { config });
    const { submission: late } = await draftReport(app.api, 'late', { config });
    expect(await codeOf(await post('/api/reports', JSON.stringify(late), { 'parley-challenge': early.challenge, 'parley-work': bytesToB64(nonce) }))).toBe('400 work_required');
    // The client fetches a new challenge at the new difficulty and gets through.
    await expect(submitReport(app.api, late)).resolves.toMatchObject({ reference: expect.any(String) });
  });

  it('does not turn a short wait into a long one when the clock goes back', async () => {
    app = makeTestApp({ ...TEST_CONFIG, signInThrottle: { freeFailures: 1, firstDelayMs: 1000, maxDelayMs: 15 * 60_000 } });
    await addOrganisation(app, 'Unit', 'alice');
    const wrong = async () => codeOf(await post('/api/investigator/sessions', JSON.stringify({ username: 'alice', authKey: random(32), totp: '123456' })));
    expect(await wrong()).toBe('401 unauthorised');
    expect(await wrong()).toBe('401 unauthorised'); // sets a 1 s wait
    app.clock.now -= 60 * 60_000;
    expect(await wrong()).toBe('401 unauthorised');
  });

  it('keeps no time of a report finer than its day, in any table or the write-ahead log', async () => {
    app = makeTestApp({ ...TEST_CONFIG, workBits: 4 });
    await addOrganisation(app, 'Unit', 'alice');
    app.clock.now = Date.UTC(2026, 10, 23, 14, 37, 12, 345);
    const { keys } = await fileReport(app.api, 'when?');
    await openMailbox(app.api, keys);
    const stored = databaseFilesBytes(app.dbPath);
    const found: string[] = [];
    // Every minute within ten of the report, and the second and millisecond of it and of its challenge's expiry.
    for (let offset = -10; offset <= 10; offset++) {
      const minute = Math.floor(app.clock.now / 60_000) + offset;
      for (const marker of timeMarkers(minute, 4)) if (stored.includes(marker)) found.push(`minute ${offset}`);
    }
    for (const ms of [app.clock.now, app.clock.now + TEST_CONFIG.challengeTtlMs]) {
      for (const marker of [...timeMarkers(ms, 6), ...timeMarkers(Math.floor(ms / 1000), 4), ...timeMarkers(Math.ceil(ms / 1000) * 1000, 6)]) if (stored.includes(marker)) found.push(`instant ${ms}`);
    }
    expect(found).toEqual([]);
  });
});

/** How SQLite would hold a number: big-endian in `width` bytes, as a rowid or key varint, or as decimal text. */
function timeMarkers(value: number, width: number): Buffer[] {
  const bytes = Buffer.alloc(width);
  bytes.writeUIntBE(value, 0, width);
  const groups: number[] = [];
  for (let rest = value; groups.length === 0 || rest > 0; rest = Math.floor(rest / 128)) groups.unshift(rest % 128);
  const varint = Buffer.from(groups.map((g, i) => (i < groups.length - 1 ? g | 0x80 : g)));
  return [bytes, varint, Buffer.from(String(value))];
}
