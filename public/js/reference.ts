import { ReferenceClient } from '../../server/crypto/reference-client.js';
import { enhanceCheckList } from './lib/check-list.js';
import { showFormError, textOf, valuesOf } from './lib/forms.js';
import { initLayout } from './lib/layout.js';
import { api } from './lib/api.js';
import { checkSteps, localTime, onSubmit, openRequestSession, showAttachments, showSealed, uploadFiles, type RequestSession } from './lib/request-session.js';

interface PageData {
  id: string;
  body: string;
  attachments: string[];
  countries: { country: string; replies: { body: string; attachments: string[]; final: boolean; at: string }[] }[];
  steps: { signed: { statement: string; signature: string; fingerprint: string } }[];
  reports: { body: string; attachments: string[]; desk: string; at: string }[];
  agencyId: string;
  unitId: string;
  role: string;
}

type Session = RequestSession<ReferenceClient>;

/** Each country's replies, decrypted here (they were opened for this desk by re-wrapping at the CBI). */
async function showReplies(session: Session, countries: PageData['countries']): Promise<void> {
  for (const country of countries) {
    const box = document.querySelector<HTMLElement>(`[data-replies-of="${CSS.escape(country.country)}"]`);
    if (!box) continue;
    for (const reply of country.replies) {
      const entry = document.createElement('div');
      entry.className = 'reply';
      entry.dataset['reply'] = '';
      const head = document.createElement('p');
      head.className = 'small muted';
      head.textContent = `${reply.final ? 'Reply' : 'Interim reply'} recorded ${localTime(reply.at)}`;
      const text = document.createElement('div');
      text.className = 'message__text';
      const files = document.createElement('ul');
      files.className = 'list';
      entry.append(head, text, files);
      box.append(entry);
      await showSealed(session, reply.body, text);
      await showAttachments(session, reply.attachments, files);
    }
  }
}

/** Execution reports the reader can open, decrypted here. */
async function showReports(session: Session, reports: PageData['reports'], box: HTMLElement | null): Promise<void> {
  for (const report of reports) {
    const entry = document.createElement('div');
    entry.className = 'reply';
    const head = document.createElement('p');
    head.className = 'small muted';
    head.textContent = `${report.desk === 'unit' ? 'Unit' : 'ILO'} report, ${localTime(report.at)}`;
    const text = document.createElement('div');
    text.className = 'message__text';
    const files = document.createElement('ul');
    files.className = 'list';
    entry.append(head, text, files);
    box?.append(entry);
    await showSealed(session, report.body, text);
    await showAttachments(session, report.attachments, files);
  }
}

/** The forms of an incoming reference: forward to agencies, reply abroad, reminders (CBI); assign, approve (ILO); report (unit, ILO). */
function bindIncoming(root: HTMLElement, session: Session, data: PageData): void {
  const client = session.client;
  const agencyList = root.querySelector<HTMLElement>('[data-agency-list]');
  if (agencyList) enhanceCheckList(agencyList, 'an agency');
  onSubmit(root.querySelector<HTMLFormElement>('form[data-forward-agencies]'), (form) => {
    const agencies = valuesOf(form, 'agencies');
    if (agencies.length === 0) return Promise.reject(new Error('Choose at least one agency.'));
    return client.forwardToAgencies(data.id, agencies);
  });
  onSubmit(root.querySelector<HTMLFormElement>('form[data-reply-abroad]'), (form) => {
    const values = new FormData(form);
    const country = data.countries[0]?.country ?? '';
    return client.replyAbroad(data.id, country, textOf(values, 'reference'), { medium: textOf(values, 'medium'), final: values.get('interim') === null });
  });
  onSubmit(root.querySelector<HTMLFormElement>('form[data-foreign-reminder]'), (form) => client.foreignReminder(data.id, textOf(new FormData(form), 'comment')));
  onSubmit(root.querySelector<HTMLFormElement>('form[data-assign]'), (form) => {
    const unit = textOf(new FormData(form), 'unit');
    if (!unit) return Promise.reject(new Error('Choose a unit.'));
    return client.assign(data.id, unit);
  });
  onSubmit(root.querySelector<HTMLFormElement>('form[data-approve]'), (form) => client.approve(data.id, textOf(new FormData(form), 'comment')));
  onSubmit(root.querySelector<HTMLFormElement>('form[data-report]'), async (form) => {
    const text = textOf(new FormData(form), 'text');
    if (!text) throw new Error('Write the report.');
    const own = data.role === 'uo' ? `unit:${data.unitId}` : `agency-ilos:${data.agencyId}`;
    const files = [...(form.querySelector<HTMLInputElement>('input[name="files"]')?.files ?? [])];
    const attachments = await uploadFiles(session, own, files, form.querySelector<HTMLElement>('[data-uploads]')!);
    return client.report(data.id, own, text, attachments);
  });
}

/** The reference's discussion between its desks: opened (or found) on the server, read and written in Connect. */
function bindDiscussion(button: HTMLButtonElement | null, referenceId: string): void {
  button?.addEventListener('click', () => {
    button.disabled = true;
    api<{ id: string }>('POST', `/api/references/${referenceId}/discussion`).then(
      ({ id }) => location.assign(`/connect#channel=${id}`),
      (error: unknown) => {
        button.disabled = false;
        showFormError(button.parentElement ?? document.body, error);
      },
    );
  });
}

/**
 * One reference: its request decrypted and verified here, the replies, every step's signature
 * checked, and the forms for what the reader may do now (each decision signed with their key).
 */
export async function init(): Promise<void> {
  const socket = initLayout();
  const root = document.querySelector<HTMLElement>('[data-reference-page]');
  if (!root) return;
  const data = JSON.parse(root.dataset['referenceJson'] ?? '{}') as PageData;
  const session = await openRequestSession(root, ReferenceClient);
  const client = session.client;
  const $ = <T extends HTMLElement>(selector: string): T | null => root.querySelector<T>(selector);
  const comment = (form: HTMLFormElement): string => textOf(new FormData(form), 'comment');

  for (const form of root.querySelectorAll<HTMLFormElement>('form[data-decision]')) {
    const decision = form.dataset['decision'];
    onSubmit(form, () => {
      if (decision === 'submit' || decision === 'forward') return client.handOn(data.id, decision, comment(form));
      if (decision === 'return' || decision === 'reject') return client.judge(data.id, decision, comment(form));
      return client.close(data.id, decision === 'follow-up' ? 'follow-up' : 'close', comment(form));
    });
  }
  onSubmit($('form[data-transmit]'), (form) => {
    const medium = textOf(new FormData(form), 'medium');
    const transmissions = [...form.querySelectorAll<HTMLInputElement>('input[name="reference"]')]
      .filter((input) => input.value.trim())
      .map((input) => ({ country: input.dataset['country'] ?? '', reference: input.value.trim(), medium }));
    if (transmissions.length === 0) return Promise.reject(new Error('Enter the INTERPOL reference of at least one transmission.'));
    return client.transmit(data.id, transmissions);
  });
  onSubmit($('form[data-reply]'), async (form) => {
    const values = new FormData(form);
    const text = textOf(values, 'text');
    if (!text) throw new Error('Write the reply.');
    const files = [...(form.querySelector<HTMLInputElement>('input[name="files"]')?.files ?? [])];
    const attachments = await uploadFiles(session, 'ncb-desk', files, form.querySelector<HTMLElement>('[data-uploads]')!);
    return client.recordReply(data.id, textOf(values, 'country'), text, { final: values.get('interim') === null, attachments });
  });
  bindIncoming(root, session, data);
  bindDiscussion($('[data-discussion]'), data.id);
  root.dataset['ready'] = '';

  await showSealed(session, data.body, $('[data-content]')!, $('[data-signature]') ?? undefined);
  void showAttachments(session, data.attachments, $('[data-attachments]')!);
  void checkSteps(session, data.steps);
  void showReplies(session, data.countries);
  void showReports(session, data.reports, $('[data-reports]'));
  const live = $('[data-live]');
  socket?.on('reference:changed', (change) => {
    if (change.id !== data.id || !live) return;
    live.textContent = 'This reference has just moved on. Reload to see where it is now.';
    live.hidden = false;
  });
}

void init();
