// A JPEG carrying what a phone photo would give away, planted where each kind of metadata lives:
// an EXIF APP1 with the camera's make and model, a GPS position and a marker in UserComment; an
// XMP APP1 with the same; a COM comment. The image data is whatever JPEG the caller gives.
const ascii = (text: string) => Buffer.from(text, 'latin1');

/** A GPS coordinate as EXIF writes it: three RATIONALs (degrees, minutes, seconds), big-endian. */
export function gpsRationals([degrees, minutes, secondsTimes10000]: readonly [number, number, number]): Buffer {
  const out = Buffer.alloc(24);
  [[degrees, 1], [minutes, 1], [secondsTimes10000, 10000]].forEach(([n, d], i) => {
    out.writeUInt32BE(n!, i * 8);
    out.writeUInt32BE(d!, i * 8 + 4);
  });
  return out;
}

export interface Planted {
  make: string;
  model: string;
  /** Put into EXIF UserComment, XMP and a COM segment. */
  marker: string;
  latitude: readonly [number, number, number];
  longitude: readonly [number, number, number];
}

type Entry = { tag: number; type: number; count: number; value: Buffer };
const TYPE_BYTES: Record<number, number> = { 1: 1, 2: 1, 4: 4, 5: 8, 7: 1 };

/** One big-endian IFD at `offset` (from the TIFF start): entries, then the values that do not fit in 4 bytes. */
function ifd(offset: number, entries: Entry[]): Buffer {
  const head = Buffer.alloc(2 + entries.length * 12 + 4);
  head.writeUInt16BE(entries.length, 0);
  let dataOffset = offset + head.length;
  const data: Buffer[] = [];
  entries.forEach((e, i) => {
    const at = 2 + i * 12;
    head.writeUInt16BE(e.tag, at);
    head.writeUInt16BE(e.type, at + 2);
    head.writeUInt32BE(e.count, at + 4);
    if (e.count * TYPE_BYTES[e.type]! <= 4) {
      e.value.copy(head, at + 8);
    } else {
      head.writeUInt32BE(dataOffset, at + 8);
      const padded = e.value.length % 2 ? Buffer.concat([e.value, Buffer.alloc(1)]) : e.value;
      data.push(padded);
      dataOffset += padded.length;
    }
  });
  return Buffer.concat([head, ...data]);
}

const long = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};
const asciiEntry = (tag: number, text: string): Entry => ({ tag, type: 2, count: text.length + 1, value: Buffer.concat([ascii(text), Buffer.alloc(1)]) });

/** The TIFF structure of the EXIF segment: IFD0 (Make, Model, Exif and GPS pointers), the Exif IFD (UserComment), the GPS IFD. */
function exifTiff(p: Planted): Buffer {
  const header = Buffer.concat([ascii('MM'), Buffer.from([0, 42]), long(8)]);
  // IFD0 has 4 entries; its size depends only on the Make and Model values, so lay it out once to learn where the next IFDs go.
  const ifd0Of = (exifAt: number, gpsAt: number) => ifd(8, [asciiEntry(0x010f, p.make), asciiEntry(0x0110, p.model), { tag: 0x8769, type: 4, count: 1, value: long(exifAt) }, { tag: 0x8825, type: 4, count: 1, value: long(gpsAt) }]);
  const exifAt = 8 + ifd0Of(0, 0).length;
  const comment = Buffer.concat([ascii('ASCII\0\0\0'), ascii(p.marker)]);
  const exifIfd = ifd(exifAt, [{ tag: 0x9286, type: 7, count: comment.length, value: comment }]);
  const gpsAt = exifAt + exifIfd.length;
  const gpsIfd = ifd(gpsAt, [
    { tag: 0x0000, type: 1, count: 4, value: Buffer.from([2, 3, 0, 0]) },
    { tag: 0x0001, type: 2, count: 2, value: ascii('N\0') },
    { tag: 0x0002, type: 5, count: 3, value: gpsRationals(p.latitude) },
    { tag: 0x0003, type: 2, count: 2, value: ascii('W\0') },
    { tag: 0x0004, type: 5, count: 3, value: gpsRationals(p.longitude) },
  ]);
  return Buffer.concat([header, ifd0Of(exifAt, gpsAt), exifIfd, gpsIfd]);
}

function segment(marker: number, payload: Buffer): Buffer {
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
}

function xmp(p: Planted): Buffer {
  return ascii(`http://ns.adobe.com/xap/1.0/\0<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:tiff="http://ns.adobe.com/tiff/1.0/" xmlns:exif="http://ns.adobe.com/exif/1.0/" tiff:Make="${p.make}" tiff:Model="${p.model}" exif:GPSLatitude="${p.latitude[0]},${p.latitude[1]}N" exif:UserComment="${p.marker}"/></rdf:RDF></x:xmpmeta><?xpacket end="w"?>`);
}

/** `jpeg` (any baseline JPEG) with the planted metadata inserted right after its start. */
export function plantedJpeg(jpeg: Buffer, p: Planted): Buffer {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new Error('not a JPEG');
  const exif = segment(0xe1, Buffer.concat([ascii('Exif\0\0'), exifTiff(p)]));
  return Buffer.concat([jpeg.subarray(0, 2), exif, segment(0xe1, xmp(p)), segment(0xfe, ascii(p.marker)), jpeg.subarray(2)]);
}

/** The entropy-coded image data and what follows: from the first Start of Scan to the end. */
export function scanData(jpeg: Uint8Array): Buffer {
  const bytes = Buffer.from(jpeg);
  let pos = 2;
  while (pos + 4 <= bytes.length) {
    if (bytes[pos] !== 0xff) throw new Error(`no marker at ${pos}`);
    const marker = bytes[pos + 1]!;
    if (marker === 0xda) return bytes.subarray(pos);
    pos += 2 + bytes.readUInt16BE(pos + 2);
  }
  throw new Error('no Start of Scan');
}
