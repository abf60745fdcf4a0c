// PDF, rewritten whole by @cantoo/pdf-lib (the maintained fork of pdf-lib): without the document
// information (author, tools, dates, title), any XMP metadata stream, per-page edit data, the file
// identifier, and every object only earlier revisions used — the rewrite keeps one revision.
import { decodePDFRawStream, PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFRef, PDFStream, type PDFObject } from '@cantoo/pdf-lib';
import { indexOf, latin1 } from './bytes.js';
import { type Finding, Findings, UnreadableFile, xmpFindings } from './findings.js';

const INFO_FINDINGS: Record<string, Finding> = {
  Author: 'author', Creator: 'software', Producer: 'software', CreationDate: 'date', ModDate: 'date',
};
/** Keys that carry metadata wherever they sit (catalogue, pages, images, forms). */
const METADATA_KEYS: [PDFName, Finding | 'xmp'][] = [
  [PDFName.of('Metadata'), 'xmp'], [PDFName.of('PieceInfo'), 'editing'], [PDFName.of('LastModified'), 'date'],
];

/** How many revisions the file holds: each incremental update ends with another %%EOF. */
function revisions(bytes: Uint8Array): number {
  let count = 0;
  for (let at = indexOf(bytes, '%%EOF'); at >= 0; at = indexOf(bytes, '%%EOF', at + 5)) count++;
  // A linearised file has a first-page section with an %%EOF of its own.
  return indexOf(bytes.subarray(0, 1024), '/Linearized') >= 0 ? count - 1 : count;
}

function streamText(stream: PDFObject | undefined): string {
  if (!(stream instanceof PDFRawStream)) return '';
  try {
    return latin1(decodePDFRawStream(stream).decode());
  } catch {
    return '';
  }
}

export async function cleanPdf(bytes: Uint8Array): Promise<{ bytes: Uint8Array; removed: Findings }> {
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(bytes, { updateMetadata: false, throwOnInvalidObject: false });
  } catch {
    throw new UnreadableFile('PDF does not parse (or is encrypted)');
  }
  if (doc.isEncrypted) throw new UnreadableFile('encrypted PDF: its metadata cannot be read to remove it');
  // pdf-lib makes the best of a broken file; one without a catalogue or a page is not a document.
  if (!(doc.context.lookup(doc.context.trailerInfo.Root) instanceof PDFDict) || doc.getPageCount() === 0) throw new UnreadableFile('PDF without pages');
  const removed = new Findings();
  const { context } = doc;
  const info = context.lookup(context.trailerInfo.Info);
  if (info instanceof PDFDict) {
    for (const [key, value] of info.entries()) if (value !== undefined) removed.add(INFO_FINDINGS[key.decodeText()] ?? 'other');
  }
  if (context.trailerInfo.ID) removed.add('other'); // often made from the file's path and time on the author's machine
  context.trailerInfo.Info = undefined;
  context.trailerInfo.ID = undefined;
  if (revisions(bytes) > 1) removed.add('editing');

  // Walk what the document uses from its catalogue, dropping metadata keys on the way; whatever
  // the walk does not reach (the old Info, old XMP, objects earlier revisions replaced) is deleted.
  const reached = new Set<string>();
  const visit = (object: PDFObject | undefined): void => {
    if (object instanceof PDFRef) {
      if (reached.has(object.tag)) return;
      reached.add(object.tag);
      visit(context.lookup(object));
    } else if (object instanceof PDFDict || object instanceof PDFStream) {
      const dict = object instanceof PDFStream ? object.dict : object;
      for (const [key, kind] of METADATA_KEYS) {
        if (!dict.has(key)) continue;
        if (kind === 'xmp') xmpFindings(streamText(context.lookup(dict.get(key))), removed);
        else removed.add(kind);
        dict.delete(key);
      }
      for (const [, value] of dict.entries()) visit(value);
    } else if (object instanceof PDFArray) {
      for (let i = 0; i < object.size(); i++) visit(object.get(i));
    }
  };
  visit(context.trailerInfo.Root);
  for (const [ref] of context.enumerateIndirectObjects()) if (!reached.has(ref.tag)) context.delete(ref);

  // No object streams: every object stays readable to anyone who checks what the file holds.
  const out = await doc.save({ rewrite: true, useObjectStreams: false, addDefaultPage: false, updateFieldAppearances: false, objectsPerTick: Infinity });
  return { bytes: out, removed };
}
