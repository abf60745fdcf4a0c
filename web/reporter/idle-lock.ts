// Locks an open report left alone: after `idleMs` without a key, a touch, a click, typing or
// scrolling, `onIdle` runs once. The timer functions are the app's dependency (main.ts gives the
// window's), so a test drives the clock itself instead of waiting ten minutes.

export interface Timers {
  setTimeout(run: () => void, ms: number): number;
  clearTimeout(id: number): void;
}

/** What counts as someone using the page. */
export const ACTIVITY_EVENTS = ['keydown', 'pointerdown', 'input', 'scroll'] as const;

/** Starts watching `activity` (the document); returns a function that stops watching. */
export function lockWhenIdle(options: { idleMs: number; activity: EventTarget; timers: Timers; onIdle: () => void }): () => void {
  const { idleMs, activity, timers, onIdle } = options;
  const listening = new AbortController();
  let timer = 0;
  const stop = () => {
    listening.abort();
    timers.clearTimeout(timer);
  };
  const restart = () => {
    timers.clearTimeout(timer);
    timer = timers.setTimeout(() => {
      stop();
      onIdle();
    }, idleMs);
  };
  for (const type of ACTIVITY_EVENTS) activity.addEventListener(type, restart, { signal: listening.signal, passive: true, capture: true });
  restart();
  return stop;
}
