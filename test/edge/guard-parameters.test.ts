// D1 binds at most 100 parameters to one statement (better-sqlite3 far more, so Node alone would
// not notice). A write's guards name members by id: a key rotation names every member it gives
// the new keys to (up to 400). Here, on Miniflare's D1, a unit of 120 members rotates, and one
// of them leaves with a rotation, through the same steps the routes write.
import { Miniflare } from 'miniflare';
import type { D1Database } from '@cloudflare/workers-types/latest';
import { drizzle } from 'drizzle-orm/d1';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as schema from '../../db/schema.js';
import type { ParleyDb } from '../../db/database.js';
import { runAtomically } from '../../db/atomic.js';
import { addKeyringStatements, removeMemberStatements, startRotationSteps } from '../../db/repo/accounts.js';
import { createOrganisation } from '../../scripts/create-organisation.js';
import { webCryptoRandomBytes } from '../../worker/deps.js';
import { TEST_KDF, TEST_PASSWORD } from '../support/test-app.js';
import { migrateD1 } from '../support/counting-d1.js';

const MEMBERS = 120;
const refusals = { changed: new Error('changed'), pending: new Error('pending'), membersChanged: new Error('members changed') };

describe('guards naming many members, on D1', () => {
  let mf: Miniflare;
  let raw: D1Database;
  let db: ParleyDb;
  let orgId: string;
  let ids: string[];

  beforeAll(async () => {
    mf = new Miniflare({ modules: true, script: 'export default { fetch() { return new Response(null, { status: 404 }); } }', d1Databases: ['DB'] });
    raw = (await mf.getD1Database('DB')) as unknown as D1Database;
    await migrateD1(raw);
    db = drizzle(raw, { schema }) as unknown as ParleyDb;
    const unit = await createOrganisation(db, { orgName: 'Large unit', username: 'admin', password: TEST_PASSWORD, kdf: TEST_KDF, now: Date.now(), serverSecret: webCryptoRandomBytes(32) });
    orgId = unit.orgId;
    // The administrator's row and keyring, copied for each other member (only ids and names differ).
    const columns = Object.keys((await raw.prepare('SELECT * FROM investigators WHERE id = ?').bind(unit.memberId).first())!);
    const copied = columns.map((c) => (c === 'id' ? '?1' : c === 'username' ? '?2' : c)).join(', ');
    ids = [unit.memberId];
    for (let i = 1; i < MEMBERS; i++) {
      const id = `member-${i}`;
      await raw.prepare(`INSERT INTO investigators (${columns.join(', ')}) SELECT ${copied} FROM investigators WHERE id = ?3`).bind(id, `member${i}`, unit.memberId).run();
      await raw.prepare('INSERT INTO org_keyrings (org_id, investigator_id, key_version, sealed_keyring, confirmed) SELECT org_id, ?1, key_version, sealed_keyring, confirmed FROM org_keyrings WHERE investigator_id = ?2').bind(id, unit.memberId).run();
      ids.push(id);
    }
  }, 120_000);
  afterAll(() => mf?.dispose());

  const rotationTo = (memberIds: readonly string[]) => ({
    orgId, fromVersion: 1, boxPublicKey: 'box', signPublicKey: 'sign', endorsement: 'endorsement', createdBy: ids[0]!, createdAt: Date.now(),
    keyrings: memberIds.map((memberId) => ({ memberId, sealedKeyring: `sealed for ${memberId}` })),
  });
  const pendingKeyrings = async () => ((await raw.prepare('SELECT COUNT(*) AS n FROM org_keyrings WHERE key_version = 2').first()) as { n: number }).n;

  it(`gives ${MEMBERS} members a keyring in one write, and a removal with its rotation over the rest`, async () => {
    // Leaving one holder out is refused by the write, with every id in its guards.
    await expect(runAtomically(db, startRotationSteps(db, rotationTo(ids.slice(1)), refusals))).rejects.toBe(refusals.membersChanged);
    await expect(runAtomically(db, addKeyringStatements(db, orgId, ids.map((memberId) => ({ memberId, keyVersion: 2, sealedKeyring: 'x' })), refusals.membersChanged))).resolves.toBeUndefined();
    await raw.prepare('DELETE FROM org_keyrings WHERE key_version = 2').run();
    expect(await pendingKeyrings()).toBe(0);

    const leaving = ids.at(-1)!;
    await runAtomically(db, [...removeMemberStatements(db, orgId, leaving, Date.now(), new Error('no such member')), ...startRotationSteps(db, rotationTo(ids.slice(0, -1)), refusals)]);
    expect(await pendingKeyrings()).toBe(MEMBERS - 1);
  }, 60_000);
});
