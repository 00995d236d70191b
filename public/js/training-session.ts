import { api } from './lib/api.js';
import { textOf } from './lib/forms.js';
import { initLayout } from './lib/layout.js';

/** A training session's page: enrol, withdraw, enrol units' officers, mark attendance, cancel. */
export function init(): void {
  initLayout();
  const problem = document.querySelector<HTMLElement>('[data-action-error]');
  const act = async (control: HTMLButtonElement | HTMLInputElement, path: string, body: unknown, reload = true): Promise<boolean> => {
    control.disabled = true;
    if (problem) problem.hidden = true;
    try {
      await api('POST', path, body);
      if (reload) window.location.reload();
      return true;
    } catch (error) {
      if (problem) {
        problem.textContent = error instanceof Error ? error.message : 'That did not work. Try again.';
        problem.hidden = false;
      }
      return false;
    } finally {
      control.disabled = false;
    }
  };
  const base = (id: string | undefined): string => `/api/training/sessions/${encodeURIComponent(id ?? '')}`;

  document.querySelector<HTMLButtonElement>('[data-enrol]')?.addEventListener('click', (event) => {
    const button = event.currentTarget as HTMLButtonElement;
    void act(button, `${base(button.dataset['enrol'])}/enrolments`, {});
  });
  for (const button of document.querySelectorAll<HTMLButtonElement>('[data-withdraw]')) {
    button.addEventListener('click', () => {
      if (!window.confirm('Withdraw from this session? The seat goes to the first on the waiting list.')) return;
      const accountId = button.dataset['accountId'];
      void act(button, `${base(button.dataset['withdraw'])}/withdrawals`, accountId ? { accountId } : {});
    });
  }
  const other = document.querySelector<HTMLFormElement>('[data-enrol-other]');
  other?.addEventListener('submit', (event) => {
    event.preventDefault();
    const button = other.querySelector<HTMLButtonElement>('button[type="submit"]')!;
    void act(button, `${base(other.dataset['enrolOther'])}/enrolments`, { accountId: textOf(new FormData(other), 'accountId') });
  });
  for (const box of document.querySelectorAll<HTMLInputElement>('[data-attendance]')) {
    box.addEventListener('change', async () => {
      const ok = await act(box, `${base(box.dataset['attendance'])}/attendance`, { accountId: box.value, attended: box.checked }, false);
      if (!ok) box.checked = !box.checked;
    });
  }
  document.querySelector<HTMLButtonElement>('[data-cancel]')?.addEventListener('click', (event) => {
    const button = event.currentTarget as HTMLButtonElement;
    if (!window.confirm('Cancel this session for everyone enrolled?')) return;
    void act(button, `${base(button.dataset['cancel'])}/cancel`, {});
  });
}

init();
