// Quick exit, on every reporter page: a button, and Escape pressed twice within a second.
// It blanks the page at once, ends the engine (dropping keys), and replaces the location
// so Back does not return here. No history entries are ever added by Parley's pages, so
// there is nothing else to go back to.

/** A neutral, common destination; deployments may change it in the page's data attribute. */
export const DEFAULT_EXIT_URL = 'https://www.bbc.co.uk/weather';
const DOUBLE_PRESS_MS = 1000;

export function installQuickExit(options: { button: HTMLElement; onExit?: () => void }): void {
  const exitUrl = document.documentElement.dataset.exitUrl || DEFAULT_EXIT_URL;
  const exit = () => {
    options.onExit?.();
    document.title = 'Weather';
    document.body.replaceChildren();
    window.location.replace(exitUrl);
  };
  options.button.addEventListener('click', exit);
  let lastEscape = 0;
  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    const now = performance.now();
    if (now - lastEscape < DOUBLE_PRESS_MS) exit();
    lastEscape = now;
  });
}
