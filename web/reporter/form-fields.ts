// Accessible form fields: a label, an optional hint, an error message tied to the control
// with aria-describedby, and a summary that is announced when a check fails.
import { el } from '../ui/dom.js';
import { t } from '../i18n/i18n.js';

export interface FormField<C extends HTMLElement> {
  /** What goes into the form. */
  element: HTMLElement;
  /** What gets focus when this field has an error. */
  control: C;
  showError(message: string | null): void;
}

function describe(target: HTMLElement, ids: (string | null)[]): void {
  const value = ids.filter((id): id is string => id !== null).join(' ');
  if (value) target.setAttribute('aria-describedby', value);
  else target.removeAttribute('aria-describedby');
}

/**
 * One control with its label. The control must carry an id. A form with one field announces
 * its error itself (`announce`); longer forms announce through their errorSummary.
 */
export function formField<C extends HTMLElement>(control: C, options: { label: string; hint?: string | Node; announce?: boolean }): FormField<C> {
  const id = control.id;
  const hint = options.hint ? el('span', { class: 'hint', id: `${id}-hint` }, options.hint) : null;
  // Always in the page (empty when there is no error), so a live region is there before it fills.
  const error = el('p', { class: 'error field-error', id: `${id}-error`, role: options.announce ? 'alert' : undefined });
  const hintId = hint ? hint.id : null;
  describe(control, [hintId]);
  return {
    element: el('div', { class: 'field' }, el('label', { for: id }, options.label), hint, error, control),
    control,
    showError(message) {
      error.textContent = message ?? '';
      if (message === null) control.removeAttribute('aria-invalid');
      else control.setAttribute('aria-invalid', 'true');
      describe(control, [hintId, message === null ? null : error.id]);
    },
  };
}

/** A group of radio buttons in a fieldset; the first radio (or the checked one) takes focus. */
export function radioGroup(options: { id: string; legend: string; hint?: string; name: string; choices: { value: string; label: string }[]; checked: string }): FormField<HTMLInputElement> & { value(): string } {
  const hint = options.hint ? el('span', { class: 'hint', id: `${options.id}-hint` }, options.hint) : null;
  const error = el('p', { class: 'error field-error', id: `${options.id}-error` });
  const radios = options.choices.map((choice, i) =>
    el('input', { type: 'radio', name: options.name, id: `${options.id}-${i}`, value: choice.value, checked: choice.value === options.checked }),
  );
  const fieldset = el('fieldset', { id: options.id, class: 'field' },
    el('legend', {}, options.legend), hint, error,
    ...options.choices.map((choice, i) => el('label', { class: 'choice', for: radios[i]!.id }, radios[i]!, el('span', {}, choice.label))),
  );
  const hintId = hint ? hint.id : null;
  describe(fieldset, [hintId]);
  return {
    element: fieldset,
    get control() {
      return radios.find((r) => r.checked) ?? radios[0]!;
    },
    value: () => radios.find((r) => r.checked)?.value ?? '',
    showError(message) {
      error.textContent = message ?? '';
      for (const radio of radios) {
        if (message === null) radio.removeAttribute('aria-invalid');
        else radio.setAttribute('aria-invalid', 'true');
      }
      describe(fieldset, [hintId, message === null ? null : error.id]);
    },
  };
}

/**
 * The form's problem summary: a live region that exists before anything is put in it, so
 * screen readers announce it when it fills.
 */
export function errorSummary(): { element: HTMLElement; show(problems: string[]): void } {
  const element = el('div', { class: 'error-summary', role: 'alert' });
  return {
    element,
    show(problems) {
      if (problems.length === 0) {
        element.replaceChildren();
        return;
      }
      element.replaceChildren(
        el('p', { class: 'error-summary-title' }, t('errors.summary', { count: problems.length })),
        el('ul', {}, ...problems.map((p) => el('li', {}, p))),
      );
    },
  };
}

/** Inputs and text areas that must not learn, correct or capitalise what is typed. */
export const PRIVATE_TEXT = { autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false', autocorrect: 'off' } as const;
