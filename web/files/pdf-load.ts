// Loads the PDF cleaner (pdf.ts, with pdf-lib: ~250 KB gzip, ten times the rest) when a PDF is
// cleaned: here, as the module beside this one (Node, the tests). The page build puts
// pdf-load-page.ts in this file's place, so only reporters who add a PDF download it.
export async function loadPdfCleaner(): Promise<typeof import('./pdf.js')> {
  return import('./pdf.js');
}
