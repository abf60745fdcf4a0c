// What a cleaner found and removed from a file, in the words the reporter sees them in
// ("Location: removed"), and how each kind of embedded metadata maps to them.
export type Finding = 'location' | 'camera' | 'date' | 'author' | 'software' | 'thumbnail' | 'comments' | 'editing' | 'other';

export type Cleaned =
  | { outcome: 'cleaned'; bytes: Blob; type: string; removed: Finding[] }
  | { outcome: 'cannot_clean'; reason: 'unsupported_type' | 'unreadable' };

/** The fixed order findings are reported in, whatever order they were met. */
export const FINDINGS: readonly Finding[] = ['location', 'camera', 'date', 'author', 'software', 'thumbnail', 'comments', 'editing', 'other'];

/** A set of findings that a cleaner adds to as it drops things. */
export class Findings {
  private readonly found = new Set<Finding>();
  add(...findings: Finding[]): void {
    for (const finding of findings) this.found.add(finding);
  }
  list(): Finding[] {
    return FINDINGS.filter((finding) => this.found.has(finding));
  }
}

/** Thrown by a cleaner when the bytes do not parse as the type they claim: the file is 'unreadable'. */
export class UnreadableFile extends Error {}

/**
 * What an XMP packet holds, told by its property names (prefixes are the ones Adobe's and the
 * EXIF/IPTC standards' namespaces use everywhere). Anything left over is 'other'.
 */
const XMP_PROPERTIES: [RegExp, Finding][] = [
  [/exif:GPS|Iptc4xmpCore:Location|Iptc4xmpExt:Location|photoshop:(City|State|Country)/, 'location'],
  [/tiff:(Make|Model)|aux:|exifEX:(Lens|BodySerial|CameraOwner)|exif:(FNumber|ExposureTime|ISO|FocalLength)/, 'camera'],
  [/xmp:(CreateDate|ModifyDate|MetadataDate)|photoshop:DateCreated|exif:DateTime|tiff:DateTime/, 'date'],
  [/dc:(creator|rights|publisher|contributor)|xmpRights:|photoshop:(AuthorsPosition|Credit|CaptionWriter)|Iptc4xmpCore:CreatorContactInfo|exifEX:CameraOwnerName/, 'author'],
  [/xmp:CreatorTool|tiff:Software|pdf:Producer/, 'software'],
  [/xmp:Thumbnails|xmpGImg:/, 'thumbnail'],
  [/dc:(description|title|subject)|exif:UserComment|photoshop:(Headline|Instructions)|pdf:Keywords/, 'comments'],
  [/xmpMM:(History|DerivedFrom|DocumentID|InstanceID|OriginalDocumentID)|photoshop:(History|DocumentAncestors)|crs:|stEvt:/, 'editing'],
];

export function xmpFindings(xmp: string, into: Findings): void {
  let matched = false;
  for (const [pattern, finding] of XMP_PROPERTIES) {
    if (pattern.test(xmp)) {
      into.add(finding);
      matched = true;
    }
  }
  if (!matched) into.add('other');
}
