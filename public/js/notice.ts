import { NoticeClient, type NoticeDecision, type NoticeEnvelope } from '../../server/crypto/notice-client.js';
import type { NoticeKind } from '../../server/shared/notices/kinds.js';
import { downloadAttachment } from './connect/attachments.js';
import { showFormError, textOf } from './lib/forms.js';
import { initLayout } from './lib/layout.js';
import { checkSteps, localTime, onSubmit, openRequestSession, showAttachments, type RequestSession } from './lib/request-session.js';
import { drawContent, groupsOf, showFindings } from './notices/form-view.js';

interface PageData {
  id: string;
  kind: NoticeKind;
  label: string;
  statusLabel: string;
  body: string;
  attachments: string[];
  steps: { label: string; byName: string; roleLabel: string; at: string; comment: string; signed: { statement: string; signature: string; fingerprint: string } }[];
}

type Session = RequestSession<NoticeClient>;

/** The photographs, decrypted here and shown; returned for the printable request. */
async function showPhotographs(session: Session, fileIds: readonly string[], list: HTMLElement): Promise<{ type: string; bytes: Uint8Array }[]> {
  const photographs: { type: string; bytes: Uint8Array }[] = [];
  for (const fileId of fileIds) {
    try {
      const { info, blob } = await downloadAttachment(session.crypto, fileId, () => undefined);
      if (!info.type.startsWith('image/')) continue;
      photographs.push({ type: info.type, bytes: new Uint8Array(await blob.arrayBuffer()) });
      const item = document.createElement('li');
      const image = document.createElement('img');
      image.src = URL.createObjectURL(blob);
      image.alt = `Photograph: ${info.name}`;
      item.append(image);
      list.append(item);
    } catch {
      // Listed below with the other attachments, which says when one cannot be opened.
    }
  }
  return photographs;
}

/** The decision a review form takes, from its fields. */
function decisionOf(form: HTMLFormElement): NoticeDecision {
  const values = new FormData(form);
  const comment = textOf(values, 'comment');
  const acknowledgement = textOf(values, 'acknowledgement');
  const decision = form.dataset['decision'] ?? '';
  switch (decision) {
    case 'forward':
      return { decision, comment, acknowledgement };
    case 'send-to-gs':
      return { decision, comment, acknowledgement, reference: textOf(values, 'reference'), medium: textOf(values, 'medium') };
    case 'circulate':
      return { decision, comment, acknowledgement, countries: textOf(values, 'countries').split('\n').map((line) => line.trim()).filter(Boolean) };
    case 'publish':
      return { decision, comment, noticeNumber: textOf(values, 'noticeNumber') };
    case 'extend':
      return { decision, comment, until: textOf(values, 'until') };
    case 'return':
    case 'reject':
    case 'refuse':
    case 'ask':
    case 'suspend':
    case 'withdraw':
    case 'cancel':
      return { decision, comment };
    default:
      throw new Error(`Unknown decision ${decision}.`);
  }
}

/**
 * One notice request: decrypted and verified here, the check run again on it, every step's
 * signature checked, its photographs shown, the forms for what the reader may do now (each
 * decision signed with their key), and the printable PDF built here on request.
 */
export async function init(): Promise<void> {
  const socket = initLayout();
  const root = document.querySelector<HTMLElement>('[data-notice-page]');
  if (!root) return;
  const data = JSON.parse(root.dataset['noticeJson'] ?? '{}') as PageData;
  const session = await openRequestSession(root, NoticeClient);
  const client = session.client;
  const $ = <T extends HTMLElement>(selector: string): T | null => root.querySelector<T>(selector);

  for (const form of root.querySelectorAll<HTMLFormElement>('form[data-decision]')) {
    onSubmit(form, () => (form.dataset['decision'] === 'submit' ? client.submit(data.id, textOf(new FormData(form), 'comment')) : client.decide(data.id, decisionOf(form))));
  }
  root.dataset['ready'] = '';
  void checkSteps(session, data.steps);

  let envelope: NoticeEnvelope | undefined;
  let warnings: { code: string; field: string; message: string }[] = [];
  const signature = $('[data-signature]')!;
  try {
    const opened = await client.openAndCheck(data.id);
    envelope = opened.envelope;
    warnings = opened.result.warnings;
    drawContent($('[data-content]')!, envelope.kind, envelope.content);
    signature.textContent = 'Decrypted in this browser · signature of its author verified.';
    signature.classList.add('verified');
    const recheck = $('[data-recheck]')!;
    recheck.textContent =
      opened.result.errors.length > 0
        ? `Run again here: ${opened.result.errors.length} problem(s) found, listed below.`
        : `Run again here: no errors, ${opened.result.warnings.length} warning(s).`;
    recheck.dataset['result'] = opened.result.errors.length > 0 ? 'blocked' : 'ready';
    showFindings($('[data-check-errors]'), opened.result.errors, opened.envelope.kind);
    showFindings($('[data-check-warnings]'), opened.result.warnings, opened.envelope.kind);
  } catch (error) {
    signature.textContent = `Not shown: ${error instanceof Error ? error.message : 'it could not be opened.'}`;
    signature.classList.add('bad');
  }
  const photographs = await showPhotographs(session, data.attachments, $('[data-previews]')!);
  void showAttachments(session, data.attachments, $('[data-attachments]')!);

  const print = $<HTMLButtonElement>('[data-print]');
  if (print && envelope) {
    const opened = envelope;
    print.disabled = false;
    print.addEventListener('click', () => {
      print.disabled = true;
      showFormError(print.parentElement!, undefined);
      import('./notices/print.js')
        .then(({ buildRequestPdf }) =>
          buildRequestPdf({
            id: data.id,
            label: data.label,
            statusLabel: data.statusLabel,
            groups: groupsOf(opened.kind),
            content: opened.content,
            warnings,
            steps: data.steps.map((step) => ({ label: step.label, by: `${step.byName} (${step.roleLabel})`, at: localTime(step.at), comment: step.comment })),
            photographs,
            printedAt: new Date(),
          }),
        )
        .then((bytes) => {
          const link = document.createElement('a');
          link.href = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/pdf' }));
          link.download = `notice-request-${data.id}.pdf`;
          link.click();
          setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
        })
        .catch((error: unknown) => showFormError(print.parentElement!, error))
        .finally(() => (print.disabled = false));
    });
  }
  socket?.on('notice:changed', (change) => {
    if (change.id !== data.id) return;
    const live = document.createElement('p');
    live.className = 'alert alert--info';
    live.textContent = 'This request has just moved on. Reload to see where it is now.';
    root.prepend(live);
  });
}

void init();
