// Workers' AssetSource: the built bundles from the ASSETS binding (dist/web, uploaded with
// the worker). wrangler.toml turns off HTML and not-found handling, so the binding acts
// as a plain file map, as dist/web does on Node.
import type { Fetcher } from '@cloudflare/workers-types/latest';
import type { AssetSource } from './deps.js';

// The binding only looks at the path; the host is a placeholder.
const ASSET_ORIGIN = 'https://assets.invalid/';

export function workersAssetSource(assets: Fetcher): AssetSource {
  return {
    async get(path) {
      const response = await assets.fetch(ASSET_ORIGIN + path.replace(/^\/+/, ''));
      if (response.status !== 200 || !response.body) {
        await response.body?.cancel();
        return null;
      }
      return { body: response.body as ReadableStream, contentType: response.headers.get('content-type') ?? 'application/octet-stream' };
    },
  };
}
