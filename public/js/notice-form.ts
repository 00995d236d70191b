import { CheckFailedError, indianDay, NoticeClient, type CheckSettings, type NoticeEnvelope } from '../../server/crypto/notice-client.js';
import { checkRequest, type CheckResult } from '../../server/shared/notices/check.js';
import { NOTICE_KINDS, type NoticeKind, type RequestType } from '../../server/shared/notices/kinds.js';
import { showFormError, textOf, whileBusy } from './lib/forms.js';
import { initLayout } from './lib/layout.js';
import { openRequestSession, uploadFiles } from './lib/request-session.js';
import { drawForm, fillForm, markProblems, readForm, showFindings } from './notices/form-view.js';

const kindOf = (form: HTMLFormElement): NoticeKind => {
  const value = textOf(new FormData(form), 'kind') || form.querySelector<HTMLInputElement>('input[name="kind"]:checked')?.value || 'red';
  return (NOTICE_KINDS as readonly string[]).includes(value) ? (value as NoticeKind) : 'red';
};
const typeOf = (form: HTMLFormElement): RequestType => (textOf(new FormData(form), 'type') === 'diffusion' ? 'diffusion' : 'notice');
const chosenFiles = (form: HTMLFormElement): File[] => [...(form.querySelector<HTMLInputElement>('input[name="files"]')?.files ?? [])];

/** Previews of the chosen photographs, drawn here from the files themselves (nothing has left the browser yet). */
function showPreviews(list: HTMLElement, files: readonly File[]): void {
  for (const image of list.querySelectorAll('img')) URL.revokeObjectURL(image.src);
  list.replaceChildren(
    ...files
      .filter((file) => file.type.startsWith('image/'))
      .map((file) => {
        const item = document.createElement('li');
        const image = document.createElement('img');
        image.src = URL.createObjectURL(file);
        image.alt = `Preview of ${file.name}`;
        item.append(image);
        return item;
      }),
  );
}

/**
 * A notice request's form: drawn from the chosen kind's schema, checked here as it is filled in
 * (errors block submission, warnings travel with it), sealed for the author's desk with its
 * photographs and scans (encrypted and uploaded with progress), then saved, or saved and
 * submitted with the check signed.
 */
export async function init(): Promise<void> {
  initLayout();
  const form = document.querySelector<HTMLFormElement>('[data-notice-form]');
  if (!form) return;
  const fields = form.querySelector<HTMLElement>('[data-kind-fields]')!;
  const group = form.dataset['group'] ?? '';
  const existing = form.dataset['existing'];
  const session = await openRequestSession(form, NoticeClient);
  const client = session.client;
  const settings: CheckSettings = await client.settings();
  let kept: NoticeEnvelope['files'] = [];
  let groups = drawForm(fields, kindOf(form));
  if (existing) {
    const opened = await client.openAndCheck(existing, settings);
    groups = drawForm(fields, opened.envelope.kind);
    fillForm(fields, groups, opened.envelope.content);
    kept = opened.envelope.files;
  }

  const files = (): NoticeEnvelope['files'] => {
    const chosen = chosenFiles(form);
    return chosen.length > 0 ? chosen.map((file) => ({ name: file.name, type: file.type || 'application/octet-stream' })) : kept;
  };
  const envelope = (): NoticeEnvelope => ({ kind: kindOf(form), type: typeOf(form), content: readForm(fields, groups), files: files() });
  const runCheck = (): CheckResult => {
    const { kind, type, content, files: attached } = envelope();
    const result = checkRequest({ kind, type, content, attachments: attached, today: indianDay(new Date()), terms: settings.terms });
    const summary = form.querySelector<HTMLElement>('[data-check-summary]')!;
    summary.textContent =
      result.errors.length > 0
        ? `${result.errors.length} problem(s) to correct before it can be submitted; ${result.warnings.length} warning(s).`
        : `Ready to submit. ${result.warnings.length} warning(s) will travel with it, for the reviewers to acknowledge.`;
    form.dataset['check'] = result.errors.length > 0 ? 'blocked' : 'ready';
    showFindings(form.querySelector('[data-check-errors]'), result.errors, kind);
    showFindings(form.querySelector('[data-check-warnings]'), result.warnings, kind);
    markProblems(fields, result.errors);
    const submit = form.querySelector<HTMLButtonElement>('[data-submit]');
    if (submit && form.dataset['trainingRequired'] === undefined) submit.disabled = result.errors.length > 0;
    return result;
  };
  const showCountries = (): void => {
    form.querySelector<HTMLElement>('[data-diffusion-countries]')!.hidden = typeOf(form) !== 'diffusion';
  };

  form.addEventListener('change', (event) => {
    const target = event.target as HTMLInputElement;
    if (target.name === 'kind') {
      const before = readForm(fields, groups);
      groups = drawForm(fields, kindOf(form));
      // What the kinds share (the person, the offence) stays filled in.
      fillForm(fields, groups, before);
    }
    if (target.name === 'files') showPreviews(form.querySelector('[data-previews]')!, chosenFiles(form));
    showCountries();
    runCheck();
  });
  form.addEventListener('input', () => runCheck());
  showCountries();
  runCheck();
  form.dataset['ready'] = '';

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const then = (event.submitter as HTMLButtonElement | null)?.value === 'draft' ? 'draft' : 'submit';
    showFormError(form, undefined);
    void whileBusy(form, async () => {
      const result = runCheck();
      if (then === 'submit' && result.errors.length > 0) throw new CheckFailedError(result.errors);
      const values = new FormData(form);
      const metadata = {
        crimeArea: textOf(values, 'crimeArea'),
        priority: textOf(values, 'priority'),
        countries: typeOf(form) === 'diffusion' ? textOf(values, 'countries').split('\n').map((line) => line.trim()).filter(Boolean) : [],
      };
      const chosen = chosenFiles(form);
      const attachments = chosen.length > 0 ? await uploadFiles(session, group, chosen, form.querySelector<HTMLElement>('[data-uploads]')!) : undefined;
      const sealed = envelope();
      const { id } = existing
        ? await client.update(existing, group, metadata, sealed, attachments ?? (await keptAttachments(client, existing)))
        : await client.draft(group, metadata, sealed, attachments ?? []);
      if (then === 'submit') await client.submit(id);
      return id;
    }).then(
      (id) => location.assign(`/notices/${encodeURIComponent(id)}`),
      (error: unknown) => showFormError(form, error),
    );
  });
}

/** The files a draft has now, kept when no new ones are chosen. */
async function keptAttachments(client: NoticeClient, noticeId: string): Promise<string[]> {
  return (await client.view(noticeId)).attachments.slice();
}

void init();
