import { api } from './lib/api.js';
import { formValues, showCodes, showFormError, whileBusy } from './lib/forms.js';
import { initLayout } from './lib/layout.js';

/** Profile: new recovery codes on proof of a current authenticator code. */
export function init(): void {
  initLayout();
  const form = document.querySelector<HTMLFormElement>('[data-recovery-form]');
  const list = document.querySelector<HTMLElement>('[data-recovery-codes]');
  if (!form || !list) return;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    showFormError(form, undefined);
    try {
      const { recoveryCodes } = await whileBusy(form, () =>
        api<{ recoveryCodes: string[] }>('POST', '/api/me/recovery-codes', { code: formValues(form)['code'] ?? '' }),
      );
      showCodes(list, recoveryCodes);
      const remaining = document.querySelector('[data-remaining-codes]');
      if (remaining) remaining.textContent = String(recoveryCodes.length);
      form.reset();
    } catch (error) {
      showFormError(form, error);
    }
  });
}

init();
