// Small pieces the console views share: a day, an alert line, a busy button.
import { el } from '../../ui/dom.js';
import { formatDay } from '../../i18n/labels.js';

export function dayElement(day: string): HTMLTimeElement {
  return el('time', { datetime: day }, formatDay(day));
}

/** An error line that screen readers announce as soon as text is put into it. */
export function alertLine(id: string): HTMLParagraphElement {
  return el('p', { id, class: 'error', role: 'alert' });
}

/** Runs work with the button marked busy, so a second press does nothing while it runs. */
export async function whileBusy<T>(button: HTMLButtonElement, busyText: string, work: () => Promise<T>): Promise<T> {
  // Its nodes, not its text: a label with a visually hidden part ("Download<hidden> name</hidden>") comes back whole.
  const idle = [...button.childNodes];
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  button.textContent = busyText;
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
    button.replaceChildren(...idle);
  }
}

/** A view's nodes, leaving out the optional ones that are absent. */
export function present(...nodes: (Node | null | undefined | false)[]): Node[] {
  return nodes.filter((n): n is Node => n !== null && n !== undefined && n !== false);
}
