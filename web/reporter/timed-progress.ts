// Progress for work that cannot report its own (Argon2id runs as one call in the engine):
// the bar moves with elapsed time against an expected duration and never quite fills, so it
// keeps moving on a slow phone. The page stays live because the work is in the Web Worker.
import { el } from '../ui/dom.js';
import { t } from '../i18n/i18n.js';

/** Roughly how long 64 MiB, 3-pass Argon2id takes on a mid-range phone. */
export const EXPECTED_DERIVATION_MS = 5000;
const SLOW_AFTER_MS = 2.5 * EXPECTED_DERIVATION_MS;
const TICK_MS = 200;

export function progressAt(elapsedMs: number, expectedMs: number): number {
  if (elapsedMs <= expectedMs) return 0.9 * (elapsedMs / expectedMs);
  return 0.9 + 0.09 * (1 - Math.exp(-(elapsedMs - expectedMs) / expectedMs));
}

export interface TimedProgress {
  element: HTMLElement;
  /** Changes the words under the bar (announced politely). */
  say(message: string): void;
  stop(): void;
}

export function timedProgress(message: string, expectedMs = EXPECTED_DERIVATION_MS): TimedProgress {
  const bar = el('progress', { max: '1', value: '0', 'aria-labelledby': 'progress-message' });
  const text = el('p', { id: 'progress-message', role: 'status' }, message);
  const slow = el('p', { class: 'hint', hidden: true }, t('progress.slow'));
  const started = performance.now();
  const timer = setInterval(() => {
    const elapsed = performance.now() - started;
    bar.value = progressAt(elapsed, expectedMs);
    if (elapsed > SLOW_AFTER_MS) slow.hidden = false;
  }, TICK_MS);
  return {
    element: el('div', { class: 'progress' }, text, bar, slow),
    say(next) {
      text.textContent = next;
    },
    stop() {
      clearInterval(timer);
      bar.value = 1;
    },
  };
}
