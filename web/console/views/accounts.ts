// New accounts: founding the first organisation, joining by invitation, and enrolling the
// authenticator app (secret as text and as a QR code). Passwords go to the engine, which
// derives the keys; the page never sees a key or the account's authentication key.
import { encode } from 'uqr';
import { el } from '../../ui/dom.js';
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
    ...(options.askOrgName ? field('org-name', 'Organisation name', orgName, 'As reporters will see it when they choose where to send a report.') : []),
    ...field('new-username', 'Username', username, 'Lower-case letters, digits, dot, dash or underscore. Your colleagues will see it.'),
    ...field('new-password', 'Password', password, `At least ${MIN_PASSWORD_CHARS} characters. It unlocks your keys: nobody, not even an administrator, can reset it without losing them.`),
    ...field('confirm-password', 'Password again', confirm),
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
      options.askOrgName && orgName.value.trim().length < 2 ? ['Enter the organisation’s name.', orgName]
      : !USERNAME_PATTERN.test(name) ? ['Choose a username of lower-case letters, digits, dot, dash or underscore.', username]
      : password.value.length < MIN_PASSWORD_CHARS ? [`Choose a password of at least ${MIN_PASSWORD_CHARS} characters.`, password]
      : password.value !== confirm.value ? ['The two passwords are different. Type the same password twice.', confirm]
      : null;
    if (problem) {
      error.textContent = problem[0];
      problem[1].setAttribute('aria-invalid', 'true');
      problem[1].focus();
      return;
    }
    status.textContent = 'Making your keys on this device. This takes a few seconds.';
    try {
      await whileBusy(submit, 'Working…', () => options.submit({ orgName: orgName.value.trim(), username: name, password: password.value }));
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
    el('h1', {}, 'Create the first organisation'),
    el('p', {}, 'This Parley has no organisation yet. You are about to create the first one and become its administrator; you can then invite colleagues and other organisations.'),
    el('p', { class: 'hint' }, 'The organisation’s keys are made on this device and locked with your password. The server only ever receives locked copies.'),
    ...newAccountForm({ askOrgName: true, submitLabel: 'Create the organisation', ...options }),
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
    ? `You are invited to found a new organisation on this Parley, “${invite.orgName ?? ''}”, as its administrator. Its keys are made on this device.`
    : `You are invited to join ${invite.orgName ?? 'an organisation'} as ${invite.role === 'admin' ? 'an administrator' : 'an investigator'}.`;
  return present(
    el('h1', {}, invite.kind === 'organisation' ? 'Found a new organisation' : `Join ${invite.orgName ?? 'your organisation'}`),
    el('p', {}, what),
    invite.kind === 'member'
      ? el('p', { class: 'hint' }, 'Once you have joined, an administrator still has to give you access to reports before you can read them.')
      : null,
    ...newAccountForm({ askOrgName: false, submitLabel: 'Create my account', ...options }),
  );
}

/** A link that no longer works, or any other dead end before an account exists. */
export function linkProblemView(message: string, signIn: () => void): Node[] {
  const button = el('button', { type: 'button', class: 'secondary' }, 'Go to sign-in');
  button.addEventListener('click', signIn);
  return [el('h1', {}, 'This link does not work'), el('p', { class: 'error', role: 'alert' }, message), el('div', { class: 'actions' }, button)];
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
  const submit = el('button', { type: 'submit' }, 'Confirm the code');
  const error = alertLine('enrol-error');
  const form = el('form', { method: 'post', novalidate: true },
    el('label', { for: 'enrol-code' }, 'Code from your authenticator app'),
    el('span', { id: 'enrol-code-hint', class: 'hint' }, 'Six digits. A new one appears every 30 seconds; use the one showing now.'),
    code, error, el('div', { class: 'actions' }, submit),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    error.textContent = '';
    const digits = code.value.replace(/\s+/g, '');
    if (!/^\d{6}$/.test(digits)) {
      error.textContent = 'Enter the six-digit code your authenticator app shows for Parley.';
      code.setAttribute('aria-invalid', 'true');
      code.focus();
      return;
    }
    try {
      await whileBusy(submit, 'Checking…', () => options.confirm(digits));
    } catch (failure) {
      error.textContent = options.describe(failure);
      code.value = '';
      code.focus();
    }
  });
  return [
    el('h1', {}, 'Set up your authenticator app'),
    el('p', {}, `Your account “${enrolment.username}” is made. Signing in also needs a six-digit code from an authenticator app on your phone (for example FreeOTP, Aegis or Google Authenticator), so a stolen password alone is not enough.`),
    el('ol', { class: 'steps' },
      el('li', {}, 'In the app, add an account and scan this QR code, or type in the secret below.'),
      el('li', {}, 'Enter the code the app then shows, to prove it is set up.'),
    ),
    el('div', { class: 'qr' }, qrCodeSvg(enrolment.uri, 'QR code for your authenticator app. It holds the same secret as the text below.')),
    el('p', { class: 'secret-line' }, 'Secret: ', el('code', { id: 'totp-secret', class: 'totp-secret' }, groupedSecret(enrolment.secret))),
    el('p', { class: 'hint' }, 'This secret is shown only now. Keep it only in your authenticator app: do not write it down next to your password.'),
    form,
  ];
}

export function enrolDoneView(signIn: () => void): Node[] {
  const button = el('button', { type: 'button' }, 'Done: sign in');
  button.addEventListener('click', signIn);
  return [
    el('h1', {}, 'Your account is ready'),
    el('p', {}, 'Your authenticator app is confirmed. Sign in with your username, your password and the code the app shows.'),
    el('div', { class: 'actions' }, button),
  ];
}
