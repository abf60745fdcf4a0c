// What a reporter's first visit to the page downloads, byte for byte as sent: the page, the styles
// and script it names with SRI, and the engine worker the script starts. Shared by the
// compressed-assets test and bench/first-visit-bytes.ts, so both count the same files.
import { get } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';

export interface WireResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The bytes as sent, before any decoding. */
  body: Buffer;
}

/** A GET with exactly these headers (fetch would add its own Accept-Encoding and decode the body). */
export function wireGet(url: string, headers: Record<string, string> = {}): Promise<WireResponse> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    }).on('error', reject);
  });
}

/** The body as the browser sees it, after its Content-Encoding. */
export function decodedBody(response: WireResponse): Buffer {
  const encoding = response.headers['content-encoding'];
  if (encoding === 'br') return brotliDecompressSync(response.body);
  if (encoding === 'gzip') return gunzipSync(response.body);
  if (encoding === undefined) return response.body;
  throw new Error(`unexpected Content-Encoding ${String(encoding)}`);
}

export interface VisitedFile {
  path: string;
  /** The SRI hash the page gives it, if it gives one (the worker's script cannot carry one). */
  integrity?: string;
}

/** The files a first visit to `page` (default /en/) loads, in the order the browser asks for them. */
export async function firstVisitFiles(baseUrl: string, page = '/en/'): Promise<VisitedFile[]> {
  const html = decodedBody(await wireGet(baseUrl + page)).toString('utf8');
  const tagged = [...html.matchAll(/(?:href|src)="(\/static\/[^"]+)" integrity="([^"]+)"/g)].map(([, path, integrity]) => ({ path: path!, integrity: integrity! }));
  const scripts = await Promise.all(tagged.filter((t) => t.path.endsWith('.js')).map(async (t) => decodedBody(await wireGet(baseUrl + t.path)).toString('utf8')));
  const workers = scripts.flatMap((text) => [...text.matchAll(/new Worker\("(\/static\/[^"]+)"/g)].map(([, path]) => ({ path: path! })));
  return [{ path: page }, ...tagged, ...workers];
}

/** Bytes sent for each file and in all, with this Accept-Encoding (none if undefined). */
export async function bytesSent(baseUrl: string, files: readonly VisitedFile[], acceptEncoding?: string): Promise<{ total: number; files: { path: string; bytes: number; encoding: string }[] }> {
  const sent = [];
  for (const { path } of files) {
    const response = await wireGet(baseUrl + path, acceptEncoding ? { 'accept-encoding': acceptEncoding } : {});
    if (response.status !== 200) throw new Error(`${path}: ${response.status}`);
    sent.push({ path, bytes: response.body.length, encoding: String(response.headers['content-encoding'] ?? 'identity') });
  }
  return { total: sent.reduce((sum, f) => sum + f.bytes, 0), files: sent };
}
