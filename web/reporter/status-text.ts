// What each case status means, in plain words for the person who made the report.
import type { CaseStatus } from '../../db/schema.js';

export const STATUS_TEXT: Record<CaseStatus, { label: string; explanation: string }> = {
  received: {
    label: 'Received',
    explanation: 'Your report has arrived safely. The unit will confirm they have it within 7 days.',
  },
  assessing: {
    label: 'Being looked at',
    explanation: 'Someone in the unit is reading your report and deciding what to do next. They may send you questions here.',
  },
  investigating: {
    label: 'Being investigated',
    explanation: 'The unit has started an investigation. They may send you questions here. Investigations can take a long time.',
  },
  passed_on: {
    label: 'Passed on',
    explanation: 'Your report has been passed to another organisation that can act on it. They can read it and may send you questions here.',
  },
  no_further_action: {
    label: 'No further action',
    explanation: 'The unit has looked at your report and decided not to take it further for now. You can still read it and send a message here.',
  },
  closed: {
    label: 'Closed',
    explanation: 'The unit has finished with this report. You can still read it here.',
  },
};
