// Progress of the slow step, Argon2id, which runs in the engine (a Web Worker, so the page stays
// live). The engine tells the page how far it has got when it can: the pure-JavaScript engine (browsers
// without WebAssembly, e.g. Tor Browser "Safer") reports as it goes, and there the step takes a
// minute or more, so the page says so and the bar shows the engine's own figure. libsodium runs
// in one call of a few seconds and cannot report: the bar then moves with elapsed time against
// the expected duration and never quite fills, so it keeps moving on a slow phone.
// Only the words are a live region, and they change at most twice; the bar's ticks are not announced.
import { el } from '../ui/dom.js';
import { t } from '../i18n/i18n.js';
import type { Engine } from './app.js';
import { isDerivationNotice } from './engine-api.js';

/** Roughly how long 64 MiB, 3-pass Argon2id takes on a mid-range phone (libsodium). */
export const EXPECTED_DERIVATION_MS = 5000;
const SLOW_AFTER_MS = 2.5 * EXPECTED_DERIVATION_MS;
const TICK_MS = 200;

export function progressAt(elapsedMs: number, expectedMs: number): number {
  if (elapsedMs <= expectedMs) return 0.9 * (elapsedMs / expectedMs);
  return 0.9 + 0.09 * (1 - Math.exp(-(elapsedMs - expectedMs) / expectedMs));
}

export interface DerivationProgress {
  element: HTMLElement;
  /** Changes the words above the bar (announced politely). */
  say(message: string): void;
  /** Whether the engine last said a derivation is under way (and not yet done). */
  deriving(): boolean;
  /** Whether the engine is the one without WebAssembly (it has reported its own figure): all its work is slow. */
  withoutWebAssembly(): boolean;
  stop(): void;
}

/**
 * `message`: what is being done. `hiddenUntilDeriving`: show nothing unless the engine reports a
 * derivation under way (when sending, the keys were usually made while the reporter read the passphrase).
 */
export function derivationProgress(engine: Pick<Engine, 'onNotice'>, message: string, options: { hiddenUntilDeriving?: boolean } = {}): DerivationProgress {
  const bar = el('progress', { max: '1', value: '0', 'aria-labelledby': 'progress-message' });
  // The live region wraps the words rather than being them: Firefox gives a bar labelled by a
  // role="status" element no name at all.
  const text = el('p', { id: 'progress-message' }, message);
  const slow = el('p', { class: 'hint', hidden: true }, t('progress.slow'));
  const element = el('div', { class: 'progress', hidden: options.hiddenUntilDeriving === true }, el('div', { role: 'status' }, text), bar, slow);
  const started = performance.now();
  /** The engine's own figure, once it has given one (the engine without WebAssembly). */
  let reported: number | null = null;
  let deriving = false;

  const tick = setInterval(() => {
    if (reported !== null) {
      bar.value = reported;
      return;
    }
    const elapsed = performance.now() - started;
    bar.value = progressAt(elapsed, EXPECTED_DERIVATION_MS);
    if (elapsed > SLOW_AFTER_MS) slow.hidden = false;
  }, TICK_MS);

  const stopListening = engine.onNotice((notice) => {
    if (!isDerivationNotice(notice)) return;
    const { engine: name, fraction } = notice.derivation;
    deriving = fraction < 1;
    if (name !== 'noble') return;
    if (reported === null) {
      text.textContent = t('progress.noWebAssembly');
      slow.hidden = true;
    }
    reported = fraction;
    if (deriving) element.hidden = false;
  });

  return {
    element,
    say(next) {
      text.textContent = next;
    },
    deriving: () => deriving,
    withoutWebAssembly: () => reported !== null,
    stop() {
      clearInterval(tick);
      stopListening();
      bar.value = 1;
    },
  };
}
