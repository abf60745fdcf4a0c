// Members view (administrators): who belongs to the organisation, invitations as links to
// send, giving a newcomer the organisation's keys, removing a member, ending sessions.
import { el } from '../../ui/dom.js';
import { t } from '../../i18n/i18n.js';
import { momentLabel } from '../labels.js';
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
  const copy = el('button', { type: 'button', class: 'secondary' }, t('members.copy'));
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
    el('p', {}, t('members.linkSend')),
    el('p', {}, el('code', { id, class: 'invite-link' }, link)),
    el('div', { class: 'actions' }, copy),
  );
}

function inviteMemberSection(options: MembersOptions): HTMLElement {
  const role = el('select', { id: 'invite-role', name: 'role' },
    el('option', { value: 'investigator', selected: true }, t('members.invite.investigator')),
    el('option', { value: 'admin' }, t('members.invite.admin')));
  const submit = el('button', { type: 'submit' }, t('members.invite.submit'));
  const error = alertLine('invite-error');
  const result = el('div', { 'aria-live': 'polite' });
  const form = el('form', { method: 'post', novalidate: true }, el('label', { for: 'invite-role' }, t('members.invite.role')), role, error, el('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    error.textContent = '';
    try {
      const link = await whileBusy(submit, t('members.invite.making'), () => options.inviteMember(role.value as 'admin' | 'investigator'));
      result.replaceChildren(linkBox('invite-link', link, options.copied));
    } catch (failure) {
      error.textContent = options.describe(failure);
    }
  });
  return el('section', { class: 'card', 'aria-labelledby': 'invite-heading' }, el('h2', { id: 'invite-heading' }, t('members.invite.heading')), form, result);
}

function inviteOrganisationSection(options: MembersOptions): HTMLElement {
  const name = el('input', { id: 'invite-org-name', name: 'orgName', type: 'text', required: true, 'aria-describedby': 'invite-org-hint' });
  const submit = el('button', { type: 'submit' }, t('members.invite.submit'));
  const error = alertLine('invite-org-error');
  const result = el('div', { 'aria-live': 'polite' });
  const form = el('form', { method: 'post', novalidate: true },
    el('label', { for: 'invite-org-name' }, t('members.inviteOrg.name')),
    el('span', { id: 'invite-org-hint', class: 'hint' }, t('members.inviteOrg.hint')),
    name, error, el('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    error.textContent = '';
    if (name.value.trim().length < 2) {
      error.textContent = t('members.inviteOrg.missing');
      name.focus();
      return;
    }
    try {
      const link = await whileBusy(submit, t('members.invite.making'), () => options.inviteOrganisation(name.value.trim()));
      result.replaceChildren(linkBox('invite-org-link', link, options.copied));
    } catch (failure) {
      error.textContent = options.describe(failure);
    }
  });
  return el('section', { class: 'card', 'aria-labelledby': 'invite-org-heading' }, el('h2', { id: 'invite-org-heading' }, t('members.inviteOrg.heading')), form, result);
}

function memberItem(member: MemberRow, options: MembersOptions, error: HTMLElement): HTMLLIElement {
  const actions = el('div', { class: 'actions' });
  const act = (button: HTMLButtonElement, busy: string, work: () => Promise<void>) => {
    button.addEventListener('click', async () => {
      error.textContent = '';
      try {
        await whileBusy(button, busy, work);
      } catch (failure) {
        error.textContent = t('members.memberError', { username: member.username, error: options.describe(failure) });
      }
    });
    actions.append(button);
  };
  if (!member.hasKeys) {
    act(el('button', { type: 'button' }, t('members.grant'), hiddenName(member)), t('members.granting'), () => options.grant(member));
  }
  if (!member.isMe) {
    act(el('button', { type: 'button', class: 'secondary' }, t('members.endSessions'), hiddenName(member)), t('members.ending'), () => options.endSessions(member));
    const remove = el('button', { type: 'button', class: 'danger' }, t('members.remove'), hiddenName(member));
    remove.addEventListener('click', () => options.remove(member));
    actions.append(remove);
  }
  return el('li', { class: 'member' },
    el('h3', {}, member.username, member.isMe ? t('members.you') : ''),
    el('dl', { class: 'case-facts' },
      el('dt', {}, t('members.role')), el('dd', {}, member.role === 'admin' ? t('members.role.admin') : t('members.role.investigator')),
      el('dt', {}, t('members.authenticator')), el('dd', {}, member.totpConfirmed ? t('members.authenticator.confirmed') : t('members.authenticator.notConfirmed')),
      el('dt', {}, t('members.access')), el('dd', {}, member.hasKeys ? t('members.access.yes') : t('members.access.no')),
      // The member's key as this device checked it: compare the code with them (e.g. by phone) when in doubt.
      el('dt', {}, t('members.key')), el('dd', {}, el('code', { class: 'fingerprint' }, member.fingerprint), ' ',
        member.keyCheck === 'endorsed' ? t('members.key.endorsed')
        : member.keyCheck === 'proved' ? t('members.key.proved')
        : member.isMe ? t('members.key.own') : el('strong', {}, t('members.key.unchecked'))),
    ),
    actions.childElementCount > 0 ? actions : '',
  );
}

function invitesSection(options: MembersOptions): HTMLElement | null {
  if (options.invites.length === 0) return null;
  const error = alertLine('invites-error');
  const item = (invite: InviteRow) => {
    const what = invite.kind === 'organisation' ? t('members.invites.organisation', { organisation: invite.orgName ?? t('members.invites.anOrganisation') }) : invite.role === 'admin' ? t('members.invites.admin') : t('members.invites.investigator');
    const by = invite.createdBy ?? t('members.invites.formerMember');
    const withdraw = el('button', { type: 'button', class: 'secondary' }, t('members.invites.withdraw'), el('span', { class: 'visually-hidden' }, t('members.invites.withdrawWhich', { what, by })));
    withdraw.addEventListener('click', async () => {
      error.textContent = '';
      try {
        await whileBusy(withdraw, t('members.invites.withdrawing'), () => options.revokeInvite(invite));
      } catch (failure) {
        error.textContent = options.describe(failure);
      }
    });
    return el('li', {}, el('p', {}, t('members.invites.item', { what, by, until: momentLabel(invite.expiresAt) })), withdraw);
  };
  return el('section', { 'aria-labelledby': 'invites-heading' },
    el('h2', { id: 'invites-heading' }, t('members.invites.heading')),
    el('p', { class: 'hint' }, t('members.invites.hint')),
    error,
    el('ul', { class: 'invites' }, ...options.invites.map(item)),
  );
}

export function membersView(options: MembersOptions): Node[] {
  const back = el('button', { type: 'button', class: 'secondary' }, t('members.back'));
  back.addEventListener('click', () => options.back());
  const error = alertLine('members-error');
  if (options.error) error.textContent = options.error;
  return present(
    el('div', { class: 'actions back' }, back),
    el('h1', {}, t('members.heading', { organisation: options.organisationName })),
    options.notice ? el('p', { class: 'notice' }, options.notice) : null,
    error,
    options.members
      ? el('section', { 'aria-labelledby': 'members-heading' },
        el('h2', { id: 'members-heading' }, t('members.listHeading')),
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
  const confirm = el('button', { type: 'button', class: 'danger' }, t('members.removeConfirm.confirm', { username: options.member.username }));
  const cancel = el('button', { type: 'button', class: 'secondary' }, t('members.removeConfirm.cancel'));
  const error = alertLine('remove-error');
  const status = el('p', { role: 'status' });
  cancel.addEventListener('click', () => options.cancel());
  confirm.addEventListener('click', async () => {
    error.textContent = '';
    status.textContent = t('members.removeConfirm.working');
    cancel.disabled = true;
    try {
      await whileBusy(confirm, t('members.removeConfirm.removing'), options.confirm);
    } catch (failure) {
      status.textContent = '';
      error.textContent = options.describe(failure);
    } finally {
      cancel.disabled = false;
    }
  });
  return [
    el('h1', {}, t('members.removeConfirm.heading', { username: options.member.username })),
    el('p', {}, t('members.removeConfirm.consequence', { username: options.member.username })),
    el('p', {}, t('members.removeConfirm.why')),
    error,
    el('div', { class: 'actions' }, confirm, cancel),
    status,
  ];
}
