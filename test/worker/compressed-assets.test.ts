// Issue 13: the reporter's first visit, as the bytes on the wire from `npm start` (dist/web, built
// first): each file precompressed at build and chosen by Accept-Encoding, the identity bytes
// without it, Cache-Control: no-store kept (nothing stays on a shared device), and the SRI
// hashes in the page and the manifest still those of the decoded bytes. On Workers the app sends
// the identity bytes and Cloudflare's edge compresses them; wrangler's local server does as the
// edge does, which the last block checks: compressed once, never twice, with the same headers.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodedBody, firstVisitFiles, wireGet, type VisitedFile, type WireResponse } from '../../scripts/lib/first-visit.js';
import { PAGE_CSP } from '../../worker/routes/pages.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { startWorkerdTarget } from '../support/targets.js';

const DIST = join(import.meta.dirname, '..', '..', 'dist', 'web');

/**
 * What a first visit to /en/ may transfer with Accept-Encoding: br, gzip (page, styles, script,
 * engine). Measured 190,286 bytes (bench/RESULTS.md, "Bytes a reporter downloads"); the bound
 * leaves the pages room to grow a little, not room for the noble engine to come back (~22 KB br).
 */
const FIRST_VISIT_BR_BOUND = 205_000;

const sri = (bytes: Buffer) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
const vary = (response: WireResponse) => String(response.headers.vary ?? '').toLowerCase().split(/\s*,\s*/);

let dir: string;
let server: ServerProcess;
let firstVisit: VisitedFile[];
/** Every file the build published a hash for (manifest.json), the noble engine loaded only without WebAssembly among them. */
let manifest: Record<string, string>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'parley-compressed-'));
  server = await startServerProcess(join(dir, 'parley.sqlite'));
  firstVisit = await firstVisitFiles(server.url);
  manifest = JSON.parse(decodedBody(await wireGet(`${server.url}/static/manifest.json`)).toString('utf8')) as Record<string, string>;
});
afterAll(async () => {
  await server?.kill();
  rmSync(dir, { recursive: true, force: true });
});

describe('the reporter’s first visit on Node', () => {
  it('loads the page, two styles, the script that starts the engine, the main script and the engine', () => {
    expect(firstVisit.map((f) => f.path)).toEqual(['/en/', '/static/parley.css', '/static/reporter-styles.css', '/static/reporter-start.js', '/static/reporter.js', '/static/reporter-engine.js']);
  });

  it('sends each file brotli-compressed to a browser that accepts it, within the measured bound, no-store kept and SRI over the decoded bytes', async () => {
    let total = 0;
    let identityTotal = 0;
    for (const { path, integrity } of firstVisit) {
      const response = await wireGet(server.url + path, { 'accept-encoding': 'br, gzip' });
      expect({ path, status: response.status, encoding: response.headers['content-encoding'] }).toEqual({ path, status: 200, encoding: 'br' });
      expect(vary(response)).toContain('accept-encoding');
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.headers['content-security-policy']).toBe(PAGE_CSP);
      expect(Number(response.headers['content-length'])).toBe(response.body.length);
      const bytes = decodedBody(response);
      if (integrity) expect(sri(bytes)).toBe(integrity);
      total += response.body.length;
      identityTotal += bytes.length;
    }
    console.log(`first visit to /en/: ${identityTotal} bytes identity, ${total} with br`);
    expect(total).toBeLessThan(FIRST_VISIT_BR_BOUND);
    expect(total).toBeLessThan(identityTotal / 3);
  });

  it('sends the identity bytes when the request names no encoding, still varying by it', async () => {
    for (const { path, integrity } of firstVisit) {
      const response = await wireGet(server.url + path);
      expect({ path, encoding: response.headers['content-encoding'] }).toEqual({ path, encoding: undefined });
      expect(vary(response)).toContain('accept-encoding');
      expect(response.headers['cache-control']).toBe('no-store');
      if (integrity) expect(sri(response.body)).toBe(integrity);
    }
  });

  it('honours q-values: a refused encoding is never sent, and the preferred one wins', async () => {
    const cases: [string, string | undefined][] = [
      ['gzip', 'gzip'],
      ['gzip, deflate', 'gzip'],
      ['br;q=0, gzip', 'gzip'],
      ['br;q=0.5, gzip;q=0.8', 'gzip'],
      ['BR;Q=1, gzip;q=0.5', 'br'],
      ['gzip;q=0', undefined],
      ['br;q=0, gzip;q=0', undefined],
      ['*', 'br'],
      ['*;q=0', undefined],
      ['gzip, *;q=0', 'gzip'],
      ['identity', undefined],
      ['deflate', undefined],
      ['br;q=abc, gzip', 'gzip'],
    ];
    const path = '/static/reporter.js';
    for (const [accept, expected] of cases) {
      const response = await wireGet(server.url + path, { 'accept-encoding': accept });
      expect({ accept, encoding: response.headers['content-encoding'] }).toEqual({ accept, encoding: expected });
      expect(sri(decodedBody(response))).toBe(manifest['reporter.js']);
    }
  });

  /** Where the server answers with a built file: pages at their addresses (/, /cy/, /console, /cy/staying-safe), the rest under /static/. */
  const servedAt = (file: string): string => {
    if (file === 'index.html') return '/';
    if (file === 'console.html') return '/console';
    if (file.endsWith('/index.html')) return `/${file.slice(0, -'index.html'.length)}`;
    if (file.endsWith('.html')) return `/${file.slice(0, -'.html'.length)}`;
    return `/static/${file}`;
  };

  it('serves every file in the manifest compressed, each decoding to the bytes its published hash names', async () => {
    for (const [file, hash] of Object.entries(manifest)) {
      const path = servedAt(file);
      for (const encoding of ['br', 'gzip']) {
        const response = await wireGet(server.url + path, { 'accept-encoding': encoding });
        expect({ file, encoding: response.headers['content-encoding'] }).toEqual({ file, encoding });
        expect({ file, hash: sri(decodedBody(response)) }).toEqual({ file, hash });
      }
    }
  });
});

describe('the reporter’s first visit on workerd (wrangler’s local server, doing what the edge does)', () => {
  let target: Awaited<ReturnType<typeof startWorkerdTarget>>;
  beforeAll(async () => {
    target = await startWorkerdTarget({ assetsDir: DIST });
  }, 120_000);
  afterAll(async () => {
    await target?.close();
  });

  it('sends the same files compressed once, identity without Accept-Encoding, no-store kept, SRI over the decoded bytes', async () => {
    const files = await firstVisitFiles(target.baseUrl);
    expect(files).toEqual(firstVisit);
    for (const { path, integrity } of files) {
      for (const [accept, encoding] of [['br, gzip', 'br'], ['gzip', 'gzip'], [undefined, undefined]] as const) {
        const response = await wireGet(target.baseUrl + path, accept ? { 'accept-encoding': accept } : {});
        expect({ path, accept, encoding: response.headers['content-encoding'] }).toEqual({ path, accept, encoding });
        expect(vary(response)).toContain('accept-encoding');
        expect(response.headers['cache-control']).toBe('no-store');
        expect(response.headers['content-security-policy']).toBe(PAGE_CSP);
        if (integrity) expect(sri(decodedBody(response))).toBe(integrity);
      }
    }
  });

  it('does not serve the Node copies: the static route takes plain names only, and .assetsignore keeps them out of the upload', async () => {
    expect((await wireGet(`${target.baseUrl}/static/reporter.js.br`)).status).toBe(404);
    expect(readFileSync(join(DIST, '.assetsignore'), 'utf8')).toBe('*.br\n*.gz\n');
  });
});
