// Security invariants: the server and its database never hold plaintext, the passphrase,
// an IP address or a user agent. Markers are planted in everything a person writes and
// in identifying headers, then searched for in the database files and received bodies.
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { sodiumReady, generatePassphrase } from '../../web/protocol/index.js';
import { ApiClient } from '../../web/client/api.js';
import { buildReportSubmission, deriveKeysForInstance, fetchInstanceConfig, openMailbox, replyFromMailbox, submitReport } from '../../web/client/reporter.js';
import { openCase, listCases, replyToCase, setCaseStatus, signIn } from '../../web/client/investigator.js';
import { addOrganisation, makeTestApp, TEST_KDF, TEST_PASSWORD, type TestApp } from '../support/test-app.js';
import { databaseFilesBytes, markersFound } from '../support/bytes-search.js';

const MARKERS = {
  report: 'MARKER-REPORT-7f3a9c',
  when: 'MARKER-WHEN-1b2d4e',
  contact: 'MARKER-CONTACT-9e8d7c',
  question: 'MARKER-QUESTION-5a6b7c',
  answer: 'MARKER-ANSWER-3c2b1a',
  userAgent: 'MarkerAgent/31.337 (ParleyUA-4d5e6f)',
  ip: '203.0.113.199',
  ipv6: '2001:db8::beef:1234',
};

let t: TestApp;
const logged: string[] = [];
beforeAll(sodiumReady);
beforeEach(async () => {
  t = makeTestApp();
  await addOrganisation(t, 'Anti-Corruption Unit', 'alice');
  logged.length = 0;
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' ')));
  }
});
afterEach(() => {
  vi.restoreAllMocks();
  t.close();
});

/** Every request carries identifying headers a proxy or browser might add. */
function identifyingApi(): ApiClient {
  return new ApiClient(t.api.baseUrl, (input, init) =>
    t.fetch(input, {
      ...init,
      headers: {
        ...(init.headers as Record<string, string>),
        'user-agent': MARKERS.userAgent,
        'x-forwarded-for': `${MARKERS.ip}, ${MARKERS.ipv6}`,
        'x-real-ip': MARKERS.ip,
        'cf-connecting-ip': MARKERS.ip,
        forwarded: `for="[${MARKERS.ipv6}]"`,
      },
    }),
  );
}

describe('what the server holds', () => {
  it('never holds plaintext, the passphrase, an IP address or a user agent', async () => {
    const api = identifyingApi();
    const passphrase = generatePassphrase();
    const config = await fetchInstanceConfig(api);
    const keys = deriveKeysForInstance(passphrase, config, TEST_KDF);
    await submitReport(api, buildReportSubmission(keys, config.organisations[0]!, {
      kind: 'report', category: 'domestic_abuse', whatHappened: MARKERS.report, whenAndWhere: MARKERS.when, contact: MARKERS.contact,
    }));
    const session = await signIn(api, 'alice', TEST_PASSWORD, TEST_KDF);
    const [summary] = await listCases(api, session);
    const opened = await openCase(api, session, summary!.id);
    await replyToCase(api, session, opened, MARKERS.question);
    const mailbox = await openMailbox(api, keys);
    await replyFromMailbox(api, keys, mailbox, MARKERS.answer);
    await setCaseStatus(api, session, opened.id, 'closed');
    expect((await openMailbox(api, keys)).entries.map((e) => e.document.kind === 'message' && e.document.text)).toContain(MARKERS.answer);

    const secrets = [MARKERS.report, MARKERS.when, MARKERS.contact, MARKERS.question, MARKERS.answer, passphrase, TEST_PASSWORD];
    const identity = [MARKERS.userAgent, 'ParleyUA-4d5e6f', MARKERS.ip, MARKERS.ipv6];
    // Each passphrase word alone is too common to search for; pairs of words are not.
    const words = passphrase.split(' ');
    const wordPairs = words.slice(1).map((w, i) => `${words[i]} ${w}`);

    const stored = databaseFilesBytes(t.dbPath);
    expect(stored.length).toBeGreaterThan(0);
    expect(markersFound(stored, [...secrets, ...identity, ...wordPairs])).toEqual([]);

    const bodies = Buffer.concat(t.received.map((r) => Buffer.from(r.body)));
    expect(t.received.length).toBeGreaterThan(8);
    expect(markersFound(bodies, [...secrets, ...wordPairs])).toEqual([]);
    expect(t.received.every((r) => !r.url.includes(words[0]!))).toBe(true);

    expect(markersFound(Buffer.from(logged.join('\n')), [...secrets, ...identity])).toEqual([]);
  });

  it('the planted markers are findable when present, so the search itself works', async () => {
    // Guards the test above against a search that can never match (e.g. a wrong file).
    t.database.sqlite.prepare('CREATE TABLE canary (v TEXT)').run();
    t.database.sqlite.prepare('INSERT INTO canary VALUES (?)').run(MARKERS.report);
    expect(markersFound(databaseFilesBytes(t.dbPath), [MARKERS.report])).toEqual([MARKERS.report]);
  });
});
