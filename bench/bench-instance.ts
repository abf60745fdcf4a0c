// A Parley instance to benchmark: a temp SQLite file with one organisation, the bench server
// over it in its own process, and the client's view of it (instance config, organisation).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openNodeDatabase } from '../db/open-node.js';
import { findOrganisation } from '../db/repo/organisations.js';
import { createOrganisation } from '../scripts/create-organisation.js';
import { ApiClient } from '../web/client/api.js';
import { fetchInstanceConfig, submitReport, verifiedOrganisation } from '../web/client/reporter.js';
import { publicOrganisations } from '../worker/public-organisations.js';
import type { VerifiedConfig as InstanceConfig, VerifiedOrganisation as PublicOrganisation } from '../web/client/reporter.js';
import type { MailboxKeys } from '../web/protocol/index.js';
import { BENCH_KDF } from './bench-config.js';
import { startBenchServer, type BenchServer } from './bench-server-process.js';
import { makeSubmission, reportOfSize } from './submissions.js';

export interface BenchDatabase {
  dir: string;
  dbPath: string;
  orgId: string;
  /** The organisation's public side, as /api/config lists it. */
  org: PublicOrganisation;
  remove(): void;
}

/** A temp database with the migrations applied and one organisation (made client-side, cheap KDF). */
export async function createBenchDatabase(prefix = 'parley-bench-'): Promise<BenchDatabase> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const dbPath = join(dir, 'parley.sqlite');
  const remove = () => rmSync(dir, { recursive: true, force: true });
  const database = openNodeDatabase(dbPath);
  try {
    // The server secret only seals the administrator's TOTP secret, which no bench request uses.
    const serverSecret = crypto.getRandomValues(new Uint8Array(32));
    const { orgId } = await createOrganisation(database.db, { orgName: 'Bench Anti-Corruption Unit', username: 'bench', password: 'bench password, not secret', kdf: BENCH_KDF, now: Date.now(), serverSecret });
    const row = (await findOrganisation(database.db, orgId))!;
    const org = verifiedOrganisation((await publicOrganisations(database.db, [row]))[0]!);
    return { dir, dbPath, orgId, org, remove };
  } catch (error) {
    database.close();
    remove();
    throw error;
  } finally {
    if (database.sqlite.open) database.close();
  }
}

export interface BenchInstance {
  server: BenchServer;
  api: ApiClient;
  config: InstanceConfig;
  org: PublicOrganisation;
}

export async function startBenchInstance(db: BenchDatabase): Promise<BenchInstance> {
  const server = await startBenchServer(db.dbPath);
  try {
    const api = new ApiClient(server.url);
    const config = await fetchInstanceConfig(api);
    const org = config.organisations.find((o) => o.id === db.orgId);
    if (!org) throw new Error('bench organisation missing from /api/config');
    return { server, api, config, org };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

/** Reports submitted through the API by the real client; their keys open the mailboxes. */
export async function submitReportsForMailboxes(instance: BenchInstance, count: number, plaintextBytes: number): Promise<MailboxKeys[]> {
  const report = reportOfSize(plaintextBytes);
  const keys: MailboxKeys[] = [];
  for (let i = 0; i < count; i++) {
    const made = makeSubmission(instance.config, instance.org, report);
    await submitReport(instance.api, made.body);
    keys.push(made.keys);
  }
  return keys;
}
