// The instance the workerd benchmark runs against: a real workerd over local D1 (scripts/lib/workerd.ts)
// holding four organisations — the unit whose routes are measured, a large unit of 10,000 seeded
// cases and an empty one (for the member removal), and a unit that receives passed-on cases —
// each founded the way `npm run setup` founds one, with its administrator signed in through the
// real client. Every client request goes through a RouteMeter (bench/workers-cpu.ts).
import Database from 'better-sqlite3';
import { eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import * as schema from '../db/schema.js';
import type { ParleyDb } from '../db/database.js';
import { createOrganisation, type CreatedOrganisation } from '../scripts/create-organisation.js';
import { startLocalWorker, type LocalWorker } from '../scripts/lib/workerd.js';
import { ApiClient } from '../web/client/api.js';
import { acceptInvite, confirmTotp, createInvite, grantKeyring, listMembers } from '../web/client/admin.js';
import { signIn, type InvestigatorSession } from '../web/client/investigator.js';
import { bytesToB64, sodiumReady, type KdfParams } from '../web/protocol/index.js';
import { totpCodeAt } from '../worker/totp.js';
import { childWorkerds, RouteMeter } from './workers-cpu.js';
import { seedReports } from './seed.js';

/** Cheap Argon2id for the clients' keys (the server offers it); client-side work is not measured. */
export const KDF: KdfParams = Object.freeze({ opsLimit: 1, memLimitBytes: 64 * 1024 });
export const PASSWORD = 'bench password, not secret';

export interface Unit extends CreatedOrganisation {
  name: string;
  admin: InvestigatorSession;
}

export interface Fixture {
  t: LocalWorker;
  meter: RouteMeter;
  api: ApiClient;
  /** The unit whose routes are measured. */
  hot: Unit;
  /** Holds `largeCases` seeded cases. */
  large: Unit;
  /** Holds no cases. */
  empty: Unit;
  /** Receives the cases the hot unit passes on. */
  receiver: Unit;
  largeCases: number;
  seedSeconds: number;
  close(): Promise<void>;
}

const UNITS = { hot: ['Anti-Corruption Unit', 'alice'], large: ['Large Unit', 'lara'], empty: ['Empty Unit', 'emil'], receiver: ['Receiving Unit', 'rhys'] } as const;

export async function startFixture(options: { assetsDir: string; largeCases: number; inspector?: boolean }): Promise<Fixture> {
  await sodiumReady();
  const serverSecret = crypto.getRandomValues(new Uint8Array(32));
  const created = {} as Record<keyof typeof UNITS, CreatedOrganisation>;
  let seedSeconds = 0;
  const t = await startLocalWorker({
    assetsDir: options.assetsDir,
    inspector: options.inspector ?? false,
    vars: {
      PARLEY_KDF_OPS_LIMIT: String(KDF.opsLimit),
      PARLEY_KDF_MEMORY_BYTES: String(KDF.memLimitBytes),
      PARLEY_CHALLENGE_TTL_SECONDS: '600',
      PARLEY_WORK_BITS: '0',
      PARLEY_MAILBOX_FREE_FAILURES: '1000',
      PARLEY_PUBLIC_FIGURES: 'on',
      PARLEY_SERVER_SECRET: bytesToB64(serverSecret),
    },
    // Founded and seeded before workerd opens the file: the seeder wants it to itself.
    async beforeStart(d1File) {
      const sqlite = new Database(d1File);
      try {
        const db = drizzle(sqlite, { schema }) as unknown as ParleyDb;
        for (const [key, [orgName, username]] of Object.entries(UNITS) as [keyof typeof UNITS, readonly [string, string]][]) {
          created[key] = await createOrganisation(db, { orgName, username, password: PASSWORD, kdf: KDF, now: Date.now(), serverSecret });
        }
      } finally {
        sqlite.close();
      }
      seedSeconds = seedReports(d1File, { orgId: created.large.orgId, keyVersion: 1, count: options.largeCases, known: [], assignee: created.large.memberId, dueForDeletion: 0 }).seconds;
    },
  });
  try {
    // workerd opens the D1 file at its first query, which is how its process is told apart.
    await (await fetch(`${t.url}/api/config`)).arrayBuffer();
    const meter = new RouteMeter(childWorkerds(t.persistTo));
    const api = new ApiClient(t.url, meter.fetch);
    const unit = async (key: keyof typeof UNITS): Promise<Unit> => {
      const [name, username] = UNITS[key];
      const admin = await signIn(api, { username, password: PASSWORD, totp: totpCodeAt(created[key].totpSecret, Date.now()) }, KDF);
      return { ...created[key], name, admin };
    };
    return { t, meter, api, hot: await unit('hot'), large: await unit('large'), empty: await unit('empty'), receiver: await unit('receiver'), largeCases: options.largeCases, seedSeconds, close: () => t.close() };
  } catch (error) {
    await t.close();
    throw error;
  }
}

/**
 * A member who joined the unit by invitation, confirmed their authenticator and was given the
 * organisation's keys by the administrator's device (as the console does it). Returns their id.
 */
export async function joinWithKeys(api: ApiClient, admin: InvestigatorSession, username: string): Promise<string> {
  const { token } = await createInvite(api, admin, { kind: 'member', role: 'investigator' });
  const account = await acceptInvite(api, token, username, PASSWORD, KDF, KDF);
  await confirmTotp(api, username, account.authKey, totpCodeAt(account.totp.secret, Date.now()));
  const member = (await listMembers(api, admin)).members.find((m) => m.username === username)!;
  await grantKeyring(api, admin, member);
  return member.id;
}

/** Lets a member sign in again within the same 30 s TOTP step (each code is good once): bench state only. */
export function forgetTotpStep(t: LocalWorker, memberId: string): void {
  t.db.update(schema.members).set({ totpLastStep: 0 }).where(eq(schema.members.id, memberId)).run();
}
