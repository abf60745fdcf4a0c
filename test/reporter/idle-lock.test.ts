// The idle lock with the clock in the test's hands (the app's Timers dependency): no waiting.
import { describe, expect, it } from 'vitest';
import { ACTIVITY_EVENTS, lockWhenIdle, type Timers } from '../../web/reporter/idle-lock.js';

/** Timers that move only when the test says so. */
function manualClock(): Timers & { advance(ms: number): void; pending(): number } {
  let now = 0;
  let nextId = 1;
  const due = new Map<number, { at: number; run: () => void }>();
  return {
    setTimeout(run, ms) {
      due.set(nextId, { at: now + ms, run });
      return nextId++;
    },
    clearTimeout(id) {
      due.delete(id);
    },
    advance(ms) {
      const until = now + ms;
      for (;;) {
        const next = [...due.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
        if (!next) break;
        due.delete(next[0]);
        now = next[1].at;
        next[1].run();
      }
      now = until;
    },
    pending: () => due.size,
  };
}

const MINUTE = 60_000;

describe('locking an open report left alone', () => {
  it('locks once, exactly idleMs after the last activity; any activity starts the count again', () => {
    const clock = manualClock();
    const page = new EventTarget();
    let locked = 0;
    lockWhenIdle({ idleMs: 10 * MINUTE, activity: page, timers: clock, onIdle: () => locked++ });
    clock.advance(10 * MINUTE - 1);
    expect(locked).toBe(0);
    for (const type of ACTIVITY_EVENTS) {
      page.dispatchEvent(new Event(type));
      clock.advance(10 * MINUTE - 1);
      expect(locked, `after ${type}`).toBe(0);
    }
    clock.advance(1);
    expect(locked).toBe(1);
    // Locked: later activity and time change nothing, and no timer is left behind.
    page.dispatchEvent(new Event('keydown'));
    clock.advance(60 * MINUTE);
    expect(locked).toBe(1);
    expect(clock.pending()).toBe(0);
  });

  it('counts only the kinds of activity it names (a mouse merely passing over is not use)', () => {
    expect([...ACTIVITY_EVENTS].sort()).toEqual(['input', 'keydown', 'pointerdown', 'scroll']);
    const clock = manualClock();
    const page = new EventTarget();
    let locked = 0;
    lockWhenIdle({ idleMs: 10 * MINUTE, activity: page, timers: clock, onIdle: () => locked++ });
    clock.advance(9 * MINUTE);
    page.dispatchEvent(new Event('pointermove'));
    clock.advance(MINUTE);
    expect(locked).toBe(1);
  });

  it('does nothing once stopped (the view was left another way)', () => {
    const clock = manualClock();
    const page = new EventTarget();
    let locked = 0;
    const stop = lockWhenIdle({ idleMs: 10 * MINUTE, activity: page, timers: clock, onIdle: () => locked++ });
    stop();
    page.dispatchEvent(new Event('keydown'));
    clock.advance(60 * MINUTE);
    expect(locked).toBe(0);
    expect(clock.pending()).toBe(0);
  });
});
