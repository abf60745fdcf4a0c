// What to say when something goes wrong, in the same calm words wherever it happens.
import { el } from '../../ui/dom.js';
import { EngineCallError } from '../../ui/engine-rpc.js';
import { ENGINE_ERROR } from '../engine-api.js';

export const NOT_OPENED_MESSAGE =
  'That passphrase did not open a report. Check each word against what you wrote down, and try again. If you have lost your passphrase, you can make a new report.';

const OFFLINE_MESSAGE = 'We could not reach the service. Check your internet connection, then try again. Nothing was lost.';

/** Words for a failed engine call; the details of an unexpected error are not shown. */
export function problemMessage(error: unknown): string {
  const code = error instanceof EngineCallError ? error.code : '';
  if (code === ENGINE_ERROR.notOpened) return NOT_OPENED_MESSAGE;
  if (code === ENGINE_ERROR.offline) return OFFLINE_MESSAGE;
  if (code === ENGINE_ERROR.unverified) return 'Your passphrase is right, but what the service sent back could not be checked, so nothing is shown. It may have been tampered with. Try again later, and if this keeps happening, contact the unit another way.';
  if (code === ENGINE_ERROR.wait) return `There have been too many tries, or the service is very busy. Please wait ${waitText(Number((error as Error).message))}, then try again.`;
  if (code === ENGINE_ERROR.noKeys) return 'Your passphrase is no longer held on this page. Enter it again to continue.';
  // The client seals the report again to the unit's new keys by itself; this shows only if that failed too.
  if (code === 'org_key_changed') return 'The unit’s keys changed while your report was being sent, and it could not be sealed again. Your report is still on this page: try sending it again.';
  return 'Something went wrong. Please try again in a few minutes.';
}

/** "30 seconds", "about 4 minutes". */
function waitText(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds <= 0) return 'a minute';
  if (seconds < 90) return `${Math.ceil(seconds)} seconds`;
  return `about ${Math.ceil(seconds / 60)} minutes`;
}

export function loadingFailed(retry: () => void): HTMLElement {
  const again = el('button', { type: 'button' }, 'Try again');
  again.addEventListener('click', retry);
  return el('div', { role: 'alert' }, el('p', { class: 'error' }, OFFLINE_MESSAGE), again);
}
