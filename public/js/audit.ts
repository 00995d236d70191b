import { api } from './lib/api.js';
import { initLayout } from './lib/layout.js';

type Verdict = { intact: true; records: number } | { intact: false; records: number; firstBroken: { seq: number; id: string; reason: string } };

/** Audit page: filters are a plain form; the script verifies the hash chain on request. */
export function init(): void {
  initLayout();
  const button = document.querySelector<HTMLButtonElement>('[data-verify-chain]');
  const result = document.querySelector<HTMLElement>('[data-verify-result]');
  button?.addEventListener('click', async () => {
    if (!result) return;
    button.disabled = true;
    result.textContent = 'Verifying…';
    try {
      const verdict = await api<Verdict>('POST', '/api/audit/verify');
      result.textContent = verdict.intact
        ? `Chain intact: ${verdict.records} records verified.`
        : `Chain BROKEN at record ${verdict.firstBroken.seq}: ${verdict.firstBroken.reason}.`;
      result.className = verdict.intact ? 'ok' : 'bad';
    } catch (error) {
      result.textContent = error instanceof Error ? error.message : 'Verification failed.';
    } finally {
      button.disabled = false;
    }
  });
}

init();
