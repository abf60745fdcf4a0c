// Quick exit, on every reporter page, as GOV.UK's "Exit this page" does it: a button, and the
// Shift key pressed three times (each press within 5 seconds of the one before; any other key
// starts the count again). Not Escape: people press it to close a list or undo, and GDS found it
// ended pages by accident, losing what was being written.
// It blanks the page at once, ends the engine (dropping keys), and replaces the location
// so Back does not return here. No history entries are ever added by Parley's pages, so
// there is nothing else to go back to.

/** A neutral, common destination; deployments may change it in the page's data attribute. */
export const DEFAULT_EXIT_URL = 'https://www.bbc.co.uk/weather';
/** GOV.UK's timing: the three Shift presses each within 5 seconds of the last. */
const SHIFT_PRESSES = 3;
const BETWEEN_PRESSES_MS = 5000;

/** `exitTitle`: what the tab says for the moment before the destination loads (in the page's language). */
export function installQuickExit(options: { button: HTMLElement; onExit?: () => void; exitTitle?: string }): void {
  const exitUrl = document.documentElement.dataset.exitUrl || DEFAULT_EXIT_URL;
  const exit = () => {
    options.onExit?.();
    document.title = options.exitTitle ?? 'Weather';
    document.body.replaceChildren();
    window.location.replace(exitUrl);
  };
  options.button.addEventListener('click', (event) => {
    // The control is a plain link (it must work with JavaScript off); here the page also blanks and
    // replaces the location, so Back does not return.
    event.preventDefault();
    exit();
  });
  let presses = 0;
  let lastPress = 0;
  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Shift') {
      presses = 0;
      return;
    }
    if (event.repeat) return; // holding Shift down is one press
    const now = performance.now();
    presses = now - lastPress <= BETWEEN_PRESSES_MS ? presses + 1 : 1;
    lastPress = now;
    if (presses >= SHIFT_PRESSES) exit();
  });
}
