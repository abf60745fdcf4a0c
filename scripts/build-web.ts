// Builds the self-hosted web bundles into dist/web: one per audience (reporter, console),
// each a page per language, a UI script and an engine script that runs the crypto in a Web Worker.
// The build is reproducible (no timestamps, fixed file names, sorted manifest), so anyone
// can rebuild from the same commit and compare the published hashes in manifest.json.
// The pure-JavaScript engine is a bundle of its own, for browsers without WebAssembly only
// (lib/noble-bundle.ts), as are the file cleaners, loaded when a reporter adds a file
// (web/files/load-page.ts); every file gets .br and .gz copies beside it (lib/precompress.ts).
import { build, type BuildOptions } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { precompressWeb } from './lib/precompress.js';
import { buildNobleBundle, loadNobleFromItsBundle, NOBLE_BUNDLE, nobleBundleDefine } from './lib/noble-bundle.js';
import { buildLazyBundle, lazyBundleDefine, swapImport } from './lib/lazy-bundle.js';
import { importByUrl } from './lib/page-module.js';
import { INFO_PAGES, operatorText, parseOperatorDetails, PLACEHOLDER_WARNING, readOperatorDetails, type OperatorDetailsInput } from './operator-details.js';
import { escapeHtml, footerHtml, infoPage, pageLanguage } from './reporter-info-pages.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const WEB_DIST = join(ROOT, 'dist', 'web');

const SCRIPTS = {
  'reporter-start.js': 'web/reporter/engine-start.ts',
  'reporter.js': 'web/reporter/main.ts',
  'reporter-engine.js': 'web/reporter/engine.ts',
  'console.js': 'web/console/main.ts',
  'console-engine.js': 'web/console/engine.ts',
  'quick-exit.js': 'web/ui/quick-exit-page.ts',
} as const;
/** Bundles of their own that the pages import only when a reporter adds a file (web/files/load-page.ts). */
export const FILE_CLEANER = 'file-cleaner.js';
export const PDF_CLEANER = 'pdf-cleaner.js';
const STYLES = { 'parley.css': 'web/ui/parley.css', 'reporter-styles.css': 'web/reporter/reporter.css', 'console-styles.css': 'web/console/console.css' } as const;
/** The reporter's page: built once per offered language (see reporterPage). */
const REPORTER_PAGE = 'web/pages/reporter.html';
/** The information pages beside it (staying-safe, privacy, accessibility): a shell and each page's content. */
const INFO_SHELL = 'web/pages/info.html';
export const REPORTER_CATALOGUES = join(ROOT, 'web', 'i18n', 'reporter');
/** The console's page: built once per offered language that has a console catalogue. */
const CONSOLE_PAGE = 'web/pages/console.html';
export const CONSOLE_CATALOGUES = join(ROOT, 'web', 'i18n', 'console');
/** Offered when the operator names none: English (the source) and Welsh (Welsh Language Standards). */
export const DEFAULT_LANGUAGES = ['en', 'cy'] as const;

interface PageCatalogue {
  meta: { language: string; name: string; englishName: string; dir: 'ltr' | 'rtl'; status: string; reviewed: boolean };
  messages: Record<string, string>;
}

export function readCatalogue(language: string, dir: string = REPORTER_CATALOGUES): PageCatalogue {
  const file = join(dir, `${language}.json`);
  if (!existsSync(file)) throw new Error(`no catalogue for language "${language}" (${file})`);
  const catalogue = JSON.parse(readFileSync(file, 'utf8')) as PageCatalogue;
  if (catalogue.meta?.language !== language) throw new Error(`${file}: meta.language must be "${language}"`);
  if (catalogue.meta.dir !== 'ltr' && catalogue.meta.dir !== 'rtl') throw new Error(`${file}: meta.dir must be "ltr" or "rtl"`);
  return { meta: catalogue.meta, messages: catalogue.messages ?? {} };
}

/** Every catalogue there is, offered or not: en, cy, pl, … (the files in web/i18n/reporter). */
export function catalogueLanguages(dir: string = REPORTER_CATALOGUES): string[] {
  return readdirSync(dir).filter((name) => name.endsWith('.json')).map((name) => name.slice(0, -'.json'.length)).sort();
}

/**
 * The languages the reporter's pages are offered in: PARLEY_LANGUAGES (e.g. "en,cy,pl"), or
 * en and cy. English is always offered (it is the source, and the page at /). A language
 * whose catalogue lacks a message is refused by name, so no page ever shows a half translation.
 */
export function offeredLanguages(setting: string | undefined = process.env.PARLEY_LANGUAGES, dir: string = REPORTER_CATALOGUES): string[] {
  const named = setting === undefined || setting.trim() === '' ? [...DEFAULT_LANGUAGES] : setting.split(',').map((l) => l.trim()).filter((l) => l !== '');
  const languages = ['en', ...named.filter((l) => l !== 'en')].filter((l, i, all) => all.indexOf(l) === i);
  const source = readCatalogue('en', dir);
  for (const language of languages) {
    if (!/^[a-z]{2,3}$/.test(language)) throw new Error(`PARLEY_LANGUAGES: "${language}" is not a language code like "cy"`);
    const missing = Object.keys(source.messages).filter((key) => typeof readCatalogue(language, dir).messages[key] !== 'string');
    if (missing.length > 0) throw new Error(`PARLEY_LANGUAGES: the "${language}" catalogue is not complete (${missing.length} messages missing, e.g. ${missing[0]}); it cannot be offered yet`);
  }
  return languages;
}

/**
 * The reporter's page in one language: lang and dir on <html>, the words that are in the HTML
 * itself (title, header, the no-JavaScript text) filled in from the catalogue, links to the
 * other offered languages (each named in itself, with its lang), and the catalogue as a data
 * block for the script (type="application/json": never executed, so the CSP is untouched).
 * The console's page is made the same way, with `address` giving its own URLs (/cy/console).
 */
export function reporterPage(template: string, catalogue: PageCatalogue, others: PageCatalogue[], address: (language: string) => string = (language) => `/${language}/`, source: string = REPORTER_PAGE): string {
  const { meta, messages } = catalogue;
  const links = others.map((other) =>
    `<li><a href="${address(other.meta.language)}" lang="${other.meta.language}" hreflang="${other.meta.language}" dir="${other.meta.dir}">${escapeHtml(other.meta.name)}</a></li>`).join('');
  // "<" escaped in the JSON, so no message can end the data block early.
  const data = JSON.stringify({ meta, messages }).replace(/</g, '\\u003c');
  return template
    .replace(/\{\{lang\}\}/g, meta.language)
    .replace(/\{\{dir\}\}/g, meta.dir)
    .replace(/\{\{t:([\w.]+)\}\}/g, (_, key: string) => {
      const message = messages[key];
      if (message === undefined) throw new Error(`${source} uses ${key}, which the ${meta.language} catalogue lacks`);
      return escapeHtml(message);
    })
    .replace('{{languages}}', () => (links === '' ? '' : `<nav id="languages" class="languages" aria-label="${escapeHtml(messages['page.languages'] ?? '')}"><ul>${links}</ul></nav>`))
    .replace('{{catalogue}}', () => `<script type="application/json" id="catalogue">${data}</script>`);
}

export interface WebBuildOptions {
  /** Offered languages (default: offeredLanguages()). */
  languages?: string[];
  /** Where the reporter catalogues are (default: web/i18n/reporter); tests point it at stubs. */
  catalogueDir?: string;
  /** Who runs the service (default: config/operator.json, or PARLEY_OPERATOR_FILE; placeholders without it). */
  operator?: OperatorDetailsInput;
  operatorFile?: string;
  /** Where the console catalogues are (default: web/i18n/console). */
  consoleCatalogueDir?: string;
}

/**
 * The console's languages: those offered that have a console catalogue (English and Welsh), each
 * refused by name if it lacks a message of the English one. English is always there: it is /console.
 */
export function consoleLanguages(offered: string[], dir: string = CONSOLE_CATALOGUES): string[] {
  const available = catalogueLanguages(dir);
  const source = readCatalogue('en', dir);
  const languages = ['en', ...offered.filter((l) => l !== 'en' && available.includes(l))];
  for (const language of languages) {
    const missing = Object.keys(source.messages).filter((key) => typeof readCatalogue(language, dir).messages[key] !== 'string');
    if (missing.length > 0) throw new Error(`the "${language}" console catalogue is not complete (${missing.length} messages missing, e.g. ${missing[0]})`);
  }
  return languages;
}

/** The console's address in a language: /console for English (as the setup link gives it), /cy/console for Welsh. */
export function consoleAddress(language: string): string {
  return language === 'en' ? '/console' : `/${language}/console`;
}

/** A page template, with each {{include:name}} replaced by web/pages/<name>.html (the top bar the reporter's pages share). */
function readPage(path: string): string {
  return readFileSync(join(ROOT, path), 'utf8').replace(/\{\{include:([a-z-]+)\}\}\n?/g, (_, name: string) => readFileSync(join(ROOT, 'web', 'pages', `${name}.html`), 'utf8').replace(/^<!--.*?-->\n/, ''));
}

function sri(bytes: Uint8Array): string {
  return `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
}

/** Organisation anchors the operator pins into the pages (web/client/pinned-anchors.ts); {} without the file. */
export function pinnedAnchors(file: string = join(ROOT, 'config', 'anchors.json')): Record<string, string> {
  if (!existsSync(file)) return {};
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  const valid = typeof parsed === 'object' && parsed !== null && Object.values(parsed).every((v) => typeof v === 'string' && /^([0-9a-f]{4} ){9}[0-9a-f]{4}$/.test(v));
  if (!valid) throw new Error(`${file}: expected {"<organisation id>": "<fingerprint: 10 groups of 4 hex digits>"}`);
  return parsed as Record<string, string>;
}

export async function buildWeb(outDir: string = WEB_DIST, anchors: Record<string, string> = pinnedAnchors(), options: WebBuildOptions = {}): Promise<Record<string, string>> {
  const catalogueDir = options.catalogueDir ?? REPORTER_CATALOGUES;
  const languages = options.languages ?? offeredLanguages(undefined, catalogueDir);
  const catalogues = languages.map((language) => readCatalogue(language, catalogueDir));
  const operator = options.operator ? parseOperatorDetails(options.operator, 'the operator details given') : readOperatorDetails(options.operatorFile);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const scriptOptions = {
    bundle: true,
    format: 'esm',
    target: ['es2022', 'chrome110', 'firefox115', 'safari16'],
    minify: true,
    legalComments: 'none',
    sourcemap: false,
    write: false,
    logLevel: 'silent',
    // libsodium's loader mentions Node modules behind runtime checks; the browser never takes that path.
    external: ['fs', 'path', 'crypto', 'url', 'module', 'node:*'],
  } as const satisfies BuildOptions;
  // Built first: the engines pin its hash.
  const nobleBytes = await buildNobleBundle(ROOT, scriptOptions);
  // The file cleaners: the PDF one (pdf-lib, most of the weight) pinned into the other, that one into the pages.
  const lazy: Record<string, Uint8Array> = { [NOBLE_BUNDLE]: nobleBytes };
  lazy[PDF_CLEANER] = await buildLazyBundle(ROOT, 'web/files/pdf.ts', scriptOptions);
  lazy[FILE_CLEANER] = await buildLazyBundle(ROOT, 'web/files/index.ts', {
    ...scriptOptions,
    plugins: [swapImport(ROOT, 'web/files', './pdf-load.js', 'pdf-load-page.ts')],
    define: lazyBundleDefine('__PARLEY_PDF_CLEANER__', PDF_CLEANER, sri(lazy[PDF_CLEANER])),
  });
  const result = await build({
    ...scriptOptions,
    absWorkingDir: ROOT,
    entryPoints: Object.fromEntries(Object.entries({ ...SCRIPTS, ...STYLES }).map(([out, src]) => [out.replace(/\.(js|css)$/, ''), src])),
    outdir: outDir,
    // The reporter's engine is started by reporter-start.js, which the page runs first; reporter.js takes it from there.
    plugins: [loadNobleFromItsBundle(ROOT), importByUrl(ROOT, 'web/reporter', './engine-start.js', '/static/reporter-start.js')],
    // Sorted, so the same anchors always give the same bytes (a reproducible, comparable bundle).
    define: {
      __PARLEY_PINNED_ANCHORS__: JSON.stringify(Object.fromEntries(Object.entries(anchors).sort(([a], [b]) => a.localeCompare(b)))),
      ...nobleBundleDefine(sri(nobleBytes)),
      ...lazyBundleDefine('__PARLEY_FILE_CLEANER__', FILE_CLEANER, sri(lazy[FILE_CLEANER])),
    },
  });
  const integrity: Record<string, string> = {};
  for (const [name, bytes] of Object.entries(lazy)) {
    writeFileSync(join(outDir, name), bytes);
    integrity[name] = sri(bytes);
  }
  for (const file of result.outputFiles) {
    const name = file.path.slice(outDir.length + 1);
    writeFileSync(file.path, file.contents);
    integrity[name] = sri(file.contents);
  }
  // Pages name their assets as {{integrity:file}}; the build fills in the SRI hash.
  const withIntegrity = (src: string, html: string) =>
    html.replace(/\{\{integrity:([\w.-]+)\}\}/g, (_, name: string) => {
      const hash = integrity[name];
      if (!hash) throw new Error(`${src} refers to ${name}, which the build did not produce`);
      return hash;
    });
  const pages: [string, string][] = [];
  // The reporter's page: one per offered language at <language>/index.html (served at /cy/ and so
  // on), and the English one also at index.html (served at /).
  const reporterTemplate = withIntegrity(REPORTER_PAGE, readPage(REPORTER_PAGE));
  // Beside each, the information pages, and on all of them the footer saying who runs the service.
  const infoShell = withIntegrity(INFO_SHELL, readPage(INFO_SHELL));
  for (const catalogue of catalogues) {
    const { language } = catalogue.meta;
    const words = pageLanguage(language, catalogue.messages, operator);
    const html = reporterPage(reporterTemplate, catalogue, catalogues.filter((other) => other !== catalogue))
      .replace('{{operatorName}}', () => escapeHtml(operatorText(operator.name, language, operator).text))
      .replace('{{footer}}', () => footerHtml(words, operator));
    pages.push([`${language}/index.html`, html]);
    if (language === 'en') pages.push(['index.html', html]);
    for (const name of INFO_PAGES) {
      const content = readFileSync(join(ROOT, 'web', 'pages', 'info', `${name}.html`), 'utf8');
      pages.push([`${language}/${name}.html`, infoPage(infoShell, content, name, { ...words, dir: catalogue.meta.dir }, operator)]);
    }
  }
  // The console's page: <language>/console.html (served at /cy/console) in each language, and the
  // English one also at console.html (served at /console, where setup links point).
  const consoleDir = options.consoleCatalogueDir ?? CONSOLE_CATALOGUES;
  const consoleCatalogues = consoleLanguages(languages, consoleDir).map((language) => readCatalogue(language, consoleDir));
  const consoleTemplate = withIntegrity(CONSOLE_PAGE, readFileSync(join(ROOT, CONSOLE_PAGE), 'utf8'));
  for (const catalogue of consoleCatalogues) {
    const html = reporterPage(consoleTemplate, catalogue, consoleCatalogues.filter((other) => other !== catalogue), consoleAddress, CONSOLE_PAGE);
    pages.push([`${catalogue.meta.language}/console.html`, html]);
    if (catalogue.meta.language === 'en') pages.push(['console.html', html]);
  }
  for (const [out, html] of pages) {
    mkdirSync(dirname(join(outDir, out)), { recursive: true });
    writeFileSync(join(outDir, out), html);
    integrity[out] = sri(Buffer.from(html));
  }
  const manifest = Object.fromEntries(Object.entries(integrity).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await precompressWeb(outDir);
  return manifest;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const manifest = await buildWeb();
  if (readOperatorDetails().placeholder) console.warn(`warning: ${PLACEHOLDER_WARNING}`);
  for (const [name, hash] of Object.entries(manifest)) console.log(`${name.padEnd(22)} ${hash}`);
}
