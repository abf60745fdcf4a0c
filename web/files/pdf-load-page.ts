// The page build's loadPdfCleaner (put in pdf-load.ts's place by scripts/build-web.ts): the PDF
// cleaner is /static/pdf-cleaner.js, checked against the hash pinned at build before it runs.
import { importChecked, type PinnedBundle } from '../protocol/import-checked.js';

declare const __PARLEY_PDF_CLEANER__: PinnedBundle;

export function loadPdfCleaner(): Promise<typeof import('./pdf.js')> {
  return importChecked(__PARLEY_PDF_CLEANER__, 'the PDF cleaner');
}
