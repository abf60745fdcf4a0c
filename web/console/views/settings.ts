// Settings view (administrators): the organisation's deadlines, how long it keeps cases, and
// its time zone. The server checks the bounds (DEADLINE_LIMITS, RETENTION_LIMITS); the inputs
// carry them too, so a browser can say what is out of range before anything is sent.
import { el } from '../../ui/dom.js';
import { t } from '../../i18n/i18n.js';
import { DEADLINE_LIMITS } from '../../casework/deadlines.js';
import { RETENTION_LIMITS } from '../../casework/retention.js';
import { isTimeZone } from '../../casework/calendar.js';
import type { OrganisationSettings } from '../engine-api.js';
import { alertLine, present, whileBusy } from './parts.js';

export interface SettingsOptions {
  organisationName: string;
  /** null when they could not be loaded; `error` then says why. */
  settings: OrganisationSettings | null;
  error?: string;
  notice?: string;
  back(): void;
  /** Re-renders the view when done. */
  save(settings: OrganisationSettings): Promise<void>;
  describe(error: unknown): string;
}

type NumberField = Exclude<keyof OrganisationSettings, 'timeZone'>;

function numberInput(field: NumberField, value: number, limits: { min: number; max: number }, label: string): { input: HTMLInputElement; nodes: Node[] } {
  const id = `settings-${field}`;
  const input = el('input', { id, name: field, type: 'number', inputmode: 'numeric', required: true, min: String(limits.min), max: String(limits.max), step: '1', value: String(value) });
  return { input, nodes: [el('label', { for: id }, label), input] };
}

export function settingsView(options: SettingsOptions): Node[] {
  const back = el('button', { type: 'button', class: 'secondary' }, t('settings.back'));
  back.addEventListener('click', () => options.back());
  const error = alertLine('settings-error');
  if (options.error) error.textContent = options.error;
  const current = options.settings;
  if (!current) return present(el('div', { class: 'actions back' }, back), el('h1', {}, t('settings.heading', { organisation: options.organisationName })), error);

  const ackDays = numberInput('ackDays', current.ackDays, DEADLINE_LIMITS.ackDays, t('settings.ackDays'));
  const feedbackMonths = numberInput('feedbackMonths', current.feedbackMonths, DEADLINE_LIMITS.feedbackMonths, t('settings.feedbackMonths'));
  const keepClosedDays = numberInput('keepClosedDays', current.keepClosedDays, RETENTION_LIMITS.keepClosedDays, t('settings.keepClosedDays'));
  const keepInactiveDays = numberInput('keepInactiveDays', current.keepInactiveDays, RETENTION_LIMITS.keepInactiveDays, t('settings.keepInactiveDays'));
  const timeZone = el('input', { id: 'settings-timeZone', name: 'timeZone', type: 'text', required: true, autocomplete: 'off', spellcheck: 'false', value: current.timeZone });
  const submit = el('button', { type: 'submit' }, t('settings.save'));
  const form = el('form', { method: 'post', novalidate: true },
    el('fieldset', { 'aria-describedby': 'deadlines-hint' },
      el('legend', {}, t('settings.deadlines')),
      el('p', { id: 'deadlines-hint', class: 'hint' }, t('settings.deadlinesHint')),
      ...ackDays.nodes, ...feedbackMonths.nodes),
    el('fieldset', { 'aria-describedby': 'retention-hint' },
      el('legend', {}, t('settings.retention')),
      el('p', { id: 'retention-hint', class: 'hint' }, t('settings.retentionHint')),
      ...keepClosedDays.nodes, ...keepInactiveDays.nodes),
    el('label', { for: 'settings-timeZone' }, t('settings.timeZone')), timeZone,
    error,
    el('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    error.textContent = '';
    // Checked here first so the words are the page's own; the server checks the same again.
    const inputs = [ackDays.input, feedbackMonths.input, keepClosedDays.input, keepInactiveDays.input];
    if (!inputs.every((input) => input.checkValidity()) || !isTimeZone(timeZone.value.trim()) || keepClosedDays.input.valueAsNumber > keepInactiveDays.input.valueAsNumber) {
      error.textContent = t('settings.invalid');
      return;
    }
    const settings = {
      ackDays: ackDays.input.valueAsNumber, feedbackMonths: feedbackMonths.input.valueAsNumber,
      keepClosedDays: keepClosedDays.input.valueAsNumber, keepInactiveDays: keepInactiveDays.input.valueAsNumber,
      timeZone: timeZone.value.trim(),
    };
    try {
      await whileBusy(submit, t('settings.saving'), () => options.save(settings));
    } catch (failure) {
      error.textContent = options.describe(failure);
    }
  });
  return present(
    el('div', { class: 'actions back' }, back),
    el('h1', {}, t('settings.heading', { organisation: options.organisationName })),
    options.notice ? el('p', { class: 'notice', role: 'status' }, options.notice) : null,
    form,
  );
}
