import type { PortalSocket } from '../lib/connection.js';
import { withoutDirectionControls } from '../../../server/shared/text.js';
import { uploadAttachment } from './attachments.js';
import type { CryptoSession } from './crypto-session.js';
import { bindMentionPicker, mentionedIn, type Mentionable } from './mentions.js';
import type { Sender } from './sender.js';

/** A button that takes a picked attachment off the message before it is sent. */
function removeButton(name: string, forget: () => void): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'button button--ghost button--small';
  button.textContent = 'Remove';
  button.setAttribute('aria-label', `Remove ${name}`);
  button.addEventListener('click', () => {
    forget();
    button.closest('li')?.remove();
  });
  return button;
}

/** How long a "typing" signal lasts before another is sent. */
const TYPING_EVERY_MS = 2000;

/**
 * The conversation's composer: Enter sends (Shift+Enter breaks the line), attachments upload
 * encrypted with a progress bar before the message that carries them is sent, and colleagues see
 * that the officer is typing. The text is cleared once the message is sealed and kept in the
 * outbox: from then on it is the outbox's to deliver, not the text box's.
 */
export function bindComposer(
  form: HTMLFormElement,
  options: {
    session: CryptoSession;
    socket: PortalSocket;
    sender: Sender;
    channel: () => string | undefined;
    /** The open channel's other members, who can be mentioned. */
    members: () => readonly Mentionable[];
  },
): void {
  const { session, socket, sender, channel, members } = options;
  const find = <T extends HTMLElement>(selector: string): T => {
    const element = form.querySelector<T>(selector);
    if (!element) throw new Error(`missing ${selector}`);
    return element;
  };
  const textarea = find<HTMLTextAreaElement>('textarea');
  const problem = find('[data-composer-error]');
  const uploads = find('[data-uploads]');
  const attachments: string[] = [];
  let typingSent = 0;
  bindMentionPicker(textarea, members);

  textarea.addEventListener('input', () => {
    const current = channel();
    if (!current || Date.now() - typingSent < TYPING_EVERY_MS) return;
    typingSent = Date.now();
    socket.emit('typing:set', { channel: current, typing: true });
  });
  textarea.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  find<HTMLInputElement>('[data-attach]').addEventListener('change', async (event) => {
    const input = event.currentTarget as HTMLInputElement;
    const current = channel();
    if (!current) return;
    for (const file of [...(input.files ?? [])]) {
      const name = withoutDirectionControls(file.name);
      const row = document.createElement('li');
      const bar = document.createElement('progress');
      bar.max = 1;
      bar.value = 0;
      bar.setAttribute('aria-label', `Uploading ${name}`);
      row.append(document.createTextNode(`${name} `), bar);
      uploads.append(row);
      try {
        const fileId = await uploadAttachment(session, `channel:${current}`, file, (fraction) => (bar.value = fraction));
        attachments.push(fileId);
        row.dataset['ready'] = 'true';
        row.append(' ', removeButton(name, () => attachments.splice(attachments.indexOf(fileId), 1)));
      } catch (error) {
        row.textContent = `${name}: ${error instanceof Error ? error.message : 'upload failed'} `;
        row.append(removeButton(name, () => undefined));
      }
    }
    input.value = '';
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    problem.hidden = true;
    const current = channel();
    const text = textarea.value.trim();
    if (!current || (!text && attachments.length === 0)) return;
    try {
      await sender.send(current, text || '(attachment)', {
        attachments: attachments.splice(0),
        mentions: mentionedIn(text, members(), session.accountId),
      });
      textarea.value = '';
      uploads.replaceChildren();
      socket.emit('typing:set', { channel: current, typing: false });
    } catch (error) {
      problem.textContent = error instanceof Error ? error.message : 'The message could not be sent.';
      problem.hidden = false;
    }
  });
}
