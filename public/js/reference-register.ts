import { ReferenceClient } from '../../server/crypto/reference-client.js';
import { showFormError, textOf, whileBusy } from './lib/forms.js';
import { initLayout } from './lib/layout.js';
import { openRequestSession, uploadFiles } from './lib/request-session.js';

/**
 * Registering a foreign NCB's reference at the CBI: the request sealed in this browser for the
 * desk, its files encrypted and uploaded there (with progress), then its page opens.
 */
export async function init(): Promise<void> {
  initLayout();
  const form = document.querySelector<HTMLFormElement>('[data-register-form]');
  if (!form) return;
  const session = await openRequestSession(form, ReferenceClient);
  // Opened from a broadcast: its text, decrypted here, starts the request.
  const fromBody = form.dataset['broadcastBody'];
  const area = form.querySelector<HTMLTextAreaElement>('textarea[name="text"]');
  if (fromBody && area && !area.value) {
    void session.client.read(fromBody).then(
      (opened) => (area.value = opened.text),
      () => undefined,
    );
  }
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    showFormError(form, undefined);
    void whileBusy(form, async () => {
      const data = new FormData(form);
      const text = textOf(data, 'text');
      if (!text) throw new Error('Write the request.');
      const deadline = textOf(data, 'deadline');
      const files = [...(form.querySelector<HTMLInputElement>('input[name="files"]')?.files ?? [])];
      const attachments = await uploadFiles(session, 'ncb-desk', files, form.querySelector<HTMLElement>('[data-uploads]')!);
      const metadata = {
        foreign: { country: textOf(data, 'country'), ncb: textOf(data, 'ncb'), reference: textOf(data, 'reference'), receivedOn: textOf(data, 'receivedOn') },
        assistance: textOf(data, 'assistance'),
        crimeArea: textOf(data, 'crimeArea'),
        priority: textOf(data, 'priority'),
        ...(deadline ? { deadline: new Date(deadline).toISOString() } : {}),
        handling: { code: textOf(data, 'handlingCode'), restrictions: textOf(data, 'restrictions') },
        grading: { source: textOf(data, 'source'), information: textOf(data, 'information') },
        ...(form.dataset['broadcast'] ? { broadcast: form.dataset['broadcast'] } : {}),
      };
      return (await session.client.register(metadata, text, attachments)).id;
    }).then(
      (id) => location.assign(`/references/${encodeURIComponent(id)}`),
      (error: unknown) => showFormError(form, error),
    );
  });
}

void init();
