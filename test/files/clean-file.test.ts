// cleanFile (web/files/) on files with planted metadata: what it says it removed, what an
// independent reader (exifreader, pdf-lib, fflate) finds afterwards, that no planted marker is left
// anywhere in the bytes, and that the image data and document content are exactly what they were.
import { PDFDocument, PDFName } from '@cantoo/pdf-lib';
import { strFromU8, unzipSync, zipSync } from 'fflate';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanFile, type Cleaned } from '../../web/files/index.js';
import { chunks, fixture, jpegImageData, latin1, markersIn, readTags } from './fixtures.js';

async function clean(bytes: Uint8Array, type: string): Promise<{ result: Cleaned; out: Uint8Array }> {
  const result = await cleanFile(new Blob([bytes as Uint8Array<ArrayBuffer>]), type);
  const out = result.outcome === 'cleaned' ? new Uint8Array(await result.bytes.arrayBuffer()) : new Uint8Array(0);
  return { result, out };
}

/** Sets a TIFF Orientation entry (either byte order) to `value`, as a camera that did not rotate would. */
function withOrientation(bytes: Uint8Array, value: number): Uint8Array {
  const copy = bytes.slice();
  const text = latin1(copy);
  const big = text.indexOf('\x01\x12\x00\x03\x00\x00\x00\x01\x00');
  const little = text.indexOf('\x12\x01\x03\x00\x01\x00\x00\x00');
  if (big >= 0) copy[big + 9] = value;
  else if (little >= 0) copy[little + 8] = value;
  else throw new Error('no Orientation entry');
  return copy;
}

describe('images are rewritten without their metadata, pixels untouched', () => {
  const cases = [
    { name: 'photo.jpg', type: 'image/jpeg', thumbnail: true, comments: true },
    { name: 'photo.png', type: 'image/png', thumbnail: false, comments: true },
    { name: 'photo.webp', type: 'image/webp', thumbnail: true, comments: true },
  ];
  for (const { name, type, thumbnail } of cases) {
    it(`${name}: says what it removed, and a reader finds none of it`, async () => {
      const input = fixture(name);
      expect(markersIn(input).length).toBeGreaterThan(3);
      const { result, out } = await clean(input, type);
      expect(result).toMatchObject({ outcome: 'cleaned', type });
      if (result.outcome !== 'cleaned') return;
      expect(result.removed).toEqual(expect.arrayContaining(['location', 'camera', 'date', 'author', 'software', 'comments', ...(thumbnail ? ['thumbnail'] : [])]));
      const before = readTags(input);
      expect(before.gps).toBeDefined();
      const after = readTags(out);
      expect(after.gps).toBeUndefined();
      expect(after.xmp).toBeUndefined();
      expect(after.iptc).toBeUndefined();
      expect((after as { Thumbnail?: unknown }).Thumbnail).toBeUndefined();
      expect(after.pngText).toBeUndefined();
      // Only the Orientation is left of the EXIF: the photo still shows upright.
      expect(Object.keys(after.exif ?? {})).toEqual(['Orientation']);
      expect((after.exif as { Orientation?: { value: number } } | undefined)?.Orientation?.value).toBe(6);
      expect(markersIn(out)).toEqual([]);
    });
  }

  it('JPEG: the frame, tables and scans are byte for byte the same', async () => {
    const input = fixture('photo.jpg');
    const { out } = await clean(input, 'image/jpeg');
    expect(jpegImageData(out)).toEqual(jpegImageData(input));
    expect(jpegImageData(out).length).toBeGreaterThan(200);
  });

  it('PNG: IHDR, palette and image data are byte for byte the same', async () => {
    const input = fixture('photo.png');
    const { out } = await clean(input, 'image/png');
    const image = ['IHDR', 'PLTE', 'IDAT', 'tRNS'];
    expect(chunks(out, image)).toEqual(chunks(input, image));
    expect(chunks(out, ['IDAT']).length).toBeGreaterThan(0);
    expect(chunks(out, ['tEXt', 'zTXt', 'iTXt', 'tIME'])).toEqual([]);
  });

  it('WebP: the VP8 bitstream is byte for byte the same, and the VP8X flags say EXIF only', async () => {
    const input = fixture('photo.webp');
    const { out } = await clean(input, 'image/webp');
    expect(chunks(out, ['VP8 ', 'VP8L', 'ALPH'])).toEqual(chunks(input, ['VP8 ', 'VP8L', 'ALPH']));
    expect(chunks(out, ['VP8 ']).length).toBe(1);
    expect(chunks(out, ['XMP '])).toEqual([]);
    expect(chunks(input, ['VP8X'])[0]![0]! & 0x0c).toBe(0x0c);
    expect(chunks(out, ['VP8X'])[0]![0]! & 0x0c).toBe(0x08);
    // The RIFF size is the file's.
    expect(new DataView(out.buffer, out.byteOffset).getUint32(4, true)).toBe(out.length - 8);
  });

  it('keeps no EXIF at all when the Orientation is the default', async () => {
    for (const [name, type] of [['photo.jpg', 'image/jpeg'], ['photo.png', 'image/png'], ['photo.webp', 'image/webp']] as const) {
      const { result, out } = await clean(withOrientation(fixture(name), 1), type);
      expect(result.outcome).toBe('cleaned');
      expect(readTags(out).exif, name).toBeUndefined();
      if (name === 'photo.webp') expect(chunks(out, ['VP8X'])[0]![0]! & 0x0c).toBe(0);
    }
  });

  it('drops data after the end of a JPEG (where phones put depth maps and previews)', async () => {
    const input = fixture('photo.jpg');
    const trailer = new TextEncoder().encode('MARKER-TRAILER');
    const { result, out } = await clean(new Uint8Array([...input, ...trailer]), 'image/jpeg');
    expect(result.outcome === 'cleaned' && result.removed).toContain('other');
    expect(markersIn(out)).toEqual([]);
  });

  it('HEIC in Node (no image decoder) cannot be cleaned', async () => {
    expect((await clean(fixture('photo.heic'), 'image/heic')).result).toEqual({ outcome: 'cannot_clean', reason: 'unsupported_type' });
  });
});

describe('PDF', () => {
  it('loses its document information, XMP, edit data, identifier and earlier revision; its content stays', async () => {
    const input = fixture('document.pdf');
    expect(latin1(input).match(/%%EOF/g)).toHaveLength(2);
    const { result, out } = await clean(input, 'application/pdf');
    expect(result).toMatchObject({ outcome: 'cleaned', type: 'application/pdf' });
    if (result.outcome !== 'cleaned') return;
    expect(result.removed).toEqual(expect.arrayContaining(['author', 'software', 'date', 'editing']));
    expect(markersIn(out)).toEqual([]);
    expect(latin1(out)).toContain('(Evidence page CONTENT-KEEP)');
    expect(latin1(out).match(/%%EOF/g)).toHaveLength(1);
    expect(latin1(out)).not.toMatch(/\/Info|\/ID|\/Metadata|\/PieceInfo/);
    const doc = await PDFDocument.load(out, { updateMetadata: false });
    expect(doc.getPageCount()).toBe(1);
    expect([doc.getAuthor(), doc.getCreator(), doc.getProducer(), doc.getTitle(), doc.getCreationDate()]).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(doc.catalog.has(PDFName.of('Metadata'))).toBe(false);
  });
});

describe('office documents', () => {
  const cases = [
    { name: 'report.docx', type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
    { name: 'sheet.xlsx', type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
    { name: 'slides.pptx', type: 'application/vnd.openxmlformats-officedocument.presentationml.presentation' },
    { name: 'report.odt', type: 'application/vnd.oasis.opendocument.text' },
  ];
  for (const { name, type } of cases) {
    it(`${name}: no author, editor, company, dates, thumbnail or commenter left; the content stays`, async () => {
      const input = fixture(name);
      expect(markersIn(input).length).toBeGreaterThan(3);
      const { result, out } = await clean(input, '');
      expect(result).toMatchObject({ outcome: 'cleaned', type });
      if (result.outcome !== 'cleaned') return;
      expect(result.removed).toEqual(expect.arrayContaining(['author', 'date', 'software', 'thumbnail', 'editing']));
      expect(markersIn(out)).toEqual([]);
      const files = unzipSync(out);
      const all = Object.values(files).map((bytes) => strFromU8(bytes)).join('\n');
      expect(all).toContain('CONTENT-KEEP');
      expect(all).toContain('COMMENT-KEEP');
      expect(Object.keys(files).filter((f) => /thumbnail/i.test(f))).toEqual([]);
      // Nothing points at a part that is gone.
      expect(all).not.toMatch(/thumbnail/i);
      expect(all).not.toMatch(/2024-05-0\d/);
    });
  }

  it('docx: tracked changes and comments keep their place under a neutral author; the embedded photo is cleaned too', async () => {
    const { result, out } = await clean(fixture('report.docx'), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    const files = unzipSync(out);
    expect(strFromU8(files['word/document.xml']!)).toContain('<w:ins w:id="1" w:author="Author" w:date="2000-01-01T00:00:00Z">');
    expect(strFromU8(files['word/comments.xml']!)).toContain('<w:comment w:id="0" w:author="Author" w:date="2000-01-01T00:00:00Z" w:initials="A">');
    expect(strFromU8(files['docProps/core.xml']!)).not.toMatch(/creator|lastModifiedBy|created|modified/);
    expect(readTags(files['word/media/image1.jpeg']!).gps).toBeUndefined();
    expect(result.outcome === 'cleaned' && result.removed).toContain('location');
  });

  it('odt: mimetype stays the first entry, stored, as OpenDocument requires; the manifest no longer lists the thumbnail', async () => {
    const { out } = await clean(fixture('report.odt'), 'application/vnd.oasis.opendocument.text');
    // Local file header: name at 30, stored (method 0 at 8), content right after the name.
    expect(latin1(out.subarray(30, 38))).toBe('mimetype');
    expect(out[8]).toBe(0);
    expect(latin1(out.subarray(38, 38 + 39))).toBe('application/vnd.oasis.opendocument.text');
    const files = unzipSync(out);
    expect(strFromU8(files['META-INF/manifest.xml']!)).not.toContain('Thumbnails');
    expect(strFromU8(files['content.xml']!)).toContain('<dc:creator>Author</dc:creator>');
  });

  it('a zip that is no office document cannot be cleaned', async () => {
    const zip = zipSync({ 'notes.txt': new TextEncoder().encode('hello') });
    expect((await clean(zip, 'application/zip')).result).toEqual({ outcome: 'cannot_clean', reason: 'unsupported_type' });
    expect((await clean(zip, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')).result).toEqual({ outcome: 'cannot_clean', reason: 'unreadable' });
  });
});

describe('types are told by the bytes', () => {
  it('plain text and CSV are sent as they are, nothing found', async () => {
    const text = new TextEncoder().encode('name,amount\nbribe,1000\n');
    for (const type of ['text/plain', 'text/csv; charset=utf-8']) {
      const { result, out } = await clean(text, type);
      expect(result).toMatchObject({ outcome: 'cleaned', type: type.split(';')[0], removed: [] });
      expect(out).toEqual(text);
    }
  });

  it('a JPEG declared as PNG is cleaned as the JPEG it is', async () => {
    const { result } = await clean(fixture('photo.jpg'), 'image/png');
    expect(result).toMatchObject({ outcome: 'cleaned', type: 'image/jpeg' });
  });

  it('a file that claims a cleanable type but does not parse is unreadable', async () => {
    const jpeg = fixture('photo.jpg');
    for (const [bytes, type] of [
      [new TextEncoder().encode('not a picture'), 'image/jpeg'],
      [jpeg.subarray(0, 40), 'image/jpeg'],
      [fixture('photo.png').subarray(0, 60), 'image/png'],
      [fixture('document.pdf').subarray(0, 30), 'application/pdf'],
      [fixture('report.docx').subarray(0, 200), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ] as const) {
      expect((await clean(bytes, type)).result, `${type} ${bytes.length}`).toEqual({ outcome: 'cannot_clean', reason: 'unreadable' });
    }
  });

  it('video, audio, archives, binary "text" and unknown bytes cannot be cleaned', async () => {
    const mp4 = new Uint8Array([0, 0, 0, 0x18, ...new TextEncoder().encode('ftypisom'), 0, 0, 2, 0, ...new TextEncoder().encode('isomiso2')]);
    const cases: [Uint8Array, string][] = [
      [mp4, 'video/mp4'],
      [new TextEncoder().encode('ID3\x03\x00audio'), 'audio/mpeg'],
      [Uint8Array.of(0x1f, 0x8b, 8, 0, 1, 2), 'application/gzip'],
      [Uint8Array.of(1, 2, 0, 4), 'text/plain'],
      [new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'image/svg+xml'],
      [new TextEncoder().encode('anything'), ''],
    ];
    for (const [bytes, type] of cases) expect((await clean(bytes, type)).result, type).toEqual({ outcome: 'cannot_clean', reason: 'unsupported_type' });
  });

  it('never throws on damaged files: every one is cleaned or refused', async () => {
    const files = ['photo.jpg', 'photo.png', 'photo.webp', 'document.pdf', 'report.docx', 'report.odt'].map((name) => fixture(name));
    await fc.assert(fc.asyncProperty(fc.integer({ min: 0, max: files.length - 1 }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), async (which, flips) => {
      const bytes = files[which]!.slice();
      for (const [at, value] of flips) bytes[at % bytes.length] = value;
      const { result } = await clean(bytes, '');
      expect(['cleaned', 'cannot_clean']).toContain(result.outcome);
    }), { numRuns: 150 });
  });
});
