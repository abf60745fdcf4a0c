// The report form: who should read it, what it is about, what happened, and optional
// details. Checked on the device; nothing is sent from this view.
import { el } from '../../ui/dom.js';
import { REPORT_CATEGORIES, REPORT_TEXT_FIELDS, type ReportTextField } from '../../protocol/documents.js';
import { NOT_SURE, type ReportDraft, type ReportInProgress, type ReporterApp } from '../app.js';
import type { FileLimits, OrganisationChoice } from '../engine-api.js';
import { evidencePicker } from './evidence.js';
import { errorSummary, formField, radioGroup, PRIVATE_TEXT, type FormField } from '../form-fields.js';
import { bytesOverLimit, charactersToCut, draftToReport } from '../report-draft.js';
import { t, tNodes } from '../../i18n/i18n.js';
import { categoryLabel } from '../../i18n/labels.js';
import { loadingFailed } from './problems.js';

// Spell checking is off on purpose: some browsers send typed text to an online spelling service.
function textArea(id: string, value: string, rows = 6): HTMLTextAreaElement {
  const area = el('textarea', { id, name: id, rows: String(rows), ...PRIVATE_TEXT });
  area.value = value;
  return area;
}

export function reportFormView(app: ReporterApp, report: ReportInProgress): HTMLElement {
  const body = el('div', {}, el('p', { role: 'status' }, t('form.loading')));
  const load = () =>
    app.engine.loadConfig().then(
      ({ organisations, limits }) => body.replaceChildren(reportForm(app, report, organisations, limits)),
      () => body.replaceChildren(loadingFailed(load)),
    );
  void load();
  return el('div', {}, el('h1', {}, t('form.heading')), body);
}

function reportForm(app: ReporterApp, report: ReportInProgress, organisations: OrganisationChoice[], limits: FileLimits): HTMLElement {
  const draft = report.draft;
  const firstName = organisations[0]?.name ?? t('form.organisation.firstUnitFallback');

  const orgSelect = el('select', { id: 'organisation', name: 'organisation' },
    el('option', { value: '' }, t('form.organisation.choose')),
    ...organisations.map((o) => el('option', { value: o.id }, o.name)),
    el('option', { value: NOT_SURE }, t('form.organisation.notSure')),
  );
  orgSelect.value = draft.organisation;
  // The chosen unit's anchor: the code every key of the unit is checked back to on this device.
  // People who want to can compare it with the code the unit publishes on its own website or leaflets.
  const fingerprint = el('p', { class: 'hint', id: 'organisation-fingerprint' });
  const showFingerprint = () => {
    const chosen = organisations.find((o) => o.id === orgSelect.value) ?? (orgSelect.value === NOT_SURE ? organisations[0] : undefined);
    fingerprint.textContent = chosen
      ? t('form.organisation.fingerprint', { unit: chosen.name, fingerprint: chosen.fingerprint })
      : '';
  };
  orgSelect.addEventListener('change', showFingerprint);
  showFingerprint();
  const organisation = formField(orgSelect, {
    label: t('form.organisation.label'),
    hint: t('form.organisation.hint', { firstUnit: firstName }),
  });

  const category = radioGroup({
    id: 'category', name: 'category', legend: t('form.category.legend'), hint: t('form.category.hint'),
    choices: REPORT_CATEGORIES.map((c) => ({ value: c.id, label: categoryLabel(c.id) })), checked: draft.category,
  });

  const whatHappened = formField(textArea('what-happened', draft.whatHappened, 8), {
    label: t('form.whatHappened.label'),
    hint: t('form.whatHappened.hint'),
  });
  const whenAndWhere = formField(textArea('when-where', draft.whenAndWhere, 3), {
    label: t('form.whenAndWhere.label'),
    hint: t('form.whenAndWhere.hint'),
  });
  const anythingElse = formField(textArea('anything-else', draft.anythingElse, 3), {
    label: t('form.anythingElse.label'),
    hint: t('form.anythingElse.hint'),
  });
  const contact = formField(textArea('contact', draft.contact, 2), {
    label: t('form.contact.label'),
    hint: el('span', {}, ...tNodes('form.contact.hint', {}, { strong: (children) => el('strong', {}, ...children) })),
  });

  const textFields = { whatHappened, whenAndWhere, anythingElse, contact } satisfies Record<ReportTextField, unknown>;
  const evidence = evidencePicker(app, { files: report.evidence, limits, id: 'evidence' });

  const summary = errorSummary();
  const form = el('form', { novalidate: true, 'aria-describedby': 'report-intro' },
    el('p', { id: 'report-intro' }, t('form.intro')),
    summary.element,
    organisation.element, fingerprint, category.element, ...REPORT_TEXT_FIELDS.map((field) => textFields[field].element), evidence.element,
    el('div', { class: 'actions' }, el('button', { type: 'submit' }, t('form.continue')), backButton(app)),
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
    if (report.draft.organisation === '') problems.push([organisation, t('form.error.organisation')]);
    if (report.draft.category === '') problems.push([category, t('form.error.category')]);
    if (report.draft.whatHappened.trim() === '') problems.push([whatHappened, t('form.error.whatHappened')]);
    if (evidence.choices() === null) problems.push([evidence, t('evidence.stillCleaning')]);
    if (problems.length === 0) {
      const over = bytesOverLimit(draftToReport(report.draft, organisations).report);
      if (over > 0) problems.push([whatHappened, t('form.error.tooLong', { characters: charactersToCut(over) })]);
    }
    for (const field of [organisation, category, whatHappened, evidence]) field.showError(problems.find(([f]) => f === field)?.[1] ?? null);
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
  const back = el('button', { type: 'button', class: 'secondary' }, t('form.backToStart'));
  back.addEventListener('click', () => {
    void app.engine.forget(); // drops a passphrase made for this report, if any
    app.go.landing();
  });
  return back;
}
