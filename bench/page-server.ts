// A tiny local server for the client benchmark page: the bench bundle (esbuild, from
// client-page.ts) and a page under a strict CSP that allows only same-origin scripts and
// WebAssembly ('wasm-unsafe-eval', which libsodium needs), as the real pages do. 127.0.0.1 only.
import { createServer } from 'node:http';
import { join } from 'node:path';
import { build } from 'esbuild';

export const BENCH_PAGE_CSP = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; base-uri 'none'; form-action 'none'";

const PAGE = '<!doctype html><meta charset="utf-8"><title>Parley client benchmark</title><script type="module" src="/bench.js"></script>';

export interface PageServer {
  url: string;
  bundleBytes: number;
  close(): Promise<void>;
}

export async function startPageServer(): Promise<PageServer> {
  const result = await build({
    entryPoints: [join(import.meta.dirname, 'client-page.ts')],
    bundle: true,
    format: 'esm',
    target: ['es2022', 'chrome110'],
    minify: true,
    write: false,
    logLevel: 'silent',
    // As in scripts/build-web.ts: libsodium's loader names Node modules behind runtime checks.
    external: ['fs', 'path', 'crypto', 'url', 'module', 'node:*'],
  });
  const bundle = result.outputFiles[0]!.contents;
  const server = createServer((req, res) => {
    const headers = { 'Content-Security-Policy': BENCH_PAGE_CSP, 'Cache-Control': 'no-store' };
    if (req.url === '/') res.writeHead(200, { ...headers, 'Content-Type': 'text/html; charset=utf-8' }).end(PAGE);
    else if (req.url === '/bench.js') res.writeHead(200, { ...headers, 'Content-Type': 'text/javascript' }).end(bundle);
    else res.writeHead(404, headers).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    bundleBytes: bundle.length,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
