import { MissingKeysError } from '../../server/crypto/broadcast-client.js';
import { api } from './lib/api.js';
import { showFormError, textOf, valuesOf, whileBusy } from './lib/forms.js';
import { initLayout } from './lib/layout.js';
import { openBroadcastSession, uploadFiles } from './broadcast/common.js';
import { enhanceCheckList } from './lib/check-list.js';

/** The broadcast's plain metadata from the form, as the API takes it. */
function metadataOf(form: HTMLFormElement): Record<string, unknown> {
  const data = new FormData(form);
  const deadline = textOf(data, 'deadline');
  const mode = textOf(data, 'mode');
  return {
    country: textOf(data, 'country'),
    foreignNcb: textOf(data, 'foreignNcb'),
    reference: textOf(data, 'reference'),
    kind: textOf(data, 'kind'),
    purpose: textOf(data, 'purpose'),
    crimeArea: textOf(data, 'crimeArea'),
    priority: textOf(data, 'priority'),
    ...(deadline ? { deadline: new Date(deadline).toISOString() } : {}),
    handling: { code: textOf(data, 'handlingCode'), restrictions: textOf(data, 'restrictions') },
    grading: { source: textOf(data, 'source'), information: textOf(data, 'information') },
    addressees: { mode, agencies: mode === 'list' ? valuesOf(form, 'agencies') : [] },
  };
}

/**
 * Composing a broadcast: the message and attachments are encrypted here for the CBI desk and
 * uploaded with progress; then it is sent (opened for every addressed agency's ILOs), submitted
 * for a second officer's review, or kept as a draft.
 */
export function init(): void {
  initLayout();
  const form = document.querySelector<HTMLFormElement>('[data-compose]');
  if (!form) return;
  const reviewPriorities = new Set((form.dataset['reviewPriorities'] ?? '').split(',').filter(Boolean));
  const submit = form.querySelector<HTMLButtonElement>('[data-submit]')!;
  const note = form.querySelector<HTMLElement>('[data-review-note]')!;
  const priority = form.querySelector<HTMLSelectElement>('[data-priority]')!;
  const agencyList = form.querySelector<HTMLElement>('[data-agency-list]')!;
  const agencyTools = enhanceCheckList(agencyList, 'an agency');
  const reviewed = (): boolean => reviewPriorities.has(priority.value);
  const refresh = (): void => {
    submit.textContent = reviewed() ? 'Submit for review' : 'Send';
    note.textContent = reviewed() ? `A ${priority.value} broadcast is reviewed by a second NCB officer before it goes out.` : 'It goes out as soon as you send it.';
    agencyList.hidden = new FormData(form).get('mode') !== 'list';
    agencyTools.hidden = agencyList.hidden;
  };
  form.addEventListener('change', refresh);
  refresh();
  // Editing a draft: its deadline in this browser's time, its text decrypted here.
  const deadline = form.dataset['draftDeadline'];
  const deadlineInput = form.querySelector<HTMLInputElement>('input[name="deadline"]');
  if (deadline && deadlineInput) {
    const local = new Date(deadline);
    deadlineInput.value = new Date(local.getTime() - local.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  }
  const bodyId = form.dataset['draftBody'];
  const textArea = form.querySelector<HTMLTextAreaElement>('textarea[name="text"]');
  if (bodyId && textArea) {
    textArea.disabled = true;
    void openBroadcastSession(form)
      .then((session) => session.client.read(bodyId))
      .then(
        (opened) => (textArea.value = opened.text),
        (error: unknown) => showFormError(form, error),
      )
      .finally(() => (textArea.disabled = false));
  }

  const save = async (then: 'send' | 'draft'): Promise<void> => {
    showFormError(form, undefined);
    const text = textOf(new FormData(form), 'text');
    if (!text) {
      showFormError(form, new Error('Write the message.'));
      return;
    }
    let draftId: string | undefined;
    try {
      await whileBusy(form, async () => {
        const session = await openBroadcastSession(form);
        const files = [...(form.querySelector<HTMLInputElement>('[data-files]')?.files ?? [])];
        const attachments = await uploadFiles(session, 'ncb-desk', files, form.querySelector<HTMLElement>('[data-uploads]')!);
        const existing = form.dataset['draftId'];
        const kept = (form.dataset['draftAttachments'] ?? '').split(',').filter(Boolean);
        const draft = existing
          ? await session.client.updateDraft(existing, metadataOf(form), text, [...kept, ...attachments])
          : await session.client.compose(metadataOf(form), text, attachments);
        draftId = draft.id;
        if (then === 'send') {
          if (draft.reviewRequired) await api('POST', `/api/broadcasts/${encodeURIComponent(draft.id)}/submit`, {});
          else await session.client.send(draft.id);
        }
      });
      location.assign(`/broadcasts/${encodeURIComponent(draftId!)}`);
    } catch (error) {
      if (error instanceof MissingKeysError && draftId) {
        // Saved as a draft: its page offers to send to the others, leaving these out.
        location.assign(`/broadcasts/${encodeURIComponent(draftId)}?missing=${encodeURIComponent(error.labels.join(', '))}`);
      } else {
        showFormError(form, error);
      }
    }
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void save('send');
  });
  form.querySelector('[data-save-draft]')?.addEventListener('click', () => void save('draft'));
}

init();
