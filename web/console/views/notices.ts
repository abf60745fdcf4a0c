// The member's own e-mail notices: where they go, or none. The e-mail itself says only that there
// is news (worker/notices.ts); this view says so, and what its timing gives away.
import { el } from '../../ui/dom.js';
import { t } from '../../i18n/i18n.js';
import { alertLine, present, whileBusy } from './parts.js';

export interface NoticesOptions {
  /** null when it could not be loaded; `error` then says why. */
  email: string | null;
  error?: string;
  notice?: string;
  back(): void;
  /** These re-render the view when done. */
  save(email: string): Promise<void>;
  stop(): Promise<void>;
  describe(error: unknown): string;
}

// The shape the server checks too (worker/wire.ts noticeAddressBody); caught here to say it plainly.
const LOOKS_LIKE_ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function noticesView(options: NoticesOptions): Node[] {
  const input = el('input', { id: 'notice-email', name: 'email', type: 'email', autocomplete: 'email', 'aria-describedby': 'notice-email-hint', value: options.email ?? '' });
  const save = el('button', { type: 'submit' }, t('notices.save'));
  const error = alertLine('notice-error');
  const form = el('form', { method: 'post', novalidate: true },
    el('label', { for: 'notice-email' }, t('notices.address')),
    el('p', { id: 'notice-email-hint', class: 'hint' }, t('notices.addressHint')),
    input, error, el('div', { class: 'actions' }, save));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (save.disabled) return;
    const email = input.value.trim();
    if (!LOOKS_LIKE_ADDRESS.test(email)) {
      error.textContent = t('notices.invalid');
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      return;
    }
    error.textContent = '';
    input.removeAttribute('aria-invalid');
    try {
      await whileBusy(save, t('notices.saving'), () => options.save(email));
    } catch (failure) {
      error.textContent = options.describe(failure);
    }
  });
  const stop = options.email === null ? null : el('button', { type: 'button', class: 'secondary' }, t('notices.stop'));
  stop?.addEventListener('click', async () => {
    try {
      await whileBusy(stop, t('notices.stopping'), options.stop);
    } catch (failure) {
      error.textContent = options.describe(failure);
    }
  });
  const back = el('button', { type: 'button', class: 'secondary' }, t('notices.back'));
  back.addEventListener('click', options.back);
  return present(
    el('h1', { tabindex: '-1' }, t('notices.heading')),
    options.notice ? el('p', { class: 'notice', role: 'status' }, options.notice) : null,
    options.error ? el('p', { class: 'error', role: 'alert' }, options.error) : null,
    el('p', {}, t('notices.explain')),
    el('p', {}, options.email === null ? t('notices.none') : t('notices.current', { email: options.email })),
    el('section', { class: 'card' }, form, stop ? el('div', { class: 'actions' }, stop) : null),
    el('div', { class: 'actions' }, back),
  );
}
