// Security invariants: the server and its database never hold plaintext, the passphrase,
// an IP address or a user agent. Markers are planted in everything a person writes and
// in identifying headers, then searched for in the stored bytes, received bodies and what
// the server logs. On Node (in-process) and on workerd (whose output wrangler passes to
// this process's console, so the same spies catch it).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { bytesToB64, generatePassphrase } from '../../web/protocol/index.js';
import { ApiClient } from '../../web/client/api.js';
import { buildReportSubmission, deriveKeysForInstance, fetchInstanceConfig, openMailbox, replyFromMailbox, submitReport } from '../../web/client/reporter.js';
import { openCase, listCases, replyToCase, setCaseStatus } from '../../web/client/investigator.js';
import { TEST_KDF, TEST_PASSWORD } from '../support/test-app.js';
import { markersFound } from '../support/bytes-search.js';
import { nodeTarget, startWorkerdTarget, type ApiTarget, type TargetKind, useTarget } from '../support/targets.js';

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

// describe.each: one file, both runtimes (see loop.test.ts). workerd at log level 'log',
// so everything the worker prints, not just its errors, reaches the spies.
const TARGETS: readonly TargetKind[] = [nodeTarget, { name: 'workerd', start: () => startWorkerdTarget({ logLevel: 'log' }) }];

describe.each(TARGETS)('on $name', (target) => {
  let t: ApiTarget;
  const logged: string[] = [];
  useTarget(target, (started) => (t = started));
  beforeEach(async () => {
    logged.length = 0;
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' ')));
    }
  });
  afterEach(() => {
    vi.restoreAllMocks();
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
      t.api.clock,
    );
  }

  describe('what the server holds', () => {
    it('never holds plaintext, the passphrase, an IP address or a user agent', async () => {
      const api = identifyingApi();
      const passphrase = generatePassphrase();
      const config = await fetchInstanceConfig(api);
      const keys = deriveKeysForInstance(passphrase, config, TEST_KDF);
      const receipt = await submitReport(api, buildReportSubmission(keys, config.organisations[0]!, {
        kind: 'report', category: 'domestic_abuse', whatHappened: MARKERS.report, whenAndWhere: MARKERS.when, contact: MARKERS.contact,
      }));
      const session = await t.signIn('alice', api);
      const [summary] = await listCases(api, session);
      const opened = await openCase(api, session, summary!.id);
      await replyToCase(api, session, opened, MARKERS.question);
      const mailbox = await openMailbox(api, keys);
      await replyFromMailbox(api, keys, mailbox, MARKERS.answer);
      await setCaseStatus(api, session, opened, 'closed');
      expect((await openMailbox(api, keys)).entries.map((e) => e.document?.kind === 'message' && e.document.text)).toContain(MARKERS.answer);

      const secrets = [MARKERS.report, MARKERS.when, MARKERS.contact, MARKERS.question, MARKERS.answer, passphrase, TEST_PASSWORD];
      const identity = [MARKERS.userAgent, 'ParleyUA-4d5e6f', MARKERS.ip, MARKERS.ipv6];
      // Each passphrase word alone is too common to search for; pairs of words are not.
      const words = passphrase.split(' ');
      const wordPairs = words.slice(1).map((w, i) => `${words[i]} ${w}`);

      const stored = t.storedBytes();
      expect(stored.length).toBeGreaterThan(0);
      // What the server did store is found, so the search looks where the server writes.
      expect(markersFound(stored, [receipt.reference, bytesToB64(keys.sign.publicKey)])).toHaveLength(2);
      expect(markersFound(stored, [...secrets, ...identity, ...wordPairs])).toEqual([]);

      const bodies = Buffer.concat(t.received.map((r) => Buffer.from(r.body)));
      expect(t.received.length).toBeGreaterThan(8);
      expect(markersFound(bodies, [...secrets, ...wordPairs])).toEqual([]);
      // Single words are no evidence (URLs hold "case", "report" and "test", all BIP39 words);
      // the passphrase and any two of its words in a row are.
      expect(t.received.filter((r) => markersFound(Buffer.from(decodeURIComponent(r.url)), [passphrase, ...wordPairs]).length > 0)).toEqual([]);

      expect(markersFound(Buffer.from(logged.join('\n')), [...secrets, ...identity])).toEqual([]);
    });

    it('the planted markers are findable when present, so the search itself works', async () => {
      // Guards the test above against a search that can never match (e.g. a wrong file).
      t.sql('CREATE TABLE canary (v TEXT)');
      t.sql('INSERT INTO canary VALUES (?)', MARKERS.report);
      expect(markersFound(t.storedBytes(), [MARKERS.report])).toEqual([MARKERS.report]);
      t.sql('DROP TABLE canary');
    });

    it('the server’s own log output reaches the spies, so the log search itself works', async () => {
      // Guards the log assertion above: an error inside the server must show up in `logged`.
      t.sql('ALTER TABLE organisations RENAME TO organisations_away');
      try {
        expect((await t.request('/api/config')).status).toBe(500);
      } finally {
        t.sql('ALTER TABLE organisations_away RENAME TO organisations');
      }
      await vi.waitFor(() => expect(logged.join('\n')).toContain('internal error on GET /api/config'));
    });
  });
});
