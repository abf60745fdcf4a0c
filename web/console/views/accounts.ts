// New accounts: founding the first organisation, joining by invitation, and enrolling the
// authenticator app (secret as text and as a QR code). Passwords go to the engine, which
// derives the keys; the page never sees a key or the account's authentication key.
import { encode } from 'uqr';
import { el } from '../../ui/dom.js';
import { t } from '../../i18n/i18n.js';
import type { Enrolment, InviteSummary } from '../engine-api.js';
import { alertLine, present, whileBusy } from './parts.js';

const MIN_PASSWORD_CHARS = 12;
const USERNAME_PATTERN = /^[a-z0-9._-]{1,64}$/;

export interface NewAccountFields {
  orgName: string;
  username: string;
  password: string;
}

interface NewAccountFormOptions {
  askOrgName: boolean;
  submitLabel: string;
  /** Resolves once the next view is shown; throws to show an error here. */
  submit(fields: NewAccountFields): Promise<void>;
  describe(error: unknown): string;
}

function field(id: string, label: string, input: HTMLInputElement, hint?: string): Node[] {
  if (hint) input.setAttribute('aria-describedby', `${id}-hint`);
  return present(el('label', { for: id }, label), hint ? el('span', { id: `${id}-hint`, class: 'hint' }, hint) : null, input);
}

function newAccountForm(options: NewAccountFormOptions): Node[] {
  const orgName = el('input', { id: 'org-name', name: 'orgName', type: 'text', autocomplete: 'organization', required: true });
  const username = el('input', { id: 'new-username', name: 'username', type: 'text', autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false', required: true });
  const password = el('input', { id: 'new-password', name: 'password', type: 'password', autocomplete: 'new-password', required: true });
  const confirm = el('input', { id: 'confirm-password', name: 'confirm', type: 'password', autocomplete: 'new-password', required: true });
  const submit = el('button', { type: 'submit' }, options.submitLabel);
  const error = alertLine('new-account-error');
  const status = el('p', { id: 'new-account-status', role: 'status' });
  const form = el('form', { method: 'post', novalidate: true },
    ...(options.askOrgName ? field('org-name', t('accounts.orgName'), orgName, t('accounts.orgNameHint')) : []),
    ...field('new-username', t('accounts.username'), username, t('accounts.usernameHint')),
    ...field('new-password', t('accounts.password'), password, t('accounts.passwordHint', { min: MIN_PASSWORD_CHARS })),
    ...field('confirm-password', t('accounts.passwordAgain'), confirm),
    error,
    el('div', { class: 'actions' }, submit),
    status,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    error.textContent = '';
    for (const input of [orgName, username, password, confirm]) input.removeAttribute('aria-invalid');
    const name = username.value.trim().toLowerCase();
    const problem: [string, HTMLInputElement] | null =
      options.askOrgName && orgName.value.trim().length < 2 ? [t('accounts.error.orgName'), orgName]
      : !USERNAME_PATTERN.test(name) ? [t('accounts.error.username'), username]
      : password.value.length < MIN_PASSWORD_CHARS ? [t('accounts.error.password', { min: MIN_PASSWORD_CHARS }), password]
      : password.value !== confirm.value ? [t('accounts.error.mismatch'), confirm]
      : null;
    if (problem) {
      error.textContent = problem[0];
      problem[1].setAttribute('aria-invalid', 'true');
      problem[1].focus();
      return;
    }
    status.textContent = t('accounts.makingKeys');
    try {
      await whileBusy(submit, t('accounts.working'), () => options.submit({ orgName: orgName.value.trim(), username: name, password: password.value }));
    } catch (failure) {
      status.textContent = '';
      error.textContent = options.describe(failure);
    }
  });
  return [form];
}

export interface SetUpOptions {
  submit(fields: NewAccountFields): Promise<void>;
  describe(error: unknown): string;
}

export function setUpView(options: SetUpOptions): Node[] {
  return [
    el('h1', {}, t('accounts.setUp.heading')),
    el('p', {}, t('accounts.setUp.intro')),
    el('p', { class: 'hint' }, t('accounts.setUp.keys')),
    ...newAccountForm({ askOrgName: true, submitLabel: t('accounts.setUp.submit'), ...options }),
  ];
}

export interface JoinOptions {
  invite: InviteSummary;
  submit(fields: NewAccountFields): Promise<void>;
  describe(error: unknown): string;
}

export function joinView(options: JoinOptions): Node[] {
  const { invite } = options;
  const what = invite.kind === 'organisation'
    ? t('accounts.join.found', { organisation: invite.orgName ?? '' })
    : t('accounts.join.join', { organisation: invite.orgName ?? t('accounts.join.anOrganisation'), role: invite.role === 'admin' ? 'admin' : 'investigator' });
  return present(
    el('h1', {}, invite.kind === 'organisation' ? t('accounts.join.foundHeading') : t('accounts.join.joinHeading', { organisation: invite.orgName ?? t('accounts.join.yourOrganisation') })),
    el('p', {}, what),
    invite.kind === 'member'
      ? el('p', { class: 'hint' }, t('accounts.join.accessLater'))
      : null,
    ...newAccountForm({ askOrgName: false, submitLabel: t('accounts.join.submit'), ...options }),
  );
}

/** A link that no longer works, or any other dead end before an account exists. */
export function linkProblemView(message: string, signIn: () => void): Node[] {
  const button = el('button', { type: 'button', class: 'secondary' }, t('accounts.link.signIn'));
  button.addEventListener('click', signIn);
  return [el('h1', {}, t('accounts.link.heading')), el('p', { class: 'error', role: 'alert' }, message), el('div', { class: 'actions' }, button)];
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** The QR code as SVG rectangles: built as elements, so nothing is parsed and no inline style is needed. */
export function qrCodeSvg(text: string, accessibleName: string): SVGSVGElement {
  const { data, size } = encode(text, { border: 4, ecc: 'M' });
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', `0 0 ${size} ${size}`);
  svg.setAttribute('width', String(size * 6));
  svg.setAttribute('height', String(size * 6));
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', accessibleName);
  svg.setAttribute('class', 'qr-code');
  svg.setAttribute('shape-rendering', 'crispEdges');
  const background = document.createElementNS(SVG_NS, 'rect');
  for (const [name, value] of [['width', String(size)], ['height', String(size)], ['fill', '#fff']]) background.setAttribute(name!, value!);
  svg.append(background);
  data.forEach((row, y) => {
    // One rectangle per run of dark modules keeps the element count small.
    for (let x = 0; x < row.length; x++) {
      if (!row[x]) continue;
      let end = x;
      while (end + 1 < row.length && row[end + 1]) end++;
      const rect = document.createElementNS(SVG_NS, 'rect');
      for (const [name, value] of [['x', String(x)], ['y', String(y)], ['width', String(end - x + 1)], ['height', '1'], ['fill', '#000']]) rect.setAttribute(name!, value!);
      svg.append(rect);
      x = end;
    }
  });
  return svg;
}

/** Groups of four, so the secret can be typed in by hand without losing one's place. */
export function groupedSecret(secret: string): string {
  return secret.replace(/\s+/g, '').match(/.{1,4}/g)?.join(' ') ?? secret;
}

export interface EnrolOptions {
  enrolment: Enrolment;
  confirm(code: string): Promise<void>;
  describe(error: unknown): string;
}

export function enrolView(options: EnrolOptions): Node[] {
  const { enrolment } = options;
  const code = el('input', { id: 'enrol-code', name: 'code', type: 'text', inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9]{6}', maxlength: '6', required: true, 'aria-describedby': 'enrol-code-hint' });
  const submit = el('button', { type: 'submit' }, t('accounts.enrol.submit'));
  const error = alertLine('enrol-error');
  const form = el('form', { method: 'post', novalidate: true },
    el('label', { for: 'enrol-code' }, t('accounts.enrol.code')),
    el('span', { id: 'enrol-code-hint', class: 'hint' }, t('accounts.enrol.codeHint')),
    code, error, el('div', { class: 'actions' }, submit),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    error.textContent = '';
    const digits = code.value.replace(/\s+/g, '');
    if (!/^\d{6}$/.test(digits)) {
      error.textContent = t('accounts.enrol.missing');
      code.setAttribute('aria-invalid', 'true');
      code.focus();
      return;
    }
    try {
      await whileBusy(submit, t('accounts.enrol.checking'), () => options.confirm(digits));
    } catch (failure) {
      error.textContent = options.describe(failure);
      code.value = '';
      code.focus();
    }
  });
  return [
    el('h1', {}, t('accounts.enrol.heading')),
    el('p', {}, t('accounts.enrol.made', { username: enrolment.username })),
    el('ol', { class: 'steps' },
      el('li', {}, t('accounts.enrol.step1')),
      el('li', {}, t('accounts.enrol.step2')),
    ),
    el('div', { class: 'qr' }, qrCodeSvg(enrolment.uri, t('accounts.enrol.qr'))),
    el('p', { class: 'secret-line' }, t('accounts.enrol.secret'), el('code', { id: 'totp-secret', class: 'totp-secret' }, groupedSecret(enrolment.secret))),
    el('p', { class: 'hint' }, t('accounts.enrol.secretHint')),
    form,
  ];
}

export function enrolDoneView(signIn: () => void): Node[] {
  const button = el('button', { type: 'button' }, t('accounts.done.submit'));
  button.addEventListener('click', signIn);
  return [
    el('h1', {}, t('accounts.done.heading')),
    el('p', {}, t('accounts.done.text')),
    el('div', { class: 'actions' }, button),
  ];
}
