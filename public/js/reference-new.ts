import { ReferenceClient } from '../../server/crypto/reference-client.js';
import { showFormError, textOf, whileBusy } from './lib/forms.js';
import { initLayout } from './lib/layout.js';
import { openRequestSession, uploadFiles } from './lib/request-session.js';

/** The draft's plain metadata from the form, as the API takes it (countries from the filled rows). */
function metadataOf(form: HTMLFormElement): Record<string, unknown> {
  const data = new FormData(form);
  const names = data.getAll('country').map(String);
  const ncbs = data.getAll('ncb').map(String);
  const deadline = textOf(data, 'deadline');
  return {
    countries: names.flatMap((country, index) => (country.trim() ? [{ country: country.trim(), ncb: ncbs[index]?.trim() || `NCB ${country.trim()}` }] : [])),
    assistance: textOf(data, 'assistance'),
    case: { fir: textOf(data, 'fir'), policeStation: textOf(data, 'policeStation'), sections: textOf(data, 'sections'), registeredOn: textOf(data, 'registeredOn') },
    crimeArea: textOf(data, 'crimeArea'),
    priority: textOf(data, 'priority'),
    ...(deadline ? { deadline: new Date(deadline).toISOString() } : {}),
    handling: { code: textOf(data, 'handlingCode'), restrictions: textOf(data, 'restrictions') },
    grading: { source: textOf(data, 'source'), information: textOf(data, 'information') },
  };
}

/**
 * A new reference: the facts are sealed in this browser for the author's desk and the files
 * encrypted and uploaded there (with progress) before the draft is saved; "Save and submit" then
 * signs the submission and opens it for the next desk.
 */
export async function init(): Promise<void> {
  initLayout();
  const form = document.querySelector<HTMLFormElement>('[data-reference-form]');
  if (!form) return;
  const group = form.dataset['group'] ?? '';
  const session = await openRequestSession(form, ReferenceClient);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const then = (event.submitter as HTMLButtonElement | null)?.value === 'draft' ? 'draft' : 'submit';
    showFormError(form, undefined);
    void whileBusy(form, async () => {
      const text = textOf(new FormData(form), 'text');
      if (!text) throw new Error('Write the facts and what is asked.');
      const files = [...(form.querySelector<HTMLInputElement>('input[name="files"]')?.files ?? [])];
      const attachments = await uploadFiles(session, group, files, form.querySelector<HTMLElement>('[data-uploads]')!);
      const { id } = await session.client.draft(group, metadataOf(form), text, attachments);
      if (then === 'submit') await session.client.handOn(id, 'submit');
      return id;
    }).then(
      (id) => location.assign(`/references/${encodeURIComponent(id)}`),
      (error: unknown) => showFormError(form, error),
    );
  });
}

void init();
