// Office Open XML (docx, xlsx, pptx) and OpenDocument (odt, ods, odp): the zip rewritten with
// fflate (small, maintained, no dependencies) without the document properties (author, last
// editor, company, dates, template, application, editing time), custom properties, thumbnails,
// printer settings and editing-session ids; names of tracked-change and comment authors become
// a neutral word and their dates go. The tracked changes and comments themselves stay: they are
// content the reporter chose to send. Photos embedded in the document are cleaned like any other.
import { strFromU8, strToU8, unzipSync, zipSync, type Unzipped, type Zippable } from 'fflate';
import { cleanEmbeddedImage } from './images.js';
import { type Finding, Findings, UnreadableFile } from './findings.js';

/** The neutral name every author becomes. */
export const NEUTRAL_AUTHOR = 'Author';
/** A fixed zip entry time (1980-01-01, the zip format's first day, in whatever the local zone is). */
const ZIP_TIME = new Date(1980, 0, 1);
/** A zip bigger than this when unpacked is refused, so a small zip bomb cannot fill the device's memory. */
const MAX_UNPACKED_BYTES = 1024 * 1024 * 1024;
/** The one date every tracked change, comment and revision gets. */
const FIXED_DATE = '2000-01-01T00:00:00Z';

const OOXML_TYPES: [string, string][] = [
  ['word/document.xml', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
  ['xl/workbook.xml', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  ['ppt/presentation.xml', 'application/vnd.openxmlformats-officedocument.presentationml.presentation'],
];

/** Which findings a document-properties file held: elements with text, by local name. */
function propertyFindings(xml: string, names: Record<string, Finding>, into: Findings): void {
  for (const match of xml.matchAll(/<(?:[\w-]+:)?([\w-]+)\b[^>/]*>\s*[^<\s]/g)) {
    const finding = names[match[1]!];
    if (finding) into.add(finding);
  }
  if (/<(?:meta:)?user-defined\b|<property\b/.test(xml)) into.add('other');
}

const CORE_FINDINGS: Record<string, Finding> = {
  creator: 'author', lastModifiedBy: 'author', Company: 'author', Manager: 'author', 'initial-creator': 'author',
  created: 'date', modified: 'date', lastPrinted: 'date', 'creation-date': 'date', 'print-date': 'date', date: 'date',
  Application: 'software', AppVersion: 'software', generator: 'software',
  revision: 'editing', TotalTime: 'editing', 'editing-cycles': 'editing', 'editing-duration': 'editing', 'printed-by': 'author',
  title: 'other', subject: 'other', keywords: 'other', category: 'other', Template: 'other', template: 'other', contentStatus: 'other', HyperlinkBase: 'other',
  description: 'comments',
};

/** Replaces what `pattern` matches with `replacement`, noting `finding` if anything changed. */
function scrub(xml: string, pattern: RegExp, replacement: string, finding: Finding, into: Findings): string {
  const out = xml.replace(pattern, replacement);
  if (out !== xml) into.add(finding);
  return out;
}

/** Author names and dates on tracked changes, comments and their people lists, in any OOXML part. */
function scrubOoxmlPart(xml: string, into: Findings): string {
  let out = xml;
  out = scrub(out, /\b((?:w|w15|w16cex|w16du):author|displayName|userName|p188:name)="(?!Author")[^"]*"/g, `$1="${NEUTRAL_AUTHOR}"`, 'author', into);
  out = scrub(out, /\b(w:initials|initials)="(?!A")[^"]*"/g, '$1="A"', 'author', into);
  out = scrub(out, /\s(?:w15:)?(?:userId|providerId)="[^"]*"/g, '', 'author', into);
  out = scrub(out, /<(?:w15:)?presenceInfo\b[^>]*\/>/g, '', 'author', into);
  out = scrub(out, /<author>(?!Author<)[^<]*<\/author>/g, `<author>${NEUTRAL_AUTHOR}</author>`, 'author', into); // xlsx comments
  out = scrub(out, /(<p:cmAuthor\b[^>]*\bname=")(?!Author")[^"]*"/g, `$1${NEUTRAL_AUTHOR}"`, 'author', into); // pptx commentAuthors
  out = scrub(out, /(<p188:author\b[^>]*\bname=")(?!Author")[^"]*"/g, `$1${NEUTRAL_AUTHOR}"`, 'author', into);
  // Dates become one fixed date rather than going: some (a shared workbook's revision headers) are required.
  out = scrub(out, new RegExp(`\\s(w:date|w16du:dateUtc|dateTime|dT|dt)="(?!${FIXED_DATE}")[^"]*"`, 'g'), ` $1="${FIXED_DATE}"`, 'date', into);
  // Editing-session ids: the same ids in two documents say they were edited on the same machine and day.
  out = scrub(out, /\sw:rsid\w*="[0-9A-Fa-f]*"/g, '', 'editing', into);
  out = scrub(out, /<w:rsids>[\s\S]*?<\/w:rsids>/g, '', 'editing', into);
  return out;
}

/** Author names and dates on ODF tracked changes and annotations, and the printer in settings. */
function scrubOdfPart(name: string, xml: string, into: Findings): string {
  let out = xml;
  out = scrub(out, /<dc:creator>(?!Author<)[^<]*<\/dc:creator>/g, `<dc:creator>${NEUTRAL_AUTHOR}</dc:creator>`, 'author', into);
  out = scrub(out, /(meta:creator-initials=")(?!A")[^"]*"/g, '$1A"', 'author', into);
  out = scrub(out, /<meta:creator-initials>(?!A<)[^<]*<\/meta:creator-initials>/g, '<meta:creator-initials>A</meta:creator-initials>', 'author', into);
  out = scrub(out, new RegExp(`<dc:date>(?!${FIXED_DATE}<)[^<]*</dc:date>`, 'g'), `<dc:date>${FIXED_DATE}</dc:date>`, 'date', into);
  if (name === 'settings.xml') out = scrub(out, /<config:config-item config:name="Printer(?:Name|Setup|PaperFromSetup)"[^>]*>[^<]*<\/config:config-item>/g, '', 'other', into);
  return out;
}

const EMPTY_CORE = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>';
const EMPTY_APP = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"/>';
const EMPTY_CUSTOM = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"/>';
const emptyOdfMeta = (version: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" office:version="${version}"><office:meta/></office:document-meta>`;

const isXml = (name: string) => /\.(xml|rels)$/i.test(name);
/** Parts removed whole, with the references to them. */
const isThumbnail = (name: string) => /^docProps\/thumbnail\.\w+$|^Thumbnails\//.test(name);

function unzip(bytes: Uint8Array): Unzipped {
  let total = 0;
  try {
    return unzipSync(bytes, {
      filter(file) {
        total += file.originalSize;
        if (total > MAX_UNPACKED_BYTES) throw new UnreadableFile('zip unpacks to more than 1 GiB');
        return true;
      },
    });
  } catch (error) {
    if (error instanceof UnreadableFile) throw error;
    throw new UnreadableFile('zip does not parse');
  }
}

/** The office family of a zip, or null for any other zip. */
export function officeFamily(files: Unzipped): 'ooxml' | 'odf' | null {
  if (files['[Content_Types].xml'] && OOXML_TYPES.some(([part]) => files[part])) return 'ooxml';
  const mimetype = files.mimetype && strFromU8(files.mimetype);
  if (mimetype?.startsWith('application/vnd.oasis.opendocument.') && files['META-INF/manifest.xml']) return 'odf';
  return null;
}

/** Cleans an office document, or returns null when the zip is not one (the caller says unsupported). */
export function cleanOffice(bytes: Uint8Array): { bytes: Uint8Array; type: string; removed: Findings } | null {
  const files = unzip(bytes);
  const family = officeFamily(files);
  if (family === null) return null;
  const removed = new Findings();
  const out: Zippable = {};
  if (family === 'odf') {
    const manifest = strFromU8(files['META-INF/manifest.xml']!);
    if (manifest.includes('encryption-data')) throw new UnreadableFile('encrypted OpenDocument');
    // mimetype first and stored, as ODF requires.
    out.mimetype = [files.mimetype!, { level: 0 }];
  }
  for (const [name, data] of Object.entries(files)) {
    if (name === 'mimetype' && family === 'odf') continue;
    if (isThumbnail(name)) {
      removed.add('thumbnail');
      continue;
    }
    if (name === 'META-INF/documentsignatures.xml' || name.startsWith('_xmlsignatures/')) {
      removed.add('author'); // a signature names its signer, and cleaning breaks it anyway
      continue;
    }
    let content: Uint8Array = data;
    if (name === 'docProps/core.xml' || name === 'docProps/app.xml' || name === 'docProps/custom.xml' || (family === 'odf' && name === 'meta.xml')) {
      const xml = strFromU8(data);
      propertyFindings(xml, CORE_FINDINGS, removed);
      const version = /office:version="([^"]*)"/.exec(xml)?.[1] ?? '1.2';
      const empty = name === 'docProps/core.xml' ? EMPTY_CORE : name === 'docProps/app.xml' ? EMPTY_APP : name === 'meta.xml' ? emptyOdfMeta(version) : EMPTY_CUSTOM;
      content = strToU8(empty);
    } else if (isXml(name)) {
      let xml = strFromU8(data);
      xml = family === 'ooxml' ? scrubOoxmlPart(xml, removed) : scrubOdfPart(name, xml, removed);
      // References to the removed thumbnail and signatures.
      xml = xml.replace(/<Relationship\b[^>]*Target="\/?(?:docProps\/thumbnail\.\w+|_xmlsignatures\/[^"]*)"[^>]*\/>/g, '');
      xml = xml.replace(/<Override\b[^>]*PartName="\/(?:docProps\/thumbnail\.\w+|_xmlsignatures\/[^"]*)"[^>]*\/>/g, '');
      xml = xml.replace(/<manifest:file-entry\b[^>]*manifest:full-path="(?:Thumbnails\/[^"]*|META-INF\/documentsignatures\.xml)"[^>]*\/>/g, '');
      content = strToU8(xml);
    } else {
      content = cleanEmbeddedImage(data, removed);
    }
    out[name] = [content, {}];
  }
  const type = family === 'odf' ? strFromU8(files.mimetype!).trim() : OOXML_TYPES.find(([part]) => files[part])![1];
  return { bytes: zipSync(out, { level: 6, mtime: ZIP_TIME }), type, removed };
}
