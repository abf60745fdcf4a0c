// What to say when something goes wrong, in the same calm words wherever it happens.
import { el } from '../../ui/dom.js';
import { EngineCallError } from '../../ui/engine-rpc.js';
import { t } from '../../i18n/i18n.js';
import { ENGINE_ERROR } from '../engine-api.js';

/** Words for a failed engine call; the details of an unexpected error are not shown. */
export function problemMessage(error: unknown): string {
  const code = error instanceof EngineCallError ? error.code : '';
  if (code === ENGINE_ERROR.notOpened) return t('problem.notOpened');
  if (code === ENGINE_ERROR.offline) return t('problem.offline');
  if (code === ENGINE_ERROR.unverified) return t('problem.unverified');
  if (code === ENGINE_ERROR.wait) return t('problem.wait', { wait: waitText(Number((error as Error).message)) });
  if (code === ENGINE_ERROR.noKeys) return t('problem.noKeys');
  if (code === ENGINE_ERROR.fileTooBig) return t('problem.fileTooBig');
  // The client seals the report again to the unit's new keys by itself; this shows only if that failed too.
  if (code === 'org_key_changed') return t('problem.keysChanged');
  return t('problem.other');
}

/** "30 seconds", "about 4 minutes". */
function waitText(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds <= 0) return t('problem.waitUnknown');
  if (seconds < 90) return t('problem.waitSeconds', { seconds: Math.ceil(seconds) });
  return t('problem.waitMinutes', { minutes: Math.ceil(seconds / 60) });
}

export function loadingFailed(retry: () => void): HTMLElement {
  const again = el('button', { type: 'button' }, t('problem.tryAgain'));
  again.addEventListener('click', retry);
  return el('div', { role: 'alert' }, el('p', { class: 'error' }, t('problem.offline')), again);
}
