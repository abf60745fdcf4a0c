// The Workers entry point (worker/entry-workers.ts) in workerd as wrangler.toml deploys it:
// production settings when no vars are set, pages from the ASSETS binding behind the app's
// headers, the cron's clean-up, and a clear error in the one shape when a binding is missing.
import { bytesToB64 } from '../../web/protocol/encoding.js';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRODUCTION_KDF } from '../../web/protocol/index.js';
import * as schema from '../../db/schema.js';
import type { ParleyDb } from '../../db/database.js';
import { createOrganisation } from '../../scripts/create-organisation.js';
import { DEFAULT_CONFIG } from '../../worker/deps.js';
import { EnvironmentError } from '../../worker/config-vars.js';
import { readWorkersEnv } from '../../worker/env-workers.js';
import { applyD1Migrations, d1DatabaseFile, ROOT, startWorkerd, type WorkerdServer } from '../support/workerd.js';
import { TEST_KDF, TEST_PASSWORD } from '../support/test-app.js';

const PAGE = '<!doctype html><title>Parley test page</title>';

/** Local address:port (as /proc/net/tcp writes them) of the listening sockets of workerd processes this process started. */
function workerdListeningAddresses(): string[] {
  const workerdPids = readdirSync('/proc').filter((name) => {
    if (!/^\d+$/.test(name)) return false;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8').trim();
      const match = /^\d+ \((.*)\) \S+ (\d+)/.exec(stat);
      return match?.[1] === 'workerd' && Number(match[2]) === process.pid;
    } catch {
      return false; // exited meanwhile
    }
  });
  const inodes = new Set(workerdPids.flatMap((pid) => readdirSync(`/proc/${pid}/fd`).flatMap((fd) => {
    try {
      return [/^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1]].filter((inode): inode is string => inode !== undefined);
    } catch {
      return [];
    }
  })));
  return ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((table) => readFileSync(table, 'utf8').split('\n').slice(1).flatMap((line) => {
    const fields = line.trim().split(/\s+/);
    // fields: sl, local address, remote address, state (0A: listening), …, inode (10th)
    return fields[3] === '0A' && inodes.has(fields[9]!) ? [fields[1]!] : [];
  }));
}

async function expectOneErrorShape(res: Response, status: number, code: string): Promise<string> {
  const body = (await res.json()) as { error: { code: string; message: string } };
  expect({ status: res.status, keys: Object.keys(body), errorKeys: Object.keys(body.error).sort(), code: body.error.code }).toEqual({ status, keys: ['error'], errorKeys: ['code', 'message'], code });
  return body.error.message;
}

describe('the Workers build as configured', () => {
  let dir: string;
  let server: WorkerdServer;
  let sqlite: Database.Database;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-edge-'));
    const assetsDir = join(dir, 'assets');
    mkdirSync(assetsDir);
    writeFileSync(join(assetsDir, 'index.html'), PAGE);
    await applyD1Migrations(join(dir, 'state'));
    // No vars but the one secret: the settings a deployment gets from wrangler.toml alone.
    server = await startWorkerd({ persistTo: join(dir, 'state'), assetsDir, testScheduled: true, vars: { PARLEY_SERVER_SECRET: bytesToB64(crypto.getRandomValues(new Uint8Array(32))) } });
    sqlite = new Database(d1DatabaseFile(join(dir, 'state')));
    sqlite.pragma('busy_timeout = 5000');
  });
  afterAll(async () => {
    sqlite?.close();
    await server?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('listens on 127.0.0.1 only', async () => {
    // After a request, so every process behind the front one is up too.
    expect((await fetch(`${server.url}/api/config`)).status).toBe(200);
    const sockets = workerdListeningAddresses();
    // The socket the tests talk to is among them, so the search looks at the right processes.
    const port = Number(new URL(server.url).port).toString(16).toUpperCase().padStart(4, '0');
    expect(sockets).toContain(`0100007F:${port}`);
    // /proc/net/tcp writes 127.0.0.1 as 0100007F (little-endian); ::1 as below in tcp6.
    expect(sockets.filter((s) => !/^(0100007F|00000000000000000000000001000000):/.test(s))).toEqual([]);
  });

  it('offers the production key-derivation cost and challenge lifetime by default', async () => {
    const config = (await (await fetch(`${server.url}/api/config`)).json()) as { mailboxKdf: Record<string, unknown> };
    expect(config.mailboxKdf).toMatchObject(PRODUCTION_KDF);
    const challenge = (await (await fetch(`${server.url}/api/mailbox/challenge`, { method: 'POST' })).json()) as { expiresInSeconds: number };
    expect(challenge.expiresInSeconds).toBe(DEFAULT_CONFIG.challengeTtlMs / 1000);
  });

  it('serves pages from the ASSETS binding through the app, with its security headers', async () => {
    const res = await fetch(`${server.url}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(PAGE);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    // Set by the app, so the request went through the worker first (run_worker_first).
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('does not serve asset files around the app', async () => {
    // index.html exists in the assets; only the app's routes may hand it out.
    await expectOneErrorShape(await fetch(`${server.url}/index.html`), 404, 'not_found');
  });

  it('deletes expired challenges and ended sessions on the cron, and keeps live ones', async () => {
    const now = Date.now();
    const idle = DEFAULT_CONFIG.sessionIdleMs;
    const { memberId } = await createOrganisation(drizzle(sqlite, { schema }) as unknown as ParleyDb, { orgName: 'Unit', username: 'alice', password: TEST_PASSWORD, kdf: TEST_KDF, now, serverSecret: crypto.getRandomValues(new Uint8Array(32)) });
    const insertChallenge = sqlite.prepare('INSERT INTO challenges (challenge_hash, expires_at) VALUES (?, ?)');
    insertChallenge.run('expired', now - 1);
    insertChallenge.run('live', now + 60_000);
    const insertSession = sqlite.prepare('INSERT INTO sessions (token_hash, investigator_id, created_at, last_used_at, expires_at) VALUES (?, ?, ?, ?, ?)');
    insertSession.run('past-absolute-limit', memberId, now - 10 * idle, now - 1000, now - 1);
    insertSession.run('idle-too-long', memberId, now - 2 * idle, now - idle, now + idle);
    insertSession.run('live', memberId, now - 1000, now - 1000, now + idle);

    // The handler runs at workerd's own now, a moment after `now`.
    expect(await server.runScheduled()).toEqual({ status: 200, body: 'Ran scheduled event' });
    // (Other tests here may have left live challenges of their own.)
    expect(sqlite.prepare("SELECT challenge_hash FROM challenges WHERE challenge_hash IN ('expired', 'live')").pluck().all()).toEqual(['live']);
    expect(sqlite.prepare('SELECT token_hash FROM sessions ORDER BY 1').pluck().all()).toEqual(['live']);
  });
});

describe('a Workers deployment with a binding missing and a bad var', () => {
  let dir: string;
  let server: WorkerdServer;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-edge-bad-'));
    mkdirSync(join(dir, 'assets'));
    const config = join(dir, 'wrangler.toml');
    // wrangler.toml without its [[d1_databases]] section.
    writeFileSync(config, [
      'name = "parley"',
      `main = ${JSON.stringify(join(ROOT, 'worker', 'entry-workers.ts'))}`,
      'compatibility_date = "2026-04-26"',
      '[assets]',
      `directory = ${JSON.stringify(join(dir, 'assets'))}`,
      'binding = "ASSETS"',
      'run_worker_first = true',
    ].join('\n'));
    server = await startWorkerd({ persistTo: join(dir, 'state'), config, vars: { PARLEY_KDF_OPS_LIMIT: 'three' }, testScheduled: true, logLevel: 'error' });
  });
  afterAll(async () => {
    await server?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers every request with the one error shape, naming what is wrong', async () => {
    for (const [method, path] of [['GET', '/api/config'], ['POST', '/api/reports'], ['GET', '/']] as const) {
      const res = await fetch(`${server.url}${path}`, { method });
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      const message = await expectOneErrorShape(res, 503, 'server_misconfigured');
      expect(message).toContain('DB: binding missing');
      expect(message).toContain('PARLEY_KDF_OPS_LIMIT');
      expect(message).not.toContain('ASSETS');
    }
  });

  it('fails the scheduled run rather than skipping it quietly', async () => {
    const run = await server.runScheduled();
    expect(run.status).toBe(500);
    expect(run.body).toContain('DB: binding missing');
  });
});

describe('a Workers deployment given another server secret than its database’s', () => {
  let dir: string;
  let server: WorkerdServer | undefined;
  afterAll(async () => {
    await server?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers every request 503 server_misconfigured, saying to put the secret back, and changes nothing', async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-edge-secret-'));
    const assetsDir = join(dir, 'assets');
    mkdirSync(assetsDir);
    writeFileSync(join(assetsDir, 'index.html'), PAGE);
    await applyD1Migrations(join(dir, 'state'));
    const secret = () => bytesToB64(crypto.getRandomValues(new Uint8Array(32)));
    server = await startWorkerd({ persistTo: join(dir, 'state'), assetsDir, vars: { PARLEY_SERVER_SECRET: secret() } });
    expect((await fetch(`${server.url}/api/config`)).status).toBe(200); // the first request records the secret's check value
    await server.dispose();
    server = await startWorkerd({ persistTo: join(dir, 'state'), assetsDir, vars: { PARLEY_SERVER_SECRET: secret() }, logLevel: 'error' });
    for (const [method, path] of [['GET', '/api/config'], ['POST', '/api/investigator/sessions']] as const) {
      const message = await expectOneErrorShape(await fetch(`${server.url}${path}`, { method }), 503, 'server_misconfigured');
      expect(message).toContain('wrangler secret put PARLEY_SERVER_SECRET');
    }
  });
});

describe('reading the Workers environment', () => {
  it('names every missing binding', () => {
    expect(() => readWorkersEnv({})).toThrow(EnvironmentError);
    expect(() => readWorkersEnv({})).toThrow(/DB: binding missing.*FILES: binding missing.*ASSETS: binding missing/);
  });

  it('refuses a server secret that is not 32 bytes of base64url', () => {
    for (const secret of ['', 'AAAA', '!'.repeat(43), 'A'.repeat(44)]) {
      expect(() => readWorkersEnv({ PARLEY_SERVER_SECRET: secret })).toThrow(/PARLEY_SERVER_SECRET: must be base64url of 32 random bytes/);
    }
  });
});
