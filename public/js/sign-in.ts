import { deriveSecrets, type KdfParameters } from '../../server/crypto/kdf.js';
import { api } from './lib/api.js';
import { formValues, showFormError, whileBusy } from './lib/forms.js';
import { forgetPassphrase, rememberPassphrase } from './lib/keys.js';

/**
 * Sign-in: asks the server for this username's derivation parameters, derives the sign-in secret
 * from the password here in the browser, and sends that secret (never the password) with the
 * authenticator code. The key passphrase, derived alongside, is kept sealed for the session
 * (`lib/keys.ts`); one left by a session that ended without signing out is forgotten here.
 */
export function init(): void {
  const forgotten = forgetPassphrase();
  const form = document.querySelector<HTMLFormElement>('[data-sign-in-form]');
  if (!form) return;
  form.querySelector<HTMLInputElement>('input[name="username"]')?.focus();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    showFormError(form, undefined);
    const { username = '', password = '', code = '' } = formValues(form);
    if (!username || !password || !code) {
      showFormError(form, new Error('Enter your username, password and authenticator code.'));
      return;
    }
    try {
      await whileBusy(form, async () => {
        const kdf = await api<KdfParameters>('POST', '/api/auth/kdf', { username });
        const { signInSecret, keyPassphrase } = await deriveSecrets(password, kdf);
        await api('POST', '/api/auth/sign-in', { username, signInSecret, code });
        await forgotten;
        await rememberPassphrase(keyPassphrase);
      });
      window.location.assign(form.dataset['next'] || '/');
    } catch (error) {
      const codeInput = form.querySelector<HTMLInputElement>('input[name="code"]');
      if (codeInput) codeInput.value = '';
      showFormError(form, error);
    }
  });
}

init();
