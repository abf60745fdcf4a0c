// `npm start` reads the same PARLEY_* settings as the Workers build (worker/config-vars.ts):
// a setting given is used, and a bad one stops the start with its name.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { nodeEnv } from '../../worker/env-node.js';
import { workersEnv } from '../../worker/env-workers.js';

let dir: string;
let server: ServerProcess | undefined;
afterEach(async () => {
  await server?.kill();
  server = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
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

describe('the table of settings in docs/OPERATIONS.md', () => {
  const rows = (() => {
    const text = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'OPERATIONS.md'), 'utf8');
    const section = text.slice(text.indexOf('## Settings'), text.indexOf('\n## ', text.indexOf('## Settings') + 1));
    return [...section.matchAll(/^\| `(PARLEY_[A-Z_]+)` \| (Node|both) \| ([^|]+) \|/gm)].map(([, name, runtime, defaultText]) => ({ name: name!, runtime: runtime!, defaultText: defaultText!.trim() }));
  })();

  it('names every setting either runtime reads, and only those, with the runtime that reads it', () => {
    const settingsOf = (schema: { shape: object }) => Object.keys(schema.shape).filter((k) => k.startsWith('PARLEY_')).sort();
    const node = settingsOf(nodeEnv);
    const workers = settingsOf(workersEnv);
    // PARLEY_SERVER_SECRET is read outside the schema on Node (worker/server-secret-node.ts).
    expect(rows.filter((r) => r.runtime === 'Node').map((r) => r.name).sort()).toEqual(node.filter((k) => !workers.includes(k)));
    expect(rows.filter((r) => r.runtime === 'both').map((r) => r.name).sort()).toEqual(workers);
  });

  it('gives each tuning setting the default the code has', () => {
    const defaults = nodeEnv.parse({}) as Record<string, unknown>;
    for (const row of rows) {
      if (defaults[row.name] === undefined) continue;
      expect(row.defaultText, row.name).toBe(`\`${String(defaults[row.name])}\``);
    }
    expect(rows.filter((r) => defaults[r.name] !== undefined)).toHaveLength(Object.values(defaults).filter((v) => v !== undefined).length);
  });
});
