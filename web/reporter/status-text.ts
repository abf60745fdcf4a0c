// What each case status means, in plain words for the person who made the report. The keys are
// written out (not built from the status) so the catalogue test can see each one is used.
import type { CaseStatus } from '../../db/schema.js';
import { t, type MessageKey } from '../i18n/i18n.js';

const STATUS_KEYS: Record<CaseStatus, { label: MessageKey; explanation: MessageKey }> = {
  received: { label: 'status.received.label', explanation: 'status.received.explanation' },
  assessing: { label: 'status.assessing.label', explanation: 'status.assessing.explanation' },
  investigating: { label: 'status.investigating.label', explanation: 'status.investigating.explanation' },
  intelligence_recorded: { label: 'status.intelligence_recorded.label', explanation: 'status.intelligence_recorded.explanation' },
  passed_on: { label: 'status.passed_on.label', explanation: 'status.passed_on.explanation' },
  no_further_action: { label: 'status.no_further_action.label', explanation: 'status.no_further_action.explanation' },
  closed: { label: 'status.closed.label', explanation: 'status.closed.explanation' },
};

export function statusText(status: CaseStatus): { label: string; explanation: string } {
  const keys = STATUS_KEYS[status];
  return { label: t(keys.label), explanation: t(keys.explanation) };
}
