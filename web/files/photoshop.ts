// Photoshop image resources (JPEG APP13 "Photoshop 3.0") and the IPTC records inside them:
// what they hold, told as findings. The cleaners drop the whole block; this only names what was there.
import { ascii, latin1, u16be, u32be } from './bytes.js';
import { type Finding, type Findings, xmpFindings } from './findings.js';
import { readExif } from './exif.js';

/** IPTC application record (2:n) datasets, by what they say. */
const IPTC: [number[], Finding][] = [
  [[26, 27, 90, 92, 95, 100, 101], 'location'],
  [[30, 35, 37, 38, 55, 60, 62, 63], 'date'],
  [[80, 85, 110, 115, 116, 118, 122], 'author'],
  [[65, 70], 'software'],
  [[5, 25, 40, 105, 120], 'comments'],
];

export function iptcFindings(iptc: Uint8Array, into: Findings): void {
  for (let at = 0; at + 5 <= iptc.length && iptc[at] === 0x1c; ) {
    const record = iptc[at + 1]!;
    const dataset = iptc[at + 2]!;
    const length = u16be(iptc, at + 3);
    if (length & 0x8000) return; // extended lengths: never used for text fields; stop reading
    if (record === 2 && dataset !== 0) into.add(IPTC.find(([sets]) => sets.includes(dataset))?.[1] ?? 'other');
    at += 5 + length;
  }
}

/** Findings for the resources after "Photoshop 3.0\0". */
export function photoshopFindings(resources: Uint8Array, into: Findings): void {
  for (let at = 0; at + 12 <= resources.length; ) {
    if (ascii(resources, at, 4) !== '8BIM') return;
    const id = u16be(resources, at + 4);
    const nameLength = resources[at + 6]!;
    const sizeAt = at + 6 + nameLength + 1 + ((nameLength + 1) % 2);
    if (sizeAt + 4 > resources.length) return;
    const size = u32be(resources, sizeAt);
    const data = resources.subarray(sizeAt + 4, sizeAt + 4 + size);
    if (id === 0x0404) iptcFindings(data, into);
    else if (id === 0x0409 || id === 0x040c) into.add('thumbnail');
    else if (id === 0x0422) {
      try { readExif(data, into); } catch { into.add('other'); }
    } else if (id === 0x0424) xmpFindings(latin1(data), into);
    else if (id !== 0x0425) into.add('other'); // 0x0425 is only the IPTC block's digest
    at = sizeAt + 4 + size + (size % 2);
  }
}
