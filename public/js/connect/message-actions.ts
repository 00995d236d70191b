import type { WireRevision } from '../../../server/modules/connect/connect.events.js';
import { formatDateTime } from '../../../server/shared/dates.js';

/**
 * Edits a message's text in place: a text box with Save and Cancel instead of the text; `save`
 * seals and sends the new text, and the stored message replaces the item once the server tells
 * the channel. A failed save says why and keeps what was typed.
 */
export function editInPlace(item: HTMLElement, current: string, save: (text: string) => Promise<void>): void {
  if (item.querySelector('[data-edit-form]')) return;
  const text = item.querySelector<HTMLElement>('.message__text');
  const form = document.createElement('form');
  form.className = 'message__edit';
  form.dataset['editForm'] = '';
  const area = document.createElement('textarea');
  area.value = current;
  area.rows = 3;
  area.maxLength = 20_000;
  area.setAttribute('aria-label', 'Edit message');
  const saveButton = document.createElement('button');
  saveButton.type = 'submit';
  saveButton.className = 'button button--small';
  saveButton.textContent = 'Save';
  const cancel = document.createElement('button');
  cancel.type = 'button';
  cancel.className = 'button button--secondary button--small';
  cancel.textContent = 'Cancel';
  const problem = document.createElement('p');
  problem.className = 'form__error';
  problem.setAttribute('role', 'alert');
  problem.hidden = true;
  const done = (): void => {
    form.remove();
    if (text) text.hidden = false;
  };
  cancel.addEventListener('click', done);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const edited = area.value.trim();
    if (!edited || edited === current) return done();
    saveButton.disabled = true;
    try {
      await save(edited);
      done();
    } catch (error) {
      problem.textContent = `Not saved: ${error instanceof Error ? error.message : 'try again'}`;
      problem.hidden = false;
      saveButton.disabled = false;
    }
  });
  area.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') done();
  });
  form.append(area, saveButton, cancel, problem);
  if (text) text.hidden = true;
  text?.insertAdjacentElement('afterend', form);
  area.focus();
}

/**
 * Shows, under a message, its earlier versions (opened in this browser from the sealed copies
 * the server keeps), newest first, or hides them again.
 */
export async function toggleRevisions(item: HTMLElement, revisions: () => Promise<WireRevision[]>, open: (revision: WireRevision) => Promise<string>): Promise<void> {
  const shown = item.querySelector('[data-revisions]');
  if (shown) {
    shown.remove();
    return;
  }
  const list = document.createElement('ol');
  list.className = 'message__revisions';
  list.dataset['revisions'] = '';
  list.setAttribute('aria-label', 'Earlier versions');
  const loading = document.createElement('li');
  loading.textContent = 'Opening earlier versions…';
  list.append(loading);
  item.append(list);
  try {
    const versions = await revisions();
    list.replaceChildren(
      ...(await Promise.all(
        versions.map(async (revision) => {
          const entry = document.createElement('li');
          const when = document.createElement('time');
          when.dateTime = revision.writtenAt;
          when.textContent = formatDateTime(new Date(revision.writtenAt));
          const words = document.createElement('span');
          words.textContent = await open(revision).catch(() => '⚠ This version could not be opened or verified.');
          entry.append(when, ': ', words);
          return entry;
        }),
      )),
    );
    if (versions.length === 0) list.textContent = 'No earlier version is kept.';
  } catch (error) {
    list.textContent = `Could not open the earlier versions: ${error instanceof Error ? error.message : 'try again'}`;
  }
}
