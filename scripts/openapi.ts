// `npm run openapi`: writes docs/openapi.json from the route table (worker/openapi.ts). A test
// fails while the checked-in file differs from what the code describes.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openApiDocument } from '../worker/openapi.js';

export const OPENAPI_FILE = join(import.meta.dirname, '..', 'docs', 'openapi.json');

export function openApiText(): string {
  return `${JSON.stringify(openApiDocument(), null, 2)}\n`;
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  writeFileSync(OPENAPI_FILE, openApiText());
  console.log(`Wrote ${OPENAPI_FILE}`);
}
