// The Workers limit probe (issue 16): the same stack as Parley on Workers (wrangler.toml's
// bindings, compatibility date and assets routing, started the same way; only the entry differs)
// doing only the irreducible work of a reporter's part upload, with no Parley code. Started by
// bench/workers-limit.ts over the real migrated schema. Paths:
//   /empty        nothing (what any request costs this stack)
//   /bare-part    read the body, hash it, put it into R2 (what storing a part costs, and no more)
//   /limit-part   a reporter's part upload: the challenge's MAC; the locator's hash and the
//                 throttle key; one D1 batch that spends the challenge and reads the mailbox, its
//                 throttle counter, the file and whether the part is held; the body read and hashed;
//                 one Ed25519 verify over challenge, path and hash; the R2 put; then one D1 batch
//                 recording the part (only while the file exists) and whether the file is complete.
//   /burn?n=      a loop of n steps of arithmetic and nothing else: JavaScript CPU of a known share,
//                 against which bench/workers-isolate-cpu.ts calibrates V8's sampler
//   /sql-burn?n=  one D1 query counting to n in SQLite: CPU that is D1's, not the worker's (the
//                 profiler must not charge it to the worker; test/edge/isolate-cpu.test.ts)
import type { D1Database, R2Bucket } from '@cloudflare/workers-types/latest';

interface Env {
  DB: D1Database;
  FILES: R2Bucket;
  PROBE_MAC_KEY: string;
}

const fromB64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
const toB64 = (bytes: ArrayBuffer) => btoa(String.fromCharCode(...new Uint8Array(bytes)));
const utf8 = (text: string) => new TextEncoder().encode(text);
const status = (code: number) => new Response(null, { status: code });

// Imported once per isolate: a key, not a result, so nothing durable or observable changes.
let macKey: Promise<CryptoKey> | undefined;

async function limitPart(request: Request, env: Env, path: string): Promise<Response> {
  macKey ??= crypto.subtle.importKey('raw', fromB64(env.PROBE_MAC_KEY), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
  const key = await macKey;
  const challenge = fromB64(request.headers.get('x-challenge') ?? '');
  if (!(await crypto.subtle.verify('HMAC', key, challenge.subarray(32), challenge.subarray(0, 32)))) return status(401);
  const locatorHash = toB64(await crypto.subtle.digest('SHA-256', fromB64(request.headers.get('x-locator') ?? '')));
  const throttleKey = toB64(await crypto.subtle.sign('HMAC', key, utf8(`mailbox:${locatorHash}`)));
  const challengeHash = toB64(await crypto.subtle.digest('SHA-256', challenge));
  const fileId = request.headers.get('x-file') ?? '';
  const [spent, mailbox, , file] = await env.DB.batch<Record<string, unknown>>([
    env.DB.prepare('INSERT INTO challenges (challenge_hash, expires_at) VALUES (?, ?) ON CONFLICT DO NOTHING RETURNING challenge_hash').bind(challengeHash, Date.now() + 600_000),
    env.DB.prepare('SELECT * FROM mailboxes WHERE locator_hash = ?').bind(locatorHash),
    env.DB.prepare('SELECT * FROM attempt_throttle WHERE key_hash = ?').bind(throttleKey),
    env.DB.prepare('SELECT * FROM files WHERE id = ?').bind(fileId),
    env.DB.prepare('SELECT 1 FROM file_parts WHERE file_id = ? AND part = 0').bind(fileId),
  ]);
  const publicKey = mailbox?.results[0]?.sign_public_key;
  const bytes = file?.results[0]?.bytes;
  if (spent?.results.length !== 1 || typeof publicKey !== 'string' || typeof bytes !== 'number') return status(404);
  const body = await request.arrayBuffer();
  const bodyHash = new Uint8Array(await crypto.subtle.digest('SHA-256', body));
  const signed = new Uint8Array([...challenge, ...utf8(`PUT\0${path}\0`), ...bodyHash]);
  const verifyKey = await crypto.subtle.importKey('raw', fromB64(publicKey), { name: 'Ed25519' }, false, ['verify']);
  if (!(await crypto.subtle.verify('Ed25519', verifyKey, fromB64(request.headers.get('x-signature') ?? ''), signed))) return status(401);
  if (body.byteLength !== bytes) return status(400);
  await env.FILES.put(`files/${fileId}/0`, body);
  await env.DB.batch([
    env.DB.prepare('INSERT INTO file_parts (file_id, part) SELECT ?, 0 WHERE EXISTS (SELECT 1 FROM files WHERE id = ?) ON CONFLICT DO NOTHING').bind(fileId, fileId),
    env.DB.prepare('UPDATE files SET complete = ((SELECT COUNT(*) FROM file_parts WHERE file_id = ?) = parts) WHERE id = ?').bind(fileId, fileId),
  ]);
  return status(204);
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const path = new URL(request.url).pathname;
    if (path === '/empty') return status(204);
    if (path === '/bare-part') {
      const body = await request.arrayBuffer();
      await crypto.subtle.digest('SHA-256', body);
      await env.FILES.put(`files/${crypto.randomUUID()}/0`, body);
      return status(204);
    }
    if (path.startsWith('/limit-part/')) return limitPart(request, env, path);
    if (path === '/burn') {
      const steps = Number(new URL(request.url).searchParams.get('n'));
      let x = 0;
      for (let i = 0; i < steps; i++) x = (x * 31 + i) % 1_000_003;
      // Returned, so the loop cannot be dropped as dead code.
      return new Response(String(x));
    }
    if (path === '/sql-burn') {
      const steps = Number(new URL(request.url).searchParams.get('n'));
      const counted = await env.DB.prepare('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ?) SELECT count(*) AS n FROM c').bind(steps).first<{ n: number }>();
      return new Response(String(counted?.n));
    }
    return status(404);
  },
};
