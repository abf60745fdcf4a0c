// Files for the tests: random bytes of the lengths real files' ciphertext has (the server never
// decrypts, so these are exactly what a correct client sends), and an investigator's reply that
// declares files (the console's reply function knows nothing of them yet).
import { randomBytes } from 'node:crypto';
import { FILE_PART_BYTES, fileCipherLength } from '../../web/protocol/file-lengths.js';
import { bytesToB64 } from '../../web/protocol/index.js';
import { ApiClient, type Fetch } from '../../web/client/api.js';

export interface TestFile {
  id: string;
  bytes: number;
  cipher: Uint8Array<ArrayBuffer>;
}

/** Ciphertext-shaped bytes for a file of `size` content bytes. */
export function testFile(size: number): TestFile {
  const bytes = fileCipherLength(size);
  return { id: bytesToB64(randomBytes(16)), bytes, cipher: new Uint8Array(randomBytes(bytes)) as Uint8Array<ArrayBuffer> };
}

export const partOf = (file: TestFile, part: number) => file.cipher.slice(part * FILE_PART_BYTES, Math.min(file.bytes, (part + 1) * FILE_PART_BYTES));
export const declared = (...list: TestFile[]) => list.map((f) => ({ id: f.id, bytes: f.bytes }));

/** An ApiClient whose investigator replies carry these files (replyToCase knows nothing of files). */
export function replyingWithFiles(baseUrl: string, send: Fetch, files: TestFile[]): ApiClient {
  const fetch: Fetch = (input, init) => {
    if (init.method === 'POST' && /\/api\/investigator\/cases\/[^/]+\/messages$/.test(input)) {
      const body = JSON.parse(new TextDecoder().decode(init.body as Uint8Array)) as object;
      return send(input, { ...init, body: JSON.stringify({ ...body, files: declared(...files) }) });
    }
    return send(input, init);
  };
  return new ApiClient(baseUrl, fetch);
}

