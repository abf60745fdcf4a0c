// Bodies on the real Node server (worker/request-body.ts, issue 16): a body with a declared
// length is checked from the header and read from the socket, a chunked one through Hono as
// before; either way one over the limit is refused with payload_too_large, and one within it is
// read whole, once, however many parts of the request (the mailbox proof, the route) need it.
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeServer, type RunningServer } from '../../worker/node-server.js';
import { TEST_CONFIG } from '../support/test-app.js';

let dir: string;
let server: RunningServer;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'parley-body-'));
  server = await startNodeServer({ host: '127.0.0.1', port: 0, dbPath: join(dir, 'parley.sqlite'), config: TEST_CONFIG, serverSecret: Buffer.alloc(32, 7).toString('base64url') });
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** POSTs `parts` as the body: with a Content-Length, or chunked (one chunk per part). */
function post(path: string, parts: string[], chunked: boolean): Promise<{ status: number; code: string | undefined; body: string }> {
  const url = new URL(path, server.url);
  const total = Buffer.byteLength(parts.join(''));
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(total) }) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, code: res.statusCode! >= 400 ? (JSON.parse(text) as { error: { code: string } }).error.code : undefined, body: text }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' || error.code === 'EPIPE' ? resolve({ status: 0, code: 'reset', body: '' }) : reject(error)));
    // Apart in time, so the server gets them as separate packets.
    void (async () => {
      for (const part of parts) {
        req.write(part);
        await new Promise((r) => setTimeout(r, 30));
      }
      req.end();
    })();
  });
}

const oversized = ['{"username":"', 'x'.repeat(TEST_CONFIG.maxBodyBytes), '"}'];
const valid = ['{"username":', '"nobody"}'];

describe('a request body on the Node server', () => {
  for (const chunked of [false, true]) {
    const how = chunked ? 'chunked' : 'with a Content-Length';
    it(`${how}: refused with payload_too_large over the limit`, async () => {
      expect(await post('/api/investigator/prelogin', oversized, chunked)).toMatchObject({ status: 413, code: 'payload_too_large' });
    });
    it(`${how}: read whole within it, across packets`, async () => {
      const answer = await post('/api/investigator/prelogin', valid, chunked);
      expect(answer.status).toBe(200);
      // Invalid JSON is still told apart from a valid body.
      expect(await post('/api/investigator/prelogin', ['{"username":', '"nobody"'], chunked)).toMatchObject({ status: 400, code: 'invalid_json' });
    });
  }
});
