// From the form as typed to the document that is encrypted, and the size check that must
// pass first (the padded plaintext has to fit the largest bucket, 64 KiB).
import { encodeDocument, OPTIONAL_REPORT_FIELDS, type ReportDocument, type ThreadDocument } from '../protocol/documents.js';
import { MAX_PLAINTEXT_BYTES } from '../protocol/labels.js';
import { NOT_SURE, type ReportDraft } from './app.js';
import type { OrganisationChoice } from './engine-api.js';

export function draftToReport(draft: ReportDraft, organisations: OrganisationChoice[]): { orgId: string; report: ReportDocument } {
  if (draft.category === '') throw new Error('no category chosen');
  const notSure = draft.organisation === NOT_SURE;
  // "Not sure" goes to the first organisation listed, and the report says so.
  const orgId = notSure ? organisations[0]?.id : draft.organisation;
  if (!orgId) throw new Error('no organisation to send to');
  const report: ReportDocument = { kind: 'report', category: draft.category, whatHappened: draft.whatHappened.trim() };
  for (const field of OPTIONAL_REPORT_FIELDS) {
    const text = draft[field].trim();
    if (text) report[field] = text;
  }
  if (notSure) report.organisationNotSure = true;
  return { orgId, report };
}

/** How far over the limit the encoded document is, in bytes (0 when it fits). */
export function bytesOverLimit(doc: ThreadDocument): number {
  return Math.max(0, encodeDocument(doc).length - MAX_PLAINTEXT_BYTES);
}

/** Roughly how much to cut, in characters, for a text `overBytes` too long: a round number reads better than an exact count. */
export function charactersToCut(overBytes: number): number {
  return Math.ceil(overBytes / 100) * 100;
}
