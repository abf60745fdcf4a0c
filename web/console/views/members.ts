// Members view (administrators): who belongs to the organisation, invitations as links to
// send, giving a newcomer the organisation's keys, removing a member, ending sessions.
import { el } from '../../ui/dom.js';
import type { InviteRow, MemberRow } from '../engine-api.js';
import { alertLine, present, whileBusy } from './parts.js';

export interface MembersOptions {
  organisationName: string;
  /** null when the list could not be loaded; `error` then says why. */
  members: MemberRow[] | null;
  /** Invitations not yet used, revoked or expired. */
  invites: InviteRow[];
  error?: string;
  notice?: string;
  instanceAdmin: boolean;
  back(): void;
  /** Each resolves with the invitation link to show. */
  inviteMember(role: 'admin' | 'investigator'): Promise<string>;
  inviteOrganisation(orgName: string): Promise<string>;
  /** These re-render the view when done. */
  grant(member: MemberRow): Promise<void>;
  remove(member: MemberRow): void;
  endSessions(member: MemberRow): Promise<void>;
  revokeInvite(invite: InviteRow): Promise<void>;
  copied(): void;
  describe(error: unknown): string;
}

function hiddenName(member: MemberRow): HTMLElement {
  return el('span', { class: 'visually-hidden' }, ` (${member.username})`);
}

function linkBox(id: string, link: string, copied: () => void): HTMLElement {
  const copy = el('button', { type: 'button', class: 'secondary' }, 'Copy the link');
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(link);
      copied();
    } catch {
      // Clipboard refused (permissions): the link is on screen to select by hand.
      window.getSelection()?.selectAllChildren(document.getElementById(id)!);
    }
  });
  return el('div', { class: 'invite-result' },
    el('p', {}, 'Send this link to the person, through a channel you trust. It works once, for a limited time; whoever opens it first joins.'),
    el('p', {}, el('code', { id, class: 'invite-link' }, link)),
    el('div', { class: 'actions' }, copy),
  );
}

function inviteMemberSection(options: MembersOptions): HTMLElement {
  const role = el('select', { id: 'invite-role', name: 'role' },
    el('option', { value: 'investigator', selected: true }, 'Investigator: reads and answers reports'),
    el('option', { value: 'admin' }, 'Administrator: also manages members'));
  const submit = el('button', { type: 'submit' }, 'Make an invitation link');
  const error = alertLine('invite-error');
  const result = el('div', { 'aria-live': 'polite' });
  const form = el('form', { method: 'post', novalidate: true }, el('label', { for: 'invite-role' }, 'Role'), role, error, el('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    error.textContent = '';
    try {
      const link = await whileBusy(submit, 'Making the link…', () => options.inviteMember(role.value as 'admin' | 'investigator'));
      result.replaceChildren(linkBox('invite-link', link, options.copied));
    } catch (failure) {
      error.textContent = options.describe(failure);
    }
  });
  return el('section', { class: 'card', 'aria-labelledby': 'invite-heading' }, el('h2', { id: 'invite-heading' }, 'Invite a member'), form, result);
}

function inviteOrganisationSection(options: MembersOptions): HTMLElement {
  const name = el('input', { id: 'invite-org-name', name: 'orgName', type: 'text', required: true, 'aria-describedby': 'invite-org-hint' });
  const submit = el('button', { type: 'submit' }, 'Make an invitation link');
  const error = alertLine('invite-org-error');
  const result = el('div', { 'aria-live': 'polite' });
  const form = el('form', { method: 'post', novalidate: true },
    el('label', { for: 'invite-org-name' }, 'Name of the new organisation'),
    el('span', { id: 'invite-org-hint', class: 'hint' }, 'Whoever opens the link becomes its first administrator and makes its keys on their own device.'),
    name, error, el('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    error.textContent = '';
    if (name.value.trim().length < 2) {
      error.textContent = 'Enter the new organisation’s name.';
      name.focus();
      return;
    }
    try {
      const link = await whileBusy(submit, 'Making the link…', () => options.inviteOrganisation(name.value.trim()));
      result.replaceChildren(linkBox('invite-org-link', link, options.copied));
    } catch (failure) {
      error.textContent = options.describe(failure);
    }
  });
  return el('section', { class: 'card', 'aria-labelledby': 'invite-org-heading' }, el('h2', { id: 'invite-org-heading' }, 'Invite a new organisation'), form, result);
}

function memberItem(member: MemberRow, options: MembersOptions, error: HTMLElement): HTMLLIElement {
  const actions = el('div', { class: 'actions' });
  const act = (button: HTMLButtonElement, busy: string, work: () => Promise<void>) => {
    button.addEventListener('click', async () => {
      error.textContent = '';
      try {
        await whileBusy(button, busy, work);
      } catch (failure) {
        error.textContent = `${member.username}: ${options.describe(failure)}`;
      }
    });
    actions.append(button);
  };
  if (!member.hasKeys) {
    act(el('button', { type: 'button' }, 'Give access to reports', hiddenName(member)), 'Giving access…', () => options.grant(member));
  }
  if (!member.isMe) {
    act(el('button', { type: 'button', class: 'secondary' }, 'End sessions', hiddenName(member)), 'Ending…', () => options.endSessions(member));
    const remove = el('button', { type: 'button', class: 'danger' }, 'Remove', hiddenName(member));
    remove.addEventListener('click', () => options.remove(member));
    actions.append(remove);
  }
  return el('li', { class: 'member' },
    el('h3', {}, member.username, member.isMe ? ' (you)' : ''),
    el('dl', { class: 'case-facts' },
      el('dt', {}, 'Role'), el('dd', {}, member.role === 'admin' ? 'Administrator' : 'Investigator'),
      el('dt', {}, 'Authenticator app'), el('dd', {}, member.totpConfirmed ? 'Confirmed' : 'Not confirmed yet'),
      el('dt', {}, 'Access to reports'), el('dd', {}, member.hasKeys ? 'Has the keys' : 'No keys yet'),
      // The member's key as this device checked it: compare the code with them (e.g. by phone) when in doubt.
      el('dt', {}, 'Key'), el('dd', {}, el('code', { class: 'fingerprint' }, member.fingerprint), ' ',
        member.keyCheck === 'endorsed' ? 'vouched for by your organisation'
        : member.keyCheck === 'proved' ? 'matches their invitation'
        : member.isMe ? 'your own' : el('strong', {}, 'not checked: it does not match their invitation, so no keys can be given to it')),
    ),
    actions.childElementCount > 0 ? actions : '',
  );
}

const EXPIRY_FORMAT = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit' });

function invitesSection(options: MembersOptions): HTMLElement | null {
  if (options.invites.length === 0) return null;
  const error = alertLine('invites-error');
  const item = (invite: InviteRow) => {
    const what = invite.kind === 'organisation' ? `To found ${invite.orgName ?? 'an organisation'}` : invite.role === 'admin' ? 'An administrator' : 'An investigator';
    const withdraw = el('button', { type: 'button', class: 'secondary' }, 'Withdraw', el('span', { class: 'visually-hidden' }, ` (${what.toLowerCase()}, made by ${invite.createdBy ?? 'a former member'})`));
    withdraw.addEventListener('click', async () => {
      error.textContent = '';
      try {
        await whileBusy(withdraw, 'Withdrawing…', () => options.revokeInvite(invite));
      } catch (failure) {
        error.textContent = options.describe(failure);
      }
    });
    return el('li', {}, el('p', {}, `${what}, made by ${invite.createdBy ?? 'a former member'}; works until ${EXPIRY_FORMAT.format(invite.expiresAt)}.`), withdraw);
  };
  return el('section', { 'aria-labelledby': 'invites-heading' },
    el('h2', { id: 'invites-heading' }, 'Open invitations'),
    el('p', { class: 'hint' }, 'Each link works once. Withdraw one that went to the wrong person or is no longer needed; links of a removed member stop working by themselves.'),
    error,
    el('ul', { class: 'invites' }, ...options.invites.map(item)),
  );
}

export function membersView(options: MembersOptions): Node[] {
  const back = el('button', { type: 'button', class: 'secondary' }, 'Back to cases');
  back.addEventListener('click', () => options.back());
  const error = alertLine('members-error');
  if (options.error) error.textContent = options.error;
  return present(
    el('div', { class: 'actions back' }, back),
    el('h1', {}, `Members of ${options.organisationName}`),
    options.notice ? el('p', { class: 'notice' }, options.notice) : null,
    error,
    options.members
      ? el('section', { 'aria-labelledby': 'members-heading' },
        el('h2', { id: 'members-heading' }, 'Members'),
        el('ul', { class: 'members' }, ...options.members.map((m) => memberItem(m, options, error))))
      : null,
    invitesSection(options),
    inviteMemberSection(options),
    options.instanceAdmin ? inviteOrganisationSection(options) : null,
  );
}

export interface RemoveConfirmOptions {
  member: MemberRow;
  confirm(): Promise<void>;
  cancel(): void;
  describe(error: unknown): string;
}

/** A separate step: removal rotates the organisation's keys, which cannot be undone and takes a while. */
export function removeConfirmView(options: RemoveConfirmOptions): Node[] {
  const confirm = el('button', { type: 'button', class: 'danger' }, `Remove ${options.member.username} and rotate the keys`);
  const cancel = el('button', { type: 'button', class: 'secondary' }, 'Cancel');
  const error = alertLine('remove-error');
  const status = el('p', { role: 'status' });
  cancel.addEventListener('click', () => options.cancel());
  confirm.addEventListener('click', async () => {
    error.textContent = '';
    status.textContent = 'Making new keys for the members who remain. Keep this page open.';
    cancel.disabled = true;
    try {
      await whileBusy(confirm, 'Removing…', options.confirm);
    } catch (failure) {
      status.textContent = '';
      error.textContent = options.describe(failure);
    } finally {
      cancel.disabled = false;
    }
  });
  return [
    el('h1', {}, `Remove ${options.member.username}?`),
    el('p', {}, `${options.member.username} will no longer be able to sign in, and their copy of the organisation’s keys is deleted.`),
    el('p', {}, 'So that keys they may have kept stop working, this device makes new organisation keys, seals every case key again to them, and gives the new keys to every other member. With many cases this may take a while. It cannot be undone.'),
    error,
    el('div', { class: 'actions' }, confirm, cancel),
    status,
  ];
}
