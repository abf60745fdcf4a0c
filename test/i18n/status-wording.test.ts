// One wording for each status on both sides (issue 15): what the console calls a status is what
// the reporter's mailbox calls it, in English and in Welsh, so a unit can tell a reporter "your
// report is Being investigated" in the words the reporter sees.
import { describe, expect, it } from 'vitest';
import { CASE_STATUSES } from '../../web/protocol/documents.js';
import { CONSOLE_CATALOGUES, readCatalogue } from '../../scripts/build-web.js';

describe.each(['en', 'cy'])('the status words in %s', (language) => {
  it('are the same in the console as in the reporter’s mailbox, for every status', () => {
    const reporter = readCatalogue(language).messages as Record<string, string>;
    const console = readCatalogue(language, CONSOLE_CATALOGUES).messages as Record<string, string>;
    const pairs = CASE_STATUSES.map((status) => [status, console[`status.${status}`], reporter[`status.${status}.label`]]);
    expect(pairs.filter(([, words]) => words === undefined)).toEqual([]);
    expect(pairs.filter(([, inConsole, forReporter]) => inConsole !== forReporter)).toEqual([]);
  });
});
