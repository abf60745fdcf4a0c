// The web pages and their bundles, from the AssetSource (dist/web). Pages get a strict CSP:
// scripts only from this origin (with subresource integrity in the HTML), no inline code,
// no eval (only 'wasm-unsafe-eval', which libsodium's WebAssembly needs), no third parties.
import { Hono } from 'hono';
import { ApiError } from '../errors.js';
import type { AppDeps, AssetSource } from '../deps.js';

export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "connect-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const STATIC_FILE = /^[a-z0-9-]+\.(js|css|json)$/;
/** A language code as the URL names it (/cy/); the page exists only for the languages the build offered. */
const LANGUAGE = /^[a-z]{2,3}$/;

async function serveAsset(assets: AssetSource | undefined, file: string): Promise<Response> {
  const asset = assets ? await assets.get(file) : null;
  if (!asset) throw new ApiError('not_found', 'No such page.');
  return new Response(asset.body as BodyInit, {
    headers: { 'content-type': asset.contentType, 'content-security-policy': PAGE_CSP, 'cache-control': 'no-store' },
  });
}

function languagePage(assets: AssetSource | undefined, language: string, page = 'index.html'): Promise<Response> {
  if (!LANGUAGE.test(language)) throw new ApiError('not_found', 'No such page.');
  return serveAsset(assets, `${language}/${page}`);
}

export function pageRoutes(deps: AppDeps) {
  return new Hono()
    .get('/', () => serveAsset(deps.assets, 'index.html'))
    .get('/console', () => serveAsset(deps.assets, 'console.html'))
    // The console in another language (/cy/console: Welsh), built for the offered languages that have a console catalogue.
    .get('/:lang/console', (c) => languagePage(deps.assets, c.req.param('lang'), 'console.html'))
    // The reporter's page in one language (/cy/ for Welsh), so a force's Welsh page can link straight
    // to it; /cy without the slash too, as people type it (the page's links and files are absolute).
    .get('/:lang/', (c) => languagePage(deps.assets, c.req.param('lang')))
    .get('/:lang', (c) => languagePage(deps.assets, c.req.param('lang')))
    .get('/static/:file', (c) => {
      const file = c.req.param('file');
      if (!STATIC_FILE.test(file)) throw new ApiError('not_found', 'No such file.');
      return serveAsset(deps.assets, file);
    });
}
