// Text made safe to put in HTML, as element content or a quoted attribute: the one escaper for
// the pages built at build time (scripts/reporter-info-pages.ts) and the one the worker renders (/figures).
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
