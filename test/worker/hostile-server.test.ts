// A server that lies (threat 6): one attack per test, each by rewriting what the real server
// answers or the rows it stores, on Node and on workerd. Each is caught by the client before it
// seals anything or shows anything, and nothing is ever sealed to a substituted key.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  b64ToBytes, bytesToB64, endorseOrgKeyVersion, generatePassphrase, newCaseKey, newOrgKeyring, openCaseKey, ProtocolError, sealCaseKey, type MailboxKeys,
} from '../../web/protocol/index.js';
import { ApiClient, type Fetch } from '../../web/client/api.js';
import { buildReportSubmission, deriveKeysForInstance, fetchInstanceConfig, openMailbox, verifiedOrganisation } from '../../web/client/reporter.js';
import { listCases, openCase, replyToCase, setCaseStatus, type InvestigatorSession } from '../../web/client/investigator.js';
import { acceptInvite, createInvite, grantKeyring, listMembers, rotateKeys } from '../../web/client/admin.js';
import type { InstanceConfig, PublicOrganisation } from '../../web/client/wire-types.js';
import { TEST_KDF, TEST_PASSWORD } from '../support/test-app.js';
import { decodesToCurvePoint, isAcceptableEd25519PublicKey } from '../../worker/ed25519-strict.js';
import { API_TARGETS, type ApiTarget, useTarget } from '../support/targets.js';
import { draftReport, fileReport } from '../support/reports.js';

describe.each(API_TARGETS)('on $name', (target) => {
  let t: ApiTarget;
  useTarget(target, (started) => (t = started));

  /** A client whose server rewrites the JSON of answers to `path`. */
  function lyingApi(path: string, rewrite: (body: Record<string, unknown>) => Record<string, unknown>): ApiClient {
    const lying: Fetch = async (input, init) => {
      const response = await t.fetch(input, init);
      if (new URL(String(input)).pathname !== path) return response;
      return Response.json(rewrite((await response.json()) as Record<string, unknown>), { status: response.status });
    };
    return new ApiClient(t.baseUrl, lying, t.api.clock);
  }

  const unit = (config: Record<string, unknown>) => (config as unknown as InstanceConfig).organisations[0]!;
  // Made once the engine is chosen (useTarget's beforeAll awaits sodiumReady first).
  let attacker: ReturnType<typeof newOrgKeyring>;
  beforeAll(() => {
    attacker = newOrgKeyring(new Uint8Array(16));
  });

  it('substituting the organisation’s box key in the config: the organisation is refused, nothing sealed to the attacker', async () => {
    const lying = lyingApi('/api/config', (config) => {
      const org = unit(config);
      org.boxPublicKey = bytesToB64(attacker.box.publicKey);
      org.keyChain[org.keyChain.length - 1]!.boxPublicKey = bytesToB64(attacker.box.publicKey);
      return config;
    });
    const verified = await fetchInstanceConfig(lying);
    expect(verified.organisations).toEqual([]);
    expect(verified.unverifiable.map((o) => o.name)).toEqual(['Anti-Corruption Unit']);
  });

  it('substituting only the displayed keys: the report is sealed to the key the chain proves, which the attacker cannot open', async () => {
    const lying = lyingApi('/api/config', (config) => {
      unit(config).boxPublicKey = bytesToB64(attacker.box.publicKey);
      return config;
    });
    const [org] = (await fetchInstanceConfig(lying)).organisations;
    const keys = deriveKeysForInstance(generatePassphrase(), await fetchInstanceConfig(t.api), TEST_KDF);
    const submission = buildReportSubmission(keys, org!, { kind: 'report', category: 'other', whatHappened: 'x' });
    expect(() => openCaseKey(b64ToBytes(submission.orgCaseKey.sealedCaseKey)!, b64ToBytes(submission.caseId)!, attacker.box)).toThrow(ProtocolError);
  });

  it('substituting a whole key chain of the attacker’s own: refused against the pinned anchor, and its fingerprint differs', async () => {
    const genuine = (await fetchInstanceConfig(t.api)).organisations[0]!;
    const orgId = b64ToBytes(genuine.id)!;
    const forged = newOrgKeyring(orgId);
    const endorsement = endorseOrgKeyVersion(orgId, { keyVersion: 1, boxPublicKey: forged.box.publicKey, signPublicKey: forged.sign.publicKey }, forged.sign.privateKey);
    const forgedOrg: PublicOrganisation = {
      ...genuine,
      boxPublicKey: bytesToB64(forged.box.publicKey),
      signPublicKey: bytesToB64(forged.sign.publicKey),
      keyVersion: 1,
      keyChain: [{ keyVersion: 1, boxPublicKey: bytesToB64(forged.box.publicKey), signPublicKey: bytesToB64(forged.sign.publicKey), endorsement: bytesToB64(endorsement) }],
    };
    expect(() => verifiedOrganisation(forgedOrg, { [genuine.id]: genuine.anchor })).toThrow(expect.objectContaining({ kind: 'untrusted_key' }));
    expect(verifiedOrganisation(forgedOrg, {}).anchor).not.toBe(genuine.anchor);
  });

  it('substituting a newcomer’s key before access is given: the administrator’s device refuses to seal to it', async () => {
    const alice = await t.signIn('alice');
    const { token } = await createInvite(t.api, alice, { kind: 'member', role: 'investigator' });
    await acceptInvite(t.api, token, 'carol', TEST_PASSWORD, TEST_KDF, TEST_KDF);
    t.sql('UPDATE investigators SET box_public_key = ? WHERE username = ?', bytesToB64(attacker.box.publicKey), 'carol');
    const carol = (await listMembers(t.api, alice)).members.find((m) => m.username === 'carol')!;
    await expect(grantKeyring(t.api, alice, carol)).rejects.toMatchObject({ kind: 'untrusted_key' });
    expect(t.sql<{ n: number }>('SELECT COUNT(*) AS n FROM org_keyrings WHERE investigator_id = ?', carol.id)[0]!.n).toBe(0);
  });

  it('substituting a member’s key before a rotation: the rotation seals nothing', async () => {
    const alice = await t.signIn('alice');
    const { token } = await createInvite(t.api, alice, { kind: 'member', role: 'investigator' });
    await acceptInvite(t.api, token, 'dave', TEST_PASSWORD, TEST_KDF, TEST_KDF);
    await grantKeyring(t.api, alice, (await listMembers(t.api, alice)).members.find((m) => m.username === 'dave')!);
    t.sql('UPDATE investigators SET box_public_key = ? WHERE username = ?', bytesToB64(attacker.box.publicKey), 'dave');
    await expect(rotateKeys(t.api, alice)).rejects.toMatchObject({ kind: 'untrusted_key' });
    expect(t.sql<{ n: number }>('SELECT COUNT(*) AS n FROM org_key_versions')[0]!.n).toBe(1);
  });

  it('substituting the mailbox’s sealed case key: the reporter’s client refuses it and seals nothing under it', async () => {
    const { keys, submission: { caseId } } = await fileReport(t.api, 'the real report');
    // Anyone may seal a key to the mailbox's public box key; only the mailbox key can sign it.
    const forgedKey = sealCaseKey(newCaseKey(), b64ToBytes(caseId)!, keys.box.publicKey);
    t.sql('UPDATE mailboxes SET sealed_case_key = ? WHERE case_id = ?', bytesToB64(forgedKey), caseId);
    await expect(openMailbox(t.api, keys)).rejects.toMatchObject({ kind: 'bad_signature' });
  });

  it('substituting the organisation’s sealed case key: the case is flagged in the list, never opened with it', async () => {
    const { submission: { caseId } } = await fileReport(t.api, 'sealed to the unit');
    const org = (await fetchInstanceConfig(t.api)).organisations[0]!;
    const forgedKey = sealCaseKey(newCaseKey(), b64ToBytes(caseId)!, b64ToBytes(org.boxPublicKey)!);
    t.sql('UPDATE case_keys SET sealed_case_key = ? WHERE case_id = ?', bytesToB64(forgedKey), caseId);
    const alice = await t.signIn('alice');
    expect((await listCases(t.api, alice)).map((c) => c.reportProblem)).toEqual(['bad_signature']);
    await expect(openCase(t.api, alice, caseId)).rejects.toMatchObject({ kind: 'bad_signature' });
  });

  it('registering a small-order signing key (one that "verifies" forged signatures on a lax server): refused', async () => {
    const { submission } = await draftReport(t.api, 'x');
    const identity = bytesToB64(Uint8Array.from({ length: 32 }, (_, i) => (i === 0 ? 1 : 0)));
    const res = await t.request('/api/reports', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...submission, mailbox: { ...submission.mailbox, signPublicKey: identity } }) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'invalid_body', message: expect.stringContaining('mailbox.signPublicKey') });
    expect(t.sql<{ n: number }>('SELECT COUNT(*) AS n FROM cases')[0]!.n).toBe(0);
  });

  it('registering a mailbox key that is no curve point (canonical, not of small order): refused by the signatures it must make, nothing stored', async () => {
    const { submission } = await draftReport(t.api, 'x');
    // The first y (little-endian) for which -x² + y² = 1 + d·x²·y² has no solution.
    const y = Array.from({ length: 100 }, (_, i) => Uint8Array.from({ length: 32 }, (_, j) => (j === 0 ? i + 2 : 0))).find((key) => !decodesToCurvePoint(key))!;
    expect(isAcceptableEd25519PublicKey(y)).toBe(false);
    const res = await t.request('/api/reports', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...submission, mailbox: { ...submission.mailbox, signPublicKey: bytesToB64(y) } }) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_body');
    expect(t.sql<{ n: number }>('SELECT COUNT(*) AS n FROM cases')[0]!.n).toBe(0);
  });

  async function threadWithQuestions(alice: InvestigatorSession) {
    const { keys, submission: { caseId } } = await fileReport(t.api, 'the report');
    for (const question of ['first question', 'second question']) await replyToCase(t.api, alice, await openCase(t.api, alice, caseId), question);
    return { keys, caseId };
  }

  const shown = async (keys: MailboxKeys) => (await openMailbox(t.api, keys)).entries.map((e) => (e.document === null ? `unverified (${e.problem})` : e.document.kind === 'message' ? e.document.text : e.document.kind));

  it('forging a status: the reporter sees the status the unit signed, not the server’s', async () => {
    const alice = await t.signIn('alice');
    const { keys, caseId } = await threadWithQuestions(alice);
    await setCaseStatus(t.api, alice, await openCase(t.api, alice, caseId), 'investigating');
    t.sql("UPDATE cases SET status = 'no_further_action' WHERE id = ?", caseId);
    expect((await openMailbox(t.api, keys)).status).toBe('investigating');
  });

  it('dropping a message: the one after the gap does not verify', async () => {
    const alice = await t.signIn('alice');
    const { keys } = await threadWithQuestions(alice);
    t.sql("DELETE FROM messages WHERE seq = 2");
    expect(await shown(keys)).toEqual(['report', 'unverified (bad_signature)']);
  });

  it('reordering messages: both moved messages fail to verify in their new places', async () => {
    const alice = await t.signIn('alice');
    const { keys } = await threadWithQuestions(alice);
    t.sql('UPDATE messages SET seq = seq + 100 WHERE seq IN (2, 3)');
    t.sql('UPDATE messages SET seq = 2 WHERE seq = 103');
    t.sql('UPDATE messages SET seq = 3 WHERE seq = 102');
    expect(await shown(keys)).toEqual(['report', 'unverified (bad_signature)', 'unverified (bad_signature)']);
  });
});
