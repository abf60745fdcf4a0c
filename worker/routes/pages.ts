// The web pages and their bundles, from the AssetSource (dist/web). Pages get a strict CSP:
// scripts only from this origin (with subresource integrity in the HTML), no inline code,
// no eval (only 'wasm-unsafe-eval', which libsodium's WebAssembly needs), no third parties.
import { Hono } from 'hono';
import { ApiError } from '../errors.js';
import { dayOf, type AppDeps, type AssetSource } from '../deps.js';
import { publishedFigures } from './figures.js';
import { assetIntegrity, FIGURES_LANGUAGES, figuresLanguages, lastTwelveMonths, publicFiguresPage } from '../public-figures-page.js';

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

/**
 * The console's: the pages' policy, plus frames from blob: URLs only — an attachment image the
 * console decrypted, shown in an <iframe sandbox=""> (web/console/views/attachments.ts). Nothing
 * else may be framed, and the reporter's pages keep PAGE_CSP.
 */
export const CONSOLE_CSP = `${PAGE_CSP}; frame-src blob:`;

const STATIC_FILE = /^[a-z0-9-]+\.(js|css|json)$/;
/** A language code as the URL names it (/cy/); the page exists only for the languages the build offered. */
const LANGUAGE = /^[a-z]{2,3}$/;
/** An information page beside a language's reporter page (/cy/staying-safe): whatever the build made, but never index. */
const INFO_PAGE = /^(?!index$)[a-z]+(-[a-z]+)*$/;

/**
 * A built file, encoded as the request accepts when the source has a copy (Node's precompressed
 * ones). Vary on every answer, encoded or not, so no cache hands one client's encoding to another;
 * no-store still, so a shared device keeps nothing.
 */
async function serveAsset(assets: AssetSource | undefined, file: string, acceptEncoding: string | undefined, csp = PAGE_CSP): Promise<Response> {
  const asset = assets ? await assets.get(file, acceptEncoding) : null;
  if (!asset) throw new ApiError('not_found', 'No such page.');
  const headers: Record<string, string> = { 'content-type': asset.contentType, 'content-security-policy': csp, 'cache-control': 'no-store', vary: 'accept-encoding' };
  if (asset.contentEncoding) headers['content-encoding'] = asset.contentEncoding;
  return new Response(asset.body as BodyInit, { headers });
}

function languagePage(assets: AssetSource | undefined, language: string, acceptEncoding: string | undefined, page = 'index.html', csp = PAGE_CSP): Promise<Response> {
  if (!LANGUAGE.test(language)) throw new ApiError('not_found', 'No such page.');
  return serveAsset(assets, `${language}/${page}`, acceptEncoding, csp);
}

/** Staying safe, privacy, accessibility (scripts/operator-details.ts INFO_PAGES): static, no-store like the reporter's page. */
function infoPage(assets: AssetSource | undefined, language: string, page: string, acceptEncoding: string | undefined): Promise<Response> {
  if (!LANGUAGE.test(language) || !INFO_PAGE.test(page)) throw new ApiError('not_found', 'No such page.');
  return serveAsset(assets, `${language}/${page}.html`, acceptEncoding);
}

export function pageRoutes(deps: AppDeps) {
  /** The public figures in one language, when the operator publishes them and the instance has the page in it. */
  async function figuresPage(language: string): Promise<Response> {
    // A language the page has no words for is refused before any read.
    if (!deps.config.publicFigures || !FIGURES_LANGUAGES.includes(language)) throw new ApiError('not_found', 'No such page.');
    const span = lastTwelveMonths(dayOf(deps.clock()));
    const [figures, integrity] = await Promise.all([publishedFigures(deps, span.from, span.to), assetIntegrity(deps.assets)]);
    const languages = figuresLanguages(integrity);
    if (!languages.includes(language)) throw new ApiError('not_found', 'No such page.');
    return new Response(publicFiguresPage(figures, span, integrity, language, languages), { headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': PAGE_CSP, 'cache-control': 'no-store' } });
  }

  return new Hono()
    .get('/', (c) => serveAsset(deps.assets, 'index.html', c.req.header('accept-encoding')))
    // The public figures, when the operator publishes them (else no such page); before /:lang, which would take it.
    .get('/figures', () => figuresPage('en'))
    .get('/console', (c) => serveAsset(deps.assets, 'console.html', c.req.header('accept-encoding'), CONSOLE_CSP))
    // The console in another language (/cy/console: Welsh), built for the offered languages that have a console catalogue.
    .get('/:lang/console', (c) => languagePage(deps.assets, c.req.param('lang'), c.req.header('accept-encoding'), 'console.html', CONSOLE_CSP))
    // The reporter's page in one language (/cy/ for Welsh), so a force's Welsh page can link straight
    // to it; /cy without the slash too, as people type it (the page's links and files are absolute).
    .get('/:lang/', (c) => languagePage(deps.assets, c.req.param('lang'), c.req.header('accept-encoding')))
    .get('/:lang', (c) => languagePage(deps.assets, c.req.param('lang'), c.req.header('accept-encoding')))
    .get('/static/:file', (c) => {
      const file = c.req.param('file');
      if (!STATIC_FILE.test(file)) throw new ApiError('not_found', 'No such file.');
      return serveAsset(deps.assets, file, c.req.header('accept-encoding'));
    })
    // The public figures in another language (/cy/figures), before /:lang/:page, which would take it.
    .get('/:lang/figures', (c) => figuresPage(c.req.param('lang')))
    // After /static/:file, which it would otherwise shadow.
    .get('/:lang/:page', (c) => infoPage(deps.assets, c.req.param('lang'), c.req.param('page'), c.req.header('accept-encoding')));
}
