// Sign-in view: username and password, with visible progress while the engine derives the
// keys (Argon2id takes seconds by design; the page keeps responding meanwhile).
import { el } from '../../ui/dom.js';
import { t } from '../../i18n/i18n.js';
import { errorText } from '../labels.js';
import { alertLine, present } from './parts.js';

/** Roughly how long Argon2id at 64 MiB and 3 passes, plus sign-in, takes on an ordinary laptop. */
const EXPECTED_MS = 2500;

/** An estimate, not a measurement: linear to 90 % at the expected time, then creeping towards 99 %. */
function estimatedPercent(elapsedMs: number): number {
  if (elapsedMs <= EXPECTED_MS) return (90 * elapsedMs) / EXPECTED_MS;
  return 90 + 9 * (1 - Math.exp(-(elapsedMs - EXPECTED_MS) / EXPECTED_MS));
}

export interface SignInOptions {
  /** Shown above the form, e.g. after signing out or when a session ended. */
  notice?: string;
  /** Resolves once signed in and the next view is shown; throws to show an error here. `stage` updates the status text. */
  signIn(username: string, password: string, totp: string, stage: (text: string) => void): Promise<void>;
}

export function signInView(options: SignInOptions): Node[] {
  const username = el('input', { id: 'username', name: 'username', type: 'text', autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false', required: true });
  const password = el('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const totp = el('input', { id: 'totp', name: 'totp', type: 'text', inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9]{6}', maxlength: '6', required: true, 'aria-describedby': 'totp-hint' });
  const submit = el('button', { type: 'submit' }, t('signIn.submit'));
  const error = alertLine('sign-in-error');
  const progress = el('progress', { id: 'sign-in-progress', max: '100', value: '0' });
  const progressText = el('p', { id: 'sign-in-status', role: 'status' });
  const progressBox = el('div', { class: 'sign-in-progress', hidden: true },
    el('label', { for: 'sign-in-progress' }, t('signIn.progress')), progress, progressText);
  // method=post: should a handler ever fail to attach, a password must not end up in a URL.
  const form = el('form', { method: 'post', novalidate: true },
    el('label', { for: 'username' }, t('signIn.username')), username,
    el('label', { for: 'password' }, t('signIn.password')), password,
    el('label', { for: 'totp' }, t('signIn.totp')),
    el('span', { id: 'totp-hint', class: 'hint' }, t('signIn.totpHint')), totp,
    el('div', { class: 'actions' }, submit),
  );

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    error.textContent = '';
    const code = totp.value.replace(/\s+/g, '');
    if (!username.value.trim() || !password.value || !/^\d{6}$/.test(code)) {
      error.textContent = t('signIn.missing');
      (!username.value.trim() ? username : !password.value ? password : totp).focus();
      return;
    }
    const started = performance.now();
    const tick = () => { progress.value = estimatedPercent(performance.now() - started); };
    const timer = setInterval(tick, 100);
    const slowTimer = setTimeout(() => { progressText.textContent = t('signIn.slow'); }, EXPECTED_MS * 1.5);
    progressBox.hidden = false;
    progress.value = 0;
    progressText.textContent = t('signIn.deriving');
    submit.disabled = true;
    username.readOnly = true;
    password.readOnly = true;
    try {
      // Usernames are lower-case by rule; forgive the shift key.
      await options.signIn(username.value.trim().toLowerCase(), password.value, code, (text) => {
        progress.value = 100;
        progressText.textContent = text;
      });
    } catch (failure) {
      progressBox.hidden = true;
      error.textContent = errorText(failure, 'sign-in');
      // A spent code (e.g. the one that just confirmed the account) needs only the next code: the password was right.
      const spentCode = (failure as { code?: string }).code === 'code_used';
      if (!spentCode) password.value = '';
      totp.value = '';
      (spentCode ? totp : password).focus();
    } finally {
      clearInterval(timer);
      clearTimeout(slowTimer);
      submit.disabled = false;
      username.readOnly = false;
      password.readOnly = false;
    }
  });

  return present(
    el('h1', {}, t('signIn.heading')),
    options.notice ? el('p', { class: 'notice' }, options.notice) : null,
    el('p', {}, t('signIn.intro')),
    el('p', { class: 'hint' }, t('signIn.nothingStored')),
    error,
    form,
    progressBox,
  );
}
