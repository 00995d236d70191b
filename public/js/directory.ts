import { api } from './lib/api.js';
import { initLayout } from './lib/layout.js';

/**
 * The directory page: server-rendered search; the script lets an officer mark a colleague's key
 * fingerprint verified after comparing it with them.
 */
export function init(): void {
  initLayout();
  const problem = document.querySelector<HTMLElement>('[data-verify-error]');
  for (const button of document.querySelectorAll<HTMLButtonElement>('[data-verify-key]')) {
    button.addEventListener('click', async () => {
      const fingerprint = button.dataset['fingerprint'] ?? '';
      if (!window.confirm(`Did you compare this fingerprint with your colleague?\n\n${fingerprint}`)) return;
      button.disabled = true;
      try {
        await api('POST', `/api/officers/${encodeURIComponent(button.dataset['verifyKey'] ?? '')}/verification`, {
          fingerprint: fingerprint.replace(/\s+/g, '').toLowerCase(),
        });
        const status = button.closest('[data-key-cell]')?.querySelector<HTMLElement>('[data-key-status]');
        if (status) {
          status.textContent = 'verified';
          status.className = 'badge badge--key-verified';
        }
        button.remove();
      } catch (error) {
        button.disabled = false;
        if (problem) {
          problem.textContent = error instanceof Error ? error.message : 'Could not record the verification.';
          problem.hidden = false;
        }
      }
    });
  }
}

init();
