// `npm start` reads the same PARLEY_* settings as the Workers build (worker/config-vars.ts):
// a setting given is used, and a bad one stops the start with its name.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';

let dir: string;
let server: ServerProcess | undefined;
afterEach(async () => {
  await server?.kill();
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

describe('the Node server’s settings', () => {
  it('uses the PARLEY_* tuning settings it is given', async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-settings-'));
    server = await startServerProcess(join(dir, 'parley.sqlite'), { PARLEY_WORK_BITS: '3', PARLEY_KDF_OPS_LIMIT: '4' });
    const challenge = (await (await fetch(`${server.url}/api/mailbox/challenge`, { method: 'POST' })).json()) as { workBits: number };
    expect(challenge.workBits).toBe(3);
    const config = (await (await fetch(`${server.url}/api/config`)).json()) as { mailboxKdf: { opsLimit: number } };
    expect(config.mailboxKdf.opsLimit).toBe(4);
  });

  it('refuses to start on a bad setting, naming it', async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-settings-'));
    await expect(startServerProcess(join(dir, 'parley.sqlite'), { PARLEY_WORK_BITS: 'many' })).rejects.toThrow(/PARLEY_WORK_BITS/);
  });
});
