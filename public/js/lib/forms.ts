import { ApiError } from './api.js';

/** The form's fields as strings (files and empty optional fields left out). */
export function formValues(form: HTMLFormElement): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of new FormData(form)) {
    if (typeof value === 'string' && value.trim() !== '') values[name] = value.trim();
  }
  return values;
}

/** A text field's trimmed value ('' when absent or a file). */
export function textOf(data: FormData, name: string): string {
  const value = data.get(name);
  return typeof value === 'string' ? value.trim() : '';
}

/** Values of a multi-valued field (checkboxes, multiple select). */
export function valuesOf(form: HTMLFormElement, name: string): string[] {
  return new FormData(form).getAll(name).filter((value): value is string => typeof value === 'string' && value !== '');
}

/** Shows an error under a form (or clears it with `undefined`), marking the fields the server named. */
export function showFormError(form: HTMLElement, error: unknown): void {
  const box = form.querySelector<HTMLElement>('[data-form-error]');
  for (const field of form.querySelectorAll('[aria-invalid]')) field.removeAttribute('aria-invalid');
  if (!box) return;
  if (error === undefined) {
    box.hidden = true;
    box.textContent = '';
    return;
  }
  let message = error instanceof Error ? error.message : 'Something went wrong. Try again.';
  if (error instanceof ApiError && error.details.length) {
    message += ' ' + error.details.map((detail) => `${detail.field}: ${detail.message}`).join(' ');
    for (const detail of error.details) form.querySelector(`[name="${CSS.escape(detail.field)}"]`)?.setAttribute('aria-invalid', 'true');
  }
  box.textContent = message;
  box.hidden = false;
}

/** Runs `work` with the form's submit button disabled and its progress note shown. */
export async function whileBusy<T>(form: HTMLFormElement, work: () => Promise<T>): Promise<T> {
  const button = form.querySelector<HTMLButtonElement>('button[type="submit"]');
  const progress = form.querySelector<HTMLElement>('[data-progress]');
  if (button) button.disabled = true;
  if (progress) progress.hidden = false;
  try {
    return await work();
  } finally {
    if (button) button.disabled = false;
    if (progress) progress.hidden = true;
  }
}

/** Fills an ordered list with codes (recovery codes), as text, never as markup. */
export function showCodes(list: HTMLElement, codes: readonly string[]): void {
  list.replaceChildren(
    ...codes.map((code) => {
      const item = document.createElement('li');
      const text = document.createElement('code');
      text.textContent = code;
      item.append(text);
      return item;
    }),
  );
  list.hidden = false;
}
