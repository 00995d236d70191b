import { api } from './lib/api.js';
import { showFormError, textOf, whileBusy } from './lib/forms.js';
import { initLayout } from './lib/layout.js';

/** "3 | sedition | why" lines as the API takes them. */
function termsOf(text: string): { article: string; term: string; note: string }[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line, index) => {
      const [article = '', term = '', ...note] = line.split('|').map((part) => part.trim());
      if (!['2', '3'].includes(article) || term.length < 2) throw new Error(`Line ${index + 1}: write “3 | term | why” or “2 | term | why”.`);
      return { article, term, note: note.join(' | ') };
    });
}

/** The CBI head's settings of the check: the term list, and the course a submitter must hold. */
export function init(): void {
  initLayout();
  const form = document.querySelector<HTMLFormElement>('[data-notice-settings]');
  form?.addEventListener('submit', (event) => {
    event.preventDefault();
    showFormError(form, undefined);
    const saved = form.querySelector<HTMLElement>('[data-saved]')!;
    saved.hidden = true;
    void whileBusy(form, () => {
      const values = new FormData(form);
      return api('POST', '/api/notices/settings', { terms: termsOf(textOf(values, 'terms')), requiredCourse: textOf(values, 'requiredCourse'), validityMonths: Number(textOf(values, 'validityMonths') || 24) });
    }).then(
      () => (saved.hidden = false),
      (error: unknown) => showFormError(form, error),
    );
  });
}

init();
