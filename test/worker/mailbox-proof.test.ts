// The mailbox proof: indistinguishable failures, no replay, no stale challenges, and a
// reporter's client that rejects anything the server altered. On Node and on workerd.
import { beforeEach, describe, expect, it } from 'vitest';
import { bytesToB64, b64ToBytes, generatePassphrase, mailboxProofHeaders, type MailboxKeys } from '../../web/protocol/index.js';
import { deriveKeysForInstance, openMailbox } from '../../web/client/reporter.js';
import { listCases, openCase, replyToCase } from '../../web/client/investigator.js';
import { TEST_KDF } from '../support/test-app.js';
import { API_TARGETS, type ApiTarget, useTarget } from '../support/targets.js';
import { fileReport } from '../support/reports.js';

// describe.each: one file, both runtimes (see loop.test.ts).
describe.each(API_TARGETS)('on $name', (target) => {
  let t: ApiTarget;
  let keys: MailboxKeys;
  useTarget(target, (started) => (t = started));
  beforeEach(async () => {
    ({ keys } = await fileReport(t.api, 'report'));
  });

  async function challenge(): Promise<Uint8Array> {
    const res = await t.request('/api/mailbox/challenge', { method: 'POST' });
    return b64ToBytes(((await res.json()) as { challenge: string }).challenge)!;
  }

  async function signedGet(signingKeys: MailboxKeys, c?: Uint8Array): Promise<{ res: Response; headers: Record<string, string> }> {
    const headers = mailboxProofHeaders(signingKeys, c ?? (await challenge()), 'GET', '/api/mailbox', new Uint8Array(0));
    return { res: await t.request('/api/mailbox', { headers }), headers };
  }

  function otherKeys(): MailboxKeys {
    return deriveKeysForInstance(generatePassphrase(), { protocolVersion: 1, mailboxKdf: { salt: bytesToB64(new Uint8Array(16)), ...TEST_KDF }, organisations: [] }, TEST_KDF);
  }

  describe('mailbox proof', () => {
    it('opens the mailbox with a fresh, correctly signed challenge', async () => {
      const { res } = await signedGet(keys);
      expect(res.status).toBe(200);
    });

    it('answers an unknown mailbox and a wrong proof identically', async () => {
      const unknown = await signedGet(otherKeys());
      // Right locator, signature by a different key.
      const wrongKey = otherKeys();
      const wrongProof = await signedGet({ ...wrongKey, locator: keys.locator });
      expect(unknown.res.status).toBe(401);
      expect(wrongProof.res.status).toBe(401);
      expect(await unknown.res.text()).toBe(await wrongProof.res.text());
      // Header names only: values such as Date may differ between any two responses.
      expect([...unknown.res.headers.keys()].sort()).toEqual([...wrongProof.res.headers.keys()].sort());
    });

    it('takes comparable time for an unknown mailbox and a wrong proof (medians, interleaved)', async () => {
      // Not a benchmark: a guard that the two paths do the same work (both verify a signature).
      const stranger = otherKeys();
      const impostor = { ...otherKeys(), locator: keys.locator };
      const times: Record<'unknown' | 'wrong', number[]> = { unknown: [], wrong: [] };
      for (let i = 0; i < 60; i++) {
        for (const [kind, k] of [['unknown', stranger], ['wrong', impostor]] as const) {
          const c = await challenge();
          const start = performance.now();
          const { res } = await signedGet(k, c);
          times[kind].push(performance.now() - start);
          expect(res.status).toBe(401);
        }
      }
      const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
      const ratio = median(times.unknown) / median(times.wrong);
      expect(ratio).toBeGreaterThan(1 / 3);
      expect(ratio).toBeLessThan(3);
    });

    it('refuses a replayed proof', async () => {
      const c = await challenge();
      const first = await signedGet(keys, c);
      expect(first.res.status).toBe(200);
      const replay = await t.request('/api/mailbox', { headers: first.headers });
      expect(replay.status).toBe(401);
    });

    it('opens the mailbox once for the same proof sent twice at once: the challenge is spent by one of them', async () => {
      const headers = mailboxProofHeaders(keys, await challenge(), 'GET', '/api/mailbox', new Uint8Array(0));
      const both = await Promise.all([t.request('/api/mailbox', { headers }), t.request('/api/mailbox', { headers })]);
      expect(both.map((res) => res.status).sort()).toEqual([200, 401]);
    });

    it('refuses a stale challenge', async () => {
      const c = await challenge();
      await t.letChallengesExpire();
      expect((await signedGet(keys, c)).res.status).toBe(401);
    });

    it('refuses a challenge the server never issued', async () => {
      expect((await signedGet(keys, crypto.getRandomValues(new Uint8Array(32)))).res.status).toBe(401);
    });

    it('refuses a proof moved to another route or body', async () => {
      const headers = mailboxProofHeaders(keys, await challenge(), 'GET', '/api/mailbox', new Uint8Array(0));
      const moved = await t.request('/api/mailbox/messages', { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: '{}' });
      expect(moved.status).toBe(401);
    });
  });

  describe('a server that alters the thread', () => {
    async function withQuestion(): Promise<void> {
      const session = await t.signIn('alice');
      const [summary] = await listCases(t.api, session);
      await replyToCase(t.api, session, await openCase(t.api, session, summary!.id), 'A question');
    }

    function tamper(column: 'envelope' | 'signature'): void {
      const [row] = t.sql<{ id: string; value: string }>(`SELECT id, ${column} AS value FROM messages WHERE role = 'organisation'`);
      const bytes = b64ToBytes(row!.value)!;
      bytes[bytes.length - 1]! ^= 0x01;
      t.sql(`UPDATE messages SET ${column} = ? WHERE id = ?`, bytesToB64(bytes), row!.id);
    }

    // Each is one unverifiable message: the report still opens, and nothing blames the passphrase.
    const problems = async () => (await openMailbox(t.api, keys)).entries.map((e) => (e.document === null ? e.problem : e.document.kind));

    it('is caught when a reply envelope is altered', async () => {
      await withQuestion();
      tamper('envelope');
      expect(await problems()).toEqual(['report', 'bad_signature']);
    });

    it('is caught when a reply signature is altered', async () => {
      await withQuestion();
      tamper('signature');
      expect(await problems()).toEqual(['report', 'bad_signature']);
    });

    it('is caught when a reply is attributed to the reporter', async () => {
      await withQuestion();
      t.sql(`UPDATE messages SET role = 'reporter', org_id = NULL WHERE role = 'organisation'`);
      expect(await problems()).toEqual(['report', 'bad_signature']);
    });
  });
});
