// Node's AssetSource: the built bundles read from dist/web into memory once at start, with the
// pages one folder down (cy/index.html) by their path, as Workers' ASSETS binding names them.
// Each file's precompressed copies (<file>.br, <file>.gz, made by the build) are served in its
// place when the request accepts them.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { AssetSource } from './deps.js';
import { preferredEncoding } from './accept-encoding.js';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
};

/** The copies the build makes (scripts/lib/precompress.ts), smallest first. */
export const ENCODED_COPIES = { br: '.br', gzip: '.gz' } as const;
export type Encoding = keyof typeof ENCODED_COPIES;
const ENCODINGS = Object.keys(ENCODED_COPIES) as Encoding[];

export function loadNodeAssets(dir: string): AssetSource | undefined {
  if (!existsSync(dir)) return undefined;
  const files = new Map<string, Uint8Array>();
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isFile()) files.set(entry.name, readFileSync(join(dir, entry.name)));
    else if (entry.isDirectory()) {
      for (const inner of readdirSync(join(dir, entry.name), { withFileTypes: true })) {
        if (inner.isFile()) files.set(`${entry.name}/${inner.name}`, readFileSync(join(dir, entry.name, inner.name)));
      }
    }
  }
  return {
    async get(path, acceptEncoding) {
      const body = files.get(path);
      if (!body || Object.values(ENCODED_COPIES).some((suffix) => path.endsWith(suffix))) return null;
      const contentType = CONTENT_TYPES[extname(path)] ?? 'application/octet-stream';
      const encoding = preferredEncoding(acceptEncoding, ENCODINGS.filter((e) => files.has(path + ENCODED_COPIES[e])));
      return encoding ? { body: files.get(path + ENCODED_COPIES[encoding])!, contentType, contentEncoding: encoding } : { body, contentType };
    },
  };
}
