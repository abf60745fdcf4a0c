// Node's AssetSource: the built bundles read from dist/web into memory once at start, with the
// pages one folder down (cy/index.html) by their path, as Workers' ASSETS binding names them.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { AssetSource } from './deps.js';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
};

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
    async get(path) {
      const body = files.get(path);
      return body ? { body, contentType: CONTENT_TYPES[extname(path)] ?? 'application/octet-stream' } : null;
    },
  };
}
