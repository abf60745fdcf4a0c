// The account line in the top bar: who is signed in, for which organisation, their e-mail notices, and sign out.
import { el } from '../../ui/dom.js';
import { t } from '../../i18n/i18n.js';
import type { Account } from '../engine-api.js';
import { whileBusy } from './parts.js';

export function renderAccount(container: HTMLElement, account: Account | null, signOut: () => Promise<void>, notices?: () => void): void {
  if (!account) {
    container.replaceChildren();
    return;
  }
  const button = el('button', { type: 'button', class: 'secondary' }, t('account.signOut'));
  button.addEventListener('click', () => void whileBusy(button, t('account.signingOut'), signOut));
  const noticesButton = notices ? el('button', { type: 'button', class: 'secondary' }, t('notices.open')) : null;
  noticesButton?.addEventListener('click', notices!);
  container.replaceChildren(
    el('span', { class: 'who' }, el('strong', {}, account.username), el('span', { class: 'org' }, account.organisationName)),
    ...(noticesButton ? [noticesButton] : []),
    button,
  );
}
