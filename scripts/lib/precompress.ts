// Precompressed copies of the built web files (issue 13): <file>.br (brotli, quality 11) and
// <file>.gz (gzip, level 9) beside each page, script, style and manifest, made once at build so
// a request costs no compression work. Node serves them by Accept-Encoding (worker/assets-node.ts).
// Workers upload none of them (.assetsignore): Cloudflare's edge compresses the worker's answers
// itself, and the ASSETS binding would hand the copies over as files of their own.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { ENCODED_COPIES, type Encoding } from '../../worker/assets-node.js';

const COMPRESSIBLE = /\.(html|js|css|json)$/;

/** Every compressible file under dir, as paths relative to it (cy/index.html). */
function compressibleFiles(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile() && COMPRESSIBLE.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();
}

const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** Off the main thread (zlib's pool), so the build compresses several files at once. */
export function compress(bytes: Uint8Array, encoding: Encoding): Promise<Buffer> {
  return encoding === 'br'
    ? brotliAsync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } })
    : gzipAsync(bytes, { level: constants.Z_BEST_COMPRESSION });
}

/** Writes the .br and .gz copy of every built file, and the .assetsignore that keeps them off Workers. */
export async function precompressWeb(dir: string): Promise<void> {
  await Promise.all(compressibleFiles(dir).flatMap((file) => {
    const bytes = readFileSync(join(dir, file));
    return (Object.entries(ENCODED_COPIES) as [Encoding, string][]).map(async ([encoding, suffix]) => writeFile(join(dir, file + suffix), await compress(bytes, encoding)));
  }));
  writeFileSync(join(dir, '.assetsignore'), Object.values(ENCODED_COPIES).map((suffix) => `*${suffix}`).join('\n') + '\n');
}
