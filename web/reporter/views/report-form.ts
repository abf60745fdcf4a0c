// The report form: who should read it, what it is about, what happened, and optional
// details. Checked on the device; nothing is sent from this view.
import { el } from '../../ui/dom.js';
import { REPORT_CATEGORIES, REPORT_TEXT_FIELDS, type ReportTextField } from '../../protocol/documents.js';
import { NOT_SURE, type ReportDraft, type ReportInProgress, type ReporterApp } from '../app.js';
import type { OrganisationChoice } from '../engine-api.js';
import { errorSummary, formField, radioGroup, PRIVATE_TEXT, type FormField } from '../form-fields.js';
import { bytesOverLimit, draftToReport, tooLongMessage } from '../report-draft.js';
import { loadingFailed } from './problems.js';

// Spell checking is off on purpose: some browsers send typed text to an online spelling service.
function textArea(id: string, value: string, rows = 6): HTMLTextAreaElement {
  const area = el('textarea', { id, name: id, rows: String(rows), ...PRIVATE_TEXT });
  area.value = value;
  return area;
}

export function reportFormView(app: ReporterApp, report: ReportInProgress): HTMLElement {
  const body = el('div', {}, el('p', { role: 'status' }, 'Getting the list of anti-corruption units…'));
  const load = () =>
    app.engine.loadConfig().then(
      ({ organisations }) => body.replaceChildren(reportForm(app, report, organisations)),
      () => body.replaceChildren(loadingFailed(load)),
    );
  void load();
  return el('div', {}, el('h1', {}, 'Make a report'), body);
}

function reportForm(app: ReporterApp, report: ReportInProgress, organisations: OrganisationChoice[]): HTMLElement {
  const draft = report.draft;
  const firstName = organisations[0]?.name ?? 'the first unit';

  const orgSelect = el('select', { id: 'organisation', name: 'organisation' },
    el('option', { value: '' }, 'Choose a unit'),
    ...organisations.map((o) => el('option', { value: o.id }, o.name)),
    el('option', { value: NOT_SURE }, 'Not sure'),
  );
  orgSelect.value = draft.organisation;
  // The chosen unit's anchor: the code every key of the unit is checked back to on this device.
  // People who want to can compare it with the code the unit publishes on its own website or leaflets.
  const fingerprint = el('p', { class: 'hint', id: 'organisation-fingerprint' });
  const showFingerprint = () => {
    const chosen = organisations.find((o) => o.id === orgSelect.value) ?? (orgSelect.value === NOT_SURE ? organisations[0] : undefined);
    fingerprint.textContent = chosen
      ? `Only ${chosen.name} can read your report. To be sure this page is not pretending, you can check that this code matches the one ${chosen.name} publishes on its own website: ${chosen.fingerprint}.`
      : '';
  };
  orgSelect.addEventListener('change', showFingerprint);
  showFingerprint();
  const organisation = formField(orgSelect, {
    label: 'Which anti-corruption unit should read your report?',
    hint: `Usually the one in the police force where the person works. If you do not know, choose “Not sure”: it goes to ${firstName}, who can pass it on.`,
  });

  const category = radioGroup({
    id: 'category', name: 'category', legend: 'What is it about?', hint: 'Choose the one that fits best.',
    choices: REPORT_CATEGORIES.map((c) => ({ value: c.id, label: c.label })), checked: draft.category,
  });

  const whatHappened = formField(textArea('what-happened', draft.whatHappened, 8), {
    label: 'What happened?',
    hint: 'Say what the person did, and who they are if you know: name, job, police force or station. Leave out anything that would show who you are, unless you are happy for the unit to know it.',
  });
  const whenAndWhere = formField(textArea('when-where', draft.whenAndWhere, 3), {
    label: 'When and where did it happen? (optional)',
    hint: 'Dates, times and places, as well as you remember them.',
  });
  const anythingElse = formField(textArea('anything-else', draft.anythingElse, 3), {
    label: 'Anything else the unit should know? (optional)',
    hint: 'For example, who else saw it, or where messages, photos or other evidence can be found. You cannot attach files here.',
  });
  const contact = formField(textArea('contact', draft.contact, 2), {
    label: 'Your contact details (optional)',
    hint: el('span', {}, 'Only if you want the unit to contact you directly. ',
      el('strong', {}, 'These are encrypted too, but they tell the unit who you are.'),
      ' You can leave this empty and still answer their questions here with your passphrase.'),
  });

  const textFields = { whatHappened, whenAndWhere, anythingElse, contact } satisfies Record<ReportTextField, unknown>;

  const summary = errorSummary();
  const form = el('form', { novalidate: true, 'aria-describedby': 'report-intro' },
    el('p', { id: 'report-intro' }, 'Nothing is sent until you have your passphrase and have checked it.'),
    summary.element,
    organisation.element, fingerprint, category.element, ...REPORT_TEXT_FIELDS.map((field) => textFields[field].element),
    el('div', { class: 'actions' }, el('button', { type: 'submit' }, 'Continue'), backButton(app)),
  );

  const readDraft = (): ReportDraft => ({
    organisation: orgSelect.value,
    category: category.value() as ReportDraft['category'],
    ...(Object.fromEntries(REPORT_TEXT_FIELDS.map((field) => [field, textFields[field].control.value])) as Record<ReportTextField, string>),
  });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    report.draft = readDraft();
    const problems: [FormField<HTMLElement>, string][] = [];
    if (report.draft.organisation === '') problems.push([organisation, 'Choose which unit should read your report, or choose “Not sure”.']);
    if (report.draft.category === '') problems.push([category, 'Choose what your report is about. If nothing fits, choose “Other”.']);
    if (report.draft.whatHappened.trim() === '') problems.push([whatHappened, 'Tell us what happened.']);
    if (problems.length === 0) {
      const over = bytesOverLimit(draftToReport(report.draft, organisations).report);
      if (over > 0) problems.push([whatHappened, tooLongMessage('Your report', over, 'You can add more later, as messages, when you come back with your passphrase.')]);
    }
    for (const field of [organisation, category, whatHappened]) field.showError(problems.find(([f]) => f === field)?.[1] ?? null);
    summary.show(problems.map(([, message]) => message));
    if (problems.length > 0) {
      problems[0]![0].control.focus();
      return;
    }
    app.go.passphrase(report);
  });
  return form;
}

function backButton(app: ReporterApp): HTMLButtonElement {
  const back = el('button', { type: 'button', class: 'secondary' }, 'Back to the start');
  back.addEventListener('click', () => {
    void app.engine.forget(); // drops a passphrase made for this report, if any
    app.go.landing();
  });
  return back;
}
